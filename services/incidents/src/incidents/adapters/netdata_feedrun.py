"""Running a feed against the register: the register kept in memory between runs while no
registration changes, the matching in a worker thread, the evidence read in a second pass
over the spooled file, and the finding sets stored in one transaction."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID, uuid4

import asyncpg

from incidents.domain.netdata import FeedLayout, FeedReader, MatchResult, Register, match_feed

from . import netdata_store as store

REGISTER_KEY = "netdata_register"
REVIEW_KEPT = 1000  # review items stored per run; the total is always stored


async def current_register(runtime) -> tuple[int, Register]:
    """The register of all organisations, rebuilt only when a registration changed."""
    async with runtime.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        generation = await store.generation(conn)
        cached = runtime.extras.get(REGISTER_KEY)
        if cached is not None and cached[0] == generation:
            return cached
        rows = await store.all_registrations(conn)
    register = await asyncio.to_thread(Register, rows)
    runtime.extras[REGISTER_KEY] = (generation, register)
    return generation, register


@dataclass
class FeedRun:
    result: MatchResult
    rows: list[tuple]  # netdata_findings rows, organisation by organisation; evidence as JSON text
    per_organisation: dict[str, tuple[int, int]]  # organisation -> (findings, rows)


class FeedUnreadable(ValueError):
    pass


def run_feed(path: Path, register: Register, evidence_limit: int) -> FeedRun:
    """Blocking: match, then read back the evidence rows. Call from a worker thread."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as feed:
            result = match_feed(FeedReader(feed), register)
        wanted = {n for findings in result.findings.values() for f in findings for n in f.rows[:evidence_limit]}
        with path.open(encoding="utf-8-sig", newline="") as feed:
            evidence_rows = FeedReader(feed).rows_by_number(wanted)
    except UnicodeDecodeError as exc:
        raise FeedUnreadable(f"not UTF-8 at byte {exc.start}") from None
    except ValueError as exc:
        raise FeedUnreadable(str(exc)) from None
    rows, per_organisation = [], {}
    for organisation_id, findings in sorted(result.findings.items()):
        row_total = 0
        for seq, f in enumerate(findings, start=1):
            evidence = [_evidence(result.layout, evidence_rows[n], n) for n in f.rows[:evidence_limit]]
            rows.append((UUID(organisation_id), seq, f.subject, str(f.matched_by), f.registration, f.partial,
                         len(f.rows), json.dumps(evidence, ensure_ascii=False)))
            row_total += len(f.rows)
        per_organisation[organisation_id] = (len(findings), row_total)
    return FeedRun(result, rows, per_organisation)


def _evidence(layout: FeedLayout, row: list[str], number: int) -> dict:
    try:
        r = layout.record(row)
    except ValueError:  # an unreadable time: keep the row as the source wrote it
        return {"row": number, "problem": "unreadable_timestamp",
                "raw": {name: row[i] for i, name in enumerate(layout.columns) if i < len(row)}}
    return {"row": number, "ip": r.ip, "timestamp": r.timestamp.isoformat() if r.timestamp else None,
            "port": r.port, "protocol": r.protocol, "asn": r.asn, "hostname": r.hostname, "extra": r.extra}


