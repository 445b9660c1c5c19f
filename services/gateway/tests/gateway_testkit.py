"""The gateway under test, running in-process on the real PostgreSQL and Kafka, with its calls
to the other services routed to small stand-ins that keep to their contracts: identity's
/authorize-/token-/revoke protocol (PKCE checked for real) and the services' answers,
including "not found" for another organisation's ids. Tests that need the real services use
`running_service` for them instead (see tests/stack/test_real_services.py)."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import functools
import hashlib
import json
import secrets
import socket
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx
import uvicorn
from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse
from weerbaar_platform.auth import TokenVerifier
from weerbaar_platform.testing import running_service

HOSTS = ("identity", "registry", "incidents", "content", "notify")


class HostRouter(httpx.AsyncBaseTransport):
    """Routes the gateway's outgoing calls by host name to in-process ASGI apps. A host that is
    `down` raises a connection error, one that is `slow` times out."""

    def __init__(self, apps: dict[str, FastAPI]):
        self.transports = {h: httpx.ASGITransport(app=a) for h, a in apps.items()}
        self.down: set[str] = set()
        #: host -> seconds it takes to answer. The service still does its work (as a real one
        #: would); the caller only stops waiting when its own timeout is shorter.
        self.slow: dict[str, float] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.down or host not in self.transports:
            raise httpx.ConnectError(f"{host} is down", request=request)
        response = await self.transports[host].handle_async_request(request)
        delay = self.slow.get(host, 0)
        if delay:
            waits = (request.extensions.get("timeout") or {}).get("read") or delay
            await asyncio.sleep(min(delay, waits))
            if delay > waits:
                raise httpx.ReadTimeout(f"{host} did not answer in time", request=request)
        return response


@dataclass
class World:
    signer: object
    codes: dict = field(default_factory=dict)          # code -> (challenge, person)
    refresh_tokens: dict = field(default_factory=dict)  # token -> person
    revoked: list = field(default_factory=list)
    calls: list = field(default_factory=list)           # (host, method, path, org from token)
    people: dict = field(default_factory=dict)
    next_person: dict | None = None                     # who /authorize logs in (browser tests)
    #: organisations someone else is known to belong to: like the real identity, the stand-in
    #: refuses (403) to let a person act for one of those; a new one (just registered) is fine.
    foreign_organisations: set = field(default_factory=set)
    #: how many times identity still says "not a member" of a just-registered organisation, as
    #: the real one does until the registry's event has reached it over Kafka.
    membership_lag: int = 0


def person(name: str, *, org: uuid.UUID | None, roles=("gebruiker", "beheerder_personen", "beheerder_netwerk"),
           kvk: str | None = "12345678"):
    """A person as identity would hand them over; their login attests `kvk` (eHerkenning)."""
    return {"id": str(uuid.uuid4()), "name": name, "email": f"{name.lower()}@drinkwater.example",
            "org": str(org) if org else None, "roles": list(roles), "org_name": f"{name}'s organisation",
            "kvk": kvk}


def token_answer(world: World, who: dict) -> dict:
    refresh = secrets.token_urlsafe(16)
    world.refresh_tokens[refresh] = who
    org = uuid.UUID(who["org"]) if who["org"] else None
    access = world.signer.sign(person_id=uuid.UUID(who["id"]), organisation_id=org, roles=who["roles"],
                               name=who["name"], email=who["email"], lifetime=who.get("lifetime", 300),
                               kvk=who.get("kvk"))
    return {"access_token": access, "token_type": "Bearer", "expires_in": who.get("lifetime", 300),
            "refresh_token": refresh,
            "person": {"id": who["id"], "name": who["name"], "email": who["email"], "language": "nl"},
            "organisations": [{"id": who["org"], "name": who["org_name"], "roles": who["roles"]}] if who["org"] else [],
            "acting_organisation_id": who["org"]}


def fake_identity(world: World) -> FastAPI:
    app = FastAPI()

    @app.post("/token")
    async def token(grant_type: str = Form(), code: str = Form(""), code_verifier: str = Form(""),
                    refresh_token: str = Form(""), client_id: str = Form(), client_secret: str = Form(),
                    redirect_uri: str = Form(""), organisation_id: str = Form("")):
        if client_id != "gateway" or client_secret != "test-client-secret":
            return JSONResponse({"error": "invalid_client"}, 401)
        if grant_type == "authorization_code":
            challenge, who = world.codes.pop(code, (None, None))
            digest = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
            if who is None or digest != challenge:
                return JSONResponse({"error": "invalid_grant"}, 400)
            return token_answer(world, who)
        who = world.refresh_tokens.pop(refresh_token, None)  # rotation: each works once
        if who is None:
            return JSONResponse({"error": "invalid_grant"}, 400)
        if organisation_id and organisation_id != who["org"] and organisation_id in world.foreign_organisations:
            world.refresh_tokens[refresh_token] = who  # refused before the token is used
            return JSONResponse({"error": "invalid_request", "error_description": "not a member"}, 403)
        if organisation_id and organisation_id != who["org"] and world.membership_lag > 0:
            world.membership_lag -= 1
            world.refresh_tokens[refresh_token] = who
            return JSONResponse({"error": "invalid_request", "error_description": "not a member"}, 403)
        if organisation_id:  # act for another organisation (e.g. the one just registered)
            who.update(org=organisation_id)
        return token_answer(world, who)

    @app.get("/authorize")
    async def authorize(redirect_uri: str, state: str, code_challenge: str, code_challenge_method: str,
                        client_id: str, idp: str):
        """The browser's side of the protocol, for browser tests: log `world.next_person` in."""
        from fastapi.responses import RedirectResponse

        assert code_challenge_method == "S256" and client_id == "gateway"
        code = secrets.token_urlsafe(12)
        world.codes[code] = (code_challenge, world.next_person)
        return RedirectResponse(f"{redirect_uri}?code={code}&state={state}", status_code=303)

    @app.post("/revoke")
    async def revoke(token: str = Form()):
        world.revoked.append(token)
        world.refresh_tokens.pop(token, None)
        return {}

    return app


