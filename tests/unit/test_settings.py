"""Settings come from STUDIOSYNC_* variables, then an optional TOML file, then defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from studiosync.settings import Settings


def test_defaults_put_a_sqlite_file_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STUDIOSYNC_DATABASE_URL", raising=False)
    monkeypatch.setenv("STUDIOSYNC_DATA_DIR", str(tmp_path))
    settings = Settings()
    assert settings.resolved_database_url == f"sqlite:///{tmp_path / 'studiosync.db'}"
    assert settings.secret_key_path == tmp_path / "secret.key"


def test_toml_file_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "studiosync.toml"
    config.write_text('computer_name = "front-desk"\nbroker_url = "redis://127.0.0.1:1/0"\n')
    monkeypatch.setenv("STUDIOSYNC_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STUDIOSYNC_BROKER_URL", raising=False)
    assert Settings().computer_name == "front-desk"
    monkeypatch.setenv("STUDIOSYNC_COMPUTER_NAME", "office")
    assert Settings().computer_name == "office"


def test_secrets_are_not_in_the_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIOSYNC_SECRET_KEY", "very-secret-key-value")
    monkeypatch.setenv("STUDIOSYNC_GOOGLE_CLIENT_SECRET", "client-secret-value")
    text = repr(Settings())
    assert "very-secret-key-value" not in text
    assert "client-secret-value" not in text


def test_trusted_proxies_from_the_environment_or_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STUDIOSYNC_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("STUDIOSYNC_TRUSTED_PROXIES", raising=False)
    assert Settings().trusted_proxies == ["127.0.0.1", "::1"]
    (tmp_path / "studiosync.toml").write_text('trusted_proxies = ["10.0.0.5"]\n')
    assert Settings().trusted_proxies == ["10.0.0.5"]
    monkeypatch.setenv("STUDIOSYNC_TRUSTED_PROXIES", "10.0.0.6, 10.1.0.0/16")
    assert Settings().trusted_proxies == ["10.0.0.6", "10.1.0.0/16"]
    monkeypatch.setenv("STUDIOSYNC_TRUSTED_PROXIES", "proxy.example")
    with pytest.raises(ValueError, match=r"'proxy\.example' is not an address or a network"):
        Settings()
