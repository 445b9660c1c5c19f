"""What happens after an upstream login was verified: the person is found or created, CSIRT
staff are recognised, invitations for their e-mail address are accepted when the login speaks
for the inviting organisation, and the organisation they act for is chosen."""
from __future__ import annotations

from uuid import UUID, uuid4

from weerbaar_platform.auth import CSIRT_BEHEERDER

from ..adapters import audit, store
from ..context import IdentityContext
from ..domain import refusals
from ..domain.login import OrganisationKeys, UpstreamLogin, choose_acting, is_staff_login, speaks_for
from . import people


async def complete_login(conn, ctx: IdentityContext, login: UpstreamLogin,
                         client_ip: str | None) -> tuple[UUID, UUID | None]:
    """Run in one transaction; raises `Refusal` (and the caller records it) when refused."""
    now = ctx.clock()
    person_id = await store.person_by_identity(conn, login.idp, login.subject)
    if person_id is None:
        person_id = uuid4()
        await store.ensure_person(conn, person_id, login.name, login.email)
    await store.record_login(conn, person_id, idp=login.idp, subject=login.subject, name=login.name,
                             email=login.email, kvk=login.kvk, oin=login.oin, level=login.level, at=now)

    if is_staff_login(login, ctx.settings.csirt_oins):
        await _recognise_staff(conn, ctx, person_id, login)

    mismatched = []
    for invitation in await store.open_invitations_for(conn, login.email, now):
        org = OrganisationKeys(invitation["organisation_id"], invitation["legal_name"], invitation["kvk"],
                               invitation["oin"])
        if speaks_for(login, org):
            await people.accept_invitation(conn, invitation, person_id, at=now,
                                           delay_seconds=ctx.settings.role_activation_delay_seconds, idp=login.idp)
        else:
            mismatched.append(org)

    memberships = await store.memberships_of(conn, person_id)
    if mismatched and not memberships:
        raise refusals.invitation_mismatch(mismatched[0].legal_name, login.idp)
    for org in mismatched:  # a member elsewhere may log in; this invitation stays open
        await audit.record(conn, at=now, kind="invitation_refused", outcome="refused", organisation_id=org.id,
                           person_id=person_id, idp=login.idp, level=login.level, client_ip=client_ip,
                           reason="kvk_or_oin_mismatch", login_kvk=login.kvk, login_oin=login.oin)
    acting = choose_acting(memberships, login)
    await audit.record(conn, at=now, kind="login", outcome="ok", organisation_id=acting, person_id=person_id,
                       idp=login.idp, level=login.level or login.acr, client_ip=client_ip)
    return person_id, acting


async def _recognise_staff(conn, ctx: IdentityContext, person_id: UUID, login: UpstreamLogin) -> None:
    """CSIRT staff (SSOnRijk with the CSIRT's OIN) are members of the CSIRT's organisation. The
    admins named in the settings get csirt_beheerder at once: someone has to be first."""
    csirt = ctx.settings.csirt_organisation_id
    now = ctx.clock()
    await store.lock_organisation(conn, csirt)
    await people.join(conn, csirt, person_id, at=now, actor=None, via="csirt_staff")
    admins = {e.lower() for e in ctx.settings.csirt_admin_emails}
    if login.email.lower() in admins and CSIRT_BEHEERDER not in {
            g["role"] for g in await store.current_grants(conn, csirt, person_id)}:
        await people.grant(conn, csirt, person_id, CSIRT_BEHEERDER, by=None, at=now, delay_seconds=0)


async def record_refusal(pool, ctx: IdentityContext, refusal: refusals.Refusal, *, idp: str,
                         login: UpstreamLogin | None, client_ip: str | None, **detail) -> None:
    """A refusal is written on its own: the organisations the login spoke for see it in their log."""
    orgs: list[UUID | None] = [None]
    person_id = None
    async with pool.acquire() as conn, conn.transaction():
        if login is not None:
            found = await store.organisations_by_keys(conn, kvk=login.kvk, oin=login.oin)
            orgs = [o.id for o in found] or [None]
            person_id = await store.person_by_identity(conn, login.idp, login.subject)
            if refusal.code == "invitation_mismatch":
                orgs = [r["organisation_id"] for r in await store.open_invitations_for(
                    conn, login.email, ctx.clock())] or orgs
        for org in orgs:
            await audit.record(conn, at=ctx.clock(), kind="login", outcome="refused", organisation_id=org,
                               person_id=person_id, idp=idp, level=login.level or login.acr if login else None,
                               client_ip=client_ip, reason=refusal.code,
                               subject=login.subject if login else None, **detail)
