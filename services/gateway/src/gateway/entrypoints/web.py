"""What the gateway's routes share: the cookies, the session of the request, the language,
and rendering a page."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from weerbaar_platform.errors import DomainError
from weerbaar_platform.text import sentence

from ..domain import wording
from ..domain.language import Texts, choose
from ..domain.session import Session
from ..settings import GatewaySettings

LANG_COOKIE = "weerbaar-lang"
THEME_COOKIE = "weerbaar-theme"
THEMES = {"voorbeeld": "voorbeeld-theme", "rijkshuisstijl": "rhc-theme"}

_templates = Environment(loader=FileSystemLoader(Path(__file__).parents[1] / "templates"),
                         autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def cookie_names(settings: GatewaySettings) -> tuple[str, str]:
    """(session cookie, login cookie). `__Host-` binds them to this host, path / and Secure."""
    if settings.secure_cookies:
        return "__Host-weerbaar-session", "__Host-weerbaar-login"
    return "weerbaar-session", "weerbaar-login"


def settings_of(request: Request) -> GatewaySettings:
    return request.app.state.settings


def extras(request: Request) -> dict[str, Any]:
    return request.app.state.runtime.extras


def session_of(request: Request) -> Session | None:
    return getattr(request.state, "session", None)


class NotLoggedIn(DomainError):
    def __init__(self):
        super().__init__("session", "not_logged_in", "U bent niet ingelogd of uw sessie is verlopen. Log opnieuw in.",
                         "You are not logged in or your session expired. Log in again.", 401)


def require_session(request: Request) -> Session:
    """Dependency of every /api route but the public ones."""
    session = session_of(request)
    if session is None:
        raise NotLoggedIn()
    return session


def language(request: Request) -> str:
    session = session_of(request)
    return choose(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE),
                  session.language if session else None)


def set_cookie(response, settings: GatewaySettings, name: str, value: str, *, max_age: int | None,
               httponly: bool = True) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", secure=settings.secure_cookies,
                        httponly=httponly, samesite=settings.cookie_samesite)


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    settings = settings_of(request)
    lang = language(request)
    theme_name = request.query_params.get("theme") or request.cookies.get(THEME_COOKIE)
    theme_name = theme_name if theme_name in THEMES else "voorbeeld"
    session = session_of(request)
    html = _templates.get_template(template).render(
        request=request, lang=lang, _=Texts(lang), session=session, theme_name=theme_name,
        label=lambda names, code: (names or {}).get(lang) or code,
        stage_name=wording.stage_name, local_time=wording.local_time, sentence=sentence,
        theme_class=THEMES[theme_name], path=request.url.path,
        csrf_token=session.csrf_token if session else "", **context)
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") in ("nl", "en"):
        set_cookie(response, settings, LANG_COOKIE, lang, max_age=365 * 86400)
    if request.query_params.get("theme") in THEMES:
        set_cookie(response, settings, THEME_COOKIE, theme_name, max_age=365 * 86400)
    return response


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    from urllib.parse import quote

    return RedirectResponse(f"/login?return_to={quote(target, safe='')}", status_code=303)
