"""The `messages` table: every mail is stored here before it is sent, one row per event and
recipient (UNIQUE (event_id, recipient)), so a replayed event or a person reached twice (two
organisations, or also as the group mailbox) still gets one mail.

Recipients are resolved in SQL, in the same statement that stores the messages, so a fan-out to
tens of thousands of people is one INSERT ... SELECT over the read models."""
from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

import asyncpg

from ..domain.audience import OrganisationReach
from ..domain.categories import MANDATORY, Category
from .delivery import WAKE_CHANNEL


@dataclass
class Targets:
    """Who an event is for. People are filtered by their preference for the category (not for
    mandatory ones); group mailboxes always get the message at once."""

    person_ids: list[UUID] = field(default_factory=list)
    #: (organisation, roles): everyone who can use one of these roles there now
    role_holders: tuple[UUID, list[str]] | None = None
    #: organisations whose group mailbox gets it
    mailboxes_of: list[UUID] = field(default_factory=list)
    reach: OrganisationReach | None = None
    organisation_id: UUID | None = None


class _Sql:
    def __init__(self) -> None:
        self.args: list = []

    def arg(self, value) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


def _reach_where(sql: _Sql, reach: OrganisationReach) -> str:
    """The SQL form of OrganisationReach.admits (domain/audience.py); a stack test proves they agree."""
    profile = "false"
    if reach.use_profile:
        parts = ["true"]
        if reach.classifications:
            parts.append(f"o.classification = ANY({sql.arg(sorted(reach.classifications))}::text[])")
        if reach.sectors or reach.subsectors:
            parts.append(f"(o.sector = ANY({sql.arg(sorted(reach.sectors))}::text[])"
                         f" OR o.subsector = ANY({sql.arg(sorted(reach.subsectors))}::text[]))")
        if reach.netcode:
            parts.append("o.netcode")
        profile = " AND ".join(parts)
    return (f"o.registered AND ({sql.arg(reach.everyone)}::boolean"
            f" OR o.id = ANY({sql.arg(sorted(reach.named))}::uuid[]) OR ({profile}))")


async def queue(conn: asyncpg.Connection, *, event_id: str, kind: str, category: Category, context: dict,
                targets: Targets, about: str | None = None) -> int:
    """Store the messages of one event for everyone it reaches; returns how many were new."""
    sql = _Sql()
    people: list[str] = []
    mailboxes: list[str] = []
    if targets.person_ids:
        people.append(f"SELECT unnest({sql.arg(targets.person_ids)}::uuid[]), {sql.arg(targets.organisation_id)}::uuid")
    if targets.role_holders:
        organisation_id, roles = targets.role_holders
        people.append(f"""SELECT r.person_id, r.organisation_id FROM roles r
            WHERE r.organisation_id = {sql.arg(organisation_id)} AND r.role = ANY({sql.arg(roles)}::text[])
              AND (r.activated OR r.usable_from <= now())""")
    if targets.mailboxes_of:
        mailboxes.append(f"SELECT o.id, o.group_mailbox, o.legal_name FROM organisations o "
                         f"WHERE o.id = ANY({sql.arg(targets.mailboxes_of)}::uuid[]) AND o.registered")
    ctes = []
    if targets.reach is not None:
        ctes.append(f"reach AS (SELECT o.id, o.group_mailbox, o.legal_name FROM organisations o "
                    f"WHERE {_reach_where(sql, targets.reach)})")
        people.append("SELECT m.person_id, m.organisation_id FROM memberships m JOIN reach ON reach.id = m.organisation_id")
        if targets.reach.people:
            people.append(f"SELECT unnest({sql.arg(sorted(targets.reach.people))}::uuid[]), NULL::uuid")
        if targets.reach.group_mailboxes:
            mailboxes.append("SELECT id, group_mailbox, legal_name FROM reach")

    mandatory = sql.arg(category in MANDATORY)
    cat, ctx = sql.arg(category.value), sql.arg(context)
    common = f"{sql.arg(event_id)}, {sql.arg(kind)}, {cat}, {sql.arg(about)}"
    selects = []
    if people:
        ctes.append(f"targets(person_id, organisation_id) AS ({' UNION ALL '.join(people)})")
        ctes.append(f"""people AS (
            SELECT DISTINCT ON (lower(p.email)) p.id, lower(p.email) AS address, p.language, p.name,
                   t.organisation_id, coalesce(pref.delivery, 'immediately') AS delivery
            FROM targets t JOIN persons p ON p.id = t.person_id
            LEFT JOIN preferences pref ON pref.person_id = p.id AND pref.category = {cat}
            ORDER BY lower(p.email), t.organisation_id)""")
        selects.append(f"""SELECT address, id, organisation_id, language,
                   {ctx}::jsonb || jsonb_build_object('name', name),
                   CASE WHEN {mandatory}::boolean OR delivery = 'immediately' THEN 'queued' ELSE 'held' END
            FROM people WHERE {mandatory}::boolean OR delivery <> 'off'""")
    if mailboxes:
        ctes.append(f"mailboxes(organisation_id, address, legal_name) AS ({' UNION ALL '.join(mailboxes)})")
        selects.append(f"""SELECT lower(address), NULL::uuid, organisation_id, 'nl+en',
                   {ctx}::jsonb || jsonb_build_object('name', legal_name), 'queued'
            FROM mailboxes WHERE address IS NOT NULL""")
    if not selects:
        return 0
    statement = f"""WITH {', '.join(ctes)}
        INSERT INTO messages (recipient, person_id, organisation_id, language, context, status,
                              event_id, kind, category, about)
        SELECT r.*, {common} FROM ({' UNION ALL '.join(selects)}) AS r
        ON CONFLICT (event_id, recipient) DO NOTHING"""
    result = await conn.execute(statement, *sql.args)
    stored = int(result.rsplit(" ", 1)[1])
    if stored:
        await conn.execute("SELECT pg_notify($1, '')", WAKE_CHANNEL)  # delivered at commit
    return stored
