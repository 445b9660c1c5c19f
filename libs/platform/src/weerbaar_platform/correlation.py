"""The correlation id: carried from the HTTP header `X-Correlation-ID` into the events a request
causes, and from an event into the events and calls its handler causes."""
from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

HEADER = "X-Correlation-ID"
_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def current() -> str | None:
    return _current.get()


def set_current(value: str | None):
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)


def accept_or_new(value: str | None) -> str:
    """Keep a caller's id when it is sane, else start a new one (never echo arbitrary input)."""
    return value if value and _VALID.match(value) else str(uuid.uuid4())


class CorrelationMiddleware:
    """ASGI middleware: sets the correlation id for the request and returns it in the response."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = None
        for name, value in scope.get("headers", []):
            if name == b"x-correlation-id":
                incoming = value.decode("latin-1")
        cid = accept_or_new(incoming)
        token = set_current(cid)

        async def send_with_header(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-correlation-id", cid.encode()))
            await send(message)

        started = False

        async def send_tracking(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_header(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception:
            # Answer here, while the correlation id is still set, so the log line and the 500
            # carry the reference the user is asked to quote.
            logging.getLogger("weerbaar_platform.errors").exception("unhandled error")
            if started:
                raise
            from .errors import internal_error_response

            await internal_error_response()(scope, receive, send_with_header)
        finally:
            reset(token)
