"""What the register hands on for the EU: NIS2 article 3(4) and article 27.

Art. 3(4): essential and important entities give their name, address and up-to-date contact
details (e-mail, telephone), the relevant sector and subsector of Annex I or II and, where
applicable, the Member States where they provide services. Art. 27 asks the same of the
digital providers it lists, plus their entity type. Both also name IP ranges; those live in
the incidents service's network data and stay there: this export never carries them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.domain.sectors import SECTORS

# Entity types the ENISA registry of art. 27 covers.
ARTICLE_27_TYPES = frozenset({
    "digital_infrastructure.dns_service_provider",
    "digital_infrastructure.tld_name_registry",
    "digital_infrastructure.cloud_computing_provider",
    "digital_infrastructure.data_centre_provider",
    "digital_infrastructure.cdn_provider",
    "ict_service_management.managed_service_provider",
    "ict_service_management.managed_security_service_provider",
    "digital_providers.online_marketplace",
    "digital_providers.online_search_engine",
    "digital_providers.social_networking_platform",
})

IN_SCOPE = ("essential", "important")

FIELDS = (
    "legal_name", "kvk_number", "oin", "classification", "annex", "sector", "sector_name_en",
    "subsector", "subsector_name_en", "entity_type", "article_27", "address", "email", "phone",
    "member_states",
)


def belongs_in_report(final_classification: str, entity_type: str | None, status: str) -> bool:
    return status == "registered" and (
        final_classification in IN_SCOPE or entity_type in ARTICLE_27_TYPES)


def _address(address: Mapping[str, Any]) -> str:
    return (f"{address['street']} {address['house_number']}, {address['postal_code']} "
            f"{address['city']}, {address['country']}")


def report_row(data: Mapping[str, Any], final_classification: str) -> dict[str, Any]:
    """One entity as the report names it, from the stored registration (`data`)."""
    sector = SECTORS[data["sector"]]
    subsector = sector.subsector(data["subsector"]) if data.get("subsector") else None
    return {
        "legal_name": data["legal_name"],
        "kvk_number": data.get("kvk_number"),
        "oin": data.get("oin"),
        "classification": final_classification,
        "annex": sector.annex.value if sector.annex else None,
        "sector": sector.code,
        "sector_name_en": sector.name_en,
        "subsector": subsector.code if subsector else None,
        "subsector_name_en": subsector.name_en if subsector else None,
        "entity_type": data.get("entity_type"),
        "article_27": data.get("entity_type") in ARTICLE_27_TYPES,
        "address": _address(data["visiting_address"]),
        "email": data["email"],
        "phone": data["phone"],
        "member_states": list(data["member_states"]),
    }


def counts_per_sector(rows: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Art. 3(5): the number of essential and important entities per sector and subsector."""
    counts: dict[tuple[str, str | None], dict[str, int]] = {}
    for row in rows:
        if row["classification"] not in IN_SCOPE:
            continue
        bucket = counts.setdefault((row["sector"], row["subsector"]),
                                   {"essential": 0, "important": 0})
        bucket[row["classification"]] += 1
    return [{"sector": s, "subsector": sub, **c} for (s, sub), c in sorted(
        counts.items(), key=lambda item: (item[0][0], item[0][1] or ""))]
