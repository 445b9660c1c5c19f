"""The gateway's protections, on the real PostgreSQL (sessions, rate limits) with stand-in
services: login (PKCE, state, tokens server side), CSRF on every state change, another
organisation's ids, security headers, security.txt, rate limits, streamed uploads."""
from __future__ import annotations

import asyncio
import hashlib
import re
import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from types import SimpleNamespace

from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Mount

from gateway_testkit import person, running_portal

pytestmark = pytest.mark.stack

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def routes(app):
    """Every HTTP route the app serves (FastAPI keeps included routers nested; flatten them)."""
    found = []
    for ctx in iter_route_contexts(app.router.routes):
        route = ctx.original_route
        if isinstance(route, APIRoute) or (ctx.methods and not isinstance(route, Mount)):
            found.append(SimpleNamespace(path=ctx.path, methods=set(ctx.methods or ()),
                                         openapi_extra=getattr(route, "openapi_extra", None) or {}))
    return found


def fill(path: str, *, org: uuid.UUID | None = None, other: str | None = None) -> str:
    """A concrete path: {organisation_id} -> org, other ids -> `other` or a fresh uuid."""
    def one(match):
        name = match.group(1)
        if name == "organisation_id" and org:
            return str(org)
        if name.endswith("_id"):
            return other or str(uuid.uuid4())
        return {"stage": "early_warning", "role": "gebruiker", "action": "approve"}.get(name, "x")
    return re.sub(r"{(\w+)}", one, path)


# ------------------------------------------------------------------ login


async def test_login_uses_pkce_and_state_and_keeps_tokens_out_of_the_browser(portal):
    org = uuid.uuid4()
    who = person("Anna", org=org)
    start = await portal.client.get("/login/eherkenning", params={"return_to": "//evil.example/x"})
    assert start.status_code == 303
    target = urlsplit(start.headers["location"])
    query = parse_qs(target.query)
    assert target.path == "/authorize" and query["code_challenge_method"] == ["S256"]
    assert query["client_id"] == ["gateway"] and query["idp"] == ["eherkenning"]
    assert query["redirect_uri"] == ["http://127.0.0.1:28080/login/callback"]
    login_cookie = start.headers["set-cookie"]
    assert "HttpOnly" in login_cookie and "SameSite=lax" in login_cookie

    # A callback with a state this browser did not start is refused.
    portal.world.codes["c1"] = (query["code_challenge"][0], who)
    stranger = portal.new_client()
    refused = await stranger.get("/login/callback", params={"code": "c1", "state": query["state"][0]})
    assert refused.status_code == 400 and "set-cookie" not in refused.headers

    done = await portal.client.get("/login/callback", params={"code": "c1", "state": query["state"][0]})
    assert done.status_code == 303 and done.headers["location"] == "/"  # never //evil.example
    cookie = [c for c in done.headers.get_list("set-cookie") if c.startswith("weerbaar-session=")][0]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]

    # The browser holds a random id; the tokens are in the table, under its HMAC, not the id.
    pool = portal.client.app.state.runtime.pool
    row = await pool.fetchrow("SELECT * FROM sessions")
    assert row["id_hash"] != value and row["access_token"].count(".") == 2
    session = (await portal.client.get("/api/session")).json()
    assert session["person_id"] == who["id"] and session["acting_organisation_id"] == str(org)
    assert "access_token" not in str(session) and row["access_token"] not in (await portal.client.get("/")).text

    # The state works once.
    again = await portal.client.get("/login/callback", params={"code": "c1", "state": query["state"][0]})
    assert again.status_code == 400


async def test_a_wrong_pkce_verifier_gets_no_session(portal):
    start = await portal.client.get("/login/ssonrijk")
    query = parse_qs(urlsplit(start.headers["location"]).query)
    portal.world.codes["c2"] = ("not-the-challenge", person("Eve", org=uuid.uuid4()))
    done = await portal.client.get("/login/callback", params={"code": "c2", "state": query["state"][0]})
    assert done.status_code == 502
    assert (await portal.client.get("/api/session")).status_code == 401


