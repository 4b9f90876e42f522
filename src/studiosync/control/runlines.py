"""The lines a user's run adds to the log: one summary line, then one line per item, named.

Every line about an item carries the item's title and start (``summary.stored``), given by the
engine or, for an appointment, looked up in the studio; readers word them in the studio's time
zone. ``item_row`` is the one way to write such a line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.control.summary import ACTIVE_COUNTS, stored
from studiosync.errors import ErrorCode
from studiosync.studio.models import Appointment
from studiosync.sync.result import ItemName, Level, LogEntry, RunResult

ITEMS_KEPT = 500  # items listed with a summary line; the rest are counted


def json_safe(value: object) -> Any:
    """A value as JSON keeps it: dates as ISO text, containers walked, anything odd as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return str(value)


def studio_names(session: Session, appointment_ids: Iterable[int]) -> dict[int, ItemName]:
    """Appointments' titles and starts, by id (one query; unknown ids are left out)."""
    wanted = sorted(set(appointment_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(
            Appointment.id,
            Appointment.title,
            Appointment.all_day,
            Appointment.start_at,
            Appointment.start_date,
        ).where(Appointment.id.in_(wanted))
    )
    return {
        row.id: ItemName(row.title, row.start_date if row.all_day else row.start_at) for row in rows
    }


def item_row(
    *,
    run_id: int,
    user_run_id: int | None,
    user_id: int | None,
    at: dt.datetime,
    level: Level,
    code: ErrorCode,
    params: Mapping[str, object],
    about: ItemName | None = None,
    appointment_id: int | None = None,
    event_id: str | None = None,
) -> dict[str, Any]:
    """A log line about one item (skipped, refused, quarantined...), ready to insert."""
    named = {**params, **stored(about)} if about is not None else dict(params)
    return {
        "run_id": run_id,
        "user_run_id": user_run_id,
        "user_id": user_id,
        "at": at,
        "level": level.value,
        "code": code.value,
        "params": json_safe(named),
        "appointment_id": appointment_id,
        "event_id": event_id,
    }


def result_rows(
    session: Session,
    *,
    run_id: int,
    user_run_id: int,
    user_id: int,
    login: str,
    result: RunResult,
    at: dt.datetime,
    service: str = "Google",
) -> list[dict[str, Any]]:
    """The summary line of a user's run, then its entries, each item named."""
    needing = [entry.appointment_id for entry in result.log if entry.about is None]
    needing += [change.appointment_id for change in result.changes if change.about is None]
    names = studio_names(session, (key for key in needing if key is not None))

    def name(about: ItemName | None, appointment_id: int | None) -> ItemName | None:
        if about is not None or appointment_id is None:
            return about
        return names.get(appointment_id)

    def entry_row(entry: LogEntry) -> dict[str, Any]:
        return item_row(
            run_id=run_id,
            user_run_id=user_run_id,
            user_id=user_id,
            at=at,
            level=entry.level,
            code=entry.code,
            params={"user": login, "service": service, **entry.params},
            about=name(entry.about, entry.appointment_id),
            appointment_id=entry.appointment_id,
            event_id=entry.event_id,
        )

    items = []
    for change in result.changes[:ITEMS_KEPT]:
        about = name(change.about, change.appointment_id)
        items.append({"change": change.change.value, **(stored(about) if about else {})})
    counts = {key: getattr(result.counts, key) for key in ACTIVE_COUNTS}
    summary = {
        "user": login,
        "service": service,
        "counts": {key: value for key, value in counts.items() if value},
        "problems": len(result.warnings) + len(result.errors),
        "stopped": result.stopped.value if result.stopped else None,
        "items": items,
        "items_more": max(0, len(result.changes) - ITEMS_KEPT),
    }
    head = item_row(
        run_id=run_id,
        user_run_id=user_run_id,
        user_id=user_id,
        at=at,
        level=Level.INFO,
        code=ErrorCode.SYNC_ROUND_SUMMARY,
        params=summary,
    )
    return [head, *(entry_row(entry) for entry in result.log)]
