"""Errors a person reads: always in Dutch and English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)  # not frozen: raising sets __traceback__ (and __context__) on the instance
class DomainError(Exception):
    """A rule of the content service was broken.

    `code` is stable for programs; the two messages are for people.
    """

    code: str
    message_nl: str
    message_en: str
    field: str | None = None

    def __str__(self) -> str:  # the English text, so logs and tracebacks stay readable
        return f"{self.code}: {self.message_en}"