async def test_logout_revokes_the_refresh_token_and_forgets_the_session(portal):
    await portal.login(person("Bram", org=uuid.uuid4()))
    refresh = await portal.client.app.state.runtime.pool.fetchval("SELECT refresh_token FROM sessions")
    csrf = await portal.csrf()
    out = await portal.client.post("/logout", data={"csrf_token": csrf})
    assert out.status_code == 303
    assert portal.world.revoked == [refresh]
    assert await portal.client.app.state.runtime.pool.fetchval("SELECT count(*) FROM sessions") == 0
    assert (await portal.client.get("/api/session")).status_code == 401


async def test_an_expiring_access_token_is_refreshed_once_and_forwarded(portal):
    who = person("Cor", org=uuid.uuid4()) | {"lifetime": 20}   # inside the refresh margin
    await portal.login(who)
    first = await portal.client.app.state.runtime.pool.fetchval("SELECT refresh_token FROM sessions")
    answers = [await portal.client.get("/api/dashboard") for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].json()["registration"]["status"] == "ok"
    second = await portal.client.app.state.runtime.pool.fetchval("SELECT refresh_token FROM sessions")
    assert second != first and first not in portal.world.refresh_tokens


# ------------------------------------------------------------------ CSRF


async def test_every_state_changing_route_is_refused_without_a_valid_csrf_token(portal):
    org = uuid.uuid4()
    await portal.login(person("Dirk", org=org))
    csrf = await portal.csrf()
    unsafe = [(m, r.path) for r in routes(portal.client.app) for m in r.methods if m in UNSAFE]
    assert len(unsafe) >= 30, unsafe  # the enumeration really sees the app's routes
    calls_before = len(portal.world.calls)
    for method, path in unsafe:
        url = fill(path, org=org)
        for headers in ({}, {"X-CSRF-Token": "wrong"}, {"X-CSRF-Token": csrf[:-1]}):
            resp = await portal.client.request(method, url, headers=headers, json={})
            assert resp.status_code == 403, (method, path, headers, resp.status_code)
            assert resp.json()["errors"][0]["field"] == "csrf_token" if path.startswith("/api") else True
        form = await portal.client.request(method, url, data={"csrf_token": "wrong"})
        assert form.status_code == 403, (method, path)
    assert len(portal.world.calls) == calls_before  # nothing reached a service
    # A request from another site (Origin) is refused even with the token.
    cross = await portal.client.post("/api/session/organisation", headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
                                     json={"organisation_id": str(org)})
    assert cross.status_code == 403
    # With the token the same requests pass the check (and reach the service).
    ok = await portal.client.post(f"/api/organisations/{org}/products", headers={"X-CSRF-Token": csrf},
                                  json={"name": "IOS XE"})
    assert ok.status_code == 200 and ok.json()["path"] == "/organisations/me/products"
    # The right token in the URL counts only for a streamed upload form, never for JSON or a form
    # whose body carries it: a token in a URL leaks through logs and Referer headers.
    in_url = await portal.client.post(f"/api/organisations/{org}/products?csrf_token={csrf}", json={"name": "IOS XE"})
    assert in_url.status_code == 403
    upload = await portal.client.post(f"/api/organisations/{org}/netdata/uploads?csrf_token={csrf}",
                                      files={"file": ("nets.txt", b"192.0.2.0/24\n", "text/plain")})
    assert upload.status_code == 200, upload.text
    bodiless = await portal.client.delete(f"/api/organisations/{org}/products/{uuid.uuid4()}?csrf_token={csrf}",
                                          headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert bodiless.status_code == 403  # only a POST that streams a form may carry it in the URL
    form_ok = await portal.client.post("/logout", data={"csrf_token": csrf})
    assert form_ok.status_code == 303


# ------------------------------------------------------------------ another organisation


async def test_another_organisations_ids_in_the_path_get_404_on_every_read_and_write(portal):
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    portal.world.foreign_organisations.add(str(theirs))  # someone else's organisation
    await portal.login(person("Els", org=mine))
    csrf = await portal.csrf()
    scoped = [(m, r.path) for r in routes(portal.client.app) for m in r.methods if "{organisation_id}" in r.path
              and r.path.startswith("/api/organisations")]
    assert len(scoped) >= 25
    # Every organisation-scoped route of the API carries the organisation in its path.
    for r in routes(portal.client.app):
        if (r.openapi_extra or {}).get("x-weerbaar-scope") == "org":
            assert r.path.startswith("/api/organisations/{organisation_id}"), r.path
    before = len(portal.world.calls)
    for method, path in scoped:
        resp = await portal.client.request(method, fill(path, org=theirs), headers={"X-CSRF-Token": csrf}, json={})
        assert resp.status_code == 404, (method, path, resp.status_code)
        assert resp.json()["errors"][0]["code"] == "not_found"
    assert len(portal.world.calls) == before  # refused before any service was asked

    # Nested ids of another organisation: the owning service says 404 and the gateway keeps it.
    foreign = str(uuid.uuid4())
    for name in ("incidents", "content", "identity", "registry", "notify"):
        if name != "identity":
            portal.services[name].state.owned[foreign] = str(theirs)
    nested = [(m, r.path) for m, r in ((m, r) for r in routes(portal.client.app) for m in r.methods)
              if r.path.startswith("/api/organisations/{organisation_id}/") and re.search(r"{(?!organisation_id)\w+_id}", r.path)
              and r.openapi_extra.get("x-weerbaar-service") != "identity"]
    assert len(nested) >= 8
    for method, path in nested:
        resp = await portal.client.request(method, fill(path, org=mine, other=foreign),
                                           headers={"X-CSRF-Token": csrf}, json={})
        assert resp.status_code == 404, (method, path, resp.status_code)
    for page in (f"/incidenten/{foreign}", f"/adviezen/{foreign}"):
        assert (await portal.client.get(page)).status_code == 404
    # Switching to an organisation that is not mine is also "not found".
    switch = await portal.client.post("/api/session/organisation", headers={"X-CSRF-Token": csrf},
                                      json={"organisation_id": str(theirs)})
    assert switch.status_code == 404
    # ...and the session survives the refusal: the person still acts for their own organisation.
    assert (await portal.client.get("/api/session")).json()["acting_organisation_id"] == str(mine)


# ------------------------------------------------------------------ headers, security.txt


def assert_security_headers(resp, where):
    h = resp.headers
    csp = h.get("content-security-policy", "")
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, where
    assert "frame-ancestors 'none'" in csp, where
    assert h.get("strict-transport-security", "").startswith("max-age="), where
    assert h.get("x-content-type-options") == "nosniff", where
    assert h.get("referrer-policy") in ("no-referrer", "strict-origin-when-cross-origin"), where


async def test_security_headers_on_every_page_and_no_inline_script_or_style(portal):
    org = uuid.uuid4()
    await portal.login(person("Fien", org=org, roles=("gebruiker", "beheerder_personen", "analist", "redacteur")))
    gets = [r.path for r in routes(portal.client.app) if "GET" in r.methods]
    for path in gets + ["/static/utrecht/index.css", "/static/portal/portal.css", "/does-not-exist"]:
        resp = await portal.client.get(fill(path, org=org))
        assert_security_headers(resp, path)
        if resp.headers.get("content-type", "").startswith("text/html"):
            html = resp.text
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), path
            assert "<style" not in html and not re.search(r"\sstyle=", html), path
            assert 'lang="nl"' in html, path
    refused = await portal.client.post("/logout")  # refusals carry them too
    assert_security_headers(refused, "csrf refusal")
    anonymous = portal.new_client()
    for path in ("/", "/login", "/toegankelijkheid", "/.well-known/security.txt"):
        assert_security_headers(await anonymous.get(path), path)


