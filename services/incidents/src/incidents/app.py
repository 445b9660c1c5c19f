"""Composition root of the incidents service.

The routers, event handlers and background jobs are listed here; another part of the service
(network data) adds its own to these lists.
"""
from pathlib import Path

from fastapi import FastAPI
from weerbaar_contracts.events.incidents import (
    DeadlineApproachingV1,
    DeadlineMissedV1,
    IncidentReportedV1,
    IntermediateReportRequestedV1,
    StageSubmittedV1,
    StatusChangedV1,
)
from weerbaar_platform.service import Runtime, ServiceSpec, build_app

from .adapters.netdata_settings import EXTRAS_KEY as NETDATA_SETTINGS
from .adapters.netdata_settings import NetdataSettings
from .adapters.storage import AttachmentStorage, FilesystemStorage
from .domain.clock import Clock, SystemClock
from .entrypoints import http_attachments, http_csirt, http_public, http_reports, registry_events, scheduler
from . import netdata_wiring
from .entrypoints.common import install_domain_errors
from .settings import IncidentsSettings

ROUTERS = [http_reports.router, http_attachments.router, http_csirt.router, http_public.router,
           *netdata_wiring.ROUTERS]
HANDLERS = {**registry_events.HANDLERS, **netdata_wiring.HANDLERS}
PRODUCES = [IncidentReportedV1, StageSubmittedV1, IntermediateReportRequestedV1, DeadlineApproachingV1,
            DeadlineMissedV1, StatusChangedV1, *netdata_wiring.PRODUCES]
BACKGROUND = [scheduler.deadline_scheduler, *netdata_wiring.BACKGROUND]


def create_app(settings: IncidentsSettings, *, clock: Clock | None = None,
               storage: AttachmentStorage | None = None, netdata: NetdataSettings | None = None) -> FastAPI:
    """``clock`` and ``storage`` are ports: tests pin time; production may store in S3."""

    async def wire_ports(runtime: Runtime) -> None:
        runtime.extras["clock"] = clock or SystemClock()
        runtime.extras["attachment_storage"] = storage or FilesystemStorage(settings.attachment_dir)
        if netdata is not None:
            runtime.extras[NETDATA_SETTINGS] = netdata

    spec = ServiceSpec(
        name="incidents",
        description="NIS2 article 23 incident reports: stages, statutory deadlines, triage, attachments.",
        migrations=Path(__file__).parent / "migrations",
        routers=list(ROUTERS),
        handlers=dict(HANDLERS),
        produces=list(PRODUCES),
        background=list(BACKGROUND),
        on_start=[wire_ports],
        # Network data, feeds and evidence stream in under their own limits.
        streamed_paths=(r"/netdata/uploads", r"/netdata/feed-runs", r"/incidents/[^/]+/attachments"),
    )
    app = build_app(spec, settings)
    install_domain_errors(app)
    return app
