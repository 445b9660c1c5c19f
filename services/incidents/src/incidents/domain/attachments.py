"""Evidence files: counting, hashing and recognising them while they stream in.

The size limit is checked on every chunk, so a too-large upload is refused after at most
one chunk beyond the limit instead of after it has all been read. The type comes from the
content (magic numbers), never from the name or the header the uploader chose.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import puremagic

from incidents.domain.errors import DomainError

SNIFF_BYTES = 8192
GENERIC_TYPE = "application/octet-stream"


class AttachmentTooLarge(DomainError):
    def __init__(self, limit: int) -> None:
        mb = f"{limit / 1_048_576:.1f}".rstrip("0").rstrip(".")
        super().__init__(
            "file", "too_large",
            f"Het bestand is groter dan {mb} MB. Verklein het of verdeel het over meer bestanden.",
            f"The file is larger than {mb} MB. Make it smaller or split it over several files.",
        )
        self.limit = limit


class AttachmentMeter:
    """Follows an upload chunk by chunk: size, SHA-256 and the first bytes for type detection."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self._sha256 = hashlib.sha256()
        self._head = bytearray()

    def check_declared(self, content_length: str | None) -> None:
        """Refuse on the declared length alone, before reading a byte."""
        if content_length is not None and content_length.strip().isdigit() and int(content_length) > self.limit:
            raise AttachmentTooLarge(self.limit)

    def feed(self, chunk: bytes) -> bytes:
        self.size += len(chunk)
        if self.size > self.limit:
            raise AttachmentTooLarge(self.limit)
        self._sha256.update(chunk)
        if len(self._head) < SNIFF_BYTES:
            self._head += chunk[: SNIFF_BYTES - len(self._head)]
        return chunk

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @property
    def head(self) -> bytes:
        return bytes(self._head)


def detect_type(head: bytes) -> str:
    """The MIME type the content shows; plain text when it is readable UTF-8, else generic."""
    if not head:
        return GENERIC_TYPE
    try:
        found = puremagic.from_string(head, mime=True)
    except (puremagic.PureError, ValueError):
        found = ""
    if found:
        return found
    try:
        # A multi-byte character may be cut at the end of the sniffed bytes.
        head.decode("utf-8") if len(head) < SNIFF_BYTES else head[:-4].decode("utf-8")
    except UnicodeDecodeError:
        return GENERIC_TYPE
    return "text/plain"


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_filename(name: str | None) -> str:
    """A name to show and to offer on download: no path, no control characters, bounded."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name)
    # Format characters (Cf) such as U+202E RIGHT-TO-LEFT OVERRIDE make "evil\u202egpj.exe" read
    # as "evilexe.jpg" on screen: a name someone is meant to trust must read as it is.
    name = "".join("_" if unicodedata.category(ch) == "Cf" else ch for ch in name).strip(" .")
    return name[:200] or "bijlage"


def check_not_empty(size: int) -> None:
    if size == 0:
        raise DomainError("file", "empty", "Het bestand is leeg.", "The file is empty.")