async def test_an_unexpected_server_error_still_carries_the_security_headers(portal):
    """The platform answers an unhandled exception from Starlette's outermost middleware; the
    headers must be there all the same (a 500 is what a prober provokes)."""
    async def boom():
        raise RuntimeError("a bug")

    portal.client.app.add_api_route("/test-only/boom", boom)
    portal.client.app.add_api_route("/api/test-only/boom", boom)
    raw = httpx.AsyncClient(transport=httpx.ASGITransport(app=portal.client.app, raise_app_exceptions=False),
                            base_url="http://gw")
    for path in ("/test-only/boom", "/api/test-only/boom"):
        resp = await raw.get(path)
        assert resp.status_code == 500, (path, resp.status_code)
        assert resp.json()["errors"][0]["code"] == "internal_error"
        assert_security_headers(resp, path)
        assert resp.headers["cache-control"] == "no-store"


async def test_security_txt_follows_rfc_9116(portal):
    resp = await portal.client.get("/.well-known/security.txt")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in resp.text.strip().splitlines())
    assert fields["Contact"].startswith(("mailto:", "https://"))
    assert fields["Preferred-Languages"] == "nl, en"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    days = (expires - datetime.now(timezone.utc)).days
    assert 0 < days < 366
    assert fields["Canonical"].endswith("/.well-known/security.txt")


