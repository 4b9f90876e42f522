"""Pairing: studio changes, Google changes and mappings matched into one pair per item."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from studiosync.providers.base import RemoteEvent
from studiosync.sync.plan import Pair
from studiosync.sync.records import MappingEntry, StudioAppointment


def gather_pairs(
    *,
    studio_ids: Collection[int],
    appointments: Mapping[int, StudioAppointment],
    remote: Sequence[RemoteEvent],
    gone_event_ids: Collection[str],
    by_appointment: Mapping[int, MappingEntry],
    by_event: Mapping[str, MappingEntry],
    claim: Callable[[RemoteEvent], int | None],
) -> list[Pair]:
    """Match studio changes, Google changes and mappings into pairs, one per appointment/event.

    ``remote`` are the events Google reported (cancelled stubs included); ``gone_event_ids``
    are linked events a full listing no longer holds. ``appointments`` must hold the current
    state of every appointment involved (absent: gone for this user).
    """
    pairs: dict[int, Pair] = {}
    unclaimed: list[Pair] = []
    for event in remote:
        link = by_event.get(event.id)
        key = link.appointment_id if link else claim(event)
        if key is not None and link is None and key in by_appointment:
            continue  # our copy for an appointment linked elsewhere: a re-insert adopts it
        if key is None:
            unclaimed.append(Pair(None, None, None, event, True))
        else:
            pairs[key] = Pair(key, appointments.get(key), link, event, True)
    for event_id in gone_event_ids:
        link = by_event[event_id]
        pairs[link.appointment_id] = Pair(
            link.appointment_id, appointments.get(link.appointment_id), link, None, True
        )
    for key in studio_ids:
        if key not in pairs:
            pairs[key] = Pair(key, appointments.get(key), by_appointment.get(key))
    return [pairs[key] for key in sorted(pairs)] + unclaimed
