"""Pulls new CSAF documents from providers: provider-metadata.json, then each distribution's
directory (`index.txt`) and ROLIE feeds. Every document goes through the same checks as an
upload and becomes a draft; nothing from outside is published without an editor.

One replica polls at a time (a PostgreSQL advisory lock), and a document is fetched again
only when its bytes changed.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from urllib.parse import urljoin
from uuid import NAMESPACE_URL, uuid5

import httpx
from weerbaar_platform.errors import DomainError as HttpRefusal

from ..domain.publishing import Editor
from ..ingest import CsafRefused, ingest_csaf

log = logging.getLogger(__name__)

#: The author recorded on drafts that came from a feed; never an approver, being no person.
FEED_PERSON = uuid5(NAMESPACE_URL, "weerbaar:content:csaf-provider-feed")
_POLL_LOCK = 727_071


async def document_urls(client: httpx.AsyncClient, metadata_url: str) -> list[str]:
    """Every CSAF document URL a provider lists, from its directories and ROLIE feeds."""
    metadata = (await _get(client, metadata_url)).json()
    urls: list[str] = []
    for distribution in metadata.get("distributions", []):
        directory = distribution.get("directory_url")
        if directory:
            base = directory.rstrip("/") + "/"
            index = (await _get(client, base + "index.txt")).text
            urls += [urljoin(base, line.strip()) for line in index.splitlines() if line.strip()]
        for feed in (distribution.get("rolie") or {}).get("feeds", []):
            body = (await _get(client, feed["url"])).json()
            for entry in (body.get("feed") or {}).get("entry", []):
                src = (entry.get("content") or {}).get("src")
                if src:
                    urls.append(urljoin(feed["url"], src))
    return list(dict.fromkeys(urls))


async def _get(client: httpx.AsyncClient, url: str) -> httpx.Response:
    response = await client.get(url)
    response.raise_for_status()
    return response


async def poll_once(runtime) -> dict[str, str]:
    """One pass over every configured provider; url -> what happened, for what was new."""
    outcomes: dict[str, str] = {}
    editor = Editor(str(FEED_PERSON), is_editor=True)
    async with httpx.AsyncClient(timeout=30, follow_redirects=True) as client:
        for metadata_url in runtime.settings.csaf_provider_urls:
            try:
                urls = await document_urls(client, metadata_url)
            except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
                log.warning("CSAF provider unreadable", extra={"url": metadata_url, "error": repr(exc)})
                continue
            for url in urls:
                try:
                    raw = (await _get(client, url)).content
                except httpx.HTTPError as exc:
                    log.warning("CSAF document unreachable", extra={"url": url, "error": repr(exc)})
                    continue
                digest = hashlib.sha256(raw).hexdigest()
                async with runtime.pool.acquire() as conn:
                    if await conn.fetchval("SELECT sha256 = $2 FROM feed_documents WHERE url = $1", url, digest):
                        continue
                try:
                    result = await ingest_csaf(runtime, raw, url, uploaded_by=FEED_PERSON, editor=editor)
                    outcome = f"ingested {result['tracking_id']} {result['csaf_version']}"
                except CsafRefused as refused:
                    outcome = "refused " + ", ".join(refused.validation.failed_tests)
                except HttpRefusal as refused:  # e.g. a version we already have
                    outcome = "skipped " + refused.errors[0].code
                async with runtime.pool.acquire() as conn:
                    await conn.execute(
                        "INSERT INTO feed_documents (url, sha256, outcome) VALUES ($1, $2, $3) ON CONFLICT (url) "
                        "DO UPDATE SET sha256 = excluded.sha256, outcome = excluded.outcome, fetched_at = now()",
                        url, digest, outcome)
                outcomes[url] = outcome
                log.info("CSAF document from a provider", extra={"url": url, "outcome": outcome})
    return outcomes


async def poll_providers(runtime) -> None:
    """Background job: poll now and then every `csaf_poll_seconds`, one replica at a time."""
    if not runtime.settings.csaf_provider_urls:
        return
    while True:
        try:
            async with runtime.pool.acquire() as conn:
                if await conn.fetchval("SELECT pg_try_advisory_lock($1)", _POLL_LOCK):
                    try:
                        await poll_once(runtime)
                    finally:
                        await conn.execute("SELECT pg_advisory_unlock($1)", _POLL_LOCK)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("polling CSAF providers failed; trying again at the next interval")
        await asyncio.sleep(runtime.settings.csaf_poll_seconds)