# ------------------------------------------------------------------ dashboard, rate limits, uploads


async def test_the_dashboard_keeps_working_when_a_service_is_down(portal):
    org = uuid.uuid4()
    await portal.login(person("Gert", org=org))
    full = (await portal.client.get("/api/dashboard")).json()
    assert [full[p]["status"] for p in ("registration", "incidents", "advisories", "tasks")] == ["ok"] * 4
    assert full["incidents"]["data"]["next_deadline"]["kind"] == "early_warning"
    assert full["registration"]["data"]["classification"]["final"] == "essential"

    portal.router.down = {"content"}
    partly = await portal.client.get("/api/dashboard")
    assert partly.status_code == 200
    body = partly.json()
    assert body["advisories"]["status"] == "unavailable" and "adviezen" in body["advisories"]["message_nl"]
    assert body["registration"]["status"] == "ok" and body["incidents"]["status"] == "ok"
    page = await portal.client.get("/")
    assert page.status_code == 200 and "nu niet beschikbaar" in page.text and "Waterbedrijf Voorbeeld" in page.text

    portal.router.down = {"registry", "incidents", "content"}
    none = (await portal.client.get("/api/dashboard")).json()
    assert {none[p]["status"] for p in ("registration", "incidents", "advisories", "tasks")} == {"unavailable"}
    passthrough = await portal.client.get(f"/api/organisations/{org}/incidents")
    assert passthrough.status_code == 503 and passthrough.json()["errors"][0]["code"] == "unavailable"


async def test_login_is_rate_limited(stack, kafka_namespace, signer):
    async with running_portal(stack, kafka_namespace, signer, login_rate_per_minute=3) as p:
        codes = [(await p.client.get("/login/eherkenning")).status_code for _ in range(4)]
    assert codes[:3] == [303, 303, 303] and codes[3] == 429


async def test_uploads_are_streamed_through_with_the_size_limit(stack, kafka_namespace, signer):
    async with running_portal(stack, kafka_namespace, signer, upload_max_bytes=4096, upload_rate_per_minute=3) as p:
        org = uuid.uuid4()
        await p.login(person("Hans", org=org))
        csrf = await p.csrf()
        data = b"192.0.2.0/24\n2001:db8::/32\n" * 50
        ok = await p.client.post(f"/api/organisations/{org}/netdata/uploads", headers={"X-CSRF-Token": csrf},
                                 files={"file": ("nets.txt", data, "text/plain")})
        assert ok.status_code == 200, ok.text
        answer = ok.json()
        # Of a multipart form only the file goes on, still streamed; its bytes exactly.
        assert answer["path"] == "/netdata/uploads" and answer["content_type"] == "application/octet-stream"
        assert answer["received_bytes"] == len(data)

        async def chunks():  # no Content-Length: the limit is counted while streaming
            for _ in range(10):
                yield b"x" * 1000
        big = await p.client.post(f"/api/organisations/{org}/netdata/uploads", headers={"X-CSRF-Token": csrf,
                                  "Content-Type": "application/octet-stream"}, content=chunks())
        assert big.status_code == 413 and big.json()["errors"][0]["code"] == "too_large"
        declared = await p.client.post(f"/api/organisations/{org}/netdata/uploads",
                                       headers={"X-CSRF-Token": csrf}, content=b"y" * 5000)
        assert declared.status_code in (413, 429)
        limited = await p.client.post(f"/api/organisations/{org}/netdata/uploads", headers={"X-CSRF-Token": csrf},
                                      content=b"z")
        assert limited.status_code == 429


