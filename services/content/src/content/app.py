"""Composition root of the content service."""
from pathlib import Path

from fastapi import FastAPI
from weerbaar_contracts.events.content import PublicationPublishedV1, PublicationRevisedV1, PublicationWithdrawnV1
from weerbaar_platform.service import ServiceSpec, build_app

from .entrypoints import access, editorial, feeds, portal, products
from .entrypoints.handlers import HANDLERS
from .settings import ContentSettings


def create_app(settings: ContentSettings) -> FastAPI:
    spec = ServiceSpec(
        name="content",
        description="Advisories (CSAF 2.0), analyses and news, and who may see them (audience and TLP 2.0).",
        migrations=Path(__file__).parent / "migrations",
        routers=[editorial.router, portal.router, products.router],
        handlers=HANDLERS,
        produces=[PublicationPublishedV1, PublicationRevisedV1, PublicationWithdrawnV1],
        background=[feeds.poll_providers],
        streamed_paths=(r"/advisories",),  # a CSAF document, up to max_upload_bytes
    )
    app = build_app(spec, settings)
    access.install(app)
    return app