async def store_run(conn: asyncpg.Connection, *, name: str, run: FeedRun, generation: int, run_by: UUID) -> UUID:
    result = run.result
    run_id = uuid4()
    review = [{"line": i.line, "value": i.value, "code": i.reason.code, "message_nl": i.reason.message_nl,
               "message_en": i.reason.message_en} for i in result.review[:REVIEW_KEPT]]
    await conn.execute(
        "INSERT INTO netdata_feed_runs (id, name, columns, rows_total, rows_matched, rows_unmatched, review,"
        " review_total, organisations, findings, register_generation, run_by)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        run_id, name, list(result.layout.columns), result.rows_total, result.rows_matched, result.rows_unmatched,
        review, len(result.review), len(run.per_organisation), len(run.rows), generation, run_by)
    if run.per_organisation:
        orgs = sorted(run.per_organisation)
        await conn.execute(
            "INSERT INTO netdata_finding_sets (feed_run_id, organisation_id, findings, rows)"
            " SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::int[])",
            run_id, [UUID(o) for o in orgs], [run.per_organisation[o][0] for o in orgs],
            [run.per_organisation[o][1] for o in orgs])
        columns = list(zip(*run.rows))
        await conn.execute(
            "INSERT INTO netdata_findings (feed_run_id, organisation_id, seq, subject, matched_by, registration,"
            " partial, row_count, evidence)"
            " SELECT $1, o, s, subj, m, reg, p, n, e::jsonb"
            " FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::int[], $9::text[])"
            " AS t(o, s, subj, m, reg, p, n, e)", run_id, *[list(c) for c in columns])
    return run_id


async def runs(conn: asyncpg.Connection) -> list[dict]:
    rows = await conn.fetch(
        "SELECT id, name, rows_total, rows_matched, rows_unmatched, review_total, organisations, findings,"
        " run_by, run_at FROM netdata_feed_runs ORDER BY run_at DESC LIMIT 200")
    return [_run_json(r) for r in rows]


async def run_detail(conn: asyncpg.Connection, run_id: UUID) -> dict | None:
    row = await conn.fetchrow("SELECT * FROM netdata_feed_runs WHERE id = $1", run_id)
    if row is None:
        return None
    sets = await conn.fetch("SELECT organisation_id, findings, rows FROM netdata_finding_sets WHERE feed_run_id = $1"
                            " ORDER BY organisation_id", run_id)
    return {**_run_json(row), "columns": row["columns"], "review": row["review"],
            "finding_sets": [{"organisation_id": str(s["organisation_id"]), "findings": s["findings"],
                              "rows": s["rows"]} for s in sets]}


def _run_json(r) -> dict:
    return {"id": str(r["id"]), "name": r["name"], "rows_total": r["rows_total"], "rows_matched": r["rows_matched"],
            "rows_unmatched": r["rows_unmatched"], "review_total": r["review_total"],
            "organisations": r["organisations"], "findings": r["findings"], "run_by": str(r["run_by"]),
            "run_at": r["run_at"].isoformat()}


async def finding_sets(conn: asyncpg.Connection, organisation_id: UUID) -> list[dict]:
    rows = await conn.fetch(
        "SELECT s.feed_run_id, r.name, r.run_at, s.findings, s.rows FROM netdata_finding_sets s"
        " JOIN netdata_feed_runs r ON r.id = s.feed_run_id WHERE s.organisation_id = $1"
        " ORDER BY r.run_at DESC", organisation_id)
    return [{"feed_run_id": str(r["feed_run_id"]), "feed_name": r["name"], "run_at": r["run_at"].isoformat(),
             "findings": r["findings"], "rows": r["rows"]} for r in rows]


async def findings(conn: asyncpg.Connection, run_id: UUID, organisation_id: UUID) -> dict | None:
    head = await conn.fetchrow(
        "SELECT r.name, r.run_at, s.findings, s.rows FROM netdata_finding_sets s"
        " JOIN netdata_feed_runs r ON r.id = s.feed_run_id WHERE s.feed_run_id = $1 AND s.organisation_id = $2",
        run_id, organisation_id)
    if head is None:
        return None
    rows = await conn.fetch(
        "SELECT subject, matched_by, registration, partial, row_count, evidence FROM netdata_findings"
        " WHERE feed_run_id = $1 AND organisation_id = $2 ORDER BY seq", run_id, organisation_id)
    return {"feed_run_id": str(run_id), "feed_name": head["name"], "run_at": head["run_at"].isoformat(),
            "organisation_id": str(organisation_id), "rows": head["rows"],
            "findings": [dict(r) for r in rows]}
