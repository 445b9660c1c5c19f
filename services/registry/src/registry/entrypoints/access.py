"""Who may see and change which entry. Another organisation's entry answers 404, exactly as
an entry that does not exist, so that ids reveal nothing."""
from __future__ import annotations

from uuid import UUID

from weerbaar_platform.auth import (
    ANALIST,
    BEHEERDER_NETWERK,
    BEHEERDER_PERSONEN,
    CSIRT_BEHEERDER,
    GEBRUIKER,
    Forbidden,
    Principal,
)
from weerbaar_platform.errors import NotFound

#: CSIRT staff who work with the register (an editor of advisories does not).
REGISTER_STAFF = (ANALIST, CSIRT_BEHEERDER)
MEMBER_ROLES = (GEBRUIKER, BEHEERDER_PERSONEN, BEHEERDER_NETWERK)


def is_register_staff(principal: Principal) -> bool:
    return principal.has(*REGISTER_STAFF)


def require_register_staff(principal: Principal) -> None:
    principal.require(*REGISTER_STAFF)


def _own(principal: Principal, org_id: UUID) -> None:
    if principal.organisation_id != org_id:
        raise NotFound("organisation")


def may_read(principal: Principal, org_id: UUID) -> None:
    """Members of the organisation, and register staff."""
    if is_register_staff(principal):
        return
    _own(principal, org_id)
    if not principal.has(*MEMBER_ROLES):
        raise Forbidden(" / ".join(MEMBER_ROLES))


def may_update(principal: Principal, org_id: UUID) -> None:
    """Only the organisation's people admins (beheerder persoon- en organisatiegegevens)."""
    _own(principal, org_id)
    principal.require(BEHEERDER_PERSONEN)


def may_deregister(principal: Principal, org_id: UUID) -> None:
    if is_register_staff(principal):
        return
    may_update(principal, org_id)
