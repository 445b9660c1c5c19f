"""Changes to memberships and roles. Each runs inside the caller's transaction and writes the
state change, its event (outbox) and its audit entry together. Callers lock the organisation's
row first (`store.lock_organisation`) so the last-admin rule holds under concurrency."""
from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID, uuid4

from weerbaar_contracts.events.identity import (InvitationCreatedV1, PersonJoinedV1, PersonRemovedV1,
                                                RoleGrantedV1, RoleWithdrawnV1)
from weerbaar_platform import outbox
from weerbaar_platform.errors import Conflict, NotFound

from ..adapters import audit, store
from ..domain.roles import admin_role, check_keeps_a_beheerder, check_role_fits, usable_from

SOURCE = "/weerbaar/identity"


async def join(conn, organisation_id: UUID, person_id: UUID, *, at: datetime, actor: UUID | None,
               via: str) -> bool:
    """Make the person a member; announces PersonJoinedV1 only the first time."""
    if not await store.add_membership(conn, organisation_id, person_id, at):
        return False
    who = await store.person(conn, person_id)
    await outbox.enqueue(conn, PersonJoinedV1(organisation_id=organisation_id, person_id=person_id, name=who["name"],
                                              email=who["email"], language=who["language"]), source=SOURCE)
    await audit.record(conn, at=at, kind="person_joined", outcome="ok", organisation_id=organisation_id,
                       person_id=person_id, actor_id=actor, via=via)
    return True


async def grant(conn, organisation_id: UUID, person_id: UUID, role: str, *, by: UUID | None, at: datetime,
                delay_seconds: int) -> datetime:
    org = await store.organisation(conn, organisation_id)
    check_role_fits(role, is_csirt=org["is_csirt"])
    if not await store.is_member(conn, organisation_id, person_id):
        raise NotFound("person")
    when = usable_from(at, delay_seconds)
    if not await store.insert_grant(conn, organisation_id, person_id, role, by=by, at=at, usable_from=when):
        raise Conflict("role", "already_granted", "Deze persoon heeft deze rol al.", "This person already has this role.")
    await outbox.enqueue(conn, RoleGrantedV1(organisation_id=organisation_id, person_id=person_id, role=role,
                                             granted_by=by, usable_from=when), source=SOURCE)
    await audit.record(conn, at=at, kind="role_granted", outcome="ok", organisation_id=organisation_id,
                       person_id=person_id, actor_id=by, role=role, usable_from=when.isoformat())
    return when


async def check_keeps_an_admin(conn, organisation_id: UUID, person_id: UUID, role: str | None, *,
                               at: datetime) -> None:
    """The last-admin rule for withdrawing `role` from a person (None: removing them): the
    organisation keeps someone who can use its admin role now (the CSIRT: csirt_beheerder)."""
    admin = admin_role(await store.is_csirt(conn, organisation_id))
    check_keeps_a_beheerder(await store.holders(conn, organisation_id, admin, usable_at=at), person_id, role,
                            admin=admin)


async def withdraw(conn, organisation_id: UUID, person_id: UUID, role: str, *, by: UUID | None,
                   at: datetime) -> None:
    await check_keeps_an_admin(conn, organisation_id, person_id, role, at=at)
    if not await store.withdraw_grant(conn, organisation_id, person_id, role, by=by, at=at):
        raise NotFound("role")
    await outbox.enqueue(conn, RoleWithdrawnV1(organisation_id=organisation_id, person_id=person_id, role=role,
                                               withdrawn_by=by), source=SOURCE)
    await audit.record(conn, at=at, kind="role_withdrawn", outcome="ok", organisation_id=organisation_id,
                       person_id=person_id, actor_id=by, role=role)


async def remove(conn, organisation_id: UUID, person_id: UUID, *, by: UUID | None, at: datetime) -> None:
    """Remove a member: their roles are withdrawn first (each announced), then the membership."""
    if not await store.is_member(conn, organisation_id, person_id):
        raise NotFound("person")
    await check_keeps_an_admin(conn, organisation_id, person_id, None, at=at)
    for grant_row in await store.current_grants(conn, organisation_id, person_id):
        await withdraw(conn, organisation_id, person_id, grant_row["role"], by=by, at=at)
    await store.delete_membership(conn, organisation_id, person_id)
    # Their sessions acting for this organisation end now, not at the refresh token's expiry.
    await conn.execute("UPDATE refresh_tokens SET revoked_at = now() WHERE person_id = $1 AND "
                       "acting_organisation_id = $2 AND revoked_at IS NULL", person_id, organisation_id)
    await outbox.enqueue(conn, PersonRemovedV1(organisation_id=organisation_id, person_id=person_id, removed_by=by),
                         source=SOURCE)
    await audit.record(conn, at=at, kind="person_removed", outcome="ok", organisation_id=organisation_id,
                       person_id=person_id, actor_id=by)


async def invite(conn, organisation_id: UUID, email: str, roles: list[str], *, by: UUID, at: datetime,
                 lifetime_days: int) -> UUID:
    org = await store.organisation(conn, organisation_id)
    for role in roles:
        check_role_fits(role, is_csirt=org["is_csirt"])
    if await store.member_with_email(conn, organisation_id, email):
        raise Conflict("email", "already_member", "Iemand met dit e-mailadres is al lid van de organisatie.",
                       "Someone with this e-mail address is already a member of the organisation.")
    invitation_id = uuid4()
    if not await store.insert_invitation(conn, id=invitation_id, organisation_id=organisation_id, email=email,
                                         roles=sorted(set(roles)), invited_by=by, at=at,
                                         expires_at=at + timedelta(days=lifetime_days)):
        raise Conflict("email", "already_invited", "Dit e-mailadres heeft al een open uitnodiging.",
                       "This e-mail address already has an open invitation.")
    await outbox.enqueue(conn, InvitationCreatedV1(
        organisation_id=organisation_id, invitation_id=invitation_id, email=email, roles=sorted(set(roles)),
        invited_by=by, organisation_name=org["legal_name"] or "", expires_at=at + timedelta(days=lifetime_days)),
        source=SOURCE)
    await audit.record(conn, at=at, kind="invitation_created", outcome="ok", organisation_id=organisation_id,
                       actor_id=by, invitation_id=invitation_id, email=email, roles=sorted(set(roles)))
    return invitation_id


async def accept_invitation(conn, invitation, person_id: UUID, *, at: datetime, delay_seconds: int,
                            idp: str) -> None:
    organisation_id = invitation["organisation_id"]
    await store.lock_organisation(conn, organisation_id)
    await store.set_invitation_status(conn, invitation["id"], organisation_id, "accepted", person_id=person_id, at=at)
    await join(conn, organisation_id, person_id, at=at, actor=invitation["invited_by"], via="invitation")
    for role in invitation["roles"]:
        if role not in {g["role"] for g in await store.current_grants(conn, organisation_id, person_id)}:
            await grant(conn, organisation_id, person_id, role, by=invitation["invited_by"], at=at,
                        delay_seconds=delay_seconds)
    await audit.record(conn, at=at, kind="invitation_accepted", outcome="ok", organisation_id=organisation_id,
                       person_id=person_id, idp=idp, invitation_id=invitation["id"])
