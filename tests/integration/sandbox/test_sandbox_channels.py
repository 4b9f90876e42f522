"""Push channels: events.watch and channels.stop through googleapiclient, notifications POSTed."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from googleapiclient.errors import HttpError
from sandbox_helpers import ANN, BOB, CALENDAR, timed

from studiosync.sandbox.testing import SandboxHandle


class Receiver:
    """A webhook on 127.0.0.1 that records the headers of every POST it gets."""

    def __init__(self) -> None:
        self.got: queue.Queue[dict[str, str]] = queue.Queue()
        received = self.got

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                received.put({k.lower(): v for k, v in self.headers.items()})
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def next(self, timeout: float = 5.0) -> dict[str, str]:
        return self.got.get(timeout=timeout)

    def nothing_within(self, seconds: float) -> bool:
        try:
            self.got.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    yield hook
    hook.close()


def watch(calendar: Any, receiver: Receiver, channel_id: str = "chan-1", **extra: Any) -> Any:
    body = {
        "id": channel_id,
        "type": "web_hook",
        "address": receiver.url,
        "token": "secret-token",
        **extra,
    }
    return calendar.events().watch(calendarId="primary", body=body).execute()


def add_event(calendar: Any, summary: str = "Shoot") -> Any:
    return (
        calendar.events()
        .insert(calendarId="primary", body={"summary": summary, **timed(3, 10)})
        .execute()
    )


def test_watch_answers_googles_channel_shape(calendar: Any, receiver: Receiver) -> None:
    before_ms = time.time() * 1000
    channel = watch(calendar, receiver, params={"ttl": "3600"})
    assert channel["kind"] == "api#channel"
    assert channel["id"] == "chan-1"
    assert channel["token"] == "secret-token"
    assert channel["resourceId"]
    assert channel["resourceUri"].endswith(f"/calendar/v3/calendars/{ANN}/events?alt=json")
    expiration = int(channel["expiration"])
    assert before_ms + 3590_000 < expiration < before_ms + 3700_000
    again = watch(calendar, receiver, "chan-2")
    assert again["resourceId"] == channel["resourceId"]  # stable per calendar
    assert before_ms + 7 * 86400_000 - 60_000 < int(again["expiration"])


def test_sync_then_exists_with_googles_headers(calendar: Any, receiver: Receiver) -> None:
    channel = watch(calendar, receiver)
    sync = receiver.next()
    assert sync["x-goog-resource-state"] == "sync"
    assert sync["x-goog-channel-id"] == "chan-1"
    assert sync["x-goog-channel-token"] == "secret-token"
    assert sync["x-goog-resource-id"] == channel["resourceId"]
    assert sync["x-goog-resource-uri"] == channel["resourceUri"]
    assert sync["x-goog-message-number"] == "1"
    expires = parsedate_to_datetime(sync["x-goog-channel-expiration"])
    assert abs(expires.timestamp() * 1000 - int(channel["expiration"])) < 1000
    event = add_event(calendar)
    first = receiver.next()
    calendar.events().delete(calendarId="primary", eventId=event["id"]).execute()
    second = receiver.next()
    assert [first["x-goog-resource-state"], second["x-goog-resource-state"]] == ["exists"] * 2
    assert [first["x-goog-message-number"], second["x-goog-message-number"]] == ["2", "3"]


def test_other_calendars_changes_do_not_notify(
    google: SandboxHandle, calendar: Any, receiver: Receiver
) -> None:
    google.create_account(BOB)
    watch(calendar, receiver)
    assert receiver.next()["x-goog-resource-state"] == "sync"
    add_event(google.calendar_service(BOB, [CALENDAR]))
    assert receiver.nothing_within(0.5)


def test_stop_ends_notifications(google: SandboxHandle, calendar: Any, receiver: Receiver) -> None:
    channel = watch(calendar, receiver)
    receiver.next()
    calendar.channels().stop(
        body={"id": channel["id"], "resourceId": channel["resourceId"]}
    ).execute()
    assert google.channels()["channels"] == []
    add_event(calendar)
    assert receiver.nothing_within(0.5)
    with pytest.raises(HttpError) as stopped_twice:
        calendar.channels().stop(
            body={"id": channel["id"], "resourceId": channel["resourceId"]}
        ).execute()
    assert stopped_twice.value.resp.status == 404


def test_stop_needs_the_right_resource_and_owner(
    google: SandboxHandle, calendar: Any, receiver: Receiver
) -> None:
    channel = watch(calendar, receiver)
    with pytest.raises(HttpError) as wrong_resource:
        calendar.channels().stop(body={"id": channel["id"], "resourceId": "nope"}).execute()
    assert wrong_resource.value.resp.status == 404
    google.create_account(BOB)
    bob = google.calendar_service(BOB, [CALENDAR])
    with pytest.raises(HttpError) as other_user:
        bob.channels().stop(
            body={"id": channel["id"], "resourceId": channel["resourceId"]}
        ).execute()
    assert other_user.value.resp.status == 404
    assert [c["id"] for c in google.channels()["channels"]] == ["chan-1"]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": ""}, "required"),
        ({"id": "has space"}, "invalid"),
        ({"type": "email"}, "push.channelTypeInvalid"),
        ({"address": "http://studio.example.com/hook"}, "push.webhookUrlNotHttps"),
        ({"params": {"ttl": "soon"}}, "invalid"),
    ],
)
def test_bad_watch_requests_are_refused(
    calendar: Any, receiver: Receiver, change: dict[str, Any], reason: str
) -> None:
    with pytest.raises(HttpError) as refused:
        watch(calendar, receiver, **change)
    assert refused.value.resp.status == 400
    assert reason in refused.value.content.decode()


def test_channel_id_must_be_unique(calendar: Any, receiver: Receiver) -> None:
    watch(calendar, receiver)
    with pytest.raises(HttpError) as duplicate:
        watch(calendar, receiver)
    assert duplicate.value.resp.status == 400
    assert "channelIdNotUnique" in duplicate.value.content.decode()


def test_drop_rule_loses_a_message_and_its_number(
    google: SandboxHandle, calendar: Any, receiver: Receiver
) -> None:
    watch(calendar, receiver)
    receiver.next()
    google.add_notification_rule(action="drop", count=1)
    add_event(calendar, "lost")
    add_event(calendar, "kept")
    got = receiver.next()
    assert got["x-goog-message-number"] == "3"
    assert receiver.nothing_within(0.3)
    outcomes = [(d["number"], d["outcome"]) for d in google.channels()["deliveries"]]
    assert (2, "dropped") in outcomes
    assert google.admin("GET", "/notification-rules")["rules"] == []


def test_duplicate_and_delay_rules(
    google: SandboxHandle, calendar: Any, receiver: Receiver
) -> None:
    watch(calendar, receiver)
    receiver.next()
    google.add_notification_rule(action="duplicate", channel_id="chan-1", count=1)
    add_event(calendar)
    numbers = [receiver.next()["x-goog-message-number"] for _ in range(2)]
    assert numbers == ["2", "2"]
    google.add_notification_rule(action="delay", delay_ms=3000, count=1)
    add_event(calendar)  # answered at once; the message follows three seconds later
    assert receiver.nothing_within(0.5)
    assert receiver.next(timeout=10)["x-goog-message-number"] == "3"


def test_bad_rules_are_refused(google: SandboxHandle) -> None:
    for spec in ({"action": "explode"}, {"action": "delay"}, {"action": "drop", "count": 0}):
        response = google.http.post("/_sandbox/notification-rules", json=spec)
        assert response.status_code == 400
        assert response.json()["error"]


def test_channels_expire_by_the_sandbox_clock(
    google: SandboxHandle, calendar: Any, receiver: Receiver
) -> None:
    watch(calendar, receiver, "short", params={"ttl": "60"})
    watch(calendar, receiver, "week")
    for _ in range(2):
        receiver.next()
    google.advance_clock(61)
    assert [c["id"] for c in google.channels()["channels"]] == ["week"]
    add_event(calendar)
    assert receiver.next()["x-goog-channel-id"] == "week"
    google.advance_clock(7 * 86400)
    assert google.channels()["channels"] == []
    add_event(calendar)
    assert receiver.nothing_within(0.5)


def test_a_failing_receiver_does_not_slow_the_api(google: SandboxHandle, calendar: Any) -> None:
    body = {"id": "dead", "type": "web_hook", "address": "http://127.0.0.1:9/hook"}
    calendar.events().watch(calendarId="primary", body=body).execute()
    started = time.monotonic()
    add_event(calendar)  # sending inline would wait for three retries (over 10 s)
    assert time.monotonic() - started < 5.0


def test_deleting_the_calendar_ends_its_channels(
    google: SandboxHandle, calendar: Any, receiver: Receiver
) -> None:
    team = calendar.calendars().insert(body={"summary": "Team"}).execute()
    body = {"id": "team", "type": "web_hook", "address": receiver.url}
    calendar.events().watch(calendarId=team["id"], body=body).execute()
    assert receiver.next()["x-goog-resource-state"] == "sync"
    calendar.calendars().delete(calendarId=team["id"]).execute()
    assert google.channels()["channels"] == []
