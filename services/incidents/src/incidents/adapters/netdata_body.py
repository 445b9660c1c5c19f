"""Reading a request body under a size limit, without holding more than the limit.

A declared ``Content-Length`` over the limit is refused before a single byte is read; a body
without one (chunked) is counted while it streams and refused the moment it passes the limit.
"""
from __future__ import annotations

from typing import BinaryIO

from fastapi import Request
from weerbaar_platform.errors import DomainError


class TooLarge(DomainError):
    def __init__(self, limit: int):
        mb = f"{limit / (1024 * 1024):.0f} MB" if limit >= 1024 * 1024 else f"{limit} bytes"
        super().__init__("file", "too_large",
                         f"Het bestand is groter dan {mb}. Splits het, of upload alleen wat veranderd is "
                         "(modus 'add' of 'remove').",
                         f"The file is larger than {mb}. Split it, or upload only what changed "
                         "(mode 'add' or 'remove').", 413)


class EmptyBody(DomainError):
    def __init__(self):
        super().__init__("file", "empty", "Het bestand is leeg.", "The file is empty.", 422)


def _declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise TooLarge(limit)


async def read_limited(request: Request, limit: int) -> bytes:
    """The whole body, at most ``limit`` bytes of it."""
    _declared_length(request, limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        chunks.append(chunk)
    if not size:
        raise EmptyBody()
    return b"".join(chunks)


async def spool_limited(request: Request, limit: int, out: BinaryIO) -> int:
    """Write the body to ``out`` (a file) as it arrives; returns its size."""
    _declared_length(request, limit)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        out.write(chunk)
    if not size:
        raise EmptyBody()
    out.flush()
    return size
