"""API: POST /api/token, a bearer token for a login and password (the one call without one)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from studiosync.web.api.schemas import ERROR_RESPONSES, TokenOut, TokenRequest
from studiosync.web.deps import Db, web_state
from studiosync.web.pages.auth import check_login

router = APIRouter(prefix="/api", tags=["token"], responses=ERROR_RESPONSES)


@router.post("/token")
def issue_token(request: Request, db: Db, body: TokenRequest) -> TokenOut:
    """A signed token for an active user; it expires, and changing the password revokes it."""
    user = check_login(db, body.login, body.password)
    tokens = web_state(request).tokens
    return TokenOut(access_token=tokens.issue(user), expires_in=tokens.lifetime_seconds)
