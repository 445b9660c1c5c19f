"""Backend-for-frontend login through identity (see the login protocol in the design notes):

1. `/login/{idp}`: new state + PKCE verifier kept server side, bound to this browser by a
   short-lived login cookie; the browser goes to identity's /authorize with the S256 challenge.
2. `/login/callback`: the state must be one we issued *to this browser* and not used before;
   the one-time code is exchanged server to server with the verifier and our client secret.
   The tokens stay in the session table; the browser gets only a new random session cookie.
3. `/logout` (POST, CSRF-checked): the refresh token is revoked and the session forgotten.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from typing import Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from ..adapters import ratelimit
from ..adapters.identity import IdentityRefused
from ..domain import pkce
from ..domain.session import from_token_response, new_csrf_token
from .web import cookie_names, extras, render, session_of, set_cookie, settings_of

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
IDPS = ("ssonrijk", "eherkenning")


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _rate_limited(request: Request) -> bool:
    settings = settings_of(request)
    return not await ratelimit.allow(request.app.state.runtime.pool, f"login:{client_ip(request)}",
                                     settings.login_rate_per_minute)


def _too_many(request: Request):
    response = render(request, "error.html", status_code=429,
                      title_nl="Te veel inlogpogingen", title_en="Too many login attempts",
                      message_nl="Er zijn vanaf uw adres te veel inlogpogingen gedaan. Wacht een minuut en probeer het opnieuw.",
                      message_en="Too many login attempts came from your address. Wait a minute and try again.")
    response.headers["Retry-After"] = "60"
    return response


@router.get("/login")
async def login_choice(request: Request, return_to: str | None = None):
    return render(request, "login.html", return_to=pkce.safe_return_to(return_to))


@router.get("/login/callback")
async def callback(request: Request, state: str = "", code: str = "", error: str = ""):
    settings = settings_of(request)
    session_cookie, login_cookie = cookie_names(settings)
    if await _rate_limited(request):
        return _too_many(request)
    store = extras(request)["sessions"]
    attempt = await store.take_login(state, request.cookies.get(login_cookie))
    if attempt is None or error or not code:
        log.info("login callback refused", extra={"reason": "state" if attempt is None else error or "no code"})
        return render(request, "error.html", status_code=400,
                      title_nl="Inloggen is niet gelukt", title_en="Logging in did not succeed",
                      message_nl="Deze inlogpoging is verlopen, al gebruikt of niet vanuit deze browser begonnen. Begin opnieuw.",
                      message_en="This login attempt expired, was used already or did not start in this browser. Start again.",
                      retry="/login")
    try:
        body = await extras(request)["identity"].exchange_code(code, attempt["code_verifier"])
    except IdentityRefused as exc:
        log.warning("code exchange refused", extra={"reason": exc.reason})
        return render(request, "error.html", status_code=502,
                      title_nl="Inloggen is niet gelukt", title_en="Logging in did not succeed",
                      message_nl="De inlogdienst kon uw inlog niet bevestigen. Probeer het opnieuw.",
                      message_en="The login service could not confirm your login. Try again.", retry="/login")
    # Never reuse a cookie that was there before the login (session fixation).
    if old := session_of(request):
        await store.delete(old.id_hash)
    cookie_value = store.new_cookie_value()
    now = datetime.now(timezone.utc)
    session = from_token_response(body, id_hash=store.hash(cookie_value), csrf_token=new_csrf_token(),
                                  now=now, max_age=timedelta(hours=settings.session_max_hours))
    await store.save(session)
    target = attempt["return_to"]
    if session.acting_organisation is None and not session.is_staff and target == "/":
        target = "/registratie"
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, settings, session_cookie, cookie_value, max_age=settings.session_max_hours * 3600)
    response.delete_cookie(login_cookie, path="/", secure=settings.secure_cookies, httponly=True,
                           samesite=settings.cookie_samesite)
    return response


@router.get("/login/{idp}")
async def start(request: Request, idp: Literal["ssonrijk", "eherkenning"], return_to: str | None = None):
    settings = settings_of(request)
    if await _rate_limited(request):
        return _too_many(request)
    _, login_cookie = cookie_names(settings)
    store = extras(request)["sessions"]
    browser = request.cookies.get(login_cookie) or store.new_cookie_value()
    state, verifier = pkce.new_state(), pkce.new_code_verifier()
    await store.start_login(state=state, browser_cookie=browser, code_verifier=verifier, idp=idp,
                            return_to=pkce.safe_return_to(return_to))
    query = urlencode({"idp": idp, "client_id": settings.client_id, "redirect_uri": settings.callback_url,
                       "state": state, "code_challenge": pkce.code_challenge(verifier),
                       "code_challenge_method": "S256"})
    response = RedirectResponse(f"{settings.browser_identity_url}/authorize?{query}", status_code=303)
    set_cookie(response, settings, login_cookie, browser, max_age=600)
    return response


@router.post("/logout")
async def logout(request: Request):
    settings = settings_of(request)
    session_cookie, _ = cookie_names(settings)
    if session := session_of(request):
        await extras(request)["identity"].revoke(session.refresh_token)
        await extras(request)["sessions"].delete(session.id_hash)
    response = RedirectResponse("/?uitgelogd=1", status_code=303)
    response.delete_cookie(session_cookie, path="/", secure=settings.secure_cookies, httponly=True,
                           samesite=settings.cookie_samesite)
    return response