def fake_service(world: World, name: str) -> FastAPI:
    """A service that answers every path; it keeps one rule: ids it knows belong to one
    organisation, and any other organisation gets the platform's 404 `not_found`."""
    app = FastAPI()
    verifier = TokenVerifier(jwks=world.signer.jwks())
    owned: dict[str, str] = {}
    app.state.owned = owned

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def anything(path: str, request: Request):
        principal = await verifier.verify(request.headers["authorization"].split()[1])
        org = str(principal.organisation_id) if principal.organisation_id else None
        world.calls.append((name, request.method, "/" + path, org))
        for part in path.split("/"):
            if part in owned and owned[part] != org:
                return JSONResponse({"errors": [{"field": "id", "code": "not_found", "message_nl": "Niet gevonden.",
                                                 "message_en": "Not found."}]}, 404)
        if request.method == "POST" and name == "incidents" and path == "incidents":
            sent = await request.json()
            if not (sent.get("title") or "").strip():
                return JSONResponse({"errors": [{"field": "title", "code": "missing", "message_nl": "Vul een omschrijving in.",
                                                 "message_en": "Fill in a description."}]}, 422)
        shaped = stand_in_answer(name, request.method, path)
        if shaped is not None:
            return shaped
        if name == "registry" and path.startswith("organisations/"):
            return {"id": path.split("/")[1], "version": 1, "status": "registered",
                    "registration": {"legal_name": "Waterbedrijf Voorbeeld", "sector": "drinking_water"},
                    "classification": {"final": "essential", "final_label_nl": "vitaal/essentieel", "reasoning": []},
                    "labels": {"sector": {"nl": "Drinkwater", "en": "Drinking water"}, "subsector": None,
                               "classification": {"nl": "vitaal/essentieel", "en": "essential"}}}
        if name == "incidents" and path == "incidents":
            return {"items": [{"id": str(uuid.uuid4()), "reference": "INC-1", "title": "Storing", "status": "open",
                               "deadlines": [{"kind": "early_warning", "due": "2030-01-02T10:00:00+00:00", "open": True},
                                             {"kind": "notification", "due": "2030-01-04T10:00:00+00:00", "open": True}]}]}
        if name == "content" and path == "publications":
            return {"total": 1, "items": [{"id": str(uuid.uuid4()), "title": "Log4Shell", "tlp": "CLEAR"}]}
        body = await request.body()
        return {"service": name, "path": "/" + path, "method": request.method, "received_bytes": len(body),
                "content_type": request.headers.get("content-type"), "query": dict(request.query_params),
                "body_sha256": hashlib.sha256(body).hexdigest()}

    return app


