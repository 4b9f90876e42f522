"""Bearer-token checks for API calls: 401 for missing or dead tokens, 403 for missing scopes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from studiosync.sandbox.errors import GoogleError, api_error, error_info
from studiosync.sandbox.models import Account
from studiosync.sandbox.quotas import Quotas
from studiosync.sandbox.store import Store
from studiosync.sandbox.tokens import token_hash

_SEE = (
    " Expected OAuth 2 access token, login cookie or other valid authentication credential. "
    "See https://developers.google.com/identity/sign-in/web/devconsole-project."
)
_REALM = 'Bearer realm="https://accounts.google.com/"'


@dataclass(slots=True)
class Caller:
    """Who is calling: the account, the OAuth client and the scopes their token carries."""

    account: Account
    client_id: str
    scopes: frozenset[str]

    @property
    def email(self) -> str:
        return self.account.email


class Authenticator:
    """Turns an Authorization header into a Caller, counting the call against quotas."""

    def __init__(self, store: Store, quotas: Quotas) -> None:
        self.store = store
        self.quotas = quotas

    def __call__(
        self, headers: Mapping[str, str], needs: frozenset[str], method: str, api: str = "calendar"
    ) -> Caller:
        header = headers.get("authorization", "")
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise _missing()
        token = self.store.access_tokens.get(token_hash(raw.strip()))
        if token is None:
            raise _invalid("ACCESS_TOKEN_TYPE_UNSUPPORTED")
        if token.expires_at <= self.store.clock.time():
            raise _invalid("ACCESS_TOKEN_EXPIRED")
        account = self.store.accounts.get(token.email)
        if account is None:
            raise _invalid("ACCOUNT_STATE_INVALID")
        if needs.isdisjoint(token.scopes):
            raise insufficient_scope(method, api)
        self.quotas.check(account.email, token.client_id, api, account.daily_limit_exceeded)
        return Caller(account, token.client_id, token.scopes)


def _missing() -> GoogleError:
    return _with_message(
        api_error(
            401,
            "required",
            "Login Required.",
            location="Authorization",
            location_type="header",
            details=[error_info("CREDENTIALS_MISSING", "googleapis.com")],
            headers={"WWW-Authenticate": _REALM},
        ),
        "Request is missing required authentication credential." + _SEE,
    )


def _invalid(reason: str) -> GoogleError:
    return _with_message(
        api_error(
            401,
            "authError",
            "Invalid Credentials",
            location="Authorization",
            location_type="header",
            details=[error_info(reason, "googleapis.com")],
            headers={"WWW-Authenticate": _REALM + ', error="invalid_token"'},
        ),
        "Request had invalid authentication credentials." + _SEE,
    )


def insufficient_scope(method: str, api: str) -> GoogleError:
    service = "people.googleapis.com" if api == "people" else "calendar-json.googleapis.com"
    return _with_message(
        api_error(
            403,
            "insufficientPermissions",
            "Insufficient Permission",
            details=[
                error_info(
                    "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                    "googleapis.com",
                    method=method,
                    service=service,
                )
            ],
            headers={"WWW-Authenticate": _REALM + ', error="insufficient_scope"'},
        ),
        "Request had insufficient authentication scopes.",
    )


def _with_message(error: GoogleError, message: str) -> GoogleError:
    """Google's top-level message differs from the per-item one for auth errors."""
    error.body["error"]["message"] = message
    return error
