"""Composition root of the stand-in IdP: one FastAPI app serving /ssonrijk and /eherkenning."""

import html
import secrets
import time
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from joserfc.jwk import RSAKey

from .flow import (AuthorizationRequest, CodeStore, OidcError, authenticate_client, check_grant,
                   find_client, read_authorization_request)
from .keys import impostor_key_like, load_or_create_keys
from . import page
from .page import error_page, login_page
from .people import EHERKENNING_LEVELS, IDP_NAMES, SSONRIJK_ACR, TestPerson, load_people
from .settings import IdpSettings
from .tokens import id_token_claims, sign_id_token

TITLES = {"ssonrijk": "SSOnRijk", "eherkenning": "eHerkenning"}
_PAGE_LIFETIME = 600  # seconds a person may take to pick someone on the login page


def _redirect(uri: str, **params: str | None) -> RedirectResponse:
    parts = urlsplit(uri)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    query = f"{parts.query}&{extra}" if parts.query else extra
    return RedirectResponse(urlunsplit(parts._replace(query=query)), status_code=302)


def _oauth_error(error: OidcError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Basic realm="token"'} if error.status == 401 else {}
    return JSONResponse({"error": error.error, "error_description": error.description},
                        status_code=error.status, headers={"Cache-Control": "no-store", **headers})


class StandInIdp:
    """One upstream IdP: its issuer, key, people, and the codes and access tokens it handed out."""

    def __init__(self, name: str, settings: IdpSettings, key: RSAKey, people: list[TestPerson],
                 clock: Callable[[], float]):
        self.name, self.settings, self.key, self.clock = name, settings, key, clock
        self.issuer = settings.issuer(name)
        self.people = {p.id: p for p in people if p.idp == name}
        self.impostor_key = impostor_key_like(key) if settings.allow_tampering else None
        self.codes = CodeStore(settings.code_lifetime_seconds)
        self.access_tokens: dict[str, tuple[TestPerson, float]] = {}
        self.pending: dict[str, tuple[AuthorizationRequest, float]] = {}

    def discovery(self) -> dict:
        acr_values = list(EHERKENNING_LEVELS) if self.name == "eherkenning" else [SSONRIJK_ACR]
        extra = ["kvk"] if self.name == "eherkenning" else ["oin"]
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
            "scopes_supported": ["openid", "profile", "email"],
            "acr_values_supported": acr_values,
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr",
                                 "name", "email", "organization_name", *extra],
        }

    def log_in(self, request: AuthorizationRequest, person: TestPerson) -> RedirectResponse:
        code = self.codes.issue(request, person, self.clock())
        return _redirect(request.redirect_uri, code=code, state=request.state, iss=self.issuer)

    def token_response(self, authorization: str | None, form: dict[str, str]) -> dict:
        if form.get("grant_type") != "authorization_code":
            raise OidcError("unsupported_grant_type", "only grant_type=authorization_code is supported")
        client = authenticate_client(self.settings.clients, authorization, form)
        now = self.clock()
        grant = self.codes.redeem(form.get("code", ""), now)
        check_grant(grant, client, form)
        lifetime = self.settings.token_lifetime_seconds
        claims = id_token_claims(issuer=self.issuer, client_id=client.client_id, person=grant.person,
                                 nonce=grant.request.nonce, auth_time=grant.auth_time,
                                 now=int(now), lifetime=lifetime)
        id_token = sign_id_token(claims, self.key, tamper=grant.request.tamper,
                                 impostor_key=self.impostor_key)
        self.access_tokens = {t: v for t, v in self.access_tokens.items() if v[1] > now}
        access_token = secrets.token_urlsafe(32)
        self.access_tokens[access_token] = (grant.person, now + lifetime)
        return {"access_token": access_token, "token_type": "Bearer", "expires_in": lifetime,
                "id_token": id_token, "scope": grant.request.scope}

    def router(self) -> APIRouter:
        router = APIRouter(prefix=f"/{self.name}", tags=[self.name])

        @router.get("/.well-known/openid-configuration")
        def discovery() -> dict:
            return self.discovery()

        @router.get("/jwks")
        def jwks() -> dict:
            return {"keys": [self.key.as_dict(private=False)]}

        @router.get("/authorize")
        def authorize(request: Request):
            params = dict(request.query_params)
            try:
                find_client(self.settings.clients, params.get("client_id"), params.get("redirect_uri"))
            except OidcError as error:
                return HTMLResponse(error_page("De aanvraag komt van een onbekende toepassing of "
                                               "terugkeeradres.", error.description), status_code=400)
            try:
                auth_request = read_authorization_request(params, allow_tampering=self.settings.allow_tampering)
            except OidcError as error:
                return _redirect(params["redirect_uri"], error=error.error,
                                 error_description=error.description, state=params.get("state"))
            person = self.people.get(params.get("login_hint", ""))
            if person is not None:
                return self.log_in(auth_request, person)
            now = self.clock()
            self.pending = {k: v for k, v in self.pending.items() if v[1] > now}
            request_id = secrets.token_urlsafe(24)
            self.pending[request_id] = (auth_request, now + _PAGE_LIFETIME)
            return HTMLResponse(login_page(TITLES[self.name], f"/{self.name}/authorize", request_id,
                                           list(self.people.values())))

        @router.post("/authorize")
        async def choose_person(request: Request):
            form = await request.form()
            pending = self.pending.pop(str(form.get("request_id", "")), None)
            person = self.people.get(str(form.get("person", "")))
            if pending is None or pending[1] <= self.clock() or person is None:
                return HTMLResponse(error_page("Deze inlogpoging is verlopen of ongeldig; begin opnieuw.",
                                               "This login attempt expired or is invalid; start again."),
                                    status_code=400)
            return self.log_in(pending[0], person)

        @router.post("/token")
        async def token(request: Request):
            form = {k: str(v) for k, v in (await request.form()).items()}
            try:
                body = self.token_response(request.headers.get("authorization"), form)
            except OidcError as error:
                return _oauth_error(error)
            return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

        @router.api_route("/userinfo", methods=["GET", "POST"])
        def userinfo(request: Request):
            header = request.headers.get("authorization", "")
            entry = self.access_tokens.get(header[7:]) if header.lower().startswith("bearer ") else None
            if entry is None or entry[1] <= self.clock():
                return JSONResponse({"error": "invalid_token"}, status_code=401,
                                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
            person = entry[0]
            return {**person.claims(), "acr": person.acr}

        return router


def create_app(settings: IdpSettings, clock: Callable[[], float] = time.time) -> FastAPI:
    keys = load_or_create_keys(settings.keys_file, IDP_NAMES)
    people = load_people(settings.people_file)
    app = FastAPI(title="Weerbaar stand-in IdP (development only)")
    app.state.idps = {name: StandInIdp(name, settings, keys[name], people, clock) for name in IDP_NAMES}
    for idp in app.state.idps.values():
        app.include_router(idp.router())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> str:
        # What a person opening the IdP's root sees: the two stand-in issuers and their discovery.
        items = "".join(
            f'<li><a href="/{name}/.well-known/openid-configuration">{name}</a>: '
            f'{html.escape(settings.issuer_base.rstrip("/"))}/{name}</li>' for name in IDP_NAMES)
        testers = "".join(f"<li>{page.label(p)} — {html.escape(p.idp)}</li>" for p in people)
        return ("<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Stand-in IdP</title>"
                f"<style>{page.STYLE}</style></head><body>"
                "<h1>Stand-in IdP (alleen voor ontwikkeling / development only)</h1>"
                f"<h2>Uitgevers / Issuers</h2><ul>{items}</ul>"
                "<h2>Testpersonen / Test people</h2>"
                "<p>U kiest een van hen wanneer u via de portal inlogt. / You pick one of them when you "
                "log in through the portal.</p>"
                f"<ul>{testers}</ul></body></html>")

    return app
