"""The CSIRT's side of an incident: triage status, and checks on what an analyst sets."""

from __future__ import annotations

from enum import StrEnum

from incidents.domain.errors import DomainError


class TriageStatus(StrEnum):
    NEW = "new"  # nieuw: nobody at the CSIRT has looked yet
    TRIAGED = "triaged"  # beoordeeld
    IN_PROGRESS = "in_progress"  # in behandeling
    WAITING_FOR_ORGANISATION = "waiting_for_organisation"  # wacht op organisatie
    CLOSED = "closed"  # afgesloten


NOTE_MAX_LENGTH = 20_000


def check_note(text: str) -> str:
    text = text.strip()
    if not text:
        raise DomainError("text", "required", "Schrijf een notitie.", "Write a note.")
    if len(text) > NOTE_MAX_LENGTH:
        raise DomainError(
            "text", "too_long",
            f"Een notitie is hoogstens {NOTE_MAX_LENGTH} tekens.",
            f"A note is at most {NOTE_MAX_LENGTH} characters.",
        )
    return text
