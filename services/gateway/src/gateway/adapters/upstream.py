"""Calls from the gateway to the services, on behalf of a person: each with a timeout, each
with the person's access token (refreshed when it is about to expire). A service that is down,
slow, failing or lacks the endpoint raises `Unavailable`, which callers turn into a part of
the page that says so."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone

import httpx
from weerbaar_platform import correlation

from ..domain.session import Session, with_tokens
from .identity import IdentityClient, IdentityRefused
from .sessions import SessionStore

SERVICES = ("identity", "registry", "incidents", "content", "notify")


class Unavailable(Exception):
    def __init__(self, service: str, reason: str):
        super().__init__(f"{service}: {reason}")
        self.service, self.reason = service, reason


class SessionEnded(Exception):
    """The refresh token no longer works (revoked, expired): the person has to log in again."""


class NotAMember(Exception):
    """identity refused to let the person act for that organisation; the session stays valid."""


class Upstream:
    def __init__(self, http: httpx.AsyncClient, *, urls: dict[str, str], timeout: float,
                 sessions: SessionStore, identity: IdentityClient):
        self.http, self.urls, self.timeout = http, urls, timeout
        self.sessions, self.identity = sessions, identity

    async def fresh(self, session: Session, *, organisation_id: str | None = None) -> Session:
        """The session with a usable access token; with `organisation_id`, acting for that one."""
        now = datetime.now(timezone.utc)
        if organisation_id is None and not session.needs_refresh(now):
            return session

        async def refresh(current: Session) -> Session:
            try:
                body = await self.identity.refresh(current.refresh_token, organisation_id)
            except IdentityRefused as exc:
                if organisation_id is not None and exc.status == 403:
                    raise NotAMember() from None  # checked before the refresh token is used
                raise SessionEnded(exc.reason) from None
            return with_tokens(current, body, datetime.now(timezone.utc))

        return await self.sessions.refresh_locked(session, refresh, force=organisation_id is not None)

    def _headers(self, session: Session, extra: dict | None = None) -> dict:
        headers = {"Authorization": f"Bearer {session.access_token}", "Accept": "application/json"}
        if cid := correlation.current():
            headers[correlation.HEADER] = cid
        return {**headers, **(extra or {})}

    async def call(self, session: Session, service: str, method: str, path: str, *,
                   params=None, json=None, data=None, headers: dict | None = None,
                   timeout: float | None = None) -> httpx.Response:
        session = await self.fresh(session)
        try:
            resp = await self.http.request(method, self.urls[service] + path, params=params, json=json,
                                           data=data, headers=self._headers(session, headers),
                                           timeout=timeout or self.timeout)
        except httpx.TimeoutException:
            raise Unavailable(service, "timeout") from None
        except httpx.HTTPError as exc:
            raise Unavailable(service, f"unreachable ({type(exc).__name__})") from None
        return _checked(service, resp)

    async def stream_download(self, session: Session, service: str, path: str, *,
                              timeout: float = 120) -> httpx.Response:
        """A GET whose body is not read here: the caller streams it on and closes the response."""
        session = await self.fresh(session)
        request = self.http.build_request("GET", self.urls[service] + path, headers=self._headers(session),
                                          timeout=timeout)
        try:
            resp = await self.http.send(request, stream=True)
        except httpx.TimeoutException:
            raise Unavailable(service, "timeout") from None
        except httpx.HTTPError as exc:
            raise Unavailable(service, f"unreachable ({type(exc).__name__})") from None
        if resp.status_code >= 400:
            await resp.aread()
            await resp.aclose()
        return _checked(service, resp)

    async def stream_upload(self, session: Session, service: str, path: str, body: AsyncIterator[bytes], *,
                            content_type: str, params=None, timeout: float = 120) -> httpx.Response:
        """Pass a request body through without holding it: the service sees the same multipart
        stream (and applies its own size limit) while the gateway counts bytes (see caller)."""
        session = await self.fresh(session)
        try:
            resp = await self.http.post(self.urls[service] + path, content=body, params=params,
                                        headers=self._headers(session, {"Content-Type": content_type}),
                                        timeout=timeout)
        except httpx.TimeoutException:
            raise Unavailable(service, "timeout") from None
        except httpx.HTTPError as exc:
            raise Unavailable(service, f"unreachable ({type(exc).__name__})") from None
        return _checked(service, resp)


def _checked(service: str, resp: httpx.Response) -> httpx.Response:
    if resp.status_code == 503:
        raise Unavailable(service, "answered 503")
    if resp.status_code >= 500:
        # A fault, not downtime: say so, with the reference the service logged it under.
        raise Unavailable(service, "failed")
    if resp.status_code in (404, 405) and _route_missing(resp):
        # The platform answers an unknown route with code http_404/http_405, a missing thing
        # with code not_found: the first means "this service has no such endpoint (yet)".
        raise Unavailable(service, "endpoint not available")
    return resp


def _route_missing(resp: httpx.Response) -> bool:
    try:
        errors = resp.json().get("errors") or []
    except ValueError:
        return True
    return bool(errors) and errors[0].get("code") in ("http_404", "http_405")
