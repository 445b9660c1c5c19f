"""Configuration of the identity service (env prefix WEERBAAR_IDENTITY_).

Identity verifies the tokens on its own routes with its own key ring (kept in its database),
so unlike other services it needs no TOKEN_JWKS_URL; both TOKEN_JWKS settings are ignored.

In `development` and `test` the settings default to the local stack (stand-in IdP client,
a `gateway` client, the example CSIRT); in `production` each of those must be set, and the
development secrets are refused.
"""
from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field, model_validator
from pydantic_settings import SettingsConfigDict
from weerbaar_platform.settings import ServiceSettings

DEV_IDP_CLIENT_SECRET = "local-development-only-not-a-secret"
#: The gateway's own development defaults (gateway.settings), so that a stack started without
#: the local stack's explicit values (Docker Compose) still lets the gateway log people in.
DEV_GATEWAY_SECRET = "local-development-only-not-a-secret"
DEV_GATEWAY_REDIRECT_URIS = ["http://127.0.0.1:28080/login/callback", "http://localhost:28080/login/callback"]
#: The example CSIRT of the stand-in IdP (SSOnRijk OIN) and its coordinator as first admin.
DEV_CSIRT_OINS = ["00000001822477348000"]
DEV_CSIRT_ADMIN_EMAILS = ["gijs.mulder@csirt.example.nl"]
DEFAULT_CSIRT_ORGANISATION_ID = UUID("5c5e1c7a-0000-4000-8000-00000000c51e")


class ClientRegistration(BaseModel):
    """A client of identity's own code flow (the gateway). Redirect URIs are matched exactly."""

    client_id: str = Field(min_length=1)
    client_secret: str = Field(min_length=16)
    redirect_uris: list[str] = Field(min_length=1)


class IdentitySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_IDENTITY_", extra="ignore", frozen=True)

    #: Identity's own URL as browsers reach it; upstream callbacks are {public_url}/login/{idp}/callback.
    public_url: str | None = None
    #: Base of the upstream IdPs; issuers are {idp_base}/ssonrijk and {idp_base}/eherkenning.
    idp_base: str | None = None
    #: Where identity itself reaches the IdPs when that differs from idp_base, the address
    #: browsers use (Docker Compose: http://idp:28090 beside http://localhost:28090).
    idp_backchannel_base: str | None = None
    ssonrijk_issuer: str | None = None
    eherkenning_issuer: str | None = None
    idp_client_id: str = "weerbaar-identity"
    idp_client_secret: str | None = None
    #: JSON list of {client_id, client_secret, redirect_uris}.
    clients: list[ClientRegistration] = []

    access_token_lifetime_seconds: int = Field(300, ge=30, le=3600)
    refresh_token_lifetime_seconds: int = Field(8 * 3600, ge=300)
    code_lifetime_seconds: int = Field(60, ge=10, le=600)
    login_request_lifetime_seconds: int = Field(600, ge=60)
    signing_key_rotation_days: float = Field(30, gt=0)

    #: A granted role becomes usable this long after it was given.
    role_activation_delay_seconds: int = Field(3600, ge=0)
    role_activation_poll_seconds: float = Field(5.0, gt=0)
    invitation_lifetime_days: int = Field(14, ge=1, le=90)

    #: The CSIRT's own organisation: staff log in through SSOnRijk with one of these OINs.
    csirt_organisation_id: UUID = DEFAULT_CSIRT_ORGANISATION_ID
    csirt_organisation_name: str = "Nationaal CSIRT"
    csirt_oins: list[str] = []
    #: Staff whose csirt_beheerder role is given (usable at once) when they log in.
    csirt_admin_emails: list[str] = []

    #: Login attempts per window, counted in PostgreSQL so all replicas share the count.
    login_limit_per_ip: int = Field(30, ge=1)
    login_limit_per_account: int = Field(10, ge=1)
    login_limit_window_seconds: int = Field(300, ge=10)

    @model_validator(mode="before")
    @classmethod
    def _local_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        env = str(data.get("environment", "production"))
        if env not in ("development", "test"):
            return data
        data = dict(data)
        port = data.get("http_port", 28081)
        data.setdefault("public_url", f"http://127.0.0.1:{port}")
        data.setdefault("idp_client_secret", DEV_IDP_CLIENT_SECRET)
        data.setdefault("clients", [{"client_id": "gateway", "client_secret": DEV_GATEWAY_SECRET,
                                     "redirect_uris": DEV_GATEWAY_REDIRECT_URIS}])
        data.setdefault("csirt_oins", DEV_CSIRT_OINS)
        data.setdefault("csirt_admin_emails", DEV_CSIRT_ADMIN_EMAILS)
        return data

    # Same name as the parent's validator, so it replaces it: identity trusts its own key ring.
    @model_validator(mode="after")
    def _token_keys_known(self):
        cls = type(self)
        missing = [name for name in ("public_url", "idp_client_secret") if not getattr(self, name)]
        if not (self.idp_base or (self.ssonrijk_issuer and self.eherkenning_issuer)):
            missing.append("idp_base")
        if missing:
            raise ValueError("set " + ", ".join(cls.env_name(m) for m in missing))
        if not self.clients:
            raise ValueError(f"set {cls.env_name('clients')} (the gateway's client registration)")
        if self.environment == "production":
            if self.idp_client_secret == DEV_IDP_CLIENT_SECRET or any(
                    c.client_secret == DEV_GATEWAY_SECRET for c in self.clients):
                raise ValueError("development secrets are refused in production")
        return self

    def upstream_issuer(self, idp: str) -> str:
        explicit = self.ssonrijk_issuer if idp == "ssonrijk" else self.eherkenning_issuer
        return explicit or f"{self.idp_base.rstrip('/')}/{idp}"

    def upstream_backchannel(self, idp: str) -> str | None:
        return f"{self.idp_backchannel_base.rstrip('/')}/{idp}" if self.idp_backchannel_base else None

    def callback_url(self, idp: str) -> str:
        return f"{self.public_url.rstrip('/')}/login/{idp}/callback"

    def client(self, client_id: str | None) -> ClientRegistration | None:
        return next((c for c in self.clients if c.client_id == client_id), None)
