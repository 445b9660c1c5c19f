"""The register as files: CSV for spreadsheets, JSON for systems, and the EU report form."""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from fastapi.responses import Response

from registry.adapters.organisations import Row

REGISTER_FIELDS = (
    "id", "legal_name", "kvk", "rsin", "oin", "status", "sector", "subsector", "entity_type",
    "classification", "derived_classification", "override_reason", "netcode", "size_class",
    "email", "phone", "security_contact_phone_24x7", "security_contact_email",
    "incident_official_name", "incident_official_email", "group_mailbox", "member_states",
    "sectoral_csirt", "version", "registered_at", "updated_at",
)

_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9 ]+$")


def register_record(row: Row) -> dict[str, Any]:
    d = row.data
    return {
        "id": str(row.id), "legal_name": row.legal_name, "kvk": row.kvk, "rsin": d.get("rsin"),
        "oin": row.oin, "status": row.status, "sector": row.sector, "subsector": row.subsector,
        "entity_type": row.entity_type, "classification": row.final_classification,
        "derived_classification": row.derived_classification,
        "override_reason": row.override_reason, "netcode": row.netcode,
        "size_class": row.size_class, "email": d["email"], "phone": d["phone"],
        "security_contact_phone_24x7": d["security_contact"]["phone_24x7"],
        "security_contact_email": d["security_contact"]["email"],
        "incident_official_name": d["incident_official"]["name"],
        "incident_official_email": d["incident_official"]["email"],
        "group_mailbox": d.get("group_mailbox"), "member_states": list(d["member_states"]),
        "sectoral_csirt": row.entitlements["sectoral_csirt"], "version": row.version,
        "registered_at": row.created_at.isoformat(), "updated_at": row.updated_at.isoformat(),
    }


def _cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: lists joined, and a leading = + - @ neutralised so a
    registrant's text never runs as a formula on an analyst's machine (phone numbers stay)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_response(rows: Iterable[Mapping[str, Any]], fields: tuple[str, ...], name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row.get(f)) for f in fields])
    # A BOM so that Excel reads the file as UTF-8 (names with ë, ï, ß).
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def json_response(document: dict[str, Any], name: str) -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=1),
                    media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.json"'})


def generated_at() -> str:
    return datetime.now(timezone.utc).isoformat()
