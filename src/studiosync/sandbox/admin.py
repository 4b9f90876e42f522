"""The admin API under /_sandbox/ (loopback only): accounts, tokens, faults, clock, stats."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox.accounts import (
    AccountSpecError,
    add_calendar,
    create_account,
    hash_password,
    share_calendar,
    valid_time_zone,
)
from studiosync.sandbox.calendars_api import list_entry
from studiosync.sandbox.clock import rfc3339
from studiosync.sandbox.context import Sandbox, base_url
from studiosync.sandbox.errors import GoogleError, json_response
from studiosync.sandbox.faults import FaultSpecError
from studiosync.sandbox.models import Account
from studiosync.sandbox.scopes import normalise, unknown

LOOPBACK = ("127.0.0.1", "::1", "localhost")
BULK_LIMIT = 10_000


def admin_error(status: int, message: str) -> GoogleError:
    return GoogleError(status, {"error": message})


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw:
        return {}
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise admin_error(400, "body must be JSON") from error
    if not isinstance(data, dict):
        raise admin_error(400, "body must be a JSON object")
    return data


class AdminApi:
    """Test and operator controls; every handler checks the caller is on this machine."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    @staticmethod
    def _guard(request: Request) -> None:
        host = request.client.host if request.client else ""
        if host not in LOOPBACK and not host.startswith("127."):
            raise admin_error(403, "the admin API answers loopback clients only")

    def _account(self, request: Request) -> Account:
        email = request.path_params["email"].lower()
        account = self.sandbox.store.accounts.get(email)
        if account is None:
            raise admin_error(404, f"no account {email}")
        return account

    async def health(self, request: Request) -> Response:
        self._guard(request)
        return json_response({"ok": True, "accounts": len(self.sandbox.store.accounts)})

    async def create_account(self, request: Request) -> Response:
        self._guard(request)
        spec = await _json_object(request)
        store = self.sandbox.store
        try:
            account = create_account(store, spec)
        except AccountSpecError as error:
            raise admin_error(409 if "already exists" in str(error) else 400, str(error)) from error
        return json_response(self._describe(account), 201)

    async def create_accounts(self, request: Request) -> Response:
        """Many accounts sharing one password (hashed once), all made or none."""
        self._guard(request)
        spec = await _json_object(request)
        password, wanted = spec.get("password"), spec.get("accounts")
        if not isinstance(password, str) or not password:
            raise admin_error(400, "password is required")
        if not isinstance(wanted, list) or not wanted or len(wanted) > BULK_LIMIT:
            raise admin_error(400, f"accounts must be a list of 1 to {BULK_LIMIT} accounts")
        specs = [self._bulk_spec(item) for item in wanted]
        emails = [item["email"] for item in specs]
        taken = sorted({e for e in emails if e in self.sandbox.store.accounts})
        if taken or len(set(emails)) != len(emails):
            raise admin_error(409, f"accounts already exist or are repeated: {taken[:5]}")
        hashed = hash_password(password)
        for item in specs:
            create_account(self.sandbox.store, {**item, "password": password}, password_hash=hashed)
        return json_response({"created": len(specs), "accounts": emails}, 201)

    @staticmethod
    def _bulk_spec(item: object) -> dict[str, Any]:
        if not isinstance(item, dict):
            raise admin_error(400, "each account must be a JSON object")
        email = str(item.get("email") or "").strip().lower()
        if "@" not in email or email.startswith("@"):
            raise admin_error(400, f"email must be an email address: {email!r}")
        time_zone = str(item.get("timeZone") or "UTC")
        if not valid_time_zone(time_zone):
            raise admin_error(400, f"unknown time zone {time_zone}")
        spec: dict[str, Any] = {"email": email, "timeZone": time_zone}
        if item.get("name"):
            spec["name"] = str(item["name"])
        return spec

    def _describe(self, account: Account) -> dict[str, Any]:
        store = self.sandbox.store
        entries = []
        for membership in store.memberships.get(account.email, {}).values():
            calendar = store.calendars.get(membership.calendar_id)
            if calendar is not None:
                entries.append(list_entry(calendar, membership))
        return {
            "email": account.email,
            "name": account.display_name,
            "sub": account.subject,
            "timeZone": account.time_zone,
            "primaryCalendar": account.email,
            "dailyLimitExceeded": account.daily_limit_exceeded,
            "calendars": entries,
        }

    async def list_accounts(self, request: Request) -> Response:
        self._guard(request)
        return json_response(
            {"accounts": [self._describe(a) for a in self.sandbox.store.accounts.values()]}
        )

    async def add_calendar(self, request: Request) -> Response:
        self._guard(request)
        account = self._account(request)
        try:
            calendar = add_calendar(self.sandbox.store, account.email, await _json_object(request))
        except AccountSpecError as error:
            raise admin_error(400, str(error)) from error
        membership = self.sandbox.store.membership(account.email, calendar.id)
        assert membership is not None
        return json_response(list_entry(calendar, membership), 201)

    async def share(self, request: Request) -> Response:
        self._guard(request)
        spec = await _json_object(request)
        calendar_id = request.path_params["calendarId"]
        try:
            membership = share_calendar(
                self.sandbox.store,
                calendar_id,
                str(spec.get("email", "")).lower(),
                str(spec.get("accessRole", "reader")),
            )
        except AccountSpecError as error:
            raise admin_error(400, str(error)) from error
        return json_response(list_entry(self.sandbox.store.calendars[calendar_id], membership))

    async def issue_tokens(self, request: Request) -> Response:
        self._guard(request)
        account = self._account(request)
        spec = await _json_object(request)
        scopes = spec.get("scopes")
        if not isinstance(scopes, list) or not scopes:
            raise admin_error(400, "scopes must be a non-empty list")
        scopes = normalise([str(s) for s in scopes])
        if unknown(scopes):
            raise admin_error(400, f"unknown scopes: {unknown(scopes)}")
        oauth = self.sandbox.oauth
        default_id, default_secret = oauth.default_client()
        client_id = str(spec.get("client_id") or default_id)
        if not oauth.client_known(client_id):
            raise admin_error(400, f"client {client_id} is not the configured client")
        answer = oauth.grant(
            account.email, client_id, scopes, with_refresh=bool(spec.get("refresh", True))
        )
        answer.update(client_id=client_id, token_uri=base_url(request) + "/token")
        if client_id == default_id:
            answer["client_secret"] = default_secret
        return json_response(answer, 201)

    async def revoke(self, request: Request) -> Response:
        self._guard(request)
        account = self._account(request)
        return json_response({"revoked": self.sandbox.oauth.revoke_account(account.email)})

    async def change_password(self, request: Request) -> Response:
        self._guard(request)
        account = self._account(request)
        password = (await _json_object(request)).get("password")
        if not isinstance(password, str) or not password:
            raise admin_error(400, "password is required")
        account.password_hash = hash_password(password)
        self.sandbox.store.put_account(account)
        return json_response({"revoked": self.sandbox.oauth.revoke_account(account.email)})

    async def quota(self, request: Request) -> Response:
        self._guard(request)
        account = self._account(request)
        spec = await _json_object(request)
        account.daily_limit_exceeded = bool(spec.get("daily_limit_exceeded", True))
        self.sandbox.store.put_account(account)
        return json_response(
            {"email": account.email, "daily_limit_exceeded": account.daily_limit_exceeded}
        )

    async def expire_sync_tokens(self, request: Request) -> Response:
        self._guard(request)
        return json_response({"epoch": self.sandbox.store.expire_sync_tokens()})

    async def add_fault(self, request: Request) -> Response:
        self._guard(request)
        try:
            fault = self.sandbox.faults.add(await _json_object(request))
        except (FaultSpecError, TypeError) as error:
            raise admin_error(400, str(error)) from error
        return json_response({"id": fault.id}, 201)

    async def list_faults(self, request: Request) -> Response:
        self._guard(request)
        return json_response({"faults": self.sandbox.faults.describe()})

    async def clear_faults(self, request: Request) -> Response:
        self._guard(request)
        fault_id = request.path_params.get("faultId")
        if fault_id is None:
            self.sandbox.faults.clear()
        elif not self.sandbox.faults.remove(int(fault_id)):
            raise admin_error(404, f"no fault {fault_id}")
        return Response(status_code=204)

    async def stats(self, request: Request) -> Response:
        self._guard(request)
        return json_response(self.sandbox.stats.report())

    async def clear_stats(self, request: Request) -> Response:
        self._guard(request)
        self.sandbox.stats.clear()
        return Response(status_code=204)

    async def reset(self, request: Request) -> Response:
        self._guard(request)
        self.sandbox.reset()
        return Response(status_code=204)

    async def clock(self, request: Request) -> Response:
        self._guard(request)
        clock = self.sandbox.clock
        if request.method == "POST":
            spec = await _json_object(request)
            if spec.get("real"):
                clock.reset()
            elif "advance_seconds" in spec:
                clock.advance(float(spec["advance_seconds"]))
            elif "now" in spec:
                try:
                    moment = datetime.fromisoformat(str(spec["now"]).replace("Z", "+00:00"))
                except ValueError as error:
                    raise admin_error(400, "now must be an RFC 3339 time") from error
                if moment.tzinfo is None:
                    raise admin_error(400, "now needs a UTC offset")
                clock.set(moment, freeze=bool(spec.get("freeze", False)))
            else:
                raise admin_error(400, "give advance_seconds, now or real")
        return json_response({"now": rfc3339(clock.now()), "frozen": clock.frozen})

    async def config(self, request: Request) -> Response:
        self._guard(request)
        config = self.sandbox.config
        if request.method in ("POST", "PATCH"):
            unknown_keys = config.update(await _json_object(request))
            if unknown_keys:
                raise admin_error(400, f"unknown or badly typed settings: {unknown_keys}")
        return json_response(config.public())
