"""The `messages` table: every mail is stored here before it is sent, one row per event and
recipient (UNIQUE (event_id, recipient)), so a replayed event or a person reached twice (two
organisations, or also as the group mailbox) still gets one mail.

Recipients are resolved in SQL, in the same statement that stores the messages, so a fan-out to
tens of thousands of people is one INSERT ... SELECT over the read models."""
from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

import asyncpg
from weerbaar_contracts.audience import Reach

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
    #: a publication's audience narrowed by its TLP (the shared rule, weerbaar_contracts.audience):
    #: the people of the organisations it reaches and their group mailboxes, plus the people it
    #: names (TLP:RED, whose reach holds no organisation, so no colleague and no mailbox)
    reach: Reach | None = None
    organisation_id: UUID | None = None
    #: addresses that are no person here yet (an invitation): bilingual, at once
    addresses: list[str] = field(default_factory=list)


class _Sql:
    def __init__(self) -> None:
        self.args: list = []

    def arg(self, value) -> str:
        self.args.append(value)
        return f"${len(self.args)}"


def _reach_where(sql: _Sql, reach: Reach) -> str:
    """The SQL form of the shared audience rule (`Reach.admits`, weerbaar_contracts.audience);
    a stack test proves they agree."""
    profile = "false"
    if reach.uses_profile:
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
            f" OR o.id = ANY({sql.arg(sorted(reach.organisation_ids))}::uuid[]) OR ({profile}))")


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
    if targets.reach is not None and targets.reach.reaches_organisations:
        ctes.append(f"reach AS (SELECT o.id, o.group_mailbox, o.legal_name FROM organisations o "
                    f"WHERE {_reach_where(sql, targets.reach)})")
        people.append("SELECT m.person_id, m.organisation_id FROM memberships m JOIN reach ON reach.id = m.organisation_id")
        mailboxes.append("SELECT id, group_mailbox, legal_name FROM reach")
    if targets.reach is not None and targets.reach.person_ids:
        people.append(f"SELECT unnest({sql.arg(sorted(targets.reach.person_ids))}::uuid[]), NULL::uuid")

    cat, ctx = sql.arg(category.value), sql.arg(context)
    common = f"{sql.arg(event_id)}, {sql.arg(kind)}, {cat}, {sql.arg(about)}"
    selects = []
    if people:
        mandatory = sql.arg(category in MANDATORY)  # only here: an unused parameter has no type
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
    if targets.addresses:
        selects.append(f"""SELECT DISTINCT lower(a), NULL::uuid, {sql.arg(targets.organisation_id)}::uuid, 'nl+en',
                   {ctx}::jsonb, 'queued'
            FROM unnest({sql.arg(targets.addresses)}::text[]) AS a""")
    if not selects:
        return 0
    statement = f"""{'WITH ' + ', '.join(ctes) if ctes else ''}
        INSERT INTO messages (recipient, person_id, organisation_id, language, context, status,
                              event_id, kind, category, about)
        SELECT r.*, {common} FROM ({' UNION ALL '.join(selects)}) AS r
        ON CONFLICT (event_id, recipient) DO NOTHING"""
    result = await conn.execute(statement, *sql.args)
    stored = int(result.rsplit(" ", 1)[1])
    if stored:
        await conn.execute("SELECT pg_notify($1, '')", WAKE_CHANNEL)  # delivered at commit
    return stored


#: what a mail about a publication was, so a later notice can find who had one
PUBLICATION_KINDS = ["publication_published", "publication_revised"]
#: statuses of a mail that has (or may have) reached its recipient
REACHED = ["sent", "sending", "unconfirmed", "digested"]


async def queue_to_earlier_recipients(conn: asyncpg.Connection, *, event_id: str, kind: str, category: Category,
                                      context: dict, about: str, earlier_kinds: list[str]) -> int:
    """Tell everyone who had a mail about `about` (one of `earlier_kinds`): at once, in the
    language and with the greeting of that mail. Mails about it that have not gone out yet
    (queued, or held for a digest) are cancelled instead: they would announce what this notice
    takes back, and their recipients then need no notice. Returns how many notices were new."""
    await conn.execute(
        "UPDATE messages SET status = 'cancelled', last_error = $3 WHERE about = $1 AND kind = ANY($2::text[])"
        " AND status IN ('queued', 'held')", about, earlier_kinds, f"superseded by {kind}")
    result = await conn.execute(
        """INSERT INTO messages (recipient, person_id, organisation_id, language, context, status,
                                 event_id, kind, category, about)
        SELECT DISTINCT ON (recipient) recipient, person_id, organisation_id, language,
               $1::jsonb || jsonb_build_object(
                   'name', coalesce(context->'name', '""'::jsonb),
                   'title', coalesce(nullif($1::jsonb->'title', 'null'::jsonb), context->'title')), 'queued', $2, $3, $4, $5
        FROM messages WHERE about = $5 AND kind = ANY($6::text[]) AND status = ANY($7::text[])
        ORDER BY recipient, created_at DESC
        ON CONFLICT (event_id, recipient) DO NOTHING""",
        context, event_id, kind, category.value, about, earlier_kinds, REACHED)
    stored = int(result.rsplit(" ", 1)[1])
    if stored:
        await conn.execute("SELECT pg_notify($1, '')", WAKE_CHANNEL)
    return stored
