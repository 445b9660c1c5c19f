"""What changes the register: register, update, override the classification, deregister.

Each command is one database transaction holding the state change, the new version in the
history and the events that announce it (transactional outbox), so a reader never sees one
without the others. Concurrent changes are decided by the row's version number: the change
that comes second finds the version moved on and is refused (409), never silently merged.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

import asyncpg
from pydantic import ValidationError
from weerbaar_contracts.events.registry import (
    ClassificationChangedV1,
    EntityDeregisteredV1,
    EntityRegisteredV1,
    EntityUpdatedV1,
)
from weerbaar_platform import outbox
from weerbaar_platform.auth import Principal
from weerbaar_platform.errors import Conflict, DomainError, FieldError, NotFound

from registry.adapters import organisations as db
from registry.domain import entry as entries
from registry.domain.classification import Nis2Class, OverrideRefused, override
from registry.domain.registration import RegistrationRefused, parse_registration, unattested_identifier


def _refused(errors, status: int = 422) -> DomainError:
    return DomainError.many(
        [FieldError(e.field, e.code, e.message_nl, e.message_en) for e in errors], status)


def _entry(data: dict[str, Any], override_value: Nis2Class | None = None) -> db.Entry:
    try:
        registration = parse_registration(data)
    except RegistrationRefused as refused:
        raise _refused(refused.errors) from None
    assessment = entries.assess(registration, override_value)
    return db.Entry(
        data=entries.registration_as_json(registration),
        derived=assessment.derived.value.value,
        final=assessment.final.value,
        size_class=assessment.derived.size_class.value if assessment.derived.size_class else None,
        reasoning=entries.reasoning_as_json(assessment.derived),
        entitlements=entries.entitlements_as_json(assessment.entitlements),
    )


def _already_registered(column: str) -> Conflict:
    if column == "kvk":
        return Conflict(
            "kvk_number", "kvk_number_already_registered",
            "Een organisatie met dit KvK-nummer staat al in het register. Vraag een beheerder "
            "persoon- en organisatiegegevens van die organisatie u toe te voegen, of neem "
            "contact op met het CSIRT.",
            "An organisation with this KvK number is already registered. Ask one of its people "
            "admins to add you, or contact the CSIRT.")
    return Conflict(
        "oin", "oin_already_registered",
        "Een organisatie met dit OIN staat al in het register. Vraag een beheerder persoon- en "
        "organisatiegegevens van die organisatie u toe te voegen, of neem contact op met het CSIRT.",
        "An organisation with this OIN is already registered. Ask one of its people admins to "
        "add you, or contact the CSIRT.")


def _not_attested(field: str, principal: Principal) -> DomainError:
    if principal.login_kvk or principal.login_oin:
        attested_nl = (f"KvK-nummer {principal.login_kvk}" if principal.login_kvk
                       else f"OIN {principal.login_oin}")
        attested_en = (f"KvK number {principal.login_kvk}" if principal.login_kvk
                       else f"OIN {principal.login_oin}")
        nl = (f"U bent ingelogd namens {attested_nl}; u kunt alleen die organisatie registreren. "
              "Log in met eHerkenning of SSOnRijk namens de organisatie die u wilt registreren.")
        en = (f"You are logged in on behalf of {attested_en}; you can register only that "
              "organisation. Log in with eHerkenning or SSOnRijk on behalf of the organisation "
              "you want to register.")
    else:
        nl = ("Uw inlog noemt geen KvK-nummer of OIN. Log in met eHerkenning (KvK-nummer) of "
              "SSOnRijk (OIN) namens de organisatie die u wilt registreren.")
        en = ("Your login names no KvK number or OIN. Log in with eHerkenning (KvK number) or "
              "SSOnRijk (OIN) on behalf of the organisation you want to register.")
    return DomainError(field, "not_attested_by_login", nl, en, 403)


def _identifier_fixed(field: str) -> DomainError:
    """The KvK number or OIN is who the organisation is: logins and invitations are matched
    against it, so changing it would hand the registration to another organisation."""
    name_nl, name_en = ("het KvK-nummer", "the KvK number") if field == "kvk_number" else ("het OIN", "the OIN")
    return DomainError(
        field, "identifier_fixed",
        f"U kunt {name_nl} van een geregistreerde organisatie niet wijzigen. Klopt het niet, neem dan "
        "contact op met het CSIRT.",
        f"You cannot change {name_en} of a registered organisation. If it is wrong, contact the CSIRT.", 422)


def _stale(current: int) -> Conflict:
    return Conflict(
        "If-Match", "version_conflict",
        f"Iemand anders heeft deze gegevens intussen gewijzigd (nu versie {current}). Laad ze "
        "opnieuw en breng uw wijziging daarna opnieuw aan.",
        f"Someone else changed this registration in the meantime (now version {current}). "
        "Reload it and make your change again.")


def _deregistered() -> Conflict:
    return Conflict(
        "status", "deregistered",
        "Deze organisatie is uitgeschreven; wijzigingen zijn niet meer mogelijk. Neem contact "
        "op met het CSIRT om weer in te schrijven.",
        "This organisation is deregistered; it can no longer be changed. Contact the CSIRT to "
        "register again.")


# Where an e-mail address of an event came from, for a refusal that names the form's field.
_EVENT_FIELDS = {"group_mailbox": "group_mailbox", "security_contact_email": "security_contact.email",
                 "registered_by_email": "(token).email"}


def _event(cls, **fields):
    """Build an event; an address the contract refuses is the form's mistake, not ours."""
    try:
        return cls(**fields)
    except ValidationError as exc:
        errors = [FieldError(_EVENT_FIELDS.get(str(e["loc"][0]), str(e["loc"][0])), "email_invalid",
                             "Vul een geldig e-mailadres in, zoals naam@organisatie.nl.",
                             "Enter a valid e-mail address, such as name@organisation.nl.")
                  for e in exc.errors()]
        raise DomainError.many(errors) from None


