"""PostgreSQL storage of publications, their revisions and the CSAF documents behind them."""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from ..domain.publishing import Publication, Withdrawal
from ..domain.tlp import Tlp
from ..domain.visibility import PublicationState
from . import audience as audience_json

VISIBLE_STATES = ("published", "withdrawn")

_SELECT = """
    SELECT p.kind, p.tracking_id, p.created_by, p.created_at AS publication_created_at,
           r.publication_id, r.revision, r.state, r.title, r.body_markdown, r.tlp, r.tlp_defaulted,
           r.audience, r.authors, r.approved_by, r.published_at, r.withdrawal, r.review_notes,
           r.document_id, r.changes, r.created_at, r.updated_at,
           d.csaf_version, d.label AS document_label, d.advisory
    FROM revisions r
    JOIN publications p ON p.id = r.publication_id
    LEFT JOIN csaf_documents d ON d.id = r.document_id
"""


def to_publication(row: asyncpg.Record) -> Publication:
    withdrawal = row["withdrawal"]
    return Publication(
        publication_id=str(row["publication_id"]), title=row["title"], body_markdown=row["body_markdown"],
        tlp=Tlp(row["tlp"]), audience=audience_json.from_json(row["audience"]),
        authors=frozenset(row["authors"]), state=PublicationState(row["state"]), revision=row["revision"],
        approved_by=str(row["approved_by"]) if row["approved_by"] else None, published_at=row["published_at"],
        withdrawal=Withdrawal(withdrawal["reason"], withdrawal["by"], _instant(withdrawal["at"])) if withdrawal else None,
        review_notes=tuple(row["review_notes"]))


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def create_publication(conn, publication_id: UUID, kind: str, tracking_id: str | None, created_by: UUID) -> None:
    await conn.execute("INSERT INTO publications (id, kind, tracking_id, created_by) VALUES ($1, $2, $3, $4)",
                       publication_id, kind, tracking_id, created_by)


async def lock_by_tracking_id(conn, tracking_id: str) -> UUID | None:
    return await conn.fetchval("SELECT id FROM publications WHERE tracking_id = $1 FOR UPDATE", tracking_id)


async def lock(conn, publication_id: UUID) -> bool:
    """Serialise changes to one publication (two editors approving at once)."""
    return await conn.fetchval("SELECT true FROM publications WHERE id = $1 FOR UPDATE", publication_id) or False


async def latest(conn, publication_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(_SELECT + " WHERE r.publication_id = $1 ORDER BY r.revision DESC LIMIT 1",
                               publication_id)


async def shown(conn, publication_id: UUID) -> asyncpg.Record | None:
    """The revision readers see: the newest one that is (or was) out."""
    return await conn.fetchrow(
        _SELECT + " WHERE r.publication_id = $1 AND r.state = ANY($2) ORDER BY r.revision DESC LIMIT 1",
        publication_id, list(VISIBLE_STATES))


async def revisions(conn, publication_id: UUID) -> list[asyncpg.Record]:
    return await conn.fetch(_SELECT + " WHERE r.publication_id = $1 ORDER BY r.revision", publication_id)


async def save(conn, publication: Publication, *, tlp_defaulted: bool, document_id: int | None,
               changes: dict[str, Any] | None) -> None:
    withdrawal = publication.withdrawal
    await conn.execute(
        """
        INSERT INTO revisions (publication_id, revision, state, title, body_markdown, tlp, tlp_defaulted, audience,
                               authors, approved_by, published_at, withdrawal, review_notes, document_id, changes)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (publication_id, revision) DO UPDATE SET
            state = excluded.state, title = excluded.title, body_markdown = excluded.body_markdown,
            tlp = excluded.tlp, tlp_defaulted = excluded.tlp_defaulted, audience = excluded.audience,
            authors = excluded.authors, approved_by = excluded.approved_by, published_at = excluded.published_at,
            withdrawal = excluded.withdrawal, review_notes = excluded.review_notes,
            document_id = excluded.document_id, changes = excluded.changes, updated_at = now()
        """,
        UUID(publication.publication_id), publication.revision, publication.state.value, publication.title,
        publication.body_markdown, publication.tlp.value, tlp_defaulted, audience_json.to_json(publication.audience),
        sorted(publication.authors), UUID(publication.approved_by) if publication.approved_by else None,
        publication.published_at,
        {"reason": withdrawal.reason, "by": withdrawal.by, "at": withdrawal.at.isoformat()} if withdrawal else None,
        list(publication.review_notes), document_id, changes)


async def candidates(conn, *, staff: bool) -> list[asyncpg.Record]:
    """One row per publication: the shown revision (readers) or the newest revision (staff)."""
    where = "" if staff else " WHERE r.state IN ('published', 'withdrawn')"
    return await conn.fetch("SELECT DISTINCT ON (publication_id) * FROM (" + _SELECT + where + ") x "
                            "ORDER BY publication_id, revision DESC")


# ------------------------------------------------------------------ CSAF documents


async def add_document(conn, *, publication_id: UUID, tracking_id: str, csaf_version: str, raw: bytes,
                       document: dict[str, Any], advisory: dict[str, Any], label: str | None,
                       uploaded_by: UUID) -> int:
    return await conn.fetchval(
        """INSERT INTO csaf_documents (publication_id, tracking_id, csaf_version, raw, document, advisory, label,
                                       uploaded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id""",
        publication_id, tracking_id, csaf_version, raw, document, advisory, label, uploaded_by)


async def document_versions(conn, tracking_id: str) -> list[str]:
    return [r["csaf_version"] for r in await conn.fetch(
        "SELECT csaf_version FROM csaf_documents WHERE tracking_id = $1", tracking_id)]


async def document_of(conn, document_id: int) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT * FROM csaf_documents WHERE id = $1", document_id)


async def record_refusal(conn, *, uploaded_by: UUID, filename: str | None, failed_tests: list[str],
                         findings: list[dict[str, str]], raw: bytes) -> int:
    return await conn.fetchval(
        "INSERT INTO csaf_refusals (uploaded_by, filename, failed_tests, findings, raw) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id", uploaded_by, filename, failed_tests, findings, raw)


async def refusals(conn, limit: int = 100) -> list[asyncpg.Record]:
    return await conn.fetch("SELECT id, uploaded_by, uploaded_at, filename, failed_tests, findings "
                            "FROM csaf_refusals ORDER BY id DESC LIMIT $1", limit)
