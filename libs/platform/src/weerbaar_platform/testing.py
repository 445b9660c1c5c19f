"""Pytest fixtures for tests that need the real PostgreSQL and Kafka (and the mail catcher).

One fixture, `stack`, picks the parts: testcontainers when a Docker engine answers, else the
native local stack (`deploy/local/weerbaar_stack.py`, started on demand). Each test gets its own
databases (`stack.fresh_database`) and its own Kafka namespace (`kafka_namespace`), so tests
never see each other's rows or events."""
from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import pytest

ROOT = Path(__file__).resolve().parents[4]


@dataclass
class Stack:
    admin_dsn: str
    kafka_bootstrap: str
    smtp_host: str | None = None
    smtp_port: int | None = None
    mailbox_url: str | None = None
    idp_base: str | None = None
    kind: str = "native"
    created: list[str] = field(default_factory=list)

    async def fresh_database(self, label: str) -> str:
        name = f"t_{label}_{uuid.uuid4().hex[:10]}"
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        self.created.append(name)
        return self.admin_dsn.rsplit("/", 1)[0] + "/" + name

    async def drop_created(self) -> None:
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            for name in self.created:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()
        self.created.clear()


def load_local_stack():
    spec = importlib.util.spec_from_file_location("weerbaar_stack", ROOT / "deploy/local/weerbaar_stack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["weerbaar_stack"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _docker_answers() -> bool:
    if os.environ.get("WEERBAAR_TEST_STACK") == "native":
        return False
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


def _kafka_container():
    """Apache Kafka 4 in KRaft mode from the apache/kafka image. testcontainers' KafkaContainer
    targets Confluent's images, so this configures the plain image itself; the host port is
    fixed before start because the broker must advertise it."""
    import socket

    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        "KAFKA_NODE_ID": "1", "KAFKA_PROCESS_ROLES": "broker,controller",
        "KAFKA_LISTENERS": "PLAINTEXT://:9092,CONTROLLER://:9093",
        "KAFKA_ADVERTISED_LISTENERS": f"PLAINTEXT://127.0.0.1:{port}",
        "KAFKA_CONTROLLER_LISTENER_NAMES": "CONTROLLER",
        "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "KAFKA_CONTROLLER_QUORUM_VOTERS": "1@localhost:9093",
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR": "1", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR": "1",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR": "1", "KAFKA_NUM_PARTITIONS": "3",
        "KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS": "0",
    }
    container = DockerContainer("apache/kafka:4.1.1").with_bind_ports(9092, port)
    for key, value in env.items():
        container = container.with_env(key, value)
    container.start()
    wait_for_logs(container, "Kafka Server started", timeout=120)
    return container, f"127.0.0.1:{port}"


@pytest.fixture(scope="session")
def stack():
    local = load_local_stack()
    if _docker_answers():
        # PostgreSQL and Kafka in containers; the mail catcher and the stand-in IdP are ours
        # (Python) and run as local processes either way.
        from testcontainers.community.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", username="weerbaar", password="weerbaar",
                               dbname="postgres", driver=None) as pg:
            kafka, bootstrap = _kafka_container()
            try:
                for part in ("mailbox", "idp"):
                    local.start_python_part(part)
                parts = Stack(admin_dsn=pg.get_connection_url(), kafka_bootstrap=bootstrap,
                              smtp_host="127.0.0.1", smtp_port=local.SMTP_PORT,
                              mailbox_url=f"http://127.0.0.1:{local.MAILBOX_HTTP_PORT}",
                              idp_base=f"http://127.0.0.1:{local.IDP_PORT}", kind="testcontainers")
                yield parts
            finally:
                kafka.stop()
        return
    local.up(infra_only=True)
    parts = Stack(admin_dsn=local.DATABASE_ADMIN_URL, kafka_bootstrap=local.KAFKA_BOOTSTRAP,
                  smtp_host="127.0.0.1", smtp_port=local.SMTP_PORT,
                  mailbox_url=f"http://127.0.0.1:{local.MAILBOX_HTTP_PORT}",
                  idp_base=f"http://127.0.0.1:{local.IDP_PORT}")
    yield parts
    import asyncio

    asyncio.run(parts.drop_created())  # each test's databases go when the session ends


@pytest.fixture
def kafka_namespace() -> str:
    return f"t{uuid.uuid4().hex[:8]}."


# ------------------------------------------------------------------ services in-process


@pytest.fixture(scope="session")
def signer():
    """Signs access tokens for tests; services under test trust its JWKS."""
    from .auth import TokenSigner

    return TokenSigner.generate()


def bearer(signer, *, person_id, organisation_id=None, roles=(), **kw) -> dict[str, str]:
    token = signer.sign(person_id=person_id, organisation_id=organisation_id, roles=list(roles), **kw)
    return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def running_service(create_app, settings_cls, stack: Stack, namespace: str, signer, *,
                          label: str, database_url: str | None = None, **overrides):
    """Run one service's app in this process, on a fresh database of the real PostgreSQL and
    a private namespace of the real Kafka, with its relay, consumers and schedulers. Yields an
    httpx client bound to the app (`client.app` is the app; `client.app.state.runtime` its parts)."""
    import json

    import httpx

    dsn = database_url or await stack.fresh_database(label)
    settings = settings_cls(
        environment="test", database_url=dsn, kafka_bootstrap=stack.kafka_bootstrap,
        kafka_namespace=namespace, http_port=1, token_jwks=json.dumps(signer.jwks()),
        relay_poll_seconds=0.2, consumer_retry_seconds=0.05, **overrides)
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{label}") as client:
            client.app = app
            yield client


async def eventually(predicate, timeout: float = 30, every: float = 0.2):
    """Await `predicate()` until it returns something truthy; fail with the last value."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s; last value: {value!r}")
        await asyncio.sleep(every)


def shared_data(*parts: str) -> Path:
    """A file or folder of the real inputs in `shared/data/`, which lives beside the repository
    (CI lays a copy of shared/ next to its clone). `WEERBAAR_SHARED_DATA` overrides. Fails loudly:
    a test that needs real input must never skip quietly because it is missing."""
    candidates = [Path(os.environ["WEERBAAR_SHARED_DATA"])] if os.environ.get("WEERBAAR_SHARED_DATA") else []
    candidates += [p / "shared" / "data" for p in ROOT.parents] + [Path("/work/shared/data")]
    for base in candidates:
        if base.is_dir():
            found = base.joinpath(*parts)
            if not found.exists():
                raise FileNotFoundError(f"{found} is missing from the shared data")
            return found
    raise FileNotFoundError("shared/data was not found beside the repository; set WEERBAAR_SHARED_DATA")
