"""Configuration of the mail catcher: one settings class, read from WEERBAAR_MAILBOX_* variables."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class MailboxSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WEERBAAR_MAILBOX_")

    host: str = "127.0.0.1"
    smtp_port: int = 28925
    http_port: int = 28926
    data_dir: Path = Path(".devstack/mailbox")

    @property
    def database(self) -> Path:
        return self.data_dir / "mailbox.sqlite3"
