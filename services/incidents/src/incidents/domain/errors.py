"""Errors and notices that a person reads, always in Dutch and English.

A ``DomainError`` is raised when a rule refuses something; a ``Notice`` is returned when
the input was accepted but the reporter should know how we read it (e.g. an ambiguous
local time).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    field: str | None
    code: str
    message_nl: str
    message_en: str


class DomainError(Exception):
    """A rule of the domain refused the input.

    ``details`` carries one error per field when several fields are wrong at once
    (an incomplete report), so a form can show each one beside its field.
    """

    def __init__(
        self,
        field: str | None,
        code: str,
        message_nl: str,
        message_en: str,
        details: tuple[DomainError, ...] = (),
    ) -> None:
        super().__init__(f"{code}: {message_en}")
        self.field = field
        self.code = code
        self.message_nl = message_nl
        self.message_en = message_en
        self.details = details

    def __repr__(self) -> str:
        return f"DomainError(field={self.field!r}, code={self.code!r})"
