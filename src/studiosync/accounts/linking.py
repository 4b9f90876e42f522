"""Authenticate My Google Account / Remove My Google Account: the OAuth 2.0 web flow with PKCE."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error  # type: ignore[import-untyped]
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from studiosync.accounts.channels import stop_channel_in
from studiosync.accounts.connections import (
    drop_connection,
    ensure_no_other_kind,
    record_connection,
    syncing_user,
)
from studiosync.accounts.credentials import linked_account, store_tokens
from studiosync.accounts.endpoints import REQUIRED_SCOPES, SCOPES, GoogleEndpoints
from studiosync.accounts.models import AccountStatus, ConnectionKind, GoogleAccount, PendingLink
from studiosync.context import Studio
from studiosync.crypto import SecretBox
from studiosync.db import transaction
from studiosync.errors import AuthError, DuplicateError, ErrorCode, InputError, TransientError
from studiosync.studio import validation as check
from studiosync.studio.models import User, utcnow

LINK_LIFETIME = dt.timedelta(minutes=30)
LOOPBACK_REDIRECT = "http://127.0.0.1:8090/oauth2callback"
"""Where Google sends the answer when linking from the command line (the page need not load)."""
HTTP_TIMEOUT = 20.0


@dataclass(frozen=True)
class LinkStart:
    """Where to send the person to sign in to Google, and the state that ties the answer back."""

    url: str
    state: str


def _flow(endpoints: GoogleEndpoints, redirect_uri: str, **kwargs: Any) -> Flow:
    if endpoints.on_loopback:  # the local sandbox speaks plain HTTP on 127.0.0.1
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    # Google may answer the granted scopes in another order or with more of them.
    os.environ["OAUTHLIB_RELAX_TOKEN_SCOPE"] = "1"  # noqa: S105
    config = {
        "web": {
            "client_id": endpoints.client_id,
            "client_secret": endpoints.client_secret,
            "auth_uri": endpoints.auth_uri,
            "token_uri": endpoints.token_uri,
            "redirect_uris": [redirect_uri],
        }
    }
    return Flow.from_client_config(config, scopes=list(SCOPES), redirect_uri=redirect_uri, **kwargs)


def begin_link(
    session: Session,
    box: SecretBox,
    endpoints: GoogleEndpoints,
    user_key: str | int,
    redirect_uri: str,
) -> LinkStart:
    """Start linking: remember state + PKCE verifier, and give the consent page's address."""
    user = syncing_user(session, user_key)
    ensure_no_other_kind(session, user, ConnectionKind.GOOGLE)
    state = secrets.token_urlsafe(32)
    flow = _flow(endpoints, redirect_uri, state=state)
    url, _ = flow.authorization_url(
        access_type="offline", prompt="consent", include_granted_scopes="true"
    )
    assert flow.code_verifier is not None
    session.execute(delete(PendingLink).where(PendingLink.created_at < utcnow() - LINK_LIFETIME))
    session.add(
        PendingLink(
            state=state,
            user_id=user.id,
            redirect_uri=redirect_uri,
            code_verifier_encrypted=box.encrypt(flow.code_verifier),
        )
    )
    session.flush()
    return LinkStart(url=url, state=state)


@dataclass(frozen=True)
class _Answerable:
    """A pending link that has been used up, with what finishing it needs."""

    user_id: int
    redirect_uri: str
    code_verifier: str


def _take_pending(sessions: sessionmaker[Session], box: SecretBox, state: str) -> _Answerable:
    """Use up the pending link named by ``state``, committed at once: a state works once."""
    with transaction(sessions) as session:
        pending = session.get(PendingLink, state) if state else None
        if pending is None or pending.created_at < utcnow() - LINK_LIFETIME:
            raise InputError(ErrorCode.GOOGLE_LINK_EXPIRED, field="state", user="USER")
        session.delete(pending)
        return _Answerable(
            pending.user_id, pending.redirect_uri, box.decrypt(pending.code_verifier_encrypted)
        )


def _exchange(endpoints: GoogleEndpoints, pending: _Answerable, state: str, code: str) -> Any:
    flow = _flow(endpoints, pending.redirect_uri, state=state, code_verifier=pending.code_verifier)
    try:
        flow.fetch_token(code=code)
    except OAuth2Error as failure:
        raise InputError(
            ErrorCode.GOOGLE_ACCESS_DENIED, field="code", reason=failure.error
        ) from None
    except OSError as failure:
        raise TransientError(
            ErrorCode.GOOGLE_UNREACHABLE, url=endpoints.token_uri, reason=type(failure).__name__
        ) from None
    return flow.credentials


