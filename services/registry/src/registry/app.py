"""Composition root of the registry service."""
from pathlib import Path

from fastapi import FastAPI
from weerbaar_contracts.events.registry import (
    ClassificationChangedV1,
    EntityDeregisteredV1,
    EntityRegisteredV1,
    EntityUpdatedV1,
)
from weerbaar_platform.service import ServiceSpec, build_app

from .entrypoints import csirt, http
from .settings import RegistrySettings


def create_app(settings: RegistrySettings) -> FastAPI:
    spec = ServiceSpec(
        name="registry",
        description="The entity register under the Cyberbeveiligingswet (NIS2) and the Netcode.",
        migrations=Path(__file__).parent / "migrations",
        # csirt first: its fixed paths (/csirt/organisations/export) must not be read as ids
        routers=[csirt.router, http.router],
        produces=[EntityRegisteredV1, EntityUpdatedV1, ClassificationChangedV1,
                  EntityDeregisteredV1],
    )
    return build_app(spec, settings)
