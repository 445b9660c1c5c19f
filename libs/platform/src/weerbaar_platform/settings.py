"""Base settings of a service: one pydantic-settings class per service, read from the
environment with the prefix `WEERBAAR_<SERVICE>_`. A wrong or missing setting stops start-up
with a message naming the environment variable."""
from __future__ import annotations

import sys
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    #: `production` unless said otherwise, so a forgotten setting never relaxes anything.
    environment: Literal["development", "test", "production"] = "production"
    database_url: str = Field(pattern=r"^postgres(ql)?://")
    database_pool_max: int = Field(10, ge=1, le=200)
    kafka_bootstrap: str = Field(min_length=3)
    #: Prefix for every topic and consumer group; lets tests (or tenants) share one cluster.
    kafka_namespace: str = Field("", pattern=r"^[a-z0-9.-]*$")
    http_host: str = "127.0.0.1"
    http_port: int = Field(ge=1, le=65535)
    relay_poll_seconds: float = Field(1.0, gt=0)
    relay_batch: int = Field(500, ge=1, le=10_000)
    consumer_max_attempts: int = Field(3, ge=1, le=20)
    consumer_retry_seconds: float = Field(0.5, ge=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: Request bodies larger than this are refused (413) before a handler reads them; uploads
    #: (ServiceSpec.streamed_paths) stream under their own limits. Generous for any form.
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    #: Where access tokens' keys come from: identity's JWKS URL, or the JWKS itself (tests).
    token_jwks_url: str | None = None
    token_jwks: str | None = None

    @model_validator(mode="after")
    def _token_keys_known(self):
        if not (self.token_jwks_url or self.token_jwks):
            cls = type(self)
            raise ValueError(f"set {cls.env_name('token_jwks_url')} (identity's /.well-known/jwks.json) "
                             f"or {cls.env_name('token_jwks')}")
        return self

    @classmethod
    def env_name(cls, field: str) -> str:
        return f"{cls.model_config.get('env_prefix', '')}{field}".upper()


def load_settings(cls: type[BaseSettings]) -> BaseSettings:
    """Build the settings or stop the process with a message naming each bad setting. Works for
    any pydantic-settings class (a service's own, or the settings of one part of it)."""
    try:
        return cls()
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "(settings)"
            prefix = cls.model_config.get("env_prefix", "")
            name = f"{prefix}{field}".upper() if err["loc"] else field
            reason = "missing" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
            lines.append(f"  {name}: {reason}")
        print(f"{cls.__name__}: refusing to start, configuration is wrong:\n" + "\n".join(lines),
              file=sys.stderr)
        raise SystemExit(2) from None