#: Fixed ids the stand-ins know, so a browser walk can open their pages.
INCIDENT_ID = "5f0c8c1e-0000-4000-8000-000000000001"
PUBLICATION_ID = "5f0c8c1e-0000-4000-8000-000000000002"
FEED_RUN_ID = "5f0c8c1e-0000-4000-8000-000000000003"


def stand_in_answer(service: str, method: str, path: str):
    """Answers in the real services' shapes (see their entrypoints) for the pages the browser
    walk opens; None: the generic answer."""
    deadlines = [{"kind": "early_warning", "due": "2030-01-02T10:00:00Z", "due_local": "2030-01-02T11:00:00+01:00",
                  "open": True, "missed": False}]
    incident = {"id": INCIDENT_ID, "reference": "INC-1", "title": "Storing", "status": "new", "channel": "portal",
                "statutory": True, "became_aware_at": "2030-01-01T10:00:00Z",
                "became_aware_at_local": "2030-01-01T11:00:00+01:00", "intermediate_requested": False,
                "deadlines": deadlines, "severity": None, "assignee": None, "organisation_name": "Waterbedrijf",
                "deadlines_missed": [], "deadlines_close": [], "reports": [], "drafts": [], "attachments": [],
                "internal_notes": [], "stages_possible": ["early_warning"]}
    answers = {
        ("notify", "GET", "preferences"): {"person_id": "x", "categories": [
            {"category": "roles", "delivery": "immediately", "mandatory": True, "label_nl": "Wijzigingen in uw rollen",
             "label_en": "Changes to your roles"},
            {"category": "advisories", "delivery": "digest", "mandatory": False,
             "label_nl": "Nieuwe beveiligingsadviezen", "label_en": "New security advisories"}]},
        ("registry", "GET", "sectors"): {"sectors": [
            {"code": "drinking_water", "name_nl": "Drinkwater", "name_en": "Drinking water", "annex": "I",
             "entity_types": [], "subsectors": []},
            {"code": "energy", "name_nl": "Energie", "name_en": "Energy", "annex": "I", "entity_types": [],
             "subsectors": [{"code": "energy.electricity", "name_nl": "Elektriciteit", "name_en": "Electricity",
                             "entity_types": []}]}]},
        ("incidents", "GET", "csirt/incidents"): {"items": [incident]},
        ("incidents", "GET", f"csirt/incidents/{INCIDENT_ID}"): incident,
        ("incidents", "GET", "netdata/registrations"): {"set_version": 1, "registrations": [
            {"kind": "domain", "value": "waterbedrijf.example", "since_version": 1, "under_review": False,
             "proof": {"status": "unproven", "method": None, "proven_at": None, "challenge_issued": False}}]},
        ("incidents", "POST", "netdata/claims/challenge"): {
            "value": "waterbedrijf.example", "record_name": "_weerbaar-challenge.waterbedrijf.example",
            "record_type": "TXT", "record_value": "weerbaar-proof=abc123",
            "instructions_nl": "Publiceer het TXT-record en klik daarna op 'Controleren'.",
            "instructions_en": "Publish the TXT record, then choose 'Check'."},
        ("incidents", "GET", "netdata/findings"): {"finding_sets": [
            {"feed_run_id": FEED_RUN_ID, "feed_name": "scan_log4shell", "run_at": "2030-01-01T10:00:00+00:00",
             "findings": 1, "rows": 3}]},
        ("incidents", "GET", "netdata/feed-runs"): {"feed_runs": [
            {"id": FEED_RUN_ID, "name": "scan_log4shell_vulnerable.csv", "rows_total": 3, "rows_matched": 3,
             "rows_unmatched": 0, "review_total": 0, "organisations": 1, "findings": 1, "run_at": "2030-01-01T10:00:00"}]},
        ("incidents", "GET", f"netdata/feed-runs/{FEED_RUN_ID}"): {
            "id": FEED_RUN_ID, "name": "scan_log4shell_vulnerable.csv", "rows_total": 4, "rows_matched": 3,
            "rows_unmatched": 1, "review_total": 1, "organisations": 1, "findings": 1, "run_at": "2030-01-01T10:00:00",
            "review": [{"line": 4, "value": "not-an-ip", "code": "x", "message_nl": "Geen IP-adres.",
                        "message_en": "Not an IP address."}],
            "finding_sets": [{"organisation_id": "0f0c8c1e-0000-4000-8000-00000000000a", "findings": 1, "rows": 3}]},
        ("content", "GET", "advisories/refusals"): [
            {"id": 1, "uploaded_by": "x", "uploaded_at": "2030-01-01T10:00:00+00:00",
             "filename": "oasis_csaf_tc-csaf_2_0-2021-6-1-01-01.json", "failed_tests": ["6.1.1"],
             "findings": [{"test": "6.1.1", "path": "/vulnerabilities/0/product_status/known_affected/0",
                           "message_en": "The product id is not defined."}]}],
        ("content", "GET", f"publications/{PUBLICATION_ID}"): {
            "id": PUBLICATION_ID, "kind": "advisory", "title": "Log4Shell", "state": "review", "revision": 1,
            "tlp": "AMBER", "tlp_defaulted": True, "audience": {"everyone": False, "sectors": ["drinking_water"],
                                                                "classifications": [], "subsectors": [],
                                                                "netcode": False, "organisation_ids": [],
                                                                "person_ids": []},
            "advisory": {"tracking_id": "BSI-2022-0001"}, "review_notes": []},
    }
    if service == "registry" and method == "GET" and path.endswith("/history"):
        return {"organisation_id": path.split("/")[1], "versions": [
            {"version": 2, "change": "updated", "changed_fields": ["visiting_address"], "reason": None,
             "changed_by": None, "changed_by_name": "Anna", "changed_at": "2030-01-02T10:00:00+00:00",
             "status": "registered", "classification": "essential", "registration": {}},
            {"version": 1, "change": "registered", "changed_fields": [], "reason": None, "changed_by": None,
             "changed_by_name": "Anna", "changed_at": "2030-01-01T10:00:00+00:00", "status": "registered",
             "classification": "essential", "registration": {}}]}
    return answers.get((service, method, path))


