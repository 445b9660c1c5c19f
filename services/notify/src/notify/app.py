"""Composition root of the notify service."""
from pathlib import Path

from fastapi import FastAPI
from weerbaar_contracts.events.notify import DeliveryFailedV1
from weerbaar_platform.service import ServiceSpec, build_app

from .adapters.rendering import Renderer
from .entrypoints.digests import run_digests
from .entrypoints.handlers import HANDLERS
from .entrypoints.http import router
from .entrypoints.sender import run_sender
from .settings import NotifySettings


def create_app(settings: NotifySettings) -> FastAPI:
    async def wire(runtime) -> None:
        runtime.extras["renderer"] = Renderer(portal_base_url=settings.portal_base_url, zone=settings.timezone)

    spec = ServiceSpec(
        name="notify",
        description="E-mail to people and group mailboxes: templates, preferences, daily digests, reliable delivery.",
        migrations=Path(__file__).parent / "migrations",
        routers=[router],
        handlers=HANDLERS,
        produces=[DeliveryFailedV1],
        on_start=[wire],
        background=[run_sender, run_digests],
    )
    return build_app(spec, settings)
