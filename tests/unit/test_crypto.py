"""Secrets are encrypted at rest with a key file made private on first use."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from studiosync.crypto import SecretBox, load_or_create_key
from studiosync.errors import ConfigError, ErrorCode


def test_key_file_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "secret.key"
    first = load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_key(path) == first


def test_an_explicit_key_wins_over_the_file(tmp_path: Path) -> None:
    explicit = Fernet.generate_key().decode()
    assert load_or_create_key(tmp_path / "secret.key", explicit) == explicit.encode()
    assert not (tmp_path / "secret.key").exists()


def test_round_trip_and_ciphertext_hides_the_secret(tmp_path: Path) -> None:
    box = SecretBox(load_or_create_key(tmp_path / "k"))
    token = box.encrypt("hunter2-smtp")
    assert "hunter2" not in token
    assert box.decrypt(token) == "hunter2-smtp"
    assert "hunter2" not in repr(box)


def test_a_different_key_cannot_read_secrets(tmp_path: Path) -> None:
    token = SecretBox(Fernet.generate_key()).encrypt("x")
    with pytest.raises(ConfigError) as caught:
        SecretBox(Fernet.generate_key(), tmp_path / "k").decrypt(token)
    assert caught.value.code is ErrorCode.SECRET_KEY_INVALID


def test_a_malformed_key_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        SecretBox(b"not-a-key")
