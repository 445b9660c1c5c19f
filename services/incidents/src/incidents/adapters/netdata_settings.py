"""Settings of the network-data part of the incidents service.

Read from the environment with the prefix ``WEERBAAR_INCIDENTS_NETDATA_`` (so the incidents
service's own settings class stays the other part's), once per running service, and kept in
``runtime.extras``; a test may put its own instance there.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EXTRAS_KEY = "netdata_settings"


class NetdataSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_INCIDENTS_NETDATA_", extra="ignore", frozen=True)

    #: Largest upload of network data; a larger one is refused before it is read.
    upload_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    #: Largest feed file an analyst may run; it is spooled to disk, never held in memory.
    feed_max_bytes: int = Field(2 * 1024 * 1024 * 1024, ge=1024)
    #: Where feed files are spooled while a run reads them (the system's temp dir if unset).
    feed_spool_dir: Path | None = None
    #: Rows of evidence kept per finding (the row count is always exact).
    evidence_rows_per_finding: int = Field(100, ge=1, le=100_000)
    #: Nameservers for the DNS proof, "address" or "address:port" ("[v6]:port"); empty means
    #: the system's resolver configuration.
    dns_nameservers: list[str] = []
    dns_timeout_seconds: float = Field(5.0, gt=0, le=60)
    #: The label under a domain where the TXT record with the portal's token is looked for.
    dns_challenge_label: str = Field("_weerbaar-challenge", pattern=r"^_[a-z0-9-]{1,62}$")
    #: Warn about documentation ranges (192.0.2.0/24...) in uploads; off so demos can use them.
    warn_documentation: bool = False


def netdata_settings(runtime) -> NetdataSettings:
    settings = runtime.extras.get(EXTRAS_KEY)
    if settings is None:
        settings = runtime.extras[EXTRAS_KEY] = NetdataSettings()
    return settings
