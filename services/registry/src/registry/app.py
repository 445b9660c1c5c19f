"""Composition root of the registry service."""
from pathlib import Path

from fastapi import FastAPI
from weerbaar_platform.service import ServiceSpec, build_app

from .settings import RegistrySettings


def create_app(settings: RegistrySettings) -> FastAPI:
    spec = ServiceSpec(
        name="registry",
        description="The entity register under the Cyberbeveiligingswet (NIS2) and the Netcode.",
        migrations=Path(__file__).parent / "migrations",
    )
    return build_app(spec, settings)
