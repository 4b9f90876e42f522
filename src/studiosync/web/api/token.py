"""API: POST /api/token, a bearer token for a login and password (the one call without one)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from studiosync.web import sessions
from studiosync.web.api.schemas import ERROR_RESPONSES, TokenOut, TokenRequest
from studiosync.web.deps import ApiUser, Db, web_state
from studiosync.web.pages.auth import authenticate

router = APIRouter(prefix="/api", tags=["token"], responses=ERROR_RESPONSES)


@router.post("/token")
def issue_token(request: Request, db: Db, body: TokenRequest) -> TokenOut:
    """A signed token for an active user; it expires, unused or not, and can be revoked.

    Revoked by DELETE /api/token, a new password or deactivating the user.
    """
    user = authenticate(request, db, body.login, body.password)
    state = web_state(request)
    now = state.clock.now()
    sessions.purge_ended(db, now, state.policy)
    session = sessions.open_session(db, user.id, sessions.API, now)
    return TokenOut(
        access_token=state.tokens.issue(user, session), expires_in=state.tokens.lifetime_seconds
    )


@router.delete("/token", status_code=204)
def revoke_token(request: Request, db: Db, _user: ApiUser) -> Response:
    """Revoke the token this call is made with (log out): it is refused from now on."""
    sessions.close_session(db, request.state.api_session)
    return Response(status_code=204)
