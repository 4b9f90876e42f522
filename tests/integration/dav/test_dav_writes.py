"""Creating, changing and deleting events with etags, on Radicale and Xandikos."""

from __future__ import annotations

from dav_helpers import applied, body

from studiosync.errors import (
    ErrorCode,
    PreconditionFailedError,
    RemoteDuplicateError,
    RemoteNotFoundError,
)
from studiosync.providers.base import Applied, DeleteEvent, InsertEvent, UpdateEvent
from studiosync.providers.caldav.provider import CalDavProvider


def test_create_change_and_delete_follow_the_etags(
    provider: CalDavProvider, calendar_url: str
) -> None:
    created = applied(provider.apply(calendar_url, [InsertEvent("evt00001", body())])[0])
    assert created.id == "evt00001" and created.etag
    assert provider.get_event(calendar_url, "evt00001").etag == created.etag

    changed = applied(
        provider.apply(calendar_url, [UpdateEvent("evt00001", body("Shoot, moved"), created.etag)])[
            0
        ]
    )
    assert changed.summary == "Shoot, moved" and changed.etag != created.etag

    outcomes = provider.apply(calendar_url, [DeleteEvent("evt00001", changed.etag)])
    assert outcomes == [Applied(None)]
    assert [e.id for e in provider.changes(calendar_url, None).events] == []


def test_a_stale_etag_is_the_mismatch_and_changes_nothing(
    provider: CalDavProvider, calendar_url: str
) -> None:
    created = applied(provider.apply(calendar_url, [InsertEvent("evt00002", body())])[0])
    applied(provider.apply(calendar_url, [UpdateEvent("evt00002", body("Newer"), None)])[0])
    update, delete = provider.apply(
        calendar_url,
        [
            UpdateEvent("evt00002", body("Stale"), created.etag),
            DeleteEvent("evt00002", created.etag),
        ],
    )
    for outcome in (update, delete):
        assert isinstance(outcome, PreconditionFailedError)
        assert outcome.code is ErrorCode.PROVIDER_ETAG_MISMATCH
        assert outcome.params["event_id"] == "evt00002"
    assert provider.get_event(calendar_url, "evt00002").summary == "Newer"


def test_a_uid_taken_before_is_the_duplicate_the_engine_adopts(
    provider: CalDavProvider, calendar_url: str
) -> None:
    first, second = provider.apply(
        calendar_url, [InsertEvent("evt00003", body("First")), InsertEvent("evt00003", body("X"))]
    )
    applied(first)
    assert isinstance(second, RemoteDuplicateError)
    assert second.code is ErrorCode.PROVIDER_DUPLICATE_ID
    assert provider.get_event(calendar_url, "evt00003").summary == "First"


def test_gone_items_deleting_or_changing_is_not_found_as_the_contract_says(
    provider: CalDavProvider, calendar_url: str
) -> None:
    delete, update = provider.apply(
        calendar_url, [DeleteEvent("evt-never"), UpdateEvent("evt-never", body(), '"x"')]
    )
    assert isinstance(delete, RemoteNotFoundError)  # the engine takes it as already gone
    assert isinstance(update, RemoteNotFoundError)
