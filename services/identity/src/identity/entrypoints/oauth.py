"""Server-to-server endpoints for the gateway: /token, /revoke, and the public JWKS."""
from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ..context import context_of
from ..domain.secrets import same_secret
from ..flows import tokens
from ..flows.tokens import OAuthError
from ..settings import ClientRegistration

router = APIRouter(tags=["tokens"])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _error(exc: OAuthError) -> JSONResponse:
    headers = {**NO_STORE, **({"WWW-Authenticate": 'Basic realm="token"'} if exc.status == 401 else {})}
    return JSONResponse({"error": exc.error, "error_description": exc.description}, status_code=exc.status,
                        headers=headers)


def authenticate_client(request: Request, form: dict[str, str], *, required: bool = True) -> ClientRegistration | None:
    """client_secret_post or client_secret_basic (one of them, not both)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        if "client_secret" in form:
            raise OAuthError("invalid_request", "use one client authentication method, not two")
        try:
            client_id, secret = (unquote_plus(p) for p in
                                 base64.b64decode(header[6:].strip(), validate=True).decode().split(":", 1))
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise OAuthError("invalid_client", "malformed Basic authorization header", 401) from None
    else:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    if not required and client_id is None:
        return None
    client = context_of(request).settings.client(client_id)
    if client is None or not same_secret(client.client_secret, secret):
        raise OAuthError("invalid_client", "client authentication failed", 401)
    return client


@router.post("/token", summary="Exchange a one-time code or a refresh token for tokens")
async def token(request: Request):
    ctx = context_of(request)
    pool = request.app.state.runtime.pool
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        client = authenticate_client(request, form)
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            body = await tokens.redeem_code(pool, ctx, client_id=client.client_id, code=form.get("code", ""),
                                            redirect_uri=form.get("redirect_uri", ""),
                                            code_verifier=form.get("code_verifier"))
        elif grant_type == "refresh_token":
            try:
                organisation_id = UUID(form["organisation_id"]) if form.get("organisation_id") else None
            except ValueError:
                raise OAuthError("invalid_request", "organisation_id is not a valid id") from None
            body = await tokens.refresh(pool, ctx, client_id=client.client_id,
                                        refresh_token=form.get("refresh_token", ""), organisation_id=organisation_id)
        else:
            raise OAuthError("unsupported_grant_type", "use authorization_code or refresh_token")
    except OAuthError as exc:
        return _error(exc)
    return JSONResponse(body, headers=NO_STORE)


@router.post("/revoke", summary="Revoke a refresh token (and the session it belongs to)")
async def revoke(request: Request):
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        client = authenticate_client(request, form, required=False)
    except OAuthError as exc:
        return _error(exc)
    await tokens.revoke(request.app.state.runtime.pool, form.get("token", ""), client.client_id if client else None)
    return JSONResponse({}, headers=NO_STORE)


@router.get("/.well-known/jwks.json", summary="Public keys of the access tokens (current and previous)")
async def jwks(request: Request):
    ring = context_of(request).keyring
    await ring.load_if_stale(30)  # another replica may have rotated
    return JSONResponse(ring.jwks(), headers={"Cache-Control": "public, max-age=60"})
