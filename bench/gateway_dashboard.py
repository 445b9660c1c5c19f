"""Load benchmark of the portal's dashboard call for a logged-in person, at 50 concurrent
clients, beside a bare FastAPI endpoint returning the same JSON from memory, in the same run.

The gateway runs as its own process (`python -m gateway`, on the real PostgreSQL and Kafka of
the local stack) with its real session lookup, token handling and three concurrent service
calls; the services it composes are one stub process answering from memory (so the number is
the gateway's own cost, not the services'). Prints requests/s, p50 and p99 of both, and the
ratio. Bounded: a fixed number of seconds per target, loopback only.

    .venv/bin/python bench/gateway_dashboard.py [--seconds 8] [--clients 50]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]


def _stack_addresses() -> tuple[str, str]:
    """PostgreSQL and Kafka of this checkout's local stack, on whatever ports it was given."""
    from weerbaar_platform.testing import load_local_stack

    local = load_local_stack()
    return local.DATABASE_ADMIN_URL, local.KAFKA_BOOTSTRAP


PG_ADMIN, KAFKA = _stack_addresses()
ORG = str(uuid.UUID(int=42))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------ the stub services (subprocess)


def stub_app():
    from fastapi import FastAPI, Form
    from fastapi.responses import RedirectResponse
    from weerbaar_platform.auth import TokenSigner

    signer = TokenSigner.generate()
    app = FastAPI()
    codes: dict[str, str] = {}
    person = {"id": str(uuid.UUID(int=7)), "name": "Bench Person", "email": "bench@drinkwater.example", "language": "nl"}

    def answer():
        access = signer.sign(person_id=uuid.UUID(person["id"]), organisation_id=uuid.UUID(ORG),
                             roles=["gebruiker"], name=person["name"], email=person["email"], lifetime=3600)
        return {"access_token": access, "token_type": "Bearer", "expires_in": 3600,
                "refresh_token": secrets.token_urlsafe(16), "person": person,
                "organisations": [{"id": ORG, "name": "Waterbedrijf Bench", "roles": ["gebruiker"]}],
                "acting_organisation_id": ORG}

    @app.get("/.well-known/jwks.json")
    async def jwks():
        return signer.jwks()

    @app.get("/authorize")
    async def authorize(redirect_uri: str, state: str):
        code = secrets.token_urlsafe(8)
        codes[code] = state
        return RedirectResponse(f"{redirect_uri}?code={code}&state={state}", status_code=303)

    @app.post("/token")
    async def token(code: str = Form("")):
        codes.pop(code, None)
        return answer()

    @app.post("/revoke")
    async def revoke():
        return {}

    registration = {"id": ORG, "version": 3, "status": "registered",
                    "registration": {"legal_name": "Waterbedrijf Bench", "sector": "drinking_water"},
                    "classification": {"final": "essential", "final_label_nl": "vitaal/essentieel",
                                       "reasoning": [{"code": "annex_i", "text_nl": "Bijlage I", "text_en": "Annex I",
                                                      "reference": "NIS2 art. 3(1)"}]}}
    incidents = {"items": [{"id": str(uuid.UUID(int=i)), "reference": f"INC-2025-{i:04d}", "title": f"Storing {i}",
                            "status": "open", "intermediate_requested": False,
                            "deadlines": [{"kind": "notification", "due": f"2030-01-{i + 1:02d}T10:00:00+00:00",
                                           "due_local": f"{i + 1:02d}-01-2030 11:00", "open": True}]}
                           for i in range(1, 4)]}
    advisories = {"total": 5, "items": [{"id": str(uuid.UUID(int=100 + i)), "kind": "advisory", "title": f"Advisory {i}",
                                         "tlp": "CLEAR", "published_at": "2025-01-01T00:00:00+00:00"} for i in range(5)]}

    @app.get("/organisations/{org_id}")
    async def organisation(org_id: str):
        return registration

    @app.get("/incidents")
    async def list_incidents():
        return incidents

    @app.get("/publications")
    async def publications():
        return advisories

    return app


def bare_app(payload_file: str):
    from fastapi import FastAPI

    payload = json.loads(Path(payload_file).read_text())
    app = FastAPI()

    @app.get("/api/dashboard")
    async def dashboard() -> dict:
        return payload

    return app


def serve_child(kind: str, port: int, extra: str | None) -> None:
    import uvicorn

    app = stub_app() if kind == "stub" else bare_app(extra)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# ------------------------------------------------------------------ the run


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{url}: process ended with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds}s")


async def fresh_database() -> str:
    import asyncpg

    name = f"bench_gateway_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name, name


