"""Helpers for identity's stack tests: run identity in-process against the real stand-in IdP,
play the browser through a login, and publish or read events on the real Kafka."""
from __future__ import annotations

import contextlib
import json
import secrets
from dataclasses import dataclass
from functools import partial
from urllib.parse import parse_qs, urlencode, urlsplit
from uuid import UUID, uuid4

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from identity.app import create_app
from identity.domain.clock import SettableClock
from identity.domain.secrets import s256
from identity.settings import DEV_GATEWAY_REDIRECT_URIS, DEV_GATEWAY_SECRET, IdentitySettings
from weerbaar_contracts import new_event, topics
from weerbaar_contracts.envelope import CloudEvent
from weerbaar_contracts.events.registry import EntityRegisteredV1
from weerbaar_platform.testing import load_local_stack, running_service

_LOCAL = load_local_stack()
IDP_BASE = f"http://127.0.0.1:{_LOCAL.IDP_PORT}"
#: The redirect URIs the local stand-in IdP has registered for identity (from the stack's ports).
PUBLIC_URL = f"http://127.0.0.1:{_LOCAL.SERVICE_PORTS['identity']}"
GATEWAY_CALLBACK = DEV_GATEWAY_REDIRECT_URIS[0]
KVK_DRINKWATER, KVK_ENERGIE = "12345678", "87654321"


@contextlib.asynccontextmanager
async def identity_service(stack, kafka_namespace, signer, clock: SettableClock | None = None, **overrides):
    clock = clock or SettableClock()
    settings = {"idp_base": stack.idp_base or IDP_BASE, "public_url": PUBLIC_URL,
                "role_activation_poll_seconds": 0.2, **overrides}
    async with running_service(partial(create_app, clock=clock), IdentitySettings, stack, kafka_namespace, signer,
                               label="identity", **settings) as client:
        client.clock = clock
        yield client


@dataclass
class Login:
    page: httpx.Response          # identity's answer at the callback (redirect or refusal page)
    tokens: dict | None = None    # the /token answer when the login succeeded

    @property
    def refused(self) -> bool:
        return self.tokens is None


async def log_in(identity: httpx.AsyncClient, idp: str, who: str, *, tamper: str | None = None,
                 change_state: bool = False) -> Login:
    """Play the browser and the gateway: /authorize -> stand-in IdP -> callback -> /token."""
    verifier = secrets.token_urlsafe(48)
    gateway_state = secrets.token_urlsafe(16)
    start = await identity.get("/authorize", params={
        "idp": idp, "client_id": "gateway", "redirect_uri": GATEWAY_CALLBACK, "state": gateway_state,
        "code_challenge": s256(verifier), "code_challenge_method": "S256", "login_hint": who})
    assert start.status_code == 302, start.text
    upstream_url = start.headers["location"]
    assert upstream_url.startswith(f"{IDP_BASE}/{idp}/authorize")
    if tamper:
        upstream_url += "&" + urlencode({"tamper": tamper})
    async with httpx.AsyncClient() as browser:
        at_idp = await browser.get(upstream_url)
    assert at_idp.status_code == 302, at_idp.text
    back = urlsplit(at_idp.headers["location"])
    assert f"{back.scheme}://{back.netloc}" == PUBLIC_URL and back.path == f"/login/{idp}/callback"
    query = back.query
    if change_state:
        params = parse_qs(query)
        params["state"] = [params["state"][0][:-2] + "xx"]
        query = urlencode({k: v[0] for k, v in params.items()})
    page = await identity.get(f"{back.path}?{query}")
    if page.status_code != 302:
        return Login(page)
    to_gateway = urlsplit(page.headers["location"])
    assert f"{to_gateway.scheme}://{to_gateway.netloc}{to_gateway.path}" == GATEWAY_CALLBACK
    answer = parse_qs(to_gateway.query)
    assert answer["state"] == [gateway_state]
    token = await identity.post("/token", data={
        "grant_type": "authorization_code", "code": answer["code"][0], "redirect_uri": GATEWAY_CALLBACK,
        "client_id": "gateway", "client_secret": DEV_GATEWAY_SECRET, "code_verifier": verifier})
    assert token.status_code == 200, token.text
    return Login(page, token.json())


async def refresh(identity, refresh_token: str, organisation_id: UUID | None = None) -> httpx.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "gateway",
            "client_secret": DEV_GATEWAY_SECRET}
    if organisation_id:
        data["organisation_id"] = str(organisation_id)
    return await identity.post("/token", data=data)


def auth(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def publish_registration(stack, namespace: str, *, person: dict, kvk: str | None = None,
                               oin: str | None = None, legal_name: str = "Waterbedrijf Voorbeeld N.V.") -> UUID:
    """What the registry announces when `person` registers an organisation, on the real Kafka."""
    organisation_id = uuid4()
    payload = EntityRegisteredV1(organisation_id=organisation_id, registration_version=1, legal_name=legal_name,
                                 kvk=kvk, oin=oin, sector="drinking_water", classification="essential",
                                 registered_by=UUID(person["id"]), registered_by_name=person["name"],
                                 registered_by_email=person["email"])
    event = new_event(payload, source="/weerbaar/registry")
    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(namespace + topics.REGISTRY_ENTITIES, event.to_bytes(),
                                     key=payload.key().encode())
    finally:
        await producer.stop()
    return organisation_id


async def identity_events(stack, namespace: str) -> list[CloudEvent]:
    consumer = AIOKafkaConsumer(namespace + topics.IDENTITY_PEOPLE, bootstrap_servers=stack.kafka_bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False, group_id=None)
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=1500)
        out = [CloudEvent.from_bytes(r.value) for records in batches.values() for r in records]
        while batches:
            batches = await consumer.getmany(timeout_ms=500)
            out += [CloudEvent.from_bytes(r.value) for records in batches.values() for r in records]
        return out
    finally:
        await consumer.stop()


def of_type(events: list[CloudEvent], kind: str, **data) -> list[CloudEvent]:
    return [e for e in events if e.type == f"nl.weerbaar.{kind}.v1"
            and all(str(e.data.get(k)) == str(v) for k, v in data.items())]


async def organisation_with_admin(identity, stack, namespace, who: str = "drinkwater-beheerder",
                                  kvk: str = KVK_DRINKWATER, **kw) -> tuple[UUID, dict]:
    """Log `who` in, register an organisation for them, and return it with their fresh tokens
    (acting for it, roles usable at once)."""
    from weerbaar_platform.testing import eventually

    first = await log_in(identity, "eherkenning", who)
    organisation_id = await publish_registration(stack, namespace, person=first.tokens["person"], kvk=kvk, **kw)
    state = {"refresh": first.tokens["refresh_token"]}

    async def acting() -> dict | None:
        answer = await refresh(identity, state["refresh"])
        assert answer.status_code == 200, answer.text
        body = answer.json()
        state["refresh"] = body["refresh_token"]
        return body if body["acting_organisation_id"] == str(organisation_id) else None

    tokens = await eventually(acting, timeout=30, every=0.3)
    return organisation_id, tokens


def jwks_json(identity) -> str:
    return json.dumps(identity.app.state.runtime.extras["identity"].keyring.jwks())
