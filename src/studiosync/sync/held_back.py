"""What a run holds back from Google's changes: events put aside, and long series cut short.

See ``sync.quarantine`` and ``sync.series`` for the rules; this is where a run applies them,
remembers the events it keeps (for the executor to name and quarantine) and logs a cut series.
"""

from __future__ import annotations

from collections.abc import Callable

from studiosync.clock import Clock
from studiosync.errors import ErrorCode, ProviderError
from studiosync.providers.base import RemoteEvent
from studiosync.sync import mapping as m
from studiosync.sync.execute import STOPPING, StoppedError
from studiosync.sync.options import SyncOptions
from studiosync.sync.ports import SyncStateStore
from studiosync.sync.quarantine import QuarantineEntry, start_in_words, unchanged
from studiosync.sync.result import Level, RunResult
from studiosync.sync.series import CutShort, limit_series


class HeldBack:
    """One run's view of the quarantine and of repeating events (see the module docstring)."""

    def __init__(
        self,
        options: SyncOptions,
        state: SyncStateStore,
        result: RunResult,
        clock: Clock,
        get: Callable[[str, str], RemoteEvent],
    ) -> None:
        self.options = options
        self.state = state
        self.result = result
        self.clock = clock
        self._get = get
        self.events: dict[str, RemoteEvent] = {}
        self.held: dict[str, QuarantineEntry] = {}

    def _ours(self, event: RemoteEvent) -> bool:
        options = self.options
        return m.claimed_appointment(event, options.studio_tag, options.user_id) is not None

    def set_aside(self, events: list[RemoteEvent]) -> list[RemoteEvent]:
        """Leave out events put aside that Google still shows unchanged; forget deleted ones.

        The events kept are remembered for the executor, which names and quarantines them.
        """
        if not events:
            return events  # a quiet run: nothing to look up
        held = self.state.quarantined(self.options.user_id, [event.id for event in events])
        gone = [event.id for event in events if event.cancelled and event.id in held]
        if gone and not self.options.dry_run:
            self.state.release(self.options.user_id, gone)
        kept = [event for event in events if not unchanged(event, held.get(event.id))]
        self.held.update({key: entry for key, entry in held.items() if key not in gone})
        self.events.update((event.id, event) for event in kept)
        return kept

    def limit_series(self, events: list[RemoteEvent], linked: set[str]) -> list[RemoteEvent]:
        """Leave out occurrences of repeating events beyond the window or the cap (``series``)."""
        keys = {event.recurring_event_id for event in events if event.recurring_event_id}
        if not keys:
            return events
        before = self.state.quarantined(self.options.user_id, keys)
        kept, cut, whole = limit_series(
            events,
            linked=linked,
            ours=self._ours,
            now=self.clock.now(),
            since=self.options.populate_since,
            limits=self.options.series,
            cut_before=before,
        )
        if not self.options.dry_run:
            self.state.release(self.options.user_id, whole)
            for short in cut:
                self._cut_short(short, before.get(short.series_id))
        return kept

    def _cut_short(self, short: CutShort, known: QuarantineEntry | None) -> None:
        """Keep the series aside with where it was cut; say so once per repeat rule."""
        rule = self._rule_of(short.series_id)
        cap = self.options.series.cap
        entry = QuarantineEntry(
            short.series_id,
            short.title,
            short.last_kept,
            ErrorCode.SYNC_SERIES_CAPPED,
            f"it repeats more than {cap} times within the sync window ({rule})",
            rule,
        )
        self.state.quarantine(self.options.user_id, entry)
        if known is None or known.stamp != rule:
            self.result.add(
                Level.WARNING,
                ErrorCode.SYNC_SERIES_CAPPED,
                event_id=short.series_id,
                title=short.title,
                rule=rule,
                cap=cap,
                last=start_in_words(short.last_kept),
                left_out=short.left_out,
            )

    def _rule_of(self, series_id: str) -> str:
        try:
            master = self._get(self.options.calendar_id, series_id)
        except STOPPING as error:
            raise StoppedError(error) from error
        except ProviderError:
            return "repeat rule unknown"
        rules = [line for line in master.recurrence if line.upper().startswith("RRULE")]
        return "; ".join(rules or master.recurrence) or "repeat rule unknown"
