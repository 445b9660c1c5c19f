from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict
from weerbaar_platform.settings import ServiceSettings


class ContentSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_CONTENT_", extra="ignore", frozen=True)

    #: The TLP given to a CSAF document that carries no label. It is recorded on the publication
    #: as "label defaulted"; CLEAR is refused because a missing label must never mean public.
    default_tlp: Literal["GREEN", "AMBER", "AMBER+STRICT", "RED"] = "AMBER"
    #: Largest CSAF upload we read (the 259-product Cisco advisory is 130 KB).
    max_upload_bytes: int = Field(5_000_000, ge=10_000, le=100_000_000)

    #: CSAF providers to pull from: URLs of their provider-metadata.json (CSAF 2.0 section 7.1.7).
    #: What they publish arrives as drafts; an editor still publishes it, with a second pair of eyes.
    csaf_provider_urls: list[str] = []
    csaf_poll_seconds: float = Field(3600, gt=0)

    @field_validator("default_tlp", mode="before")
    @classmethod
    def _never_clear(cls, value):
        if isinstance(value, str) and value.strip().upper() in ("CLEAR", "WHITE", "TLP:CLEAR", "TLP:WHITE"):
            raise ValueError("a document without a TLP label must not default to CLEAR (public); "
                             "choose GREEN, AMBER, AMBER+STRICT or RED")
        return value.strip().upper() if isinstance(value, str) else value
