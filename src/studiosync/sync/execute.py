"""The executor: carries out a plan against the provider and the studio, recording item by item.

Studio-side steps run at once; pushes go out in paced batches. Per operation: 409 on insert →
read the event and link it (it is ours); 412 → read it again and decide that pair anew; rate
limits and transient failures → back off and retry, then leave the item for the next run.
Quota, refused credentials or a forbidden calendar stop the user's run (``StoppedError``).

An appointment made from a Google event is linked to it at once; if a run stops between the two
writes, the next run gets the same appointment back from the studio (``import_key``) and links
it then, and the new event that appointment's own feed entry asked for is not made (the pulls
and links are in ``pulls``).
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import replace

from studiosync.errors import (
    AccessDeniedError,
    AuthError,
    ErrorCode,
    PreconditionFailedError,
    ProviderError,
    QuotaExceededError,
    RemoteDuplicateError,
    RemoteNotFoundError,
)
from studiosync.providers.base import (
    Applied,
    DeleteEvent,
    InsertEvent,
    Operation,
    Provider,
    RemoteEvent,
    UpdateEvent,
)
from studiosync.sync import mapping as m
from studiosync.sync.actions import (
    Action,
    Link,
    PullCreate,
    PullDelete,
    PullUpdate,
    Push,
    PushDelete,
    PushInsert,
    PushUpdate,
    ResolveConflict,
    Skip,
    Unlink,
)
from studiosync.sync.pacing import RETRYABLE, Pacer
from studiosync.sync.plan import Pair, Rules, decide
from studiosync.sync.ports import StudioCalendar, SyncStateStore
from studiosync.sync.pulls import Job, Leftovers, PullSteps
from studiosync.sync.quarantine import QuarantineEntry
from studiosync.sync.records import MappingEntry
from studiosync.sync.result import Change, Level, RunResult

STOPPING = (QuotaExceededError, AuthError)


class StoppedError(Exception):
    """The provider refused to go on for this user (quota, credentials)."""

    def __init__(self, error: ProviderError) -> None:
        super().__init__(error.code.value)
        self.error = error


def _appointment_id(action: Push) -> int:
    return action.appointment_id if isinstance(action, PushDelete) else action.appointment.id


class Executor(PullSteps):
    """Runs one user's plan; see the module docstring."""

    def __init__(
        self,
        *,
        rules: Rules,
        calendar_id: str,
        provider: Provider,
        studio: StudioCalendar,
        state: SyncStateStore,
        pacer: Pacer,
        result: RunResult,
        events: Mapping[str, RemoteEvent] | None = None,
        held: Mapping[str, QuarantineEntry] | None = None,
    ) -> None:
        self.rules = rules
        self.events = events or {}
        self.held = set(held or ())
        self.user_id = rules.user_id
        self.calendar_id = calendar_id
        self.provider = provider
        self.studio = studio
        self.state = state
        self.pacer = pacer
        self.result = result
        self.leftovers = Leftovers()
        self._queue: deque[Job] = deque()
        self._replans: Counter[int] = Counter()
        self._imported: set[int] = set()

    def run(self, actions: Iterable[Action]) -> Leftovers:
        for action in actions:
            self._do(action)
        self._drain()
        return self.leftovers

    # -- one step ----------------------------------------------------------------------------

    def _do(self, action: Action) -> None:
        counts = self.result.counts
        if isinstance(action, Skip):
            counts.skipped += 1
            counts.skipped_tentative += int(action.tentative)
            bad = action.code is ErrorCode.SYNC_BAD_EVENT_SKIPPED
            params = {
                k: v for k, v in action.params.items() if k not in ("event_id", "appointment_id")
            }
            if bad and action.event_id is not None:
                reason = str(params.get("reason"))
                title, when = self._put_aside(action.event_id, action.code, reason)
                params |= {"title": title, "when": when}
            self.result.add(
                Level.WARNING if bad else Level.INFO,
                action.code,
                appointment_id=action.appointment_id,
                event_id=action.event_id,
                about=action.about,
                **params,
            )
        elif isinstance(action, Link):
            self.state.put_mapping(self.user_id, action.entry)
            self._went_through(action.entry.event_id)
            if action.adopted:
                entry = action.entry
                self.result.add(
                    Level.INFO,
                    ErrorCode.SYNC_ADOPTED_EVENT,
                    appointment_id=entry.appointment_id,
                    event_id=entry.event_id,
                )
        elif isinstance(action, Unlink):
            self.state.remove_mapping(self.user_id, action.appointment_id)
            self._went_through(action.event_id)
        elif isinstance(action, ResolveConflict):
            record = action.record
            self.state.add_conflict(self.user_id, record)
            counts.conflicts += 1
            self.result.add(
                Level.WARNING,
                ErrorCode.SYNC_CONFLICT_RECORDED,
                appointment_id=record.appointment_id,
                event_id=record.event_id,
                winner=record.winner.value,
                reason=record.reason.value,
                fields=", ".join(record.fields) or "the whole appointment",
            )
            if action.then is not None:
                self._do(action.then)
        elif isinstance(action, PullCreate | PullUpdate | PullDelete):
            self._pull(action)
        else:
            self._queue.append(Job(action))

    # -- pushes ------------------------------------------------------------------------------

    def _operation(self, action: Push) -> Operation:
        if isinstance(action, PushDelete):
            return DeleteEvent(action.event_id, action.etag)
        private = m.private_properties(self.rules.studio_tag, self.user_id, action.appointment.id)
        body = m.body_for(action.content, private)
        if isinstance(action, PushInsert):
            return InsertEvent(action.event_id, body)
        return UpdateEvent(action.event_id, body, action.etag)

    def _made_by_a_pull(self, job: Job) -> bool:
        """An insert planned for an appointment that a pull of this run has linked meanwhile.

        That appointment was made from a Google event by a run that stopped before linking it:
        its feed entry asked for a new event, but it has its event now.
        """
        action = job.action
        return isinstance(action, PushInsert) and action.appointment.id in self._imported

    def _drain(self) -> None:
        size = self.pacer.pacing.burst
        self._queue = deque(job for job in self._queue if not self._made_by_a_pull(job))
        while self._queue:
            batch = [self._queue.popleft() for _ in range(min(size, len(self._queue)))]
            retried = [job for job in batch if job.attempts]
            if retried:
                worst = max(retried, key=lambda job: job.attempts)
                self.pacer.wait_before_retry(worst.attempts, worst.last_error)
            self.pacer.acquire(len(batch))
            operations = [self._operation(job.action) for job in batch]
            try:
                outcomes = self.provider.apply(self.calendar_id, operations)
            except (*STOPPING, AccessDeniedError) as error:
                raise StoppedError(error) from error
            except RETRYABLE as error:
                for job in batch:
                    self._retry(job, error)
                continue
            for job, outcome in zip(batch, outcomes, strict=True):
                if isinstance(outcome, Applied):
                    self._pushed(job.action, outcome)
                else:
                    self._push_failed(job, outcome)

    def _pushed(self, action: Push, applied: Applied) -> None:
        counts = self.result.counts
        self._went_through(action.event_id)
        if isinstance(action, PushDelete):
            self._forget(action)
            counts.pushed_deleted += 1
            self.result.changed(
                Change.SENT_DELETED, appointment_id=action.appointment_id, event_id=action.event_id
            )
            return
        etag = applied.event.etag if applied.event else None
        appointment = action.appointment
        entry = MappingEntry.agreed(
            appointment.id,
            action.event_id,
            etag,
            appointment.version,
            action.content,
            appointment.origin,
        )
        self.state.put_mapping(self.user_id, entry)
        if isinstance(action, PushInsert):
            counts.pushed_new += 1
        else:
            counts.pushed_updated += 1
        new = Change.SENT_NEW if isinstance(action, PushInsert) else Change.SENT_CHANGED
        self._changed(new, appointment, action.event_id)

    def _forget(self, action: PushDelete) -> None:
        found = self.state.mappings_by_appointment(self.user_id, [action.appointment_id])
        link = found.get(action.appointment_id)
        if link is not None and link.event_id == action.event_id:
            self.state.remove_mapping(self.user_id, action.appointment_id)

    def _push_failed(self, job: Job, error: ProviderError) -> None:
        action = job.action
        if isinstance(error, STOPPING):
            raise StoppedError(error)
        if isinstance(error, RETRYABLE):
            self._retry(job, error)
        elif isinstance(error, RemoteNotFoundError) and isinstance(action, PushDelete):
            self._forget(action)  # already deleted in Google
        elif isinstance(error, RemoteNotFoundError) and isinstance(action, PushUpdate):
            self._decide_again(job, error, None)
        elif isinstance(error, RemoteDuplicateError | PreconditionFailedError):
            self._reread(job, error)
        else:
            self._refuse(action, error)

    def _retry(self, job: Job, error: ProviderError) -> None:
        job.attempts += 1
        job.last_error = error
        if job.attempts >= self.pacer.pacing.max_attempts:
            self._give_up(job.action, error)
        else:
            self._queue.append(job)

    def _reread(self, job: Job, error: ProviderError) -> None:
        """409 or 412: read the event as it is now and decide the pair again."""
        action = job.action
        try:
            event: RemoteEvent | None = self.pacer.call(
                lambda: self.provider.get_event(self.calendar_id, action.event_id)
            )
        except RemoteNotFoundError:
            event = None
        except STOPPING as stop:
            raise StoppedError(stop) from stop
        except ProviderError as failure:
            self._give_up(action, failure)
            return
        if isinstance(action, PushInsert) and not self._ours(action, event):
            # The id went to another appointment's event (Google's version of this appointment
            # won a conflict and became a new appointment, which may since be gone): next id.
            self._queue.append(Job(replace(action, event_id=m.next_event_id(action.event_id))))
            return
        self._decide_again(job, error, event)

    def _ours(self, action: PushInsert, event: RemoteEvent | None) -> bool:
        """Whether the event holding an insert's id is this appointment's (live or deleted).

        It is when it names the appointment and no other appointment is linked to it.
        """
        tag, user, wanted = self.rules.studio_tag, self.user_id, action.appointment.id
        holder = self.state.mappings_by_event(user, [action.event_id]).get(action.event_id)
        if holder is not None and holder.appointment_id != wanted:
            return False
        return event is not None and m.claimed_appointment(event, tag, user) == wanted

    def _decide_again(self, job: Job, error: ProviderError, event: RemoteEvent | None) -> None:
        action = job.action
        key = _appointment_id(action)
        self._replans[key] += 1
        if self._replans[key] > self.pacer.pacing.max_replans:
            self._give_up(action, error)
            return
        if isinstance(action, PushInsert):
            link = None  # a new event for this appointment: any older link is beside the point
        else:
            link = self.state.mappings_by_appointment(self.user_id, [key]).get(key)
        appointment = None if isinstance(action, PushDelete) else action.appointment
        pair = Pair(key, appointment, link, event, remote_seen=True)
        for step in decide(pair, self.rules):
            self._do(step)

    def _give_up(self, action: Push, error: ProviderError) -> None:
        self.leftovers.appointments.add(_appointment_id(action))
        if not isinstance(action, PushInsert):
            self.leftovers.events.add(action.event_id)
        self.result.add(
            Level.WARNING,
            ErrorCode.SYNC_RETRY_LATER,
            appointment_id=_appointment_id(action),
            event_id=action.event_id,
            item=f"appointment {_appointment_id(action)}",
            reason=error.code.value,
        )

    def _refuse(self, action: Push, error: ProviderError) -> None:
        self.result.add(
            Level.ERROR,
            ErrorCode.SYNC_ITEM_REFUSED,
            appointment_id=_appointment_id(action),
            event_id=action.event_id,
            item=f"event {action.event_id}",
            reason=error.code.value,
        )
