"""Two ASGI middlewares that every request passes, whatever route it reaches:

- `SecurityHeaders` puts the security headers on every response (pages, API, errors, static);
- `SessionAndCsrf` loads the session from the cookie once (routes find it in request.state)
  and refuses every state-changing request that lacks the session's CSRF token: in the
  `X-CSRF-Token` header, or the `csrf_token` field of a url-encoded form, or (for streamed
  multipart uploads, whose body we do not read) the `csrf_token` query parameter.

Being middleware rather than a per-route dependency, no route can forget it."""
from __future__ import annotations

import hmac
import json
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from weerbaar_platform.bodylimit import read_body

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = b"x-csrf-token"
CSRF_FIELD = "csrf_token"
MAX_FORM_BYTES = 1024 * 1024
#: Paths that carry no session: nothing personal is served there.
SESSIONLESS_PREFIXES = ("/static/", "/healthz", "/readyz", "/.well-known/")
#: Forms anyone may send without a session (the law keeps reporting open to everyone); there is
#: no session to ride, so no token to check, but the origin check still holds.
PUBLIC_FORMS = ("/melden",)


def content_security_policy() -> str:
    # No inline script or style anywhere, so neither 'unsafe-inline' nor nonces are needed.
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; object-src 'none'")


SECURITY_HEADERS = [
    (b"content-security-policy", content_security_policy().encode()),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {h for h, _ in SECURITY_HEADERS}]
                headers += SECURITY_HEADERS
                if not static and not any(k.lower() == b"cache-control" for k, _ in headers):
                    # Pages and API answers carry personal data: no shared or back-button caches.
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def cookie_value(scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                continue
            if name in jar:
                return jar[name].value
    return None


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class SessionAndCsrf:
    def __init__(self, app, *, cookie_name: str, public_origin: str):
        self.app, self.cookie_name, self.public_origin = app, cookie_name, public_origin

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(SESSIONLESS_PREFIXES):
            return await self.app(scope, receive, send)
        runtime = scope["app"].state.runtime
        store = runtime.extras["sessions"]
        session = await store.load(cookie_value(scope, self.cookie_name))
        scope.setdefault("state", {})["session"] = session
        if scope["method"] in SAFE_METHODS:
            return await self.app(scope, receive, send)

        origin = _header(scope, b"origin")
        if origin and origin != "null" and origin.rstrip("/") != self.public_origin:
            return await _refuse(scope, send, "origin")
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        token = _header(scope, CSRF_HEADER)
        if token is None and content_type == "multipart/form-data" and scope["method"] == "POST":
            # Only a streamed upload form, whose body we do not read, may carry it in the URL:
            # a token in a URL ends up in logs and Referer headers.
            token = parse_qs(scope.get("query_string", b"").decode()).get(CSRF_FIELD, [None])[0]
        if token is None and content_type == "application/x-www-form-urlencoded":
            body, receive = await read_body(receive, MAX_FORM_BYTES)
            if body is None:
                return await _refuse(scope, send, "form too large", status=413)
            token = parse_qs(body.decode("latin-1")).get(CSRF_FIELD, [None])[0]
        if session is None and token is None and scope["path"] in PUBLIC_FORMS:
            if origin == "null":  # a sandboxed frame on another site; a browser on ours names us
                return await _refuse(scope, send, "origin")
            return await self.app(scope, receive, send)
        if session is None or not token or not hmac.compare_digest(token, session.csrf_token):
            return await _refuse(scope, send, "csrf")
        await self.app(scope, receive, send)


async def _refuse(scope, send, reason: str, status: int = 403):
    wants_json = scope["path"].startswith("/api/") or "json" in (_header(scope, b"accept") or "")
    nl = ("Dit verzoek is geweigerd: de beveiligingscode (CSRF) ontbreekt of klopt niet. "
          "Laad de pagina opnieuw en probeer het nog eens.")
    en = ("This request was refused: the security token (CSRF) is missing or wrong. "
          "Reload the page and try again.")
    if status == 413:
        nl, en = "Het formulier is te groot.", "The form is too large."
    if wants_json:
        body = json.dumps({"errors": [{"field": "csrf_token", "code": reason.replace(" ", "_"),
                                       "message_nl": nl, "message_en": en}]}).encode()
        ctype = b"application/json"
    else:
        body = (f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Geweigerd / Refused</title>'
                f'</head><body><main><h1>Geweigerd</h1><p>{nl}</p><p lang="en">{en}</p>'
                f'<p><a href="/">Terug naar het portaal / Back to the portal</a></p></main></body></html>').encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