async def test_each_kind_of_upload_keeps_its_own_size_limit(stack, kafka_namespace, signer):
    """A feed run is far larger than a network-data upload: the gateway's general limit must not
    cut it off, while the small limit still holds for network data and attachments."""
    async with running_portal(stack, kafka_namespace, signer, upload_max_bytes=4096, attachment_max_bytes=8192,
                              feed_max_bytes=64 * 1024, upload_rate_per_minute=100) as p:
        await p.login(person("Sanne", org=None, roles=("analist",)))
        csrf = await p.csrf()
        feed = b'"timestamp","ip","port"\n' + b'"2026-12-01 10:00:00","192.0.2.7","443"\n' * 800  # ~33 kB
        run = await p.client.post("/api/csirt/feed-runs", params={"name": "scan"}, headers={"X-CSRF-Token": csrf},
                                  files={"file": ("scan.csv", feed, "text/csv")})
        assert run.status_code == 200, run.text
        assert run.json()["path"] == "/netdata/feed-runs" and run.json()["received_bytes"] == len(feed)
        assert run.json()["query"]["name"] == "scan"  # the name the analyst gave is kept
        too_big = await p.client.post("/api/csirt/feed-runs", params={"name": "scan"},
                                      headers={"X-CSRF-Token": csrf}, content=b"x" * (65 * 1024))
        assert too_big.status_code == 413 and "64 kB" in too_big.json()["errors"][0]["message_nl"]

        org = uuid.uuid4()
        await p.login(person("Hans", org=org))
        csrf = await p.csrf()
        nets = await p.client.post(f"/api/organisations/{org}/netdata/uploads", headers={"X-CSRF-Token": csrf},
                                   content=b"192.0.2.0/24\n" * 400)  # ~5 kB
        assert nets.status_code == 413
        incident = uuid.uuid4()
        evidence = await p.client.post(f"/api/organisations/{org}/incidents/{incident}/attachments",
                                       headers={"X-CSRF-Token": csrf}, files={"file": ("log.txt", b"e" * 6000)})
        assert evidence.status_code == 200, evidence.text
        assert evidence.json()["received_bytes"] == 6000 and evidence.json()["query"]["filename"] == "log.txt"
        raw = await p.client.post(f"/api/organisations/{org}/incidents/{incident}/attachments",
                                  params={"filename": "raw.bin"}, headers={"X-CSRF-Token": csrf,
                                  "Content-Type": "application/octet-stream"}, content=b"r" * 100)
        assert raw.json()["received_bytes"] == 100 and raw.json()["query"]["filename"] == "raw.bin"


async def test_half_a_utf16_pair_in_a_json_body_is_a_422_not_a_500(stack, kafka_namespace, signer):
    """JSON may spell "\\ud800", which Python reads into a string no UTF-8 encoder takes."""
    async with running_portal(stack, kafka_namespace, signer) as p:
        org = uuid.uuid4()
        await p.login(person("Hans", org=org))
        csrf = await p.csrf()
        for path in (f"/api/organisations/{org}/incidents", "/api/organisations", f"/api/organisations/{org}/invitations"):
            resp = await p.client.post(path, headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
                                       content=b'{"title": "\\ud800", "became_aware_at": "2025-01-01T00:00:00Z", '
                                               b'"email": "a@b.nl", "legal_name": "\\ud800"}')
            assert resp.status_code == 422, (path, resp.status_code, resp.text)
            error = resp.json()["errors"][0]
            assert error["code"] == "invalid_character" and "UTF-16" in error["message_nl"], resp.text


