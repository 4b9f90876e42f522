"""Stored Google tokens: kept encrypted, refreshed when stale, re-auth marked on invalid_grant."""

from __future__ import annotations

import datetime as dt

import google.auth.exceptions
import google.auth.transport.requests
from google.oauth2.credentials import Credentials
from sqlalchemy.orm import Session

from studiosync.accounts.endpoints import GoogleEndpoints
from studiosync.accounts.lifetimes import mark_reauth
from studiosync.accounts.models import AccountStatus, GoogleAccount
from studiosync.crypto import SecretBox
from studiosync.errors import AuthError, ErrorCode, TransientError
from studiosync.studio.models import User, utcnow

REFRESH_MARGIN = dt.timedelta(minutes=5)


def linked_account(session: Session, user: User) -> GoogleAccount:
    account = session.get(GoogleAccount, user.id)
    if account is None:
        raise AuthError(ErrorCode.GOOGLE_NOT_LINKED, user=user.login)
    return account


def store_tokens(
    account: GoogleAccount,
    box: SecretBox,
    *,
    access_token: str | None,
    expiry: dt.datetime | None,
    refresh_token: str | None = None,
) -> None:
    """Keep fresh tokens, encrypted; a new refresh token (if Google sent one) replaces the old."""
    if refresh_token:
        account.refresh_token_encrypted = box.encrypt(refresh_token)
    account.access_token_encrypted = box.encrypt(access_token) if access_token else None
    account.access_token_expiry = expiry
    account.last_refreshed_at = utcnow()


def _as_utc(naive_utc: dt.datetime | None) -> dt.datetime | None:
    return naive_utc.replace(tzinfo=dt.UTC) if naive_utc else None


def _fresh(account: GoogleAccount) -> bool:
    expiry = account.access_token_expiry
    return bool(account.access_token_encrypted and expiry and expiry - REFRESH_MARGIN > utcnow())


def credentials_for(
    session: Session,
    box: SecretBox,
    endpoints: GoogleEndpoints,
    user: User,
    *,
    force_refresh: bool = False,
) -> Credentials:
    """Working credentials for the user's Google account, refreshed (and saved) when stale.

    A refresh that Google answers with invalid_grant marks the account as needing
    re-authentication and raises AuthError(GOOGLE_REAUTH_NEEDED); the caller commits that mark.
    """
    account = linked_account(session, user)
    if account.status is AccountStatus.NEEDS_REAUTH:
        raise AuthError(
            ErrorCode.GOOGLE_REAUTH_NEEDED,
            user=user.login,
            google_email=account.google_email,
            reason=account.last_error_code or "invalid_grant",
        )
    fresh = account.access_token_encrypted if _fresh(account) and not force_refresh else None
    credentials = Credentials(  # type: ignore[no-untyped-call]
        token=box.decrypt(fresh) if fresh else None,
        refresh_token=box.decrypt(account.refresh_token_encrypted),
        token_uri=endpoints.token_uri,
        client_id=endpoints.client_id,
        client_secret=endpoints.client_secret,
        scopes=list(account.scopes) or None,
        expiry=(
            account.access_token_expiry.astimezone(dt.UTC).replace(tzinfo=None)
            if fresh and account.access_token_expiry
            else None
        ),
    )
    if credentials.token:
        return credentials
    try:
        credentials.refresh(google.auth.transport.requests.Request())  # type: ignore[no-untyped-call]
    except google.auth.exceptions.RefreshError as error:
        if "invalid_grant" in str(error):
            mark_reauth(account)
            session.flush()
            raise AuthError(
                ErrorCode.GOOGLE_REAUTH_NEEDED,
                user=user.login,
                google_email=account.google_email,
                reason="invalid_grant",
            ) from None
        raise AuthError(
            ErrorCode.GOOGLE_REAUTH_NEEDED,
            user=user.login,
            google_email=account.google_email,
            reason=type(error).__name__,
        ) from None
    except google.auth.exceptions.TransportError as error:
        raise TransientError(
            ErrorCode.GOOGLE_UNREACHABLE, url=endpoints.token_uri, reason=type(error).__name__
        ) from None
    store_tokens(
        account,
        box,
        access_token=credentials.token,
        expiry=_as_utc(credentials.expiry),
        refresh_token=credentials.refresh_token,
    )
    session.flush()
    return credentials
