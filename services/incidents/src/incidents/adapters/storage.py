"""Where attachment bytes live: a small port, with a filesystem implementation.

An S3 implementation would fit the same three methods; keys are ours (hex uuids), never a
name the uploader chose, so no path can escape the storage root.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

_KEY = re.compile(r"^[0-9a-f]{32}$")
READ_CHUNK = 64 * 1024


class AttachmentStorage(Protocol):
    async def save(self, key: str, chunks: AsyncIterator[bytes]) -> None:
        """Store everything ``chunks`` yields; if it raises, nothing is kept and it re-raises."""
        ...

    def read(self, key: str) -> AsyncIterator[bytes]: ...

    async def delete(self, key: str) -> None: ...


class FilesystemStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        (self.root / "partial").mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("storage keys are 32 hexadecimal characters")
        return self.root / key[:2] / key

    async def save(self, key: str, chunks: AsyncIterator[bytes]) -> None:
        final = self._path(key)
        partial = self.root / "partial" / f"{key}.part"
        handle = await asyncio.to_thread(open, partial, "wb")
        try:
            async for chunk in chunks:
                if chunk:
                    await asyncio.to_thread(handle.write, chunk)
            await asyncio.to_thread(_flush_and_sync, handle)
        except BaseException:
            handle.close()
            partial.unlink(missing_ok=True)
            raise
        handle.close()
        # Only complete files ever appear under their key.
        await asyncio.to_thread(final.parent.mkdir, exist_ok=True)
        await asyncio.to_thread(os.replace, partial, final)

    async def read(self, key: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self._path(key), "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, READ_CHUNK):
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


def _flush_and_sync(handle) -> None:
    handle.flush()
    os.fsync(handle.fileno())
