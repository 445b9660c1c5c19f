"""Free text a person typed, such as a title: stripped, and refused when nothing readable is
left (only spaces, or only invisible format characters like a lone RTL mark or a zero-width
space) or when it holds control characters (a NUL cannot even be stored)."""
from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def visible_text(text: str) -> str:
    """``text`` without surrounding white space; refused unless a letter or digit remains."""
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in text):
        raise PydanticCustomError(
            "control_character", "Remove the control characters (such as NUL) from this text.",
            {"message_nl": "Verwijder de stuurtekens (zoals NUL) uit deze tekst.",
             "message_en": "Remove the control characters (such as NUL) from this text."})
    stripped = text.strip()
    if not any(ch.isalnum() for ch in stripped):
        raise PydanticCustomError(
            "blank", "Fill in a text with at least one letter or digit.",
            {"message_nl": "Vul een tekst in met ten minste één letter of cijfer.",
             "message_en": "Fill in a text with at least one letter or digit."})
    return stripped


def VisibleText(max_length: int):  # noqa: N802 (a type factory, used like a type)
    """A pydantic string type: at most `max_length` characters, with something readable in it."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(visible_text)]


def sentence(text: str) -> str:
    """End a sentence with the text: a name that ends in a full stop (N.V.) gets no second one."""
    return text if text.endswith((".", "!", "?")) else text + "."


def readable_size(n: int) -> str:
    """A size as a person reads it in a refusal: '10 MB', '64 kB', '2 GB'."""
    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.3g} {unit}"
    return f"{n} bytes"
