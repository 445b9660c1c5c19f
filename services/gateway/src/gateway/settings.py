"""The gateway's configuration: where each service is, how it talks to identity, and how it
keeps sessions. Unsafe development values are refused outside development."""
from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict
from weerbaar_platform.settings import ServiceSettings

#: The local stack's values; fine on a laptop, refused in production.
DEVELOPMENT_CLIENT_SECRET = "local-development-only-not-a-secret"
DEVELOPMENT_SESSION_SECRET = "local-development-only-session-secret-0123456789"


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_GATEWAY_", extra="ignore", frozen=True)

    identity_url: str = Field("http://127.0.0.1:28081", pattern=r"^https?://")
    registry_url: str = Field("http://127.0.0.1:28082", pattern=r"^https?://")
    incidents_url: str = Field("http://127.0.0.1:28083", pattern=r"^https?://")
    content_url: str = Field("http://127.0.0.1:28084", pattern=r"^https?://")
    notify_url: str = Field("http://127.0.0.1:28085", pattern=r"^https?://")
    #: Where identity sends the browser back to (`{public_url}/login/callback`) and what the
    #: browser sees; also decides whether the session cookie may go without `Secure`.
    public_url: str = Field("http://127.0.0.1:28080", pattern=r"^https?://")
    #: identity's URL as the *browser* reaches it (the /authorize redirect); defaults to identity_url.
    identity_public_url: str | None = Field(None, pattern=r"^https?://")
    client_id: str = "gateway"
    identity_client_secret: SecretStr = SecretStr(DEVELOPMENT_CLIENT_SECRET)
    #: Keys the session ids kept in the database (HMAC), so a copy of the table opens no session.
    session_secret: SecretStr = SecretStr(DEVELOPMENT_SESSION_SECRET)
    session_idle_minutes: int = Field(30, ge=1, le=24 * 60)
    session_max_hours: int = Field(10, ge=1, le=7 * 24)
    #: `false` only in development on http://127.0.0.1 or localhost. Unset: Secure, except in
    #: development when public_url is plain http on the loopback (the local stack).
    cookie_secure: bool | None = None
    cookie_samesite: str = Field("lax", pattern=r"^(lax|strict)$")
    #: Each service call gets this long; a part that does not answer in time says so.
    service_timeout_seconds: float = Field(3.0, gt=0, le=60)
    #: A change waits longer: calling it "not available" while the service goes on to store it
    #: would invite the person to send it again, and make a duplicate.
    service_write_timeout_seconds: float = Field(30.0, gt=0, le=300)
    login_rate_per_minute: int = Field(20, ge=1)
    upload_rate_per_minute: int = Field(10, ge=1)
    #: Uploads larger than these are cut off by the gateway too (services have their own limits):
    #: network data and advisories; evidence attached to an incident; a feed run by an analyst
    #: (a day of a national scan is hundreds of megabytes).
    upload_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    attachment_max_bytes: int = Field(25 * 1024 * 1024, ge=1024)
    feed_max_bytes: int = Field(2 * 1024 * 1024 * 1024, ge=1024)
    security_contact: str = "mailto:csirt@weerbaar.example"
    security_txt_valid_days: int = Field(180, ge=1, le=365)

    @model_validator(mode="after")
    def _safe_outside_development(self):
        cls = type(self)
        if len(self.session_secret.get_secret_value()) < 32:
            raise ValueError(f"{cls.env_name('session_secret')} must be at least 32 characters")
        if self.environment == "production":
            if self.identity_client_secret.get_secret_value() == DEVELOPMENT_CLIENT_SECRET:
                raise ValueError(f"set {cls.env_name('identity_client_secret')}: the development secret is refused")
            if self.session_secret.get_secret_value() == DEVELOPMENT_SESSION_SECRET:
                raise ValueError(f"set {cls.env_name('session_secret')}: the development secret is refused")
            if not self.public_url.startswith("https://"):
                raise ValueError(f"{cls.env_name('public_url')} must be https:// in production")
        if self.cookie_secure is False:
            host = urlsplit(self.public_url).hostname
            if self.environment == "production" or host not in ("127.0.0.1", "localhost"):
                raise ValueError(f"{cls.env_name('cookie_secure')}=false is allowed only in development "
                                 "on http://127.0.0.1 or http://localhost")
        return self

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        local = urlsplit(self.public_url).hostname in ("127.0.0.1", "localhost")
        return not (self.environment in ("development", "test") and local
                    and self.public_url.startswith("http://"))

    def upload_limit(self, part: str) -> int:
        """The size limit for an upload to one part of the portal (see routes.UPLOADS)."""
        return {"feeds": self.feed_max_bytes, "incidents": self.attachment_max_bytes}.get(part, self.upload_max_bytes)

    @property
    def callback_url(self) -> str:
        return self.public_url.rstrip("/") + "/login/callback"

    @property
    def browser_identity_url(self) -> str:
        return (self.identity_public_url or self.identity_url).rstrip("/")

    def service_url(self, service: str) -> str:
        return getattr(self, f"{service}_url").rstrip("/")