@dataclass
class Portal:
    client: httpx.AsyncClient
    world: World
    router: HostRouter
    services: dict

    async def login(self, who: dict, *, client: httpx.AsyncClient | None = None) -> httpx.AsyncClient:
        """Walk the real login: gateway -> (identity's authorize, simulated) -> callback."""
        c = client or self.client
        start = await c.get("/login/eherkenning", params={"return_to": "/"})
        assert start.status_code == 303, start.text
        query = parse_qs(urlsplit(start.headers["location"]).query)
        code = secrets.token_urlsafe(8)
        self.world.codes[code] = (query["code_challenge"][0], who)
        done = await c.get("/login/callback", params={"code": code, "state": query["state"][0]})
        assert done.status_code == 303, done.text
        return c

    async def csrf(self, client: httpx.AsyncClient | None = None) -> str:
        return (await (client or self.client).get("/api/session")).json()["csrf_token"]

    def new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=self.client.app), base_url="http://gw")


@contextlib.asynccontextmanager
async def running_portal(stack, kafka_namespace, signer, **overrides):
    from gateway.app import create_app
    from gateway.settings import GatewaySettings

    world = World(signer=signer)
    services = {h: (fake_identity(world) if h == "identity" else fake_service(world, h)) for h in HOSTS}
    router = HostRouter(services)
    settings = {f"{h}_url": f"http://{h}" for h in HOSTS} | {
        "identity_client_secret": "test-client-secret", "session_secret": "s" * 40,
        "public_url": "http://127.0.0.1:28080", "service_timeout_seconds": 2.0} | overrides
    async with running_service(functools.partial(create_app, http_transport=router), GatewaySettings, stack,
                               kafka_namespace, signer, label="gw", **settings) as client:
        yield Portal(client, world, router, services)


