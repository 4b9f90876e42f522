"""OAuth 2.0 endpoints: consent (/o/oauth2/auth), /token, /revoke, userinfo and tokeninfo."""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import orjson
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from studiosync.sandbox.accounts import AccountSpecError, create_account, password_matches
from studiosync.sandbox.consent import consent_page, error_page
from studiosync.sandbox.context import Sandbox
from studiosync.sandbox.errors import json_response, oauth_error
from studiosync.sandbox.scopes import (
    OPENID,
    USERINFO_EMAIL,
    USERINFO_PROFILE,
    normalise,
    parse,
    unknown,
)
from studiosync.sandbox.store import AuthCode
from studiosync.sandbox.tokens import CODE_TTL, invalid_token

CONSENT_TTL = 1800.0
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")


async def read_form(request: Request) -> dict[str, str]:
    """A urlencoded (or JSON) body as a flat dict; the query string fills in missing keys."""
    raw = await request.body()
    form: dict[str, str] = {}
    if raw:
        if request.headers.get("content-type", "").startswith("application/json"):
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as error:
                raise oauth_error(400, "invalid_request", "Invalid JSON payload.") from error
            form = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        else:
            form = dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    for key, value in request.query_params.items():
        form.setdefault(key, value)
    return form


def with_query(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class OAuthApi:
    """Google's authorization server, reduced to what OAuth clients use."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    # ---------------------------------------------------------------- consent
    async def authorize(self, request: Request) -> Response:
        params = dict(request.query_params)
        config, oauth = self.sandbox.config, self.sandbox.oauth
        client_id = params.get("client_id")
        if not client_id:
            return error_page(400, "invalid_request", "Missing required parameter: client_id")
        if not oauth.client_known(client_id):
            return error_page(401, "invalid_client", "The OAuth client was not found.")
        redirect_uri = params.get("redirect_uri")
        if not redirect_uri:
            return error_page(400, "invalid_request", "Missing required parameter: redirect_uri")
        if not self._redirect_allowed(redirect_uri, config.redirect_uris):
            return error_page(
                400,
                "redirect_uri_mismatch",
                f"The redirect URI {redirect_uri} is not registered for this client.",
            )
        if params.get("response_type") != "code":
            return error_page(
                400,
                "unsupported_response_type",
                f"Invalid response_type: {params.get('response_type', '')}",
            )
        scopes = normalise(parse(params.get("scope")))
        if not scopes:
            return error_page(400, "invalid_request", "Missing required parameter: scope")
        bad = unknown(scopes)
        if bad:
            return error_page(
                400, "invalid_scope", f"Some requested scopes were invalid. {{invalid={bad}}}"
            )
        method = params.get("code_challenge_method") or "plain"
        if params.get("code_challenge") and method not in ("S256", "plain"):
            return error_page(
                400, "invalid_request", "Invalid code_challenge_method value: " + method
            )
        consent = secrets.token_urlsafe(24)
        self.sandbox.store.consents[consent] = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scopes": scopes,
            "state": params.get("state"),
            "offline": params.get("access_type") == "offline",
            "force": "consent" in (params.get("prompt") or "").split(),
            "challenge": params.get("code_challenge"),
            "method": method,
            "expires": self.sandbox.clock.time() + CONSENT_TTL,
        }
        return consent_page(
            consent=consent,
            client_id=client_id,
            scopes=scopes,
            email=params.get("login_hint", ""),
            action=request.url.path,
        )

    @staticmethod
    def _redirect_allowed(uri: str, registered: list[str]) -> bool:
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False
        if not registered:
            return True
        for allowed in registered:
            if uri == allowed:
                return True
            wanted = urlsplit(allowed)
            if (
                wanted.hostname in LOOPBACK_HOSTS
                and parts.hostname in LOOPBACK_HOSTS
                and wanted.path.rstrip("/") == parts.path.rstrip("/")
            ):
                return True
        return False

    async def decide(self, request: Request) -> Response:
        form = await read_form(request)
        store = self.sandbox.store
        pending = store.consents.get(form.get("consent", ""))
        if pending is None or pending["expires"] < self.sandbox.clock.time():
            return error_page(
                400,
                "invalid_request",
                "This sign-in request has expired. Start again from the app.",
            )
        state = {"state": pending["state"]} if pending["state"] is not None else {}
        if form.get("decision") not in ("allow", "create"):
            del store.consents[form["consent"]]
            return RedirectResponse(
                with_query(pending["redirect_uri"], {"error": "access_denied", **state}), 302
            )
        email = form.get("email", "").strip().lower()
        if form.get("decision") == "create":  # the sandbox only: a new account, then Allow
            try:
                create_account(store, {"email": email, "password": form.get("password", "")})
            except AccountSpecError as error:
                return consent_page(
                    consent=form["consent"],
                    client_id=pending["client_id"],
                    scopes=pending["scopes"],
                    email=email,
                    action=request.url.path,
                    error=f"The sandbox account was not created: {error}.",
                )
        account = store.accounts.get(email)
        if account is None or not password_matches(account, form.get("password", "")):
            message = (
                "Couldn't find your Google Account"
                if account is None
                else "Wrong password. Try again or click Forgot password to reset it."
            )
            return consent_page(
                consent=form["consent"],
                client_id=pending["client_id"],
                scopes=pending["scopes"],
                email=email,
                action=request.url.path,
                error=message,
            )
        del store.consents[form["consent"]]
        code = self.sandbox.oauth.issue_code(
            AuthCode(
                email=email,
                client_id=pending["client_id"],
                redirect_uri=pending["redirect_uri"],
                scopes=pending["scopes"],
                offline=pending["offline"],
                force_consent=pending["force"],
                expires_at=self.sandbox.clock.time() + CODE_TTL,
                code_challenge=pending["challenge"],
                challenge_method=pending["method"],
            )
        )
        params = {**state, "code": code, "scope": " ".join(pending["scopes"])}
        return RedirectResponse(with_query(pending["redirect_uri"], params), 302)

    # ------------------------------------------------------------------ token
    async def token(self, request: Request) -> Response:
        form = await read_form(request)
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(basic[6:].strip()).decode()
            except (binascii.Error, UnicodeDecodeError) as error:
                raise oauth_error(401, "invalid_client", "Unauthorized") from error
            user, _, secret = decoded.partition(":")
            client_id, client_secret = client_id or unquote(user), client_secret or unquote(secret)
        grant_type = form.get("grant_type", "")
        if grant_type not in ("authorization_code", "refresh_token"):
            raise oauth_error(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")
        oauth = self.sandbox.oauth
        client = oauth.check_client(client_id, client_secret)
        if grant_type == "authorization_code":
            answer = oauth.exchange_code(form, client)
        else:
            answer = oauth.refresh(form, client)
        return json_response(answer, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})

    async def revoke(self, request: Request) -> Response:
        form = await read_form(request)
        token = form.get("token")
        if not token or not self.sandbox.oauth.revoke_token(token):
            raise invalid_token()
        return json_response({})

    # --------------------------------------------------------------- identity
    async def userinfo(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        raw = header[7:].strip() if header.lower().startswith("bearer ") else ""
        token = self.sandbox.oauth.introspect(raw) if raw else None
        if token is None:
            raise oauth_error(401, "invalid_request", "Invalid Credentials")
        if token.scopes.isdisjoint({OPENID, USERINFO_EMAIL, USERINFO_PROFILE}):
            raise oauth_error(401, "invalid_request", "Invalid Credentials")
        account = self.sandbox.store.accounts[token.email]
        info: dict[str, Any] = {"sub": account.subject}
        if USERINFO_EMAIL in token.scopes:
            info.update(email=account.email, email_verified=True)
        if USERINFO_PROFILE in token.scopes:
            info.update(name=account.display_name, given_name=account.display_name.split()[0])
        return json_response(info)

    async def tokeninfo(self, request: Request) -> Response:
        form = await read_form(request)
        token = self.sandbox.oauth.introspect(form.get("access_token", ""))
        if token is None:
            raise oauth_error(400, "invalid_token", "Invalid Value")
        remaining = int(token.expires_at - self.sandbox.clock.time())
        account = self.sandbox.store.accounts[token.email]
        grant = self.sandbox.store.grants.get(token.grant_id)
        info: dict[str, Any] = {
            "azp": token.client_id,
            "aud": token.client_id,
            "sub": account.subject,
            "scope": " ".join(sorted(token.scopes)),
            "exp": str(int(token.expires_at)),
            "expires_in": str(remaining),
            "access_type": "offline" if grant and grant.refresh_hash else "online",
        }
        if USERINFO_EMAIL in token.scopes:
            info.update(email=account.email, email_verified="true")
        return json_response(info)
