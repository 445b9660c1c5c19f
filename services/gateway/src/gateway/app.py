"""Composition root of the gateway: the portal API (/api, one OpenAPI document), the web
pages, the login towards identity, and the protections every request passes."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from weerbaar_platform.service import Runtime, ServiceSpec, build_app

from .adapters import ratelimit
from .adapters.identity import IdentityClient
from .adapters.sessions import SessionStore
from .adapters.upstream import SERVICES, Upstream
from .entrypoints import api, login, pages, pages_csirt, pages_registration, public, routes
from .entrypoints.middleware import SecurityHeaders, SessionAndCsrf, origin_of
from .entrypoints.web import cookie_names
from .settings import GatewaySettings

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
#: `npm ci` in services/gateway puts the NL Design System CSS here (deploy/local/setup.sh).
NODE_MODULES = HERE.parents[1] / "node_modules"
STATIC_PACKAGES = {
    "utrecht": "@utrecht/component-library-css/dist",
    "theme-voorbeeld": "@nl-design-system-unstable/voorbeeld-design-tokens/dist",
    "theme-rijkshuisstijl": "@rijkshuisstijl-community/design-tokens/dist",
}


def create_app(settings: GatewaySettings, *, http_transport: httpx.AsyncBaseTransport | None = None) -> FastAPI:
    """`http_transport` lets tests route the gateway's calls to in-process services."""

    async def wire(runtime: Runtime) -> None:
        http = httpx.AsyncClient(transport=http_transport, timeout=settings.service_timeout_seconds,
                                 limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
        sessions = SessionStore(runtime.pool, settings.session_secret.get_secret_value(),
                                idle=timedelta(minutes=settings.session_idle_minutes),
                                max_age=timedelta(hours=settings.session_max_hours))
        identity = IdentityClient(http, base_url=settings.identity_url, client_id=settings.client_id,
                                  client_secret=settings.identity_client_secret.get_secret_value(),
                                  redirect_uri=settings.callback_url)
        runtime.extras.update(
            http=http, sessions=sessions, identity=identity,
            upstream=Upstream(http, urls={s: settings.service_url(s) for s in SERVICES},
                              timeout=settings.service_timeout_seconds, sessions=sessions, identity=identity))

    async def housekeeping(runtime: Runtime) -> None:
        """Forget expired sessions and old rate-limit windows; close the HTTP pool on stop."""
        try:
            while True:
                with contextlib.suppress(Exception):
                    await runtime.extras["sessions"].purge_expired()
                    await ratelimit.purge(runtime.pool)
                await asyncio.sleep(300)
        finally:
            await runtime.extras["http"].aclose()

    spec = ServiceSpec(
        name="gateway",
        description="The portal API of Weerbaar: composes identity, registry, incidents, content "
                    "and notify for the web pages and other clients. Every call needs a session "
                    "(cookie) and, when it changes something, the session's CSRF token in the "
                    "X-CSRF-Token header.",
        migrations=HERE / "migrations",
        routers=[public.router, login.router, api.router, pages.router, pages_registration.router, pages_csirt.router],
        on_start=[wire],
        background=[housekeeping],
        run_relay=False,
        streamed_paths=routes.streamed_paths(),
    )
    app = build_app(spec, settings)
    # Swagger UI needs inline script and a CDN, which our CSP forbids; the document stays.
    app.router.routes = [r for r in app.router.routes
                         if getattr(r, "path", None) not in ("/docs", "/docs/oauth2-redirect", "/redoc")]
    for name, relative in STATIC_PACKAGES.items():
        app.mount(f"/static/{name}", StaticFiles(directory=NODE_MODULES / relative, check_dir=False), name=name)
    app.mount("/static/portal", StaticFiles(directory=HERE / "static"), name="portal")
    app.state.settings = settings
    app.add_exception_handler(pages.LoginRequired, pages.login_required_handler)
    app.add_exception_handler(pages.StaffOnly, pages.staff_only_handler)
    app.add_middleware(SessionAndCsrf, cookie_name=cookie_names(settings)[0],
                       public_origin=origin_of(settings.public_url))
    outermost(app, SecurityHeaders)
    return app


def outermost(app: FastAPI, middleware) -> None:
    """Wrap the whole stack, Starlette's ServerErrorMiddleware included: that one answers an
    unexpected error (the platform's 500 handler) outside anything `add_middleware` adds, so
    headers put on there would be missing from exactly the answers an attacker provokes."""
    build = app.build_middleware_stack
    app.build_middleware_stack = lambda: middleware(build())
