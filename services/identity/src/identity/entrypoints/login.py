"""The browser's way through a login: gateway -> /authorize -> upstream IdP -> callback ->
gateway with a one-time code. A refusal shows a bilingual page instead and is audited."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ..adapters import ratelimit
from ..adapters.upstream import IdTokenRejected
from ..context import context_of
from ..domain import levels, refusals
from ..domain.login import IDPS, UpstreamLogin
from ..domain.secrets import digest, new_code_verifier, new_secret
from ..flows.login import complete_login, record_refusal
from ..flows.tokens import issue_code
from .pages import refusal_page

router = APIRouter(tags=["login"])


def _with_query(uri: str, **params: str) -> str:
    parts = urlsplit(uri)
    extra = urlencode(params)
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def _client_ip(request: Request) -> str:
    # The peer address: behind a proxy, run uvicorn with proxy headers from trusted hosts only.
    return request.client.host if request.client else "unknown"


@router.get("/authorize", include_in_schema=True, summary="Start a login (gateway sends the browser here)")
async def authorize(request: Request, idp: str = "", client_id: str = "", redirect_uri: str = "",
                    state: str = "", code_challenge: str = "", code_challenge_method: str = "",
                    login_hint: str | None = None):
    ctx = context_of(request)
    client = ctx.settings.client(client_id)
    if client is None or redirect_uri not in client.redirect_uris:
        # Never redirect to an address we do not know: that would make us an open redirector.
        return refusal_page(refusals.bad_request("unknown client_id or redirect_uri"))

    def back_with(error: str, description: str):
        return RedirectResponse(_with_query(redirect_uri, error=error, error_description=description,
                                            state=state), status_code=302)

    if idp not in IDPS:
        return back_with("invalid_request", "idp must be ssonrijk or eherkenning")
    if code_challenge_method != "S256" or not code_challenge or not state:
        return back_with("invalid_request", "state and a PKCE code_challenge with method S256 are required")
    runtime = request.app.state.runtime
    s = ctx.settings
    if not await ratelimit.hit(runtime.pool, f"ip:{_client_ip(request)}", limit=s.login_limit_per_ip,
                               window_seconds=s.login_limit_window_seconds):
        await record_refusal(runtime.pool, ctx, refusals.too_many_attempts(), idp=idp, login=None,
                             client_ip=_client_ip(request), limit="ip")
        return refusal_page(refusals.too_many_attempts())
    upstream_state, nonce, verifier = new_secret(), new_secret(), new_code_verifier()
    await runtime.pool.execute(
        "INSERT INTO login_requests (state_hash, idp, nonce, code_verifier, client_id, redirect_uri, client_state, "
        "code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        digest(upstream_state), idp, nonce, verifier, client_id, redirect_uri, state, code_challenge,
        datetime.now(timezone.utc) + timedelta(seconds=s.login_request_lifetime_seconds))
    try:
        url = await ctx.upstreams[idp].authorization_url(state=upstream_state, nonce=nonce, code_verifier=verifier,
                                                         login_hint=login_hint)
    except (httpx.HTTPError, IdTokenRejected):
        return refusal_page(refusals.upstream_unavailable("SSOnRijk" if idp == "ssonrijk" else "eHerkenning"))
    return RedirectResponse(url, status_code=302, headers={"Cache-Control": "no-store"})


@router.get("/login/{idp}/callback", summary="Where the upstream IdP sends the browser back")
async def callback(request: Request, idp: str, code: str | None = None, state: str | None = None,
                   error: str | None = None, iss: str | None = None):
    ctx = context_of(request)
    runtime = request.app.state.runtime
    ip = _client_ip(request)
    if idp not in IDPS:
        return refusal_page(refusals.bad_request("unknown idp"))
    # Single use: the pending login is deleted as it is read, whatever happens next.
    pending = await runtime.pool.fetchrow(
        "DELETE FROM login_requests WHERE state_hash = $1 AND idp = $2 RETURNING *", digest(state or ""), idp)
    upstream = ctx.upstreams[idp]
    login: UpstreamLogin | None = None
    try:
        if pending is None or pending["expires_at"] <= datetime.now(timezone.utc):
            raise refusals.login_expired()
        if iss is not None and iss.rstrip("/") != upstream.issuer:  # RFC 9207: mix-up defence
            raise refusals.login_not_verified("iss")
        if error or not code:
            raise refusals.upstream_error(error or "no code")
        try:
            claims = await upstream.redeem(code=code, code_verifier=pending["code_verifier"], nonce=pending["nonce"])
        except IdTokenRejected as exc:
            raise refusals.login_not_verified(exc.reason) from None
        except httpx.HTTPError:
            raise refusals.upstream_unavailable("SSOnRijk" if idp == "ssonrijk" else "eHerkenning") from None
        login = UpstreamLogin.from_claims(idp, claims)
        s = ctx.settings
        if not await ratelimit.hit(runtime.pool, f"account:{login.account}", limit=s.login_limit_per_account,
                                   window_seconds=s.login_limit_window_seconds):
            raise refusals.too_many_attempts()
        if idp == "eherkenning" and not levels.is_sufficient(login.acr):
            raise refusals.level_too_low(levels.label(login.acr))
        async with runtime.pool.acquire() as conn, conn.transaction():
            person_id, acting = await complete_login(conn, ctx, login, ip)
            one_time_code = await issue_code(conn, ctx, person_id=person_id, client_id=pending["client_id"],
                                             redirect_uri=pending["redirect_uri"],
                                             code_challenge=pending["code_challenge"], acting=acting,
                                             login_kvk=login.kvk, login_oin=login.oin)
    except refusals.Refusal as refusal:
        await record_refusal(runtime.pool, ctx, refusal, idp=idp, login=login, client_ip=ip)
        return refusal_page(refusal)
    return RedirectResponse(_with_query(pending["redirect_uri"], code=one_time_code, state=pending["client_state"]),
                            status_code=302, headers={"Cache-Control": "no-store"})
