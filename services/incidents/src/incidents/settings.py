import ipaddress
from pathlib import Path

from pydantic import Field, field_validator, model_validator
from pydantic_settings import SettingsConfigDict
from weerbaar_platform.settings import ServiceSettings


class IncidentsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_INCIDENTS_", extra="ignore", frozen=True)

    #: Where evidence files are kept (filesystem storage); created at start-up.
    attachment_dir: Path = Path(".state/incidents/attachments")
    #: Largest attachment accepted; a larger one is refused before it is read in full.
    attachment_max_bytes: int = Field(25 * 1024 * 1024, ge=1)
    #: The public report form (no login): largest request body, and reports per client per window.
    public_report_max_bytes: int = Field(32 * 1024, ge=1024, le=1024 * 1024)
    public_report_rate_limit: int = Field(5, ge=1)
    public_report_rate_window_seconds: int = Field(3600, ge=1)
    #: Proxies (the gateway) whose X-Forwarded-For names the real client; nobody else is believed.
    #: Addresses or networks of the proxies (the gateway) whose X-Forwarded-For is believed.
    trusted_proxies: list[str] = []

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # ValueError names the bad entry
        return value
    #: Deadline scheduler: how often it looks for due reminders, and how many it takes at once.
    scheduler_poll_seconds: float = Field(5.0, gt=0)
    scheduler_batch: int = Field(100, ge=1, le=10_000)
    #: The CSIRT overview calls a deadline "close" within this many hours.
    deadline_close_hours: int = Field(24, ge=1)

    @model_validator(mode="after")
    def _attachments_have_a_fixed_home(self):
        # A relative directory depends on where the process happens to start; in production
        # evidence could silently land somewhere else after a restart.
        if self.environment == "production" and not self.attachment_dir.is_absolute():
            raise ValueError(f"{self.env_name('attachment_dir')} must be an absolute path in production")
        return self
