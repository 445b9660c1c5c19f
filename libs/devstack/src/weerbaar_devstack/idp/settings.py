"""Configuration of the stand-in IdP: one settings class, read from WEERBAAR_IDP_* variables."""

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ClientRegistration(BaseModel):
    """A relying party known to both stand-in IdPs (the identity service, in the stack)."""

    client_id: str
    client_secret: str
    # Compared exactly, as a real IdP does: no prefix or wildcard matching.
    redirect_uris: list[str] = Field(min_length=1)


class IdpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_IDP_")

    # Each issuer is this base plus /ssonrijk or /eherkenning.
    issuer_base: str = "http://localhost:28900"
    # JSON in the environment, e.g. [{"client_id": "...", "client_secret": "...", "redirect_uris": ["..."]}]
    clients: list[ClientRegistration] = []
    # JSON list of test people; the built-in list is used when unset.
    people_file: Path | None = None
    # JSON file with the private signing keys; created on first start so restarts keep the keys.
    keys_file: Path | None = None
    # Test-only: honour ?tamper=... on the authorization request (see README).
    allow_tampering: bool = False
    code_lifetime_seconds: int = 60
    token_lifetime_seconds: int = 300

    def issuer(self, idp_name: str) -> str:
        return f"{self.issuer_base.rstrip('/')}/{idp_name}"