def snapshot(row: db.Row) -> dict[str, Any]:
    """The fields every registry snapshot event carries (EntityRegistered/EntityUpdated)."""
    return dict(
        organisation_id=row.id, registration_version=row.version, legal_name=row.legal_name,
        kvk=row.kvk, oin=row.oin, sector=row.sector, subsector=row.subsector,
        classification=row.final_classification, netcode=row.netcode is not None,
        netcode_impact=row.netcode, group_mailbox=row.data.get("group_mailbox"),
        entitlements=row.entitlements["services"], entity_type=row.entity_type,
        sectoral_csirt=row.entitlements["sectoral_csirt"],
        security_contact_email=row.data["security_contact"]["email"],
        member_states=row.data["member_states"],
    )


async def _publish(conn: asyncpg.Connection, source: str, *events) -> None:
    for event in events:
        await outbox.enqueue(conn, event, source=source)


async def _insert(conn: asyncpg.Connection, entry: db.Entry, principal: Principal) -> db.Row:
    holder = await db.holder_of(conn, kvk=entry.data.get("kvk_number"), oin=entry.data.get("oin"))
    if holder:
        raise _already_registered(holder[0])
    try:
        async with conn.transaction():  # a savepoint: a lost race is a refusal, not a 500
            return await db.insert(conn, uuid.uuid4(), entry, principal.person_id)
    except asyncpg.UniqueViolationError as exc:
        raise _already_registered("oin" if "oin" in (exc.constraint_name or "") else "kvk") from None


async def register(pool: asyncpg.Pool, source: str, principal: Principal,
                   data: dict[str, Any]) -> db.Row:
    """Any logged-in person may register their organisation; identity makes them its first
    people admin when it reads the event."""
    entry = _entry(data)
    if field := unattested_identifier(login_kvk=principal.login_kvk, login_oin=principal.login_oin,
                                      kvk=entry.data.get("kvk_number"), oin=entry.data.get("oin")):
        raise _not_attested(field, principal)
    async with pool.acquire() as conn, conn.transaction():
        row = await _insert(conn, entry, principal)
        await db.add_version(conn, row, change="registered", by=principal.person_id,
                             by_name=principal.name or None)
        await _publish(conn, source, _event(
            EntityRegisteredV1, **snapshot(row), registered_by=principal.person_id,
            registered_by_name=principal.name, registered_by_email=principal.email))
    return row


def _override_of(row: db.Row) -> Nis2Class | None:
    return Nis2Class(row.final_classification) if row.override_reason else None


async def _locked(conn: asyncpg.Connection, org_id: UUID, expected_version: int | None) -> db.Row:
    row = await db.lock(conn, org_id)
    if row is None:
        raise NotFound("organisation")
    if expected_version is not None and row.version != expected_version:
        raise _stale(row.version)
    return row


async def update(pool: asyncpg.Pool, source: str, principal: Principal, org_id: UUID,
                 data: dict[str, Any], expected_version: int) -> db.Row:
    async with pool.acquire() as conn, conn.transaction():
        before = await _locked(conn, org_id, expected_version)
        if before.status != "registered":
            raise _deregistered()
        entry = _entry(data, _override_of(before))
        for field, was, now, attested in (
                ("kvk_number", before.kvk, entry.data.get("kvk_number"), principal.login_kvk),
                ("oin", before.oin, entry.data.get("oin"), principal.login_oin)):
            if was is not None and now != was:
                raise _identifier_fixed(field)
            if was is None and now is not None and now != attested:
                raise _not_attested(field, principal)  # adding one needs a login that speaks for it
        holder = await db.holder_of(conn, kvk=entry.data.get("kvk_number"),
                                    oin=entry.data.get("oin"), except_id=org_id)
        if holder:
            raise _already_registered(holder[0])
        after = await db.save_entry(conn, org_id, entry, expected_version=expected_version)
        if after is None:  # cannot happen under the row lock; refuse rather than overwrite
            raise _stale(before.version + 1)
        fields = entries.changed_fields(before.data, after.data)
        await db.add_version(conn, after, change="updated", changed_fields=fields,
                             by=principal.person_id, by_name=principal.name or None)
        events = [_event(EntityUpdatedV1, **snapshot(after), changed_fields=fields,
                         updated_by=principal.person_id)]
        if (before.derived_classification, before.final_classification) != (
                after.derived_classification, after.final_classification):
            events.append(ClassificationChangedV1(
                organisation_id=org_id, derived=after.derived_classification,
                final=after.final_classification, overridden_by=after.overridden_by,
                reason=after.override_reason, previous=before.final_classification,
                registration_version=after.version))
        await _publish(conn, source, *events)
    return after


