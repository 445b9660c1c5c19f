from pydantic_settings import SettingsConfigDict
from weerbaar_platform.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_REGISTRY_", extra="ignore", frozen=True)
