"""What readers and editors get to see of a publication, as JSON."""
from __future__ import annotations

from typing import Any

import asyncpg

from ..adapters import audience as audience_json
from ..domain.csaf.record import affected_products, product_from_json, STATUSES
from ..domain.markdown import render_markdown
from ..domain.relevance import RunProduct, matches, relevant_products
from ..domain.tlp import Tlp
from ..domain.visibility import PublicationState, Viewer, Visible, may_see


def visible_to(row: asyncpg.Record, viewer: Viewer) -> bool:
    return may_see(Visible(Tlp(row["tlp"]), audience_json.from_json(row["audience"]),
                           PublicationState(row["state"])), viewer)


def relevant(row: asyncpg.Record, runs: tuple[RunProduct, ...]) -> list[dict[str, Any]]:
    """The affected products of an advisory that the organisation runs (none for other kinds)."""
    if not row["advisory"] or not runs:
        return []
    return [{"product_id": p.product_id, "name": p.name}
            for p in relevant_products(affected_products(row["advisory"]), runs)]


def mentions_product(row: asyncpg.Record, text: str) -> bool:
    if not row["advisory"]:
        return False
    wanted = RunProduct(product=text)
    return any(matches(product_from_json(p), wanted) for status in STATUSES for p in row["advisory"][status])


def _advisory_brief(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("tracking_id", "version", "status", "category", "publisher", "initial_release_date",
            "current_release_date", "cves", "max_base_score", "rating")
    return {k: record[k] for k in keys} | {"affected_count": len(record["affected"])}


def summary(row: asyncpg.Record, viewer: Viewer, runs: tuple[RunProduct, ...]) -> dict[str, Any]:
    withdrawal = row["withdrawal"]
    body = {
        "id": str(row["publication_id"]), "kind": row["kind"], "title": row["title"], "state": row["state"],
        "revision": row["revision"], "tlp": row["tlp"], "tlp_defaulted": row["tlp_defaulted"],
        "published_at": row["published_at"].isoformat() if row["published_at"] else None,
        "withdrawal": {"reason": withdrawal["reason"], "at": withdrawal["at"]} if withdrawal else None,
        "relevant": bool(relevant(row, runs)),
        "advisory": _advisory_brief(row["advisory"]) if row["advisory"] else None,
    }
    if viewer.csirt_staff:
        body |= {"audience": row["audience"], "authors": list(row["authors"]),
                 "approved_by": str(row["approved_by"]) if row["approved_by"] else None,
                 "updated_at": row["updated_at"].isoformat()}
    return body


def detail(row: asyncpg.Record, viewer: Viewer, runs: tuple[RunProduct, ...],
           versions: list[asyncpg.Record]) -> dict[str, Any]:
    body = summary(row, viewer, runs) | {
        "body_markdown": row["body_markdown"],
        "body_html": render_markdown(row["body_markdown"]),
        "relevant_products": relevant(row, runs),
        "advisory": row["advisory"],
        "document_label": row["document_label"],  # the TLP label as the CSAF document carries it
        "changes": row["changes"],
        "versions": [{"revision": v["revision"], "csaf_version": v["csaf_version"], "state": v["state"],
                      "published_at": v["published_at"].isoformat() if v["published_at"] else None,
                      "changes": v["changes"]} for v in versions],
    }
    if viewer.csirt_staff:
        body["review_notes"] = list(row["review_notes"])
    return body