def complete_link(
    sessions: sessionmaker[Session],
    box: SecretBox,
    endpoints: GoogleEndpoints,
    *,
    state: str,
    code: str | None = None,
    error: str | None = None,
) -> GoogleAccount:
    """Finish linking with Google's answer (code + state): store the tokens, encrypted.

    The pending link is used up first, in its own transaction, so a denied, failed or replayed
    answer can never be used again.
    """
    pending = _take_pending(sessions, box, state)
    if error or not code:
        raise InputError(ErrorCode.GOOGLE_ACCESS_DENIED, field="code", reason=error or "no code")
    credentials = _exchange(endpoints, pending, state, code)
    granted = set(credentials.granted_scopes or credentials.scopes or [])
    missing = [scope for scope in REQUIRED_SCOPES if scope not in granted]
    if missing:
        raise InputError(
            ErrorCode.GOOGLE_SCOPES_MISSING,
            field="scopes",
            missing=", ".join(scope.rsplit("/", 1)[-1] for scope in missing),
        )
    if not credentials.refresh_token:
        raise InputError(ErrorCode.GOOGLE_ACCESS_DENIED, field="code", reason="no refresh token")
    email = _account_email(endpoints, credentials.token)
    with transaction(sessions) as session:
        user = session.get(User, pending.user_id)
        assert user is not None
        _ensure_not_taken(session, email, user)
        record_connection(session, user, ConnectionKind.GOOGLE, email, shown=email)
        account = session.get(GoogleAccount, user.id)
        account = account or GoogleAccount(user_id=user.id)
        account.google_email = email
        account.scopes = sorted(granted)
        account.status = AccountStatus.LINKED
        account.last_error_code = None
        account.linked_at = utcnow()
        store_tokens(
            account,
            box,
            access_token=credentials.token,
            expiry=credentials.expiry.replace(tzinfo=dt.UTC) if credentials.expiry else None,
            refresh_token=credentials.refresh_token,
        )
        session.add(account)
        session.flush()
        return account


def unlink(
    session: Session,
    box: SecretBox,
    endpoints: GoogleEndpoints,
    user_key: str | int,
    *,
    studio: Studio | None = None,
) -> str:
    """Remove My Google Account: revoke the token at Google, forget it and the calendar choice.

    Answers the Google address that was linked. A revocation Google cannot take (already
    revoked, or Google unreachable) does not stop the removal here.
    """
    user = check.find_user(session, user_key)
    account = linked_account(session, user)
    if studio is not None:  # while the sign-in still works: Google stops notifying us
        stop_channel_in(session, studio, endpoints, user)
    token = box.decrypt(account.refresh_token_encrypted)
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(endpoints.revoke_uri, data={"token": token}, timeout=HTTP_TIMEOUT)
    email = account.google_email
    session.delete(account)
    drop_connection(session, user.id)
    session.flush()
    return email


def _account_email(endpoints: GoogleEndpoints, access_token: str | None) -> str:
    try:
        answer = httpx.get(
            endpoints.userinfo_uri,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=HTTP_TIMEOUT,
        )
    except httpx.HTTPError as failure:
        raise TransientError(
            ErrorCode.GOOGLE_UNREACHABLE,
            url=endpoints.userinfo_uri,
            reason=type(failure).__name__,
        ) from None
    email = answer.json().get("email") if answer.status_code == 200 else None
    if not email:
        raise AuthError(ErrorCode.GOOGLE_SCOPES_MISSING, missing="userinfo.email")
    return str(email).lower()


def _ensure_not_taken(session: Session, email: str, user: User) -> None:
    other = session.scalar(
        select(User.login)
        .join(GoogleAccount, GoogleAccount.user_id == User.id)
        .where(GoogleAccount.google_email == email, User.id != user.id)
    )
    if other is not None:
        raise DuplicateError(
            ErrorCode.GOOGLE_ACCOUNT_TAKEN,
            field="google account",
            google_email=email,
            other=other,
            entity="user",
            value=email,
        )