async def drop_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def login(base: str):
    import httpx

    client = httpx.AsyncClient(base_url=base, timeout=10, limits=httpx.Limits(max_connections=100))
    start = await client.get("/login/eherkenning")
    auth = await client.get(start.headers["location"])  # the stub identity, other port
    query = parse_qs(urlsplit(auth.headers["location"]).query)
    done = await client.get("/login/callback", params={"code": query["code"][0], "state": query["state"][0]})
    assert done.status_code == 303, done.text
    return client


async def load(client, path: str, seconds: float, clients: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop_at = time.monotonic() + seconds

    async def worker():
        nonlocal errors
        while time.monotonic() < stop_at:
            t0 = time.perf_counter()
            try:
                resp = await client.get(path)
            except httpx.HTTPError:
                errors += 1
                continue
            latencies.append(time.perf_counter() - t0)
            if resp.status_code != 200:
                errors += 1

    t0 = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(clients)))
    elapsed = time.monotonic() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "errors": errors, "rps": len(latencies) / elapsed,
            "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


async def main(seconds: float, clients: int) -> None:
    import httpx

    py = sys.executable
    stub_port, gw_port, bare_port = free_port(), free_port(), free_port()
    dsn, dbname = await fresh_database()
    stub_url = f"http://127.0.0.1:{stub_port}"
    procs = []
    try:
        stub = subprocess.Popen([py, __file__, "--child", "stub", str(stub_port)])
        procs.append(stub)
        wait_for(stub_url + "/.well-known/jwks.json", stub)
        env = {**os.environ, "WEERBAAR_GATEWAY_ENVIRONMENT": "development", "WEERBAAR_GATEWAY_DATABASE_URL": dsn,
               "WEERBAAR_GATEWAY_KAFKA_BOOTSTRAP": KAFKA, "WEERBAAR_GATEWAY_KAFKA_NAMESPACE": f"bench{uuid.uuid4().hex[:6]}.",
               "WEERBAAR_GATEWAY_HTTP_PORT": str(gw_port), "WEERBAAR_GATEWAY_TOKEN_JWKS_URL": stub_url + "/.well-known/jwks.json",
               "WEERBAAR_GATEWAY_PUBLIC_URL": f"http://127.0.0.1:{gw_port}", "WEERBAAR_GATEWAY_LOG_LEVEL": "WARNING",
               "WEERBAAR_GATEWAY_DATABASE_POOL_MAX": "20"}
        for name in ("identity", "registry", "incidents", "content", "notify"):
            env[f"WEERBAAR_GATEWAY_{name.upper()}_URL"] = stub_url
        gateway = subprocess.Popen([py, "-m", "gateway"], env=env, stdout=subprocess.DEVNULL)
        procs.append(gateway)
        wait_for(f"http://127.0.0.1:{gw_port}/readyz", gateway)

        client = await login(f"http://127.0.0.1:{gw_port}")
        first = await client.get("/api/dashboard")
        assert first.status_code == 200 and first.json()["incidents"]["status"] == "ok", first.text
        payload = ROOT / ".state" / "bench_dashboard.json"
        payload.parent.mkdir(exist_ok=True)
        payload.write_text(first.text)
        bare = subprocess.Popen([py, __file__, "--child", "bare", str(bare_port), str(payload)])
        procs.append(bare)
        wait_for(f"http://127.0.0.1:{bare_port}/api/dashboard", bare)
        bare_client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{bare_port}", timeout=10,
                                        limits=httpx.Limits(max_connections=100))

        await load(client, "/api/dashboard", 1, clients)          # warm both up
        await load(bare_client, "/api/dashboard", 1, clients)
        gw = await load(client, "/api/dashboard", seconds, clients)
        br = await load(bare_client, "/api/dashboard", seconds, clients)
        await client.aclose()
        await bare_client.aclose()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
        await drop_database(dbname)

    print(f"dashboard call, {clients} concurrent clients, {seconds:.0f} s each, {len(first.content)} bytes of JSON")
    for label, r in (("gateway /api/dashboard", gw), ("bare FastAPI, same JSON", br)):
        print(f"  {label:26s} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.1f} ms   p99 {r['p99_ms']:7.1f} ms"
              f"   ({r['requests']} requests, {r['errors']} errors)")
    print(f"  ratio gateway/bare: {gw['rps'] / br['rps']:.2f}x the throughput, "
          f"p50 {gw['p50_ms'] / br['p50_ms']:.1f}x, p99 {gw['p99_ms'] / br['p99_ms']:.1f}x the latency")
    if gw["errors"]:
        raise SystemExit("the gateway answered errors under load")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        serve_child(args.child[0], int(args.child[1]), args.child[2] if len(args.child) > 2 else None)
    else:
        asyncio.run(main(args.seconds, args.clients))