async def override_classification(pool: asyncpg.Pool, source: str, principal: Principal,
                                  org_id: UUID, final: Nis2Class, reason: str,
                                  expected_version: int | None = None) -> db.Row:
    """An analyst sets the final value with a written reason; the derived value stays beside it."""
    async with pool.acquire() as conn, conn.transaction():
        before = await _locked(conn, org_id, expected_version)
        if before.status != "registered":
            raise _deregistered()
        registration = parse_registration(before.data)
        try:
            decision = override(entries.assess(registration).derived, final, reason=reason,
                                analyst=str(principal.person_id), at=datetime.now(timezone.utc))
        except OverrideRefused as refused:
            raise _refused(refused.errors) from None
        entitlements = entries.entitlements_as_json(
            entries.assess(registration, decision.final_value).entitlements)
        after = await db.save_classification(
            conn, org_id, final=decision.final_value.value, entitlements=entitlements,
            reason=decision.override_reason, by=principal.person_id, expected_version=before.version)
        return await _record_classification(conn, source, principal, before, after,
                                            change="classification_overridden",
                                            reason=decision.override_reason)


async def lift_override(pool: asyncpg.Pool, source: str, principal: Principal, org_id: UUID,
                        reason: str) -> db.Row:
    """Back to the derived value; the history keeps the override that was lifted."""
    async with pool.acquire() as conn, conn.transaction():
        before = await _locked(conn, org_id, None)
        if not before.override_reason:
            raise Conflict("classification", "not_overridden",
                           "De classificatie is niet handmatig aangepast; er valt niets terug "
                           "te zetten.",
                           "The classification was not overridden; there is nothing to lift.")
        assessment = entries.assess(parse_registration(before.data))
        after = await db.save_classification(
            conn, org_id, final=assessment.final.value,
            entitlements=entries.entitlements_as_json(assessment.entitlements), reason=None,
            by=None, expected_version=before.version)
        return await _record_classification(conn, source, principal, before, after,
                                            change="classification_override_lifted",
                                            reason=reason.strip() or None)


async def _record_classification(conn, source, principal, before, after, *, change, reason):
    await db.add_version(conn, after, change=change, changed_fields=["classification"],
                         reason=reason, by=principal.person_id, by_name=principal.name or None)
    changed = ClassificationChangedV1(
        organisation_id=after.id, derived=after.derived_classification,
        final=after.final_classification, overridden_by=after.overridden_by,
        reason=reason, previous=before.final_classification, registration_version=after.version)
    await _publish(conn, source, changed, EntityUpdatedV1(
        **snapshot(after), changed_fields=["classification"], updated_by=principal.person_id))
    return after


MIN_DEREGISTRATION_REASON = 10
# A reason is a few sentences; it is stored in the history and sent in an event, so a
# pasted document (megabytes) is refused rather than copied into both.
MAX_DEREGISTRATION_REASON = 2000


def deregistration_reason(reason: str) -> str:
    """The reason as stored: stripped, between the minimum and maximum length."""
    text = reason.strip()
    if len(text) < MIN_DEREGISTRATION_REASON:
        raise DomainError(
            "reason", "deregistration_reason_required",
            f"Schrijf op waarom de organisatie zich uitschrijft (ten minste "
            f"{MIN_DEREGISTRATION_REASON} tekens).",
            f"Write down why the organisation deregisters (at least "
            f"{MIN_DEREGISTRATION_REASON} characters).")
    if len(text) > MAX_DEREGISTRATION_REASON:
        raise DomainError(
            "reason", "deregistration_reason_too_long",
            f"Houd de reden kort: hoogstens {MAX_DEREGISTRATION_REASON} tekens.",
            f"Keep the reason short: at most {MAX_DEREGISTRATION_REASON} characters.")
    return text


async def deregister(pool: asyncpg.Pool, source: str, principal: Principal, org_id: UUID,
                     reason: str, expected_version: int | None) -> db.Row:
    """Leaving scope is a recorded state: the entry and its history stay."""
    reason = deregistration_reason(reason)
    async with pool.acquire() as conn, conn.transaction():
        before = await _locked(conn, org_id, expected_version)
        if before.status != "registered":
            raise _deregistered()
        after = await db.save_deregistration(conn, org_id, reason=reason,
                                             expected_version=before.version)
        await db.add_version(conn, after, change="deregistered", changed_fields=["status"],
                             reason=reason, by=principal.person_id,
                             by_name=principal.name or None)
        await _publish(conn, source, EntityDeregisteredV1(
            organisation_id=org_id, reason=reason, deregistered_by=principal.person_id,
            registration_version=after.version))
    return after
