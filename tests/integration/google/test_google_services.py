"""Services bound per account from shared templates, and keep-alive connections kept per thread."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from typing import Any

from studiosync.providers.google.services import (
    ThreadPooledHttp,
    authorized_http,
    build_calendar,
    build_people,
    make_credentials,
)
from studiosync.sandbox.testing import CALENDAR_SCOPE, SandboxHandle

ANN = "ann@sandbox.example"
BOB = "bob@sandbox.example"


def _service(google: SandboxHandle, email: str, **options: Any) -> Any:
    return build_calendar(google.credentials(email, [CALENDAR_SCOPE]), google.base_url, **options)


def _timed_event(summary: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "start": {"dateTime": "2026-12-01T10:00:00Z"},
        "end": {"dateTime": "2026-12-01T11:00:00Z"},
    }


def test_each_bound_service_speaks_as_its_own_account(google: SandboxHandle) -> None:
    google.create_account(ANN)
    google.create_account(BOB)
    ann, bob = _service(google, ANN), _service(google, BOB)
    assert [c["id"] for c in ann.calendarList().list().execute()["items"]] == [ANN]
    assert [c["id"] for c in bob.calendarList().list().execute()["items"]] == [BOB]

    ann_events, bob_events = ann.events(), bob.events()  # collections bound like their service
    ann_events.insert(calendarId="primary", body=_timed_event("Ann's")).execute()
    bob_events.insert(calendarId="primary", body=_timed_event("Bob's")).execute()
    assert [e["summary"] for e in ann_events.list(calendarId="primary").execute()["items"]] == [
        "Ann's"
    ]
    assert [e["summary"] for e in bob_events.list(calendarId="primary").execute()["items"]] == [
        "Bob's"
    ]

    batch = bob.new_batch_http_request()  # the batch goes out with its requests' transport
    answers: list[str] = []
    batch.add(
        bob_events.list(calendarId="primary"),
        callback=lambda _id, answer, error: answers.append(answer["items"][0]["summary"]),
    )
    batch.execute()
    assert answers == ["Bob's"]


def test_services_share_one_template_per_base_url(google: SandboxHandle) -> None:
    google.create_account(ANN)
    google.create_account(BOB)
    ann, bob = _service(google, ANN), _service(google, BOB)
    assert ann._http is not bob._http
    assert ann._rootDesc is bob._rootDesc  # the discovery document was read once
    assert ann.events()._resourceDesc is bob.events()._resourceDesc  # events built once
    assert ann.events().list.__func__ is bob.events().list.__func__
    people = build_people(google.credentials(ANN, [CALENDAR_SCOPE]), google.base_url)
    assert people._rootDesc is not ann._rootDesc
    assert people._baseUrl == google.base_url + "/"


def test_a_refreshed_token_stays_with_its_account(google: SandboxHandle) -> None:
    google.create_account(ANN)
    tokens = google.issue_tokens(ANN, [CALENDAR_SCOPE])
    stale = make_credentials(
        access_token="not-a-token",  # refused: the transport refreshes it at /token
        refresh_token=tokens["refresh_token"],
        client_id=tokens["client_id"],
        client_secret=tokens["client_secret"],
        base_url=google.base_url,
    )
    service = build_calendar(stale, google.base_url)
    assert service.calendarList().list().execute()["items"][0]["id"] == ANN
    assert stale.token not in (None, "not-a-token")


def test_keep_alive_connections_are_shared_on_a_thread_and_not_across_threads(
    google: SandboxHandle,
) -> None:
    google.create_account(ANN)
    credentials = google.credentials(ANN, [CALENDAR_SCOPE])
    first, second = authorized_http(credentials), authorized_http(credentials)
    assert first.connections is second.connections
    assert authorized_http(credentials, timeout=5.0).connections is not first.connections

    sandbox = "http:" + google.base_url.removeprefix("http://")
    service = build_calendar(credentials, google.base_url)
    service.calendarList().list().execute()
    connection = first.connections[sandbox]
    assert connection.sock is not None  # kept open for the next account synced here
    build_calendar(credentials, google.base_url).calendarList().list().execute()
    assert first.connections[sandbox] is connection  # reused, not a new one

    seen_elsewhere: list[dict[str, Any]] = []  # the pool a client sees depends on the thread

    def on_another_thread() -> None:
        seen_elsewhere.extend([first.connections, authorized_http(credentials).connections])

    worker = threading.Thread(target=on_another_thread)
    worker.start()
    worker.join()
    assert seen_elsewhere[0] is seen_elsewhere[1]
    assert seen_elsewhere[0] is not first.connections and sandbox not in seen_elsewhere[0]


class _ServerThatDropsIdleConnections:
    """A keep-alive HTTP server on loopback that resets a connection after one answer,
    as Google and the sandbox do to connections left idle (the client finds out on its next
    write)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests: list[bytes] = []
        self.answered = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                head = b""
                while b"\r\n\r\n" not in head:
                    head += connection.recv(65536)
                length = int(re.search(rb"content-length: (\d+)", head, re.I)[1])  # type: ignore[index]
                body = head.split(b"\r\n\r\n", 1)[1]
                while len(body) < length:
                    body += connection.recv(65536)
                self.requests.append(body)
                answer = b'{"ok": true}'
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(answer), answer)
                )
                connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.answered.set()

    def close(self) -> None:
        self.listener.close()


def test_a_keep_alive_connection_the_server_dropped_is_opened_again_not_an_error() -> None:
    server = _ServerThatDropsIdleConnections()
    try:
        http = ThreadPooledHttp(timeout=5.0)
        url = f"http://127.0.0.1:{server.port}/calendar/v3/calendars/c/events"
        response, _ = http.request(url, "POST", body='{"summary": "First"}')
        assert response.status == 200
        assert server.answered.wait(5)
        time.sleep(0.2)  # the reset has reached the idle connection kept in the pool
        response, _ = http.request(url, "POST", body='{"summary": "Second"}')
        assert response.status == 200
        assert server.requests == [b'{"summary": "First"}', b'{"summary": "Second"}']
    finally:
        server.close()
