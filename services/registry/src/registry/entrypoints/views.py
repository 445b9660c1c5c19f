"""How entries look over HTTP: the JSON of one entry, a search hit, a history version, and
the ETag that carries the version number."""
from __future__ import annotations

from typing import Any

from weerbaar_platform.errors import DomainError

from registry.adapters.organisations import Row, classification_json
from registry.domain.classification import Nis2Class
from registry.domain.sectors import get_sector


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None) -> int:
    """The version the client last saw, from If-Match.

    - missing or unreadable (also `*`): 428. Without it an update could overwrite a change
      the person never saw, so it is required.
    - a weak tag (`W/"3"`): 412. RFC 9110 compares If-Match strongly, so a weak tag never
      matches; we issue only strong tags, so it is a client that rewrote ours.
    - a version that is no longer current: 409 `version_conflict` (see commands), because
      that one tells the person someone else changed the entry meanwhile.
    """
    tag = (if_match or "").strip()
    if not if_match:
        raise DomainError(
            "If-Match", "precondition_required",
            "Stuur de versie mee die u wijzigt (de ETag uit het antwoord op GET, in de kop "
            "If-Match), zodat u niet ongemerkt andermans wijziging overschrijft.",
            "Send the version you are changing (the ETag of the GET response, in the If-Match "
            "header), so that you never overwrite someone else's change unseen.", 428)
    if tag[:2].upper() == "W/":
        raise DomainError(
            "If-Match", "if_match_weak",
            "Een zwakke ETag (W/...) komt nooit overeen. Stuur de ETag precies zoals u hem bij het "
            "ophalen kreeg, zoals \"3\".",
            "A weak ETag (W/...) never matches. Send the ETag exactly as you received it, such as "
            "\"3\".", 412)
    tag = tag.strip('"')
    if not tag.isascii() or not tag.isdigit():
        raise DomainError(
            "If-Match", "if_match_invalid",
            "De kop If-Match moet de ETag bevatten die u bij het ophalen kreeg, zoals \"3\".",
            "The If-Match header must hold the ETag you received, such as \"3\".", 428)
    return int(tag)


def _classification(row: Row) -> dict[str, Any]:
    result = classification_json(row)
    result["final_label_nl"] = Nis2Class(row.final_classification).label_nl
    result["overridden"] = row.override_reason is not None
    result["overridden_at"] = row.overridden_at.isoformat() if row.overridden_at else None
    return result


def labels(row: Row) -> dict[str, Any]:
    """The names people read for the codes of a registration, each {nl, en}."""
    sector = get_sector(row.sector)
    subsector = sector.subsector(row.subsector) if sector and row.subsector else None
    final = Nis2Class(row.final_classification)
    return {"sector": {"nl": sector.name_nl, "en": sector.name_en} if sector else None,
            "subsector": {"nl": subsector.name_nl, "en": subsector.name_en} if subsector else None,
            "classification": {"nl": final.label_nl, "en": final.label_en}}


def entry(row: Row) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "status": row.status,
        "version": row.version,
        "registration": row.data,
        "labels": labels(row),
        "classification": _classification(row),
        "entitlements": row.entitlements,
        "deregistration": None if row.status == "registered" else {
            "reason": row.deregistration_reason,
            "at": row.deregistered_at.isoformat() if row.deregistered_at else None},
        "registered_by": str(row.registered_by),
        "registered_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def hit(row: Row) -> dict[str, Any]:
    """A search result: what a list of organisations shows, without contact details."""
    return {
        "id": str(row.id), "legal_name": row.legal_name, "kvk": row.kvk, "oin": row.oin,
        "sector": row.sector, "subsector": row.subsector, "entity_type": row.entity_type,
        "classification": row.final_classification,
        "labels": labels(row),
        "derived_classification": row.derived_classification,
        "overridden": row.override_reason is not None, "netcode": row.netcode,
        "status": row.status, "version": row.version, "updated_at": row.updated_at.isoformat(),
    }


def version(record) -> dict[str, Any]:
    return {
        "version": record["version"], "change": record["change"],
        "changed_fields": list(record["changed_fields"]), "reason": record["reason"],
        "changed_by": str(record["changed_by"]) if record["changed_by"] else None,
        "changed_by_name": record["changed_by_name"],
        "changed_at": record["changed_at"].isoformat(), "status": record["status"],
        "classification": record["classification"], "registration": record["data"],
    }
