"""A bound on request bodies: one larger than the service's limit is refused (413, in Dutch and
English) before any handler runs, whether or not it declares its length, whatever its content
type (a multipart form would otherwise be spooled to disk whole, a "+json" type read into
memory). Only the paths a service names as streamed (uploads of files, feeds, evidence, with
limits of their own that they check while reading) pass untouched."""
from __future__ import annotations

import json
import re
from collections.abc import Iterable

from . import correlation
from .text import readable_size


def _refusal(limit: int) -> bytes:
    size = readable_size(limit)
    return json.dumps({"errors": [{
        "field": "(body)", "code": "body_too_large",
        "message_nl": f"Het verzoek is groter dan {size}. Maak het kleiner of stuur grote bestanden als upload.",
        "message_en": f"The request is larger than {size}. Make it smaller, or send large files as an upload."}],
        "correlation_id": correlation.current()}).encode()


async def read_body(receive, max_bytes: int):
    """Read a request body of at most `max_bytes` in an ASGI middleware: (body, a `receive` that
    hands it to the app again), or (None, receive) when it is larger. A client that goes away
    leaves what arrived so far."""
    chunks, seen = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away
        chunks.append(message.get("body", b""))
        seen += len(chunks[-1])
        if seen > max_bytes:
            return None, receive
        if not message.get("more_body"):
            break
    body, replayed = b"".join(chunks), False

    async def replay():
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay


class BodyLimitMiddleware:
    def __init__(self, app, max_bytes: int, streamed: Iterable[str] = ()):
        """`streamed`: regular expressions of the paths whose endpoints stream their bodies."""
        self.app, self.max_bytes = app, max_bytes
        patterns = list(streamed)
        self.streamed = re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        if self.streamed is not None and self.streamed.fullmatch(scope.get("path", "")):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(send)
        # Read it here, counting: the handler would read all of it anyway.
        body, replay = await read_body(receive, self.max_bytes)
        if body is None:
            return await self._refuse(send)
        await self.app(scope, replay, send)

    async def _refuse(self, send) -> None:
        body = _refusal(self.max_bytes)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
