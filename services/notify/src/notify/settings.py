"""Configuration of the notify service (environment variables WEERBAAR_NOTIFY_*)."""
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict
from weerbaar_platform.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_NOTIFY_", extra="ignore", frozen=True)

    #: Links in mails point here; confidential content is only ever behind such a link.
    portal_base_url: str = Field("http://localhost:28080", pattern=r"^https?://")
    mail_from: str = "Weerbaar <noreply@weerbaar.example>"
    #: Right-hand side of our Message-IDs (stable per message, so retries carry the same id).
    mail_domain: str = "weerbaar.example"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(28025, ge=1, le=65535)
    smtp_starttls: bool = False
    smtp_implicit_tls: bool = False
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(30, gt=0)

    #: What the relay allows us, for this replica: messages per second (0: unlimited).
    send_rate_per_second: float = Field(50, ge=0)
    sender_batch: int = Field(50, ge=1, le=1000)
    #: Parallel SMTP connections of this replica.
    sender_connections: int = Field(2, ge=1, le=32)
    sender_poll_seconds: float = Field(1.0, gt=0)
    run_sender: bool = True
    retry_base_seconds: float = Field(30, ge=0)
    retry_max_seconds: float = Field(3600, gt=0)
    max_attempts: int = Field(10, ge=1)
    #: A message whose sender died during the DATA exchange may or may not have been accepted.
    #: `assume_delivered`: never send twice (a mail may be lost in that window, it is marked
    #: `unconfirmed`); `resend`: never lose (a duplicate may arrive, with the same Message-ID).
    uncertain_policy: Literal["assume_delivered", "resend"] = "assume_delivered"

    digest_hour: int = Field(7, ge=0, le=23)
    timezone: str = "Europe/Amsterdam"
    digest_poll_seconds: float = Field(60, gt=0)

    @model_validator(mode="after")
    def _safe_outside_development(self):
        if self.environment == "production":
            if not (self.smtp_starttls or self.smtp_implicit_tls):
                raise ValueError(f"set {self.env_name('smtp_starttls')} or {self.env_name('smtp_implicit_tls')}: "
                                 "mail leaves the platform only encrypted in production")
            if not self.portal_base_url.startswith("https://"):
                raise ValueError(f"{self.env_name('portal_base_url')} must be https in production")
        if self.smtp_starttls and self.smtp_implicit_tls:
            raise ValueError(f"set only one of {self.env_name('smtp_starttls')} and {self.env_name('smtp_implicit_tls')}")
        return self
