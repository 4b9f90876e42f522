"""Encryption of secrets at rest (OAuth tokens, SMTP password) with a Fernet key."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from studiosync.errors import ConfigError, ErrorCode


def load_or_create_key(path: Path, explicit: str | None = None) -> bytes:
    """The studio's secret key: the explicit one, else the key file (made with mode 0600)."""
    if explicit:
        return explicit.encode()
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = Fernet.generate_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key + b"\n")
    return key


class SecretBox:
    """Encrypts and decrypts short secrets; the plaintext never leaves through repr or logs."""

    def __init__(self, key: bytes, key_path: Path | None = None) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ConfigError(ErrorCode.SECRET_KEY_INVALID, path=str(key_path or "?")) from exc
        self._key_path = key_path

    def __repr__(self) -> str:
        return "SecretBox(<hidden>)"

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode()
        except InvalidToken as exc:
            raise ConfigError(
                ErrorCode.SECRET_KEY_INVALID, path=str(self._key_path or "?")
            ) from exc
