"""Rules about roles: which roles exist where, when a granted role becomes usable, and the
rule that an organisation always keeps a beheerder persoon- en organisatiegegevens."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from weerbaar_platform.auth import BEHEERDER_PERSONEN, CSIRT_BEHEERDER, ORGANISATION_ROLES, STAFF_ROLES
from weerbaar_platform.errors import Conflict, DomainError

ROLE_NAMES = {
    "gebruiker": ("gebruiker", "user"),
    "beheerder_personen": ("beheerder persoon- en organisatiegegevens", "people and organisation admin"),
    "beheerder_netwerk": ("beheerder netwerkgegevens", "network data admin"),
    "analist": ("analist", "analyst"),
    "redacteur": ("redacteur", "editor"),
    "csirt_beheerder": ("CSIRT-beheerder", "CSIRT admin"),
}


def usable_from(granted_at: datetime, delay_seconds: int) -> datetime:
    """A granted role waits before it can be used, so a wrongly given role can be taken back
    (and the person is told) before it does harm."""
    return granted_at + timedelta(seconds=delay_seconds)


def is_usable(usable_at: datetime, now: datetime) -> bool:
    return usable_at <= now


def roles_for(is_csirt: bool) -> tuple[str, ...]:
    return STAFF_ROLES if is_csirt else ORGANISATION_ROLES


def check_role_fits(role: str, *, is_csirt: bool) -> None:
    if role not in roles_for(is_csirt):
        allowed = ", ".join(roles_for(is_csirt))
        raise DomainError("role", "role_not_here",
                          f"Deze rol bestaat niet voor deze organisatie. Kies uit: {allowed}.",
                          f"This role does not exist for this organisation. Choose from: {allowed}.")


class LastBeheerder(Conflict):
    def __init__(self):
        super().__init__(
            "person_id", "last_beheerder",
            "Dit is de laatste beheerder persoon- en organisatiegegevens van de organisatie. "
            "Maak eerst iemand anders beheerder en wacht tot die rol bruikbaar is (een uur na "
            "toekennen); daarna kan deze beheerder vertrekken of de rol kwijt.",
            "This is the organisation's last people and organisation admin. Appoint another admin "
            "first and wait until that role is usable (an hour after it is given); then this admin "
            "can leave or lose the role.")


def is_last_beheerder(beheerders: Iterable[UUID], person_id: UUID) -> bool:
    """True when taking the admin role from `person_id` (or removing them) leaves nobody.
    `beheerders` are those who can use the role now: a grant still waiting for its activation
    time does not count, or an organisation could be left without a usable admin for an hour."""
    holders = set(beheerders)
    return person_id in holders and not (holders - {person_id})


def admin_role(is_csirt: bool) -> str:
    """The role that manages an organisation's people: the CSIRT's own admin in the CSIRT."""
    return CSIRT_BEHEERDER if is_csirt else BEHEERDER_PERSONEN


def check_keeps_a_beheerder(beheerders: Iterable[UUID], person_id: UUID, role: str | None = None,
                            admin: str = BEHEERDER_PERSONEN) -> None:
    """Raise when withdrawing `role` (None: every role, i.e. removal) would leave no `admin`."""
    if role in (None, admin) and is_last_beheerder(beheerders, person_id):
        raise LastBeheerder()
