"""The gateway as identity's OAuth client: exchange the one-time code (with the PKCE verifier),
refresh, revoke. Server to server; the browser never sees a token."""
from __future__ import annotations

import httpx


class IdentityRefused(Exception):
    """identity said no (bad code, revoked refresh token...) or could not be reached."""

    def __init__(self, reason: str, status: int | None = None):
        super().__init__(reason)
        self.reason, self.status = reason, status


class IdentityClient:
    def __init__(self, http: httpx.AsyncClient, *, base_url: str, client_id: str, client_secret: str,
                 redirect_uri: str):
        self.http, self.base_url = http, base_url.rstrip("/")
        self.client_id, self._secret, self.redirect_uri = client_id, client_secret, redirect_uri

    async def _token(self, form: dict) -> dict:
        form = {**form, "client_id": self.client_id, "client_secret": self._secret}
        try:
            resp = await self.http.post(f"{self.base_url}/token", data=form)
        except httpx.HTTPError as exc:
            raise IdentityRefused(f"identity unreachable: {type(exc).__name__}") from None
        if resp.status_code != 200:
            raise IdentityRefused(f"identity answered {resp.status_code}", resp.status_code)
        body = resp.json()
        if not isinstance(body, dict) or not {"access_token", "refresh_token", "person"} <= body.keys():
            raise IdentityRefused("identity's token answer lacks fields")
        return body

    async def exchange_code(self, code: str, code_verifier: str) -> dict:
        return await self._token({"grant_type": "authorization_code", "code": code,
                                  "redirect_uri": self.redirect_uri, "code_verifier": code_verifier})

    async def refresh(self, refresh_token: str, organisation_id: str | None = None) -> dict:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
        if organisation_id:
            form["organisation_id"] = organisation_id
        return await self._token(form)

    async def revoke(self, refresh_token: str) -> None:
        """Best effort: a logout always ends the session here, even if identity is down."""
        try:
            await self.http.post(f"{self.base_url}/revoke", data={
                "token": refresh_token, "client_id": self.client_id, "client_secret": self._secret})
        except httpx.HTTPError:
            pass
