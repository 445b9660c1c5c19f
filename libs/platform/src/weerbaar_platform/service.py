"""Builds a service's FastAPI app and FastStream broker the same way for every service.

A service's `app.py` (its composition root) describes itself with a `ServiceSpec` and calls
`build_app(spec, settings)`; `python -m <service>` runs it with uvicorn (`serve`)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import uvicorn
from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from faststream.kafka import KafkaBroker
from faststream.specification import AsyncAPI
from weerbaar_contracts import EventPayload
from weerbaar_contracts.topics import dead_letter

from . import db, errors, health, logs
from .consumer import EventConsumer, Handler
from .auth import TokenVerifier, verifier_from_settings
from .bodylimit import BodyLimitMiddleware
from .correlation import CorrelationMiddleware
from .kafka import ensure_topics, new_producer
from .relay import OutboxRelay
from .settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What a running service holds; routes reach it as `request.app.state.runtime`."""

    settings: ServiceSettings
    pool: asyncpg.Pool
    broker: KafkaBroker
    producer: AIOKafkaProducer
    source: str
    extras: dict[str, Any] = field(default_factory=dict)


Background = Callable[[Runtime], Awaitable[None]]


@dataclass
class ServiceSpec:
    name: str
    migrations: Path
    routers: list[APIRouter] = field(default_factory=list)
    handlers: dict[type[EventPayload], Handler] = field(default_factory=dict)
    produces: list[type[EventPayload]] = field(default_factory=list)
    background: list[Background] = field(default_factory=list)
    on_start: list[Background] = field(default_factory=list)
    description: str = ""
    run_relay: bool = True
    #: identity verifies its own tokens with its own keys; everyone else from settings
    token_verifier: TokenVerifier | None = None
    #: Regular expressions of the paths whose endpoints stream their request bodies under limits
    #: of their own (uploads); every other body is bounded by `max_body_bytes`.
    streamed_paths: tuple[str, ...] = ()


def build_broker(spec: ServiceSpec, settings: ServiceSettings) -> KafkaBroker:
    broker = KafkaBroker(settings.kafka_bootstrap, client_id=f"weerbaar-{spec.name}",
                         enable_idempotence=True, acks="all", logger=logging.getLogger(f"faststream.{spec.name}"),
                         log_level=logging.DEBUG)  # not a log line per message at INFO
    # Declared for the AsyncAPI document; the outbox relay does the actual publishing.
    for cls in spec.produces:
        broker.publisher(settings.kafka_namespace + cls.topic, title=f"{cls.topic}:{cls.cloudevents_type()}", schema=cls,
                         description=cls.summary or cls.__doc__ or cls.cloudevents_type())
    return broker


def build_app(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    broker = build_broker(spec, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        logs.configure(spec.name, settings.log_level)
        await db.upgrade_async(settings.database_url, spec.migrations)
        pool = await db.create_pool(settings.database_url, max_size=settings.database_pool_max)
        producer = new_producer(settings.kafka_bootstrap, f"weerbaar-{spec.name}-relay")
        ns = settings.kafka_namespace
        await ensure_topics(settings.kafka_bootstrap, [ns + t for t in sorted(
            {c.topic for c in spec.produces} | {c.topic for c in spec.handlers} | {dead_letter(spec.name)})])
        await producer.start()
        runtime = Runtime(settings, pool, broker, producer, source=f"/weerbaar/{spec.name}")
        runtime.extras["token_verifier"] = spec.token_verifier or verifier_from_settings(settings)
        app.state.runtime = runtime
        EventConsumer(spec.name, pool, producer, spec.handlers,
                      max_attempts=settings.consumer_max_attempts,
                      retry_seconds=settings.consumer_retry_seconds, namespace=ns).subscribe(broker)
        for hook in spec.on_start:
            await hook(runtime)
        await broker.start()
        tasks = []
        relay = None
        if spec.run_relay:
            relay = OutboxRelay(pool, producer, database_url=settings.database_url,
                                batch=settings.relay_batch, poll_seconds=settings.relay_poll_seconds,
                                topic_prefix=ns)
            tasks.append(asyncio.create_task(relay.run(), name=f"{spec.name}-relay"))
        tasks += [asyncio.create_task(job(runtime), name=f"{spec.name}-{job.__name__}") for job in spec.background]
        log.info("service started", extra={"port": settings.http_port})
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if relay:
                await relay.close()
            await broker.stop()
            await producer.stop()
            await pool.close()

    app = FastAPI(title=f"Weerbaar {spec.name}", description=spec.description, lifespan=lifespan)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes, streamed=spec.streamed_paths)
    app.add_middleware(CorrelationMiddleware)  # added last: outermost, so a 413 has its reference too
    errors.install(app)
    app.include_router(health.router)
    for router in spec.routers:
        app.include_router(router)

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi() -> dict:
        return AsyncAPI(broker, title=f"Weerbaar {spec.name}", version="1",
                        description=spec.description).to_specification().to_jsonable()

    return app


def serve(app: FastAPI, settings: ServiceSettings) -> None:
    uvicorn.run(app, host=settings.http_host, port=settings.http_port, log_config=None,
                access_log=False, proxy_headers=False)
