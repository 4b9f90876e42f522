"""Web secrets and checks: keys derived from the studio key, CSRF tokens, signed API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from studiosync.crypto import load_or_create_key
from studiosync.errors import AccessError, ErrorCode
from studiosync.settings import Settings
from studiosync.studio.models import User

SESSION_COOKIE = "studiosync_session"
TOKEN_LIFETIME_SECONDS = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_SESSION_KEY = "csrf"


def _derive(key: bytes, purpose: bytes) -> bytes:
    """A 32-byte key for one purpose; the studio key itself is never used directly."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"studiosync.web", info=purpose).derive(
        key
    )


@dataclass(frozen=True)
class WebKeys:
    """The keys the web application signs with, each derived from the studio's secret key."""

    session: str = field(repr=False)
    token: bytes = field(repr=False)
    fingerprint: bytes = field(repr=False)

    def __repr__(self) -> str:
        return "WebKeys(<hidden>)"

    @classmethod
    def from_settings(cls, settings: Settings) -> WebKeys:
        key = load_or_create_key(settings.secret_key_path, settings.secret_key)
        return cls(
            session=_derive(key, b"session cookie").hex(),
            token=_derive(key, b"api token"),
            fingerprint=_derive(key, b"password fingerprint"),
        )

    def password_fingerprint(self, user: User) -> str:
        """A short keyed digest of the password hash: it changes whenever the password does."""
        digest = hmac.new(
            self.fingerprint, (user.password_hash or "").encode(), hashlib.sha256
        ).hexdigest()
        return digest[:24]


def new_csrf_token(session: dict[str, Any]) -> str:
    """This browser session's CSRF token, made on first use."""
    token = session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[CSRF_SESSION_KEY] = token
    return token


def csrf_matches(session: dict[str, Any], sent: object) -> bool:
    expected = session.get(CSRF_SESSION_KEY)
    return (
        isinstance(expected, str)
        and isinstance(sent, str)
        and bool(sent)
        and hmac.compare_digest(expected.encode(), sent.encode())
    )


@dataclass(frozen=True)
class TokenClaims:
    """What a bearer token names: the user, their password fingerprint and its login session."""

    user_id: int
    fingerprint: str
    session: str = field(repr=False)


class ApiTokens:
    """Signed, expiring bearer tokens naming a user, their password and a server-side session."""

    def __init__(self, keys: WebKeys, lifetime_seconds: int = TOKEN_LIFETIME_SECONDS) -> None:
        self._keys = keys
        self._serializer = URLSafeTimedSerializer(keys.token, salt="studiosync.api-token")
        self.lifetime_seconds = lifetime_seconds

    def __repr__(self) -> str:
        return f"ApiTokens(lifetime_seconds={self.lifetime_seconds})"

    def issue(self, user: User, session: str) -> str:
        return self._serializer.dumps(
            {"uid": user.id, "pw": self._keys.password_fingerprint(user), "sid": session}
        )

    def read(self, token: str) -> TokenClaims:
        """What a token names; refuses tokens that are forged, malformed or too old."""
        try:
            data = self._serializer.loads(token, max_age=self.lifetime_seconds)
        except SignatureExpired as exc:
            raise AccessError(ErrorCode.TOKEN_INVALID, reason="it has expired") from exc
        except BadSignature as exc:
            raise AccessError(
                ErrorCode.TOKEN_INVALID, reason="it is not a studiosync token"
            ) from exc
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("uid"), int)
            or not isinstance(data.get("pw"), str)
            or not isinstance(data.get("sid"), str)
        ):
            raise AccessError(ErrorCode.TOKEN_INVALID, reason="it is not a studiosync token")
        return TokenClaims(data["uid"], data["pw"], data["sid"])

    def still_valid_for(self, user: User, fingerprint: str) -> bool:
        return hmac.compare_digest(self._keys.password_fingerprint(user), fingerprint)
