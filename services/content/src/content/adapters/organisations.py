"""The organisations read model: what the registry's events say, nothing more.

Events of one organisation arrive in order (keyed by its id), but a replay or a second
registry replica may bring an older snapshot later; `registration_version` keeps the newest.
"""
from __future__ import annotations

from uuid import UUID

import asyncpg
from weerbaar_contracts.audience import OrganisationProfile
from weerbaar_contracts.events.registry import EntitySnapshot


async def apply_snapshot(conn: asyncpg.Connection, snapshot: EntitySnapshot) -> None:
    await conn.execute(
        """
        INSERT INTO organisations (id, legal_name, classification, sector, subsector, netcode,
                                   registration_version, deregistered)
        VALUES ($1, $2, $3, $4, $5, $6, $7, false)
        ON CONFLICT (id) DO UPDATE SET
            legal_name = excluded.legal_name, classification = excluded.classification,
            sector = excluded.sector, subsector = excluded.subsector, netcode = excluded.netcode,
            registration_version = excluded.registration_version, deregistered = false, updated_at = now()
        WHERE organisations.registration_version <= excluded.registration_version
        """,
        snapshot.organisation_id, snapshot.legal_name, snapshot.classification, snapshot.sector,
        snapshot.subsector, snapshot.netcode, snapshot.registration_version)


async def set_classification(conn: asyncpg.Connection, organisation_id: UUID, classification: str,
                             registration_version: int | None) -> None:
    # Unknown organisation: its snapshot (which carries the classification) comes first on the
    # same partition, so there is nothing to lose by skipping.
    await conn.execute(
        "UPDATE organisations SET classification = $2, updated_at = now() "
        "WHERE id = $1 AND ($3::int IS NULL OR registration_version <= $3)",
        organisation_id, classification, registration_version)


async def deregister(conn: asyncpg.Connection, organisation_id: UUID) -> None:
    await conn.execute("UPDATE organisations SET deregistered = true, updated_at = now() WHERE id = $1",
                       organisation_id)


async def facts(conn: asyncpg.Connection, organisation_id: UUID | None) -> OrganisationProfile | None:
    """The viewer's organisation as the visibility rules need it; None when the register does
    not (or no longer) know it, which reaches nothing but TLP:RED addressed to the person."""
    if organisation_id is None:
        return None
    row = await conn.fetchrow(
        "SELECT classification, sector, subsector, netcode FROM organisations WHERE id = $1 AND NOT deregistered",
        organisation_id)
    if row is None:
        return None
    return OrganisationProfile(
        id=organisation_id, classification=row["classification"],
        sector_codes=frozenset({row["sector"]}),
        subsector_codes=frozenset({row["subsector"]}) if row["subsector"] else frozenset(),
        netcode=row["netcode"])
