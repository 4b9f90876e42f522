"""OAuth grants: codes, access and refresh tokens, PKCE, refresh and revocation, as Google does."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import Any

import orjson

from studiosync.sandbox.config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SandboxConfig
from studiosync.sandbox.errors import GoogleError, oauth_error
from studiosync.sandbox.models import AccessToken, Grant
from studiosync.sandbox.scopes import OPENID, normalise
from studiosync.sandbox.store import AuthCode, Store

CODE_TTL = 600.0


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pkce_matches(verifier: str, challenge: str, method: str) -> bool:
    plain = method != "S256"
    computed = verifier if plain else _b64(hashlib.sha256(verifier.encode()).digest())
    return hmac.compare_digest(computed, challenge)


class OAuthService:
    """Issues and checks every OAuth artefact of the sandbox."""

    def __init__(self, store: Store, config: SandboxConfig) -> None:
        self.store = store
        self.config = config

    # ---------------------------------------------------------------- clients
    def default_client(self) -> tuple[str, str]:
        if self.config.fixed_client:
            return str(self.config.client_id), str(self.config.client_secret or "")
        return DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

    def client_known(self, client_id: str) -> bool:
        return not self.config.fixed_client or client_id == self.config.client_id

    def check_client(self, client_id: str | None, client_secret: str | None) -> str:
        """The client id, once the client authenticated; else the RFC 6749 error Google gives."""
        if not client_id:
            raise oauth_error(400, "invalid_request", "Could not determine client ID from request.")
        if not self.client_known(client_id):
            raise oauth_error(401, "invalid_client", "The OAuth client was not found.")
        if not client_secret:
            raise oauth_error(400, "invalid_request", "client_secret is missing.")
        expected = self.config.client_secret if self.config.fixed_client else None
        if expected is not None and not hmac.compare_digest(client_secret, expected):
            raise oauth_error(401, "invalid_client", "Unauthorized")
        return client_id

    # ------------------------------------------------------------------ codes
    def issue_code(self, code: AuthCode) -> str:
        value = "4/0" + secrets.token_urlsafe(40)
        self.store.codes[token_hash(value)] = code
        return value

    def exchange_code(self, form: dict[str, str], client_id: str) -> dict[str, Any]:
        raw = form.get("code")
        if not raw:
            raise oauth_error(400, "invalid_request", "Missing required parameter: code")
        code = self.store.codes.pop(token_hash(raw), None)
        now = self.store.clock.time()
        if code is None or code.expires_at < now or code.client_id != client_id:
            raise oauth_error(400, "invalid_grant", "Bad Request")
        if form.get("redirect_uri", "") != code.redirect_uri:
            raise oauth_error(400, "redirect_uri_mismatch", "Bad Request")
        if code.code_challenge is not None:
            verifier = form.get("code_verifier")
            if not verifier:
                raise oauth_error(400, "invalid_grant", "Missing code verifier.")
            if not pkce_matches(verifier, code.code_challenge, code.challenge_method):
                raise oauth_error(400, "invalid_grant", "Invalid code verifier.")
        with_refresh = code.offline and (code.force_consent or not self._has_live_refresh(code))
        return self.grant(code.email, client_id, code.scopes, with_refresh=with_refresh)

    def _has_live_refresh(self, code: AuthCode) -> bool:
        return any(
            g.email == code.email
            and g.client_id == code.client_id
            and g.refresh_hash
            and not g.revoked
            for g in self.store.grants.values()
        )

    # ----------------------------------------------------------------- grants
    def grant(
        self, email: str, client_id: str, scopes: list[str], *, with_refresh: bool
    ) -> dict[str, Any]:
        """A new grant and its first access token (and refresh token when asked for)."""
        refresh = "1//0" + secrets.token_urlsafe(48) if with_refresh else None
        grant = Grant(
            id=secrets.token_hex(12),
            email=email,
            client_id=client_id,
            scopes=list(scopes),
            created=self.store.clock.time(),
            refresh_hash=token_hash(refresh) if refresh else None,
        )
        self.store.put_grant(grant)
        if refresh:
            self._limit_refresh_tokens(email, client_id)
        answer = self._access_answer(grant, scopes)
        if refresh:
            answer["refresh_token"] = refresh
        return answer

    def _limit_refresh_tokens(self, email: str, client_id: str) -> None:
        live = sorted(
            (
                g
                for g in self.store.grants.values()
                if g.email == email
                and g.client_id == client_id
                and g.refresh_hash
                and not g.revoked
            ),
            key=lambda g: g.created,
        )
        for old in live[: max(0, len(live) - self.config.refresh_tokens_per_client)]:
            self.revoke_grant(old)

    def refresh(self, form: dict[str, str], client_id: str) -> dict[str, Any]:
        raw = form.get("refresh_token")
        if not raw:
            raise oauth_error(400, "invalid_request", "Missing required parameter: refresh_token")
        grant_id = self.store.refresh_index.get(token_hash(raw))
        grant = self.store.grants.get(grant_id) if grant_id else None
        if grant is None or grant.revoked or grant.email not in self.store.accounts:
            raise oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
        lifetime = self.config.refresh_token_ttl  # an app in "Testing": 7 days at Google
        if lifetime is not None and self.store.clock.time() - grant.created > lifetime:
            raise oauth_error(400, "invalid_grant", "Token has been expired or revoked.")
        if grant.client_id != client_id:
            raise oauth_error(401, "unauthorized_client", "Unauthorized")
        scopes = grant.scopes
        asked = [s for s in form.get("scope", "").split() if s]
        if asked:
            asked = normalise(asked)
            if not set(asked) <= set(grant.scopes):
                raise oauth_error(
                    400,
                    "invalid_scope",
                    "Some requested scopes were invalid. "
                    f"{{invalid={sorted(set(asked) - set(grant.scopes))}}}",
                )
            scopes = asked
        return self._access_answer(grant, scopes)

    def _access_answer(self, grant: Grant, scopes: list[str]) -> dict[str, Any]:
        token = "ya29.a0" + secrets.token_urlsafe(64)
        ttl = int(self.config.token_ttl)
        now = self.store.clock.time()
        self.store.put_access_token(
            AccessToken(
                token_hash(token),
                grant.id,
                grant.email,
                grant.client_id,
                frozenset(scopes),
                now + ttl,
            )
        )
        self.store.purge_expired_tokens()
        answer: dict[str, Any] = {
            "access_token": token,
            "expires_in": ttl,
            "scope": " ".join(scopes),
            "token_type": "Bearer",
        }
        if OPENID in scopes:
            answer["id_token"] = self._id_token(grant, now, ttl)
        return answer

    def _id_token(self, grant: Grant, now: float, ttl: int) -> str:
        account = self.store.accounts[grant.email]
        header = {"alg": "HS256", "typ": "JWT"}
        claims = {
            "iss": "https://accounts.google.com",
            "azp": grant.client_id,
            "aud": grant.client_id,
            "sub": account.subject,
            "email": account.email,
            "email_verified": True,
            "iat": int(now),
            "exp": int(now) + ttl,
        }
        signing_input = f"{_b64(orjson.dumps(header))}.{_b64(orjson.dumps(claims))}"
        secret = (self.config.client_secret or DEFAULT_CLIENT_SECRET).encode()
        signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(signature)}"

    # ------------------------------------------------------------- revocation
    def revoke_grant(self, grant: Grant) -> None:
        grant.revoked = True
        self.store.put_grant(grant)
        self.store.drop_access_tokens(grant.id)

    def revoke_token(self, raw: str) -> bool:
        """Revoke the grant behind an access or refresh token; False if the token is unknown."""
        hashed = token_hash(raw)
        grant_id = self.store.refresh_index.get(hashed)
        if grant_id is None:
            access = self.store.access_tokens.get(hashed)
            grant_id = access.grant_id if access else None
        grant = self.store.grants.get(grant_id) if grant_id else None
        if grant is None or grant.revoked:
            return False
        self.revoke_grant(grant)
        return True

    def revoke_account(self, email: str) -> int:
        doomed = [g for g in self.store.grants.values() if g.email == email and not g.revoked]
        for grant in doomed:
            self.revoke_grant(grant)
        return len(doomed)

    def introspect(self, raw: str) -> AccessToken | None:
        token = self.store.access_tokens.get(token_hash(raw))
        if token is None or token.expires_at <= self.store.clock.time():
            return None
        return token


def invalid_token() -> GoogleError:
    return oauth_error(400, "invalid_token", "Token expired or revoked")
