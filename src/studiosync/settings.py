"""Runtime settings from STUDIOSYNC_* environment variables and an optional TOML file."""

from __future__ import annotations

import ipaddress
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "studiosync"


def _config_file() -> Path:
    explicit = os.environ.get("STUDIOSYNC_CONFIG")
    if explicit:
        return Path(explicit)
    data_dir = os.environ.get("STUDIOSYNC_DATA_DIR")
    return (Path(data_dir) if data_dir else _default_data_dir()) / "studiosync.toml"


class Settings(BaseSettings):
    """Everything studiosync reads from its environment; secrets are never printed."""

    model_config = SettingsConfigDict(env_prefix="STUDIOSYNC_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    broker_url: str | None = None
    secret_key: str | None = Field(default=None, repr=False)
    computer_name: str | None = None
    google_client_id: str | None = None
    google_client_secret: str | None = Field(default=None, repr=False)
    google_auth_uri: str = "https://accounts.google.com/o/oauth2/auth"
    google_token_uri: str = "https://oauth2.googleapis.com/token"  # noqa: S105
    google_revoke_uri: str = "https://oauth2.googleapis.com/revoke"
    google_api_base: str = "https://www.googleapis.com/"
    sandbox_url: str | None = None
    # CalDAV servers with a certificate of a private authority: that authority's PEM file
    dav_ca_bundle: str | None = None
    # web logins: a browser session ends after this long unused, and after this long at most
    session_idle_hours: float = Field(default=12, gt=0)
    session_max_days: float = Field(default=14, gt=0)
    api_token_hours: float = Field(default=12, gt=0)
    # reverse proxies whose X-Forwarded-Proto / X-Forwarded-For are believed (addresses or
    # networks, comma-separated in the environment); nobody else's are
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["127.0.0.1", "::1"]
    )

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        parts = value.split(",") if isinstance(value, str) else value
        if not isinstance(parts, list):
            return value
        cleaned = [str(part).strip() for part in parts if str(part).strip()]
        for part in cleaned:
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(
                    f"{part!r} is not an address or a network such as 10.0.0.0/8"
                ) from None
        return cleaned

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)

    @property
    def resolved_database_url(self) -> str:
        """The database to use: STUDIOSYNC_DATABASE_URL, else a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'studiosync.db'}"

    @property
    def secret_key_path(self) -> Path:
        return self.data_dir / "secret.key"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
