"""events.watch and channels.stop at Google's paths, and the admin controls of notifications."""

from __future__ import annotations

import hashlib
import re
from base64 import urlsafe_b64encode
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from studiosync.sandbox.admin import AdminApi, _json_object, admin_error
from studiosync.sandbox.channels import DEFAULT_TTL, MAX_TTL, Channel, RuleSpecError
from studiosync.sandbox.context import Sandbox, base_url, read_json
from studiosync.sandbox.errors import api_error, bad_request, json_response, required
from studiosync.sandbox.scopes import CALENDAR_LIST_READ, EVENTS_READ

CHANNEL_ID = re.compile(r"^[A-Za-z0-9\-_+/=]{1,64}$")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def resource_id(calendar_id: str) -> str:
    """An opaque id of a calendar's events collection, stable across watches."""
    digest = hashlib.sha256(b"events|" + calendar_id.encode()).digest()
    return urlsafe_b64encode(digest[:15]).decode()


def _check_address(address: object) -> str:
    if not isinstance(address, str) or not address:
        raise required("Missing address.", location="address")
    parts = urlsplit(address)
    loopback = parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS
    if not (parts.scheme == "https" and parts.hostname) and not loopback:
        raise bad_request(
            f"WebHook callback must be HTTPS: {address}", reason="push.webhookUrlNotHttps"
        )
    return address


def _ttl(raw: dict[str, Any], now_ms: int) -> int:
    """The channel's expiration in ms: params.ttl or expiration, else 7 days, at most 30."""
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise bad_request("Invalid value for params.", location="params")
    latest = now_ms + MAX_TTL * 1000
    if "ttl" in params:
        try:
            ttl = int(str(params["ttl"]))
        except ValueError as error:
            raise bad_request("Invalid ttl value.", location="params.ttl") from error
        if ttl < 1:
            raise bad_request("Invalid ttl value.", location="params.ttl")
        return min(now_ms + ttl * 1000, latest)
    if raw.get("expiration") not in (None, ""):
        try:
            wanted = int(str(raw["expiration"]))
        except ValueError as error:
            raise bad_request("Invalid expiration value.", location="expiration") from error
        if wanted <= now_ms:
            raise bad_request("Invalid expiration value.", location="expiration")
        return min(wanted, latest)
    return now_ms + DEFAULT_TTL * 1000


class ChannelsApi:
    """Watching a calendar's events and stopping a channel."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def watch(self, request: Request) -> Response:
        sandbox = self.sandbox
        caller = sandbox.authenticate(request.headers, EVENTS_READ, "calendar.events.watch")
        calendar, _ = sandbox.calendar_for(caller, request.path_params["calendarId"])
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise api_error(400, "parseError", "Parse Error")
        channel_id = raw.get("id")
        if not isinstance(channel_id, str) or not channel_id:
            raise required("Missing channel id.", location="id")
        if not CHANNEL_ID.match(channel_id):
            raise bad_request(f"Invalid channel id {channel_id}.", location="id")
        if str(raw.get("type", "")).lower() not in ("web_hook", "webhook"):
            raise bad_request("Invalid channel type.", reason="push.channelTypeInvalid")
        address = _check_address(raw.get("address"))
        token = raw.get("token")
        if token is not None and (not isinstance(token, str) or len(token) > 256):
            raise bad_request("Invalid token: at most 256 characters.", location="token")
        if sandbox.channels.get(channel_id) is not None:
            raise bad_request("Channel id not unique.", reason="channelIdNotUnique")
        channel = Channel(
            id=channel_id,
            resource_id=resource_id(calendar.id),
            resource_uri=(
                f"{base_url(request)}/calendar/v3/calendars/{quote(calendar.id, safe='@')}"
                "/events?alt=json"
            ),
            calendar_id=calendar.id,
            owner=caller.email,
            address=address,
            token=token,
            expiration_ms=_ttl(raw, int(sandbox.clock.time() * 1000)),
        )
        sandbox.channels.add(channel)
        answer: dict[str, Any] = {
            "kind": "api#channel",
            "id": channel.id,
            "resourceId": channel.resource_id,
            "resourceUri": channel.resource_uri,
            "expiration": str(channel.expiration_ms),
        }
        if token is not None:
            answer["token"] = token
        return json_response(answer)

    async def stop(self, request: Request) -> Response:
        sandbox = self.sandbox
        caller = sandbox.authenticate(
            request.headers, EVENTS_READ | CALENDAR_LIST_READ, "calendar.channels.stop"
        )
        raw = await read_json(request)
        if not isinstance(raw, dict):
            raise api_error(400, "parseError", "Parse Error")
        channel_id, resource = raw.get("id"), raw.get("resourceId")
        if not isinstance(channel_id, str) or not channel_id:
            raise required("Missing channel id.", location="id")
        if not isinstance(resource, str) or not resource:
            raise required("Missing resource id.", location="resourceId")
        channel = sandbox.channels.get(channel_id)
        if channel is None or channel.resource_id != resource or channel.owner != caller.email:
            raise api_error(404, "notFound", f"Channel '{channel_id}' not found.")
        sandbox.channels.stop(channel_id)
        return Response(status_code=204)


class ChannelsAdmin:
    """/_sandbox/channels and /_sandbox/notification-rules."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def list_channels(self, request: Request) -> Response:
        AdminApi._guard(request)
        channels = self.sandbox.channels
        return json_response(
            {
                "channels": [channel.describe() for channel in channels.live()],
                "deliveries": list(channels.deliveries),
            }
        )

    async def add_rule(self, request: Request) -> Response:
        AdminApi._guard(request)
        try:
            rule = self.sandbox.channels.add_rule(await _json_object(request))
        except RuleSpecError as error:
            raise admin_error(400, str(error)) from error
        return json_response({"id": rule.id}, 201)

    async def list_rules(self, request: Request) -> Response:
        AdminApi._guard(request)
        return json_response({"rules": self.sandbox.channels.describe_rules()})

    async def clear_rules(self, request: Request) -> Response:
        AdminApi._guard(request)
        self.sandbox.channels.clear_rules()
        return Response(status_code=204)
