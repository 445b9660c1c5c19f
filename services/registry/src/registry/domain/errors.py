"""Errors a person reads: always with a field path, a stable code, Dutch and English text.

Domain rules report a `Problem` (what is wrong, no location); the place that knows the
field turns it into a `FieldError`. Pydantic models raise problems as
`PydanticCustomError`s that carry both texts in their context, so that `field_errors`
can give every error of a `ValidationError` back in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from pydantic import ValidationError
from pydantic_core import PydanticCustomError


@dataclass(frozen=True)
class Problem:
    code: str
    message_nl: str
    message_en: str


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message_nl: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {
            "field": self.field,
            "code": self.code,
            "message_nl": self.message_nl,
            "message_en": self.message_en,
        }


def raise_problem(problem: Problem) -> NoReturn:
    """Raise inside a pydantic validator; `field_errors` reads both texts back."""
    raise PydanticCustomError(
        problem.code,
        problem.message_en,
        {"message_nl": problem.message_nl, "message_en": problem.message_en},
    )


# Dutch (and plain English) texts for the pydantic built-in errors a form can produce.
# Anything not listed falls back to a generic Dutch text beside pydantic's own English.
_BUILTIN_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("Dit veld is verplicht.", "This field is required."),
    "string_type": ("Vul hier tekst in.", "Enter text here."),
    "string_too_short": ("Dit veld mag niet leeg zijn.", "This field must not be empty."),
    "string_too_long": ("Deze tekst is te lang.", "This text is too long."),
    "int_type": ("Vul een geheel getal in.", "Enter a whole number."),
    "int_parsing": ("Vul een geheel getal in.", "Enter a whole number."),
    "int_from_float": ("Vul een geheel getal in.", "Enter a whole number."),
    "int_parsing_size": ("Dit getal is te groot.", "This number is too large."),
    "decimal_type": ("Vul een bedrag in.", "Enter an amount."),
    "finite_number": ("Vul een eindig getal in.", "Enter a finite number."),
    "decimal_parsing": ("Vul een bedrag in.", "Enter an amount."),
    "greater_than_equal": (
        "Deze waarde mag niet negatief zijn.", "This value must not be negative."),
    "bool_type": ("Kies ja of nee.", "Choose yes or no."),
    "bool_parsing": ("Kies ja of nee.", "Choose yes or no."),
    "enum": ("Kies een van de toegestane waarden.", "Choose one of the allowed values."),
    "literal_error": ("Kies een van de toegestane waarden.", "Choose one of the allowed values."),
    "list_type": ("Geef een lijst op.", "Give a list."),
    "model_type": ("Vul de onderdelen van dit veld in.", "Fill in the parts of this field."),
    "dict_type": ("Vul de onderdelen van dit veld in.", "Fill in the parts of this field."),
    "extra_forbidden": ("Dit veld is onbekend.", "This field is not known."),
    "too_short": ("Geef ten minste één waarde op.", "Give at least one value."),
}


def _field_path(loc: tuple[int | str, ...]) -> str:
    """('security_contact', 'email') -> 'security_contact.email'; list indexes as [0]."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Every error of a pydantic ValidationError as a FieldError in Dutch and English."""
    result: list[FieldError] = []
    for error in exc.errors(include_url=False):
        ctx = error.get("ctx") or {}
        code = error["type"]
        if "message_nl" in ctx:
            message_nl, message_en = ctx["message_nl"], ctx["message_en"]
        elif code in _BUILTIN_MESSAGES:
            message_nl, message_en = _BUILTIN_MESSAGES[code]
        else:
            message_nl, message_en = "Deze waarde is ongeldig.", error["msg"]
        result.append(FieldError(_field_path(tuple(error["loc"])), code, message_nl, message_en))
    return result
