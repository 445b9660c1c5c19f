"""How incidents are shown: instants in UTC and, beside them, in Europe/Amsterdam."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from incidents.domain.deadlines import to_amsterdam
from incidents.domain.errors import DomainError, Notice
from incidents.domain.reporting import ReportingState, Stage, check_order

ZONE = "Europe/Amsterdam"


def instant(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def local(moment: datetime | None) -> str | None:
    return None if moment is None else to_amsterdam(moment).isoformat()


def deadline(row: asyncpg.Record, now: datetime) -> dict[str, Any]:
    due, closed = row["due"], row["closed_at"]
    return {
        "kind": row["kind"],
        "due": instant(due),
        "due_local": local(due),
        "zone": ZONE,
        "closed_at": instant(closed),
        "open": closed is None,
        "missed": (closed is None and now > due) or (closed is not None and closed > due),
    }


def notice(n: Notice) -> dict[str, Any]:
    return {"field": n.field, "code": n.code, "message_nl": n.message_nl, "message_en": n.message_en}


def stages_possible(state: ReportingState | None) -> list[str]:
    if state is None:
        return []
    possible = []
    for stage in Stage:
        try:
            check_order(state, stage)
        except DomainError:
            continue
        possible.append(stage.value)
    return possible


def report(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "version": row["version"], "stage": row["stage"], "content": row["content"],
        "submitted_at": instant(row["submitted_at"]), "submitted_at_local": local(row["submitted_at"]),
        "submitted_by": str(row["submitted_by"]), "late": row["late"],
    }


def draft(row: asyncpg.Record) -> dict[str, Any]:
    return {"stage": row["stage"], "data": row["data"], "saved_at": instant(row["saved_at"]),
            "saved_by": str(row["saved_by"])}


def attachment(row: asyncpg.Record) -> dict[str, Any]:
    return {"id": str(row["id"]), "filename": row["filename"], "detected_type": row["detected_type"],
            "declared_type": row["declared_type"], "size": row["size"], "sha256": row["sha256"],
            "uploaded_at": instant(row["uploaded_at"]), "uploaded_by": str(row["uploaded_by"])}


def summary(row: asyncpg.Record, deadlines: list[asyncpg.Record], now: datetime) -> dict[str, Any]:
    """What both sides may see of an incident."""
    state = row["reporting_state"]
    return {
        "id": str(row["id"]),
        "reference": row["reference"],
        "organisation_id": None if row["organisation_id"] is None else str(row["organisation_id"]),
        "channel": row["channel"],
        "title": row["title"],
        "statutory": row["statutory"],
        "status": row["status"],
        "became_aware_at": instant(row["became_aware_at"]),
        "became_aware_at_local": local(row["became_aware_at"]),
        "became_aware_input": row["became_aware_input"],
        "became_aware_ambiguous": row["became_aware_ambiguous"],
        "became_aware_later_alternative": instant(row["became_aware_later"]),
        "intermediate_requested": bool(state and state.get("intermediate_requested")),
        "deadlines": [deadline(d, now) for d in deadlines],
        "created_at": instant(row["created_at"]),
        "updated_at": instant(row["updated_at"]),
    }