# ------------------------------------------------------------------ on a real port (browser, fuzzing)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def serving(app, port: int):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False,
                                           lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        await task


@contextlib.asynccontextmanager
async def portal_on_a_port(stack, kafka_namespace, signer, who: dict, **overrides):
    from gateway.app import create_app
    from gateway.settings import GatewaySettings

    world = World(signer=signer, next_person=who)
    services = {h: (fake_identity(world) if h == "identity" else fake_service(world, h)) for h in HOSTS}
    identity_port, gateway_port = free_port(), free_port()
    settings = GatewaySettings(
        environment="test", database_url=await stack.fresh_database("gwe2e"), kafka_bootstrap=stack.kafka_bootstrap,
        kafka_namespace=kafka_namespace, http_port=gateway_port, token_jwks=json.dumps(signer.jwks()),
        **{f"{h}_url": f"http://{h}" for h in HOSTS}, identity_public_url=f"http://127.0.0.1:{identity_port}",
        identity_client_secret="test-client-secret", session_secret="e" * 40,
        public_url=f"http://127.0.0.1:{gateway_port}", **overrides)
    app = create_app(settings, http_transport=HostRouter(services))
    async with serving(services["identity"], identity_port), serving(app, gateway_port):
        yield f"http://127.0.0.1:{gateway_port}", world




# ------------------------------------------------------------------ in front of the real services


REAL_SERVICES = {
    "registry": ("registry.app", "registry.settings", "RegistrySettings", {}),
    "incidents": ("incidents.app", "incidents.settings", "IncidentsSettings", {}),
    "content": ("content.app", "content.settings", "ContentSettings", {"default_tlp": "AMBER"}),
    "notify": ("notify.app", "notify.settings", "NotifySettings", {"run_sender": False}),
}


@contextlib.asynccontextmanager
async def portal_with_real(stack, kafka_namespace, signer, *real: str):
    """The gateway in front of the named real services (in-process, each on its own database,
    all on the test's Kafka namespace); the others are stand-ins, identity always is."""
    import importlib

    from gateway.app import create_app
    from gateway.settings import GatewaySettings

    world = World(signer=signer)
    apps = {h: (fake_identity(world) if h == "identity" else fake_service(world, h)) for h in HOSTS}
    async with contextlib.AsyncExitStack() as running:
        for name in real:
            app_module, settings_module, settings_class, overrides = REAL_SERVICES[name]
            client = await running.enter_async_context(running_service(
                importlib.import_module(app_module).create_app,
                getattr(importlib.import_module(settings_module), settings_class),
                stack, kafka_namespace, signer, label=name[:3], **overrides))
            apps[name] = client.app
        router = HostRouter(apps)
        settings = {f"{h}_url": f"http://{h}" for h in HOSTS} | {
            "identity_client_secret": "test-client-secret", "session_secret": "p" * 40,
            "public_url": "http://127.0.0.1:28080"}
        gw = await running.enter_async_context(running_service(
            functools.partial(create_app, http_transport=router), GatewaySettings, stack, kafka_namespace, signer,
            label="gw", **settings))
        yield Portal(gw, world, router, apps)
