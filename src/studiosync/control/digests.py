"""The daily detailed-log digest: one email a day per user, once that day is over in the studio.

Any processor may send it; a (user, day) row claimed before sending makes it go out once even
with several processors. A day without a round that did something sends nothing. A send that
failed (or a processor that stopped mid-send) is tried again an hour later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from studiosync.accounts.connections import service_name
from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.control import reports
from studiosync.control.emails import Sender
from studiosync.control.models import Run, SyncDigest, UserRun
from studiosync.control.records import Status
from studiosync.errors import StudioSyncError
from studiosync.notify import messages
from studiosync.notify.config import SmtpConfig
from studiosync.notify.inputs import RoundReport
from studiosync.studio.company import email_settings, get_company
from studiosync.studio.models import GoogleSettings, User

log = logging.getLogger(__name__)

DAILY = "day"  # GoogleSettings.detailed_logs_every for the digest
RETRY_AFTER = dt.timedelta(hours=1)
CLAIMED, SENT, QUIET, FAILED = "claimed", "sent", "quiet", "failed"


@dataclass(frozen=True)
class _Digest:
    to: str
    login: str
    config: SmtpConfig
    reports: list[RoundReport]
    quiet_rounds: int
    zone: ZoneInfo


def day_before(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The last day that is over in the studio's time zone."""
    return now.astimezone(zone).date() - dt.timedelta(days=1)


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """A day in the studio's time zone as UTC instants, from its start up to the next day's."""
    start = dt.datetime.combine(day, dt.time(), zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def send_due(studio: Studio, clock: Clock, send: Sender) -> int:
    """Send the digests of the day before to every user who chose them; how many went out."""
    now = clock.now()
    with studio.transaction() as session:
        zone = ZoneInfo(get_company(session).time_zone)
        day = day_before(now, zone)
        users = _waiting(session, day, now)
    sent = 0
    for user_id in users:
        try:
            sent += _one(studio, clock, send, user_id, day, zone)
        except Exception:
            log.exception("the digest of user %s for %s failed", user_id, day)
    return sent


def _waiting(session: Session, day: dt.date, now: dt.datetime) -> list[int]:
    """Users who chose the digest and have none for ``day`` (or one to try again)."""
    tabs = GoogleSettings
    done = select(SyncDigest.user_id).where(
        SyncDigest.day == day,
        or_(
            SyncDigest.status.in_((SENT, QUIET)),
            SyncDigest.claimed_at > now - RETRY_AFTER,
        ),
    )
    query = select(tabs.user_id).where(
        tabs.email_detailed_logs.is_(True),
        tabs.detailed_logs_every == DAILY,
        tabs.warnings_email.is_not(None),
        tabs.user_id.not_in(done),
    )
    return list(session.scalars(query.order_by(tabs.user_id)))


def _claim(studio: Studio, user_id: int, day: dt.date, now: dt.datetime) -> bool:
    """Take the (user, day) digest for this processor: a new row, or a stale one taken over."""
    try:
        with studio.transaction() as session:
            taken = session.execute(
                update(SyncDigest)
                .where(
                    SyncDigest.user_id == user_id,
                    SyncDigest.day == day,
                    SyncDigest.status.in_((CLAIMED, FAILED)),
                    SyncDigest.claimed_at <= now - RETRY_AFTER,
                )
                .values(status=CLAIMED, claimed_at=now)
            )
            if taken.rowcount:  # type: ignore[attr-defined]
                return True
            session.add(SyncDigest(user_id=user_id, day=day, status=CLAIMED, claimed_at=now))
            session.flush()
    except IntegrityError:
        return False  # another processor has it
    return True


def _mark(studio: Studio, user_id: int, day: dt.date, status: str, at: dt.datetime) -> None:
    with studio.transaction() as session:
        session.execute(
            update(SyncDigest)
            .where(SyncDigest.user_id == user_id, SyncDigest.day == day)
            .values(status=status, sent_at=at if status == SENT else None)
        )


def _one(
    studio: Studio, clock: Clock, send: Sender, user_id: int, day: dt.date, zone: ZoneInfo
) -> int:
    if not _claim(studio, user_id, day, clock.now()):
        return 0
    with studio.transaction() as session:
        digest = _gather(session, studio, user_id, day, zone)
        service = service_name(session, user_id)
    if digest is None:
        _mark(studio, user_id, day, QUIET, clock.now())
        return 0
    message = messages.digest_email(
        to=digest.to,
        user=digest.login,
        day=day,
        reports=digest.reports,
        quiet_rounds=digest.quiet_rounds,
        zone=digest.zone,
        service=service,
    )
    try:
        send(digest.config, message)
    except StudioSyncError as error:
        log.warning("the digest of %s for %s was not sent: %s", digest.login, day, error.code)
        _mark(studio, user_id, day, FAILED, clock.now())
        return 0
    _mark(studio, user_id, day, SENT, clock.now())
    return 1


def _gather(
    session: Session, studio: Studio, user_id: int, day: dt.date, zone: ZoneInfo
) -> _Digest | None:
    """The user's rounds of that day that did something, as reports; None when there are none."""
    tab = session.get(GoogleSettings, user_id)
    user = session.get(User, user_id)
    if tab is None or user is None or not tab.warnings_email:
        return None
    start, end = day_bounds(day, zone)
    rows = session.execute(
        select(UserRun, Run)
        .join(Run, Run.id == UserRun.run_id)
        .where(
            UserRun.user_id == user_id,
            UserRun.status != Status.SKIPPED.value,
            and_(Run.started_at >= start, Run.started_at < end),
        )
        .order_by(Run.started_at, UserRun.id)
    ).all()
    lines = reports.lines_of(session, [row.id for row, _ in rows])
    busy = [
        reports.report_of(run, row, lines[row.id], user.login, zone)
        for row, run in rows
        if reports.did_something(row, lines[row.id])
    ]
    if not busy:
        return None
    return _Digest(
        to=tab.warnings_email,
        login=user.login,
        config=SmtpConfig(**dataclasses.asdict(email_settings(session, studio.box))),
        reports=busy,
        quiet_rounds=len(rows) - len(busy),
        zone=zone,
    )
