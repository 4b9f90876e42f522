"""The troubleshooter's Control Center checks: the job, its schedule, its computer, recent runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.control.computers import find_computer, is_on, list_computers
from studiosync.control.jobs import get_job, studio_zone
from studiosync.control.models import LogLine, Run, UserRun
from studiosync.control.schedule import parse_schedule
from studiosync.doctor.catalogue import Context, Surface, explain_code
from studiosync.doctor.findings import Finding, Verdict, failed, from_error, passed, skipped, warned
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.studio.models import utcnow
from studiosync.wording.network import network_words
from studiosync.wording.times import day_at, plural, when, zone_of

SCREEN = "/control-center/jobs"
RECENT_RUNS = 10
ANY = "any"
SUCCESS = ("ok", "warning")


def check_job(studio: Studio, now: dt.datetime | None = None) -> list[Finding]:
    """The Calendar Sync Processor job: enabled, a schedule that fires, its computer online."""
    now = now or utcnow()
    findings: list[Finding] = []
    with studio.transaction() as session:
        job = get_job(session)
        zone = studio_zone(session)
        findings.append(
            passed("job_enabled", "The Calendar Sync Processor job is enabled", screen=SCREEN)
            if job.enabled
            else failed(
                "job_enabled",
                "The Calendar Sync Processor job is enabled",
                ErrorCode.CONTROL_JOB_DISABLED,
                SCREEN,
                job=job.name,
            )
        )
        try:
            schedule = parse_schedule(job.schedule)
            following = schedule.next_after(now, zone)
            findings.append(
                passed(
                    "job_schedule",
                    "The sync schedule is valid and fires",
                    f"{schedule.describe(zone)}; next run {when(following, zone_of(zone), now)}",
                    SCREEN,
                )
            )
        except StudioSyncError as error:
            findings.append(
                from_error("job_schedule", "The sync schedule is valid and fires", error, SCREEN)
            )
        findings.append(_computer_finding(session, job.computer, job.name, now, zone_of(zone)))
    return findings


def _computer_finding(
    session: Session, designated: str | None, job: str, now: dt.datetime, zone: ZoneInfo
) -> Finding:
    title = "The computer chosen to run the job is on and online"
    if not designated:
        return failed("job_computer", title, ErrorCode.CONTROL_NO_COMPUTER, SCREEN, job=job)
    if designated.casefold() == ANY:
        computers = [c for c in list_computers(session) if is_on(c, now)]
        online = [c for c in computers if c.google_reachable]
        if online:
            return passed(
                "job_computer",
                title,
                f"any computer; online now: {', '.join(c.name for c in online)}",
                SCREEN,
            )
        return warned(
            "job_computer",
            title,
            ErrorCode.CONTROL_COMPUTER_OFFLINE,
            SCREEN,
            computer="any computer",
            last_seen="no running processor has checked in",
            reason="none is on",
        )
    computer = find_computer(session, designated)
    if computer is None:
        return failed(
            "job_computer",
            title,
            ErrorCode.CONTROL_UNKNOWN_COMPUTER,
            SCREEN,
            computer=designated,
            known=", ".join(c.name for c in list_computers(session)) or "none yet",
        )
    if not is_on(computer, now):
        return failed(
            "job_computer",
            title,
            ErrorCode.CONTROL_COMPUTER_OFFLINE,
            SCREEN,
            computer=computer.name,
            last_seen=when(computer.last_seen_at, zone, now),
            reason="it has not checked in recently",
        )
    if not computer.google_reachable:
        return failed(
            "job_computer",
            title,
            ErrorCode.CONTROL_COMPUTER_OFFLINE,
            SCREEN,
            computer=computer.name,
            last_seen=when(computer.last_seen_at, zone, now),
            reason="it could not reach Google: "
            + network_words(computer.google_error or "no answer"),
        )
    return passed(
        "job_computer",
        title,
        f"{computer.name}, last seen {when(computer.last_seen_at, zone, now)}, Google reachable",
        SCREEN,
    )


@dataclass
class _Seen:
    """One problem code in the recent runs: how many runs, and its latest line."""

    latest: LogLine
    runs: set[int] = field(default_factory=set)


def _fixed_at(session: Session, latest: LogLine, user_id: int | None) -> dt.datetime | None:
    """When a run of the same kind next went through after ``latest`` (None: still current)."""
    if user_id is not None:
        query = select(UserRun.finished_at).where(
            UserRun.user_id == user_id,
            UserRun.status.in_(SUCCESS),
            UserRun.run_id > latest.run_id
            if latest.user_run_id is None
            else UserRun.id > latest.user_run_id,
        )
        return session.scalar(query.order_by(UserRun.id).limit(1))
    return session.scalar(
        select(Run.finished_at)
        .where(Run.id > latest.run_id, Run.status.in_(SUCCESS))
        .order_by(Run.id)
        .limit(1)
    )


def check_recent_runs(
    studio: Studio,
    user_id: int | None = None,
    *,
    context: Context | None = None,
    current: Collection[ErrorCode] = (),
) -> list[Finding]:
    """Each problem of the last runs, once: current ones explained, fixed ones as history.

    A problem is current only if no run of the same kind went through after it; a code that a
    check above already reports as current (``current``) is not repeated.
    """
    context = context or Context()
    with studio.transaction() as session:
        runs = list(session.scalars(select(Run.id).order_by(Run.id.desc()).limit(RECENT_RUNS)))
        query = select(LogLine).where(
            LogLine.run_id.in_(runs), LogLine.level.in_(("warning", "error"))
        )
        if user_id is not None:
            query = query.where(LogLine.user_id == user_id)
        seen: dict[str, _Seen] = {}
        for line in session.scalars(query.order_by(LogLine.id)):
            if line.code in ErrorCode._value2member_map_:
                entry = seen.setdefault(line.code, _Seen(line))
                entry.latest = line
                entry.runs.add(line.run_id)
        fixed = {code: _fixed_at(session, item.latest, user_id) for code, item in seen.items()}
    if not runs:
        return [_never_ran(studio, context.now)]
    if not seen:
        return [
            passed(
                "recent_runs",
                "Recent sync runs",
                f"no warnings or errors in the last {plural(len(runs), 'run')}",
                SCREEN,
            )
        ]
    findings = []
    for code, item in sorted(seen.items(), key=lambda pair: -pair[1].latest.id):
        known = ErrorCode(code)
        last = day_at(item.latest.at, context.zone, context.now)
        often = (
            "Seen in the last run"
            if len(runs) == 1
            else f"Seen in {len(item.runs)} of the last {plural(len(runs), 'run')}"
        )
        fixed_at = fixed[code]
        if fixed_at is not None:
            title = explain_code(known, Surface.EMAIL, context, **item.latest.params).title
            findings.append(
                passed(
                    "recent_runs",
                    f"Fixed since {day_at(fixed_at, context.zone, context.now)}",
                    f"Earlier: {title} ({often.lower()}, last {last}); the sync has gone "
                    "through since.",
                    SCREEN,
                )
            )
        elif known not in current:
            make = failed if item.latest.level == "error" else warned
            findings.append(
                make(
                    "recent_runs",
                    f"{often}, most recently {last}",
                    known,
                    SCREEN,
                    **dict(item.latest.params),
                )
            )
    return findings


def _never_ran(studio: Studio, now: dt.datetime) -> Finding:
    """No round yet: said only when the job could run; otherwise its problem is the finding."""
    blocker = next((f for f in check_job(studio, now) if f.verdict is Verdict.FAIL), None)
    if blocker is None:
        return warned("recent_runs", "Recent sync runs", ErrorCode.CONTROL_NEVER_RAN, SCREEN)
    words = (
        explain_code(blocker.code, Surface.EMAIL, None, **blocker.params) if blocker.code else None
    )
    because = (words.title if words else blocker.title).rstrip(".")
    return skipped(
        "recent_runs",
        "Recent sync runs",
        f"the job cannot run yet ({because[:1].lower()}{because[1:]})",
    )
