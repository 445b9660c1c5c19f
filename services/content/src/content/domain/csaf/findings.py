"""What a CSAF check reports: which test failed, where, and why (in Dutch and English)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """One failure of one test.

    `test` is the section number of the CSAF 2.0 mandatory test ("6.1.1"), or "json" for
    bytes that are not JSON, or "schema" for a JSON Schema violation.
    `path` is a JSON Pointer (RFC 6901) into the document, "" for the whole document.
    """

    test: str
    path: str
    message_en: str
    message_nl: str


def pointer(*parts: str | int) -> str:
    """Build a JSON Pointer from path parts, escaping "~" and "/" as RFC 6901 says."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
