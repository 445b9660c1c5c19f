"""Refusals a person can act on, as plain values: no web framework here, so domain code of any
service can raise them. `errors.install` maps them to HTTP responses."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldError:
    field: str
    code: str
    message_nl: str
    message_en: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message_nl": self.message_nl,
                "message_en": self.message_en}


class DomainError(Exception):
    """A refusal by a rule of the domain. `status` is the HTTP status it maps to."""

    def __init__(self, field: str, code: str, message_nl: str, message_en: str, status: int = 422):
        super().__init__(message_en)
        self.status = status
        self.errors = [FieldError(field, code, message_nl, message_en)]

    @classmethod
    def many(cls, errors: list[FieldError], status: int = 422) -> "DomainError":
        first = errors[0]
        exc = cls(first.field, first.code, first.message_nl, first.message_en, status)
        exc.errors = list(errors)
        return exc


class NotFound(DomainError):
    """Also what another organisation's id gets: it must not learn that the thing exists."""

    def __init__(self, what: str = "resource"):
        super().__init__("id", "not_found", "Niet gevonden.", f"{what.capitalize()} not found.", 404)


class Conflict(DomainError):
    def __init__(self, field: str, code: str, message_nl: str, message_en: str):
        super().__init__(field, code, message_nl, message_en, 409)