async def test_a_slow_service_times_out_its_part_and_a_slow_write_is_not_called_a_failure(
        stack, kafka_namespace, signer):
    async with running_portal(stack, kafka_namespace, signer, service_timeout_seconds=0.3,
                              service_write_timeout_seconds=0.6) as p:
        org = uuid.uuid4()
        await p.login(person("Gert", org=org))
        csrf = await p.csrf()

        p.router.slow = {"content": 2.0}
        started = asyncio.get_running_loop().time()
        dashboard = (await p.client.get("/api/dashboard")).json()
        assert asyncio.get_running_loop().time() - started < 1.5  # the slow part does not hold the page
        assert dashboard["advisories"]["status"] == "unavailable"
        assert dashboard["registration"]["status"] == "ok" and dashboard["incidents"]["status"] == "ok"

        # A write that takes longer than reads may, but less than the write timeout, succeeds.
        p.router.slow = {"incidents": 0.45}
        ok = await p.client.post(f"/api/organisations/{org}/incidents", headers={"X-CSRF-Token": csrf},
                                 json={"title": "Storing", "became_aware_at": "2025-01-01T10:00:00Z"})
        assert ok.status_code == 200, ok.text
        # One slower still: the service may well have stored it, so the answer says "check first".
        p.router.slow = {"incidents": 2.0}
        calls = len(p.world.calls)
        late = await p.client.post(f"/api/organisations/{org}/incidents", headers={"X-CSRF-Token": csrf},
                                   json={"title": "Storing", "became_aware_at": "2025-01-01T10:00:00Z"})
        assert late.status_code == 504, late.text
        error = late.json()["errors"][0]
        assert error["code"] == "outcome_unknown" and "niet zeker" in error["message_nl"]
        assert "not certain" in error["message_en"]
        assert len(p.world.calls) == calls + 1  # it did reach the service


async def test_every_body_is_bounded_at_the_gateway_except_the_streamed_uploads(stack, kafka_namespace, signer):
    """Found by breaking it: an anonymous multipart post to the public form was spooled to disk
    whole (2 GB), and a '+json' type was read into memory; both are refused before reading now."""
    async with running_portal(stack, kafka_namespace, signer, max_body_bytes=64 * 1024,
                              upload_rate_per_minute=100) as p:
        anonymous = p.new_client()
        big = b"x" * (200 * 1024)
        form = await anonymous.post("/melden", files={"file": ("big.bin", big)}, data={"title": "x"})
        assert form.status_code == 413 and form.json()["errors"][0]["code"] == "body_too_large"

        org = uuid.uuid4()
        await p.login(person("Hans", org=org))
        csrf = await p.csrf()
        draft = await p.client.put(f"/api/organisations/{org}/incidents/{uuid.uuid4()}/drafts/final",
                                   headers={"X-CSRF-Token": csrf, "Content-Type": "application/x+json"},
                                   content=b'{"description": "' + big + b'"}')
        assert draft.status_code == 413
        # The uploads stream on, under their own (larger) limits.
        nets = await p.client.post(f"/api/organisations/{org}/netdata/uploads", headers={"X-CSRF-Token": csrf},
                                   files={"file": ("nets.txt", b"192.0.2.0/24\n" * 10_000, "text/plain")})
        assert nets.status_code == 200 and nets.json()["received_bytes"] == 130_000


async def test_nan_or_infinity_in_a_json_body_is_a_422_not_a_500(stack, kafka_namespace, signer):
    async with running_portal(stack, kafka_namespace, signer) as p:
        org = uuid.uuid4()
        await p.login(person("Hans", org=org))
        csrf = await p.csrf()
        for number in (b"NaN", b"Infinity", b"-Infinity"):
            resp = await p.client.post(f"/api/organisations/{org}/incidents",
                                       headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
                                       content=b'{"title": "Storing", "summary": ' + number + b"}")
            assert resp.status_code == 422, (number, resp.status_code, resp.text)
            assert resp.json()["errors"][0]["code"] == "not_a_number"
