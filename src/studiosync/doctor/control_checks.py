"""The troubleshooter's Control Center checks: the job, its schedule, its computer, recent runs."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.context import Studio
from studiosync.control.computers import find_computer, is_on, list_computers
from studiosync.control.jobs import get_job, studio_zone
from studiosync.control.models import LogLine, Run
from studiosync.control.schedule import parse_schedule
from studiosync.doctor.findings import Finding, failed, from_error, passed, warned
from studiosync.errors import ErrorCode, StudioSyncError
from studiosync.studio.models import utcnow

SCREEN = "/control-center/jobs"
RECENT_RUNS = 10
ANY = "any"


def check_job(studio: Studio, now: dt.datetime | None = None) -> list[Finding]:
    """The Google Sync Processor job: enabled, a schedule that fires, its computer on and online."""
    now = now or utcnow()
    findings: list[Finding] = []
    with studio.transaction() as session:
        job = get_job(session)
        zone = studio_zone(session)
        findings.append(
            passed("job_enabled", "The Google Sync Processor job is enabled", screen=SCREEN)
            if job.enabled
            else failed(
                "job_enabled",
                "The Google Sync Processor job is enabled",
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
                    f"{schedule.describe(zone)}; next after {following:%Y-%m-%d %H:%M} UTC",
                    SCREEN,
                )
            )
        except StudioSyncError as error:
            findings.append(
                from_error("job_schedule", "The sync schedule is valid and fires", error, SCREEN)
            )
        findings.append(_computer_finding(session, job.computer, job.name, now))
    return findings


def _computer_finding(
    session: Session, designated: str | None, job: str, now: dt.datetime
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
            last_seen=f"{computer.last_seen_at:%Y-%m-%d %H:%M} UTC",
            reason="it has not checked in recently",
        )
    if not computer.google_reachable:
        return failed(
            "job_computer",
            title,
            ErrorCode.CONTROL_COMPUTER_OFFLINE,
            SCREEN,
            computer=computer.name,
            last_seen=f"{computer.last_seen_at:%Y-%m-%d %H:%M} UTC",
            reason=f"it could not reach Google ({computer.google_error or 'no answer'})",
        )
    return passed(
        "job_computer",
        title,
        f"{computer.name}, seen {computer.last_seen_at:%H:%M} UTC, Google reachable",
        SCREEN,
    )


def check_recent_runs(studio: Studio, user_id: int | None = None) -> list[Finding]:
    """Each error and warning of the last runs, explained, with how often it happened."""
    with studio.transaction() as session:
        runs = list(session.scalars(select(Run.id).order_by(Run.id.desc()).limit(RECENT_RUNS)))
        query = select(LogLine).where(
            LogLine.run_id.in_(runs), LogLine.level.in_(("warning", "error"))
        )
        if user_id is not None:
            query = query.where(LogLine.user_id == user_id)
        lines = list(session.scalars(query))
    if not runs:
        return [warned("recent_runs", "Recent sync runs", ErrorCode.CONTROL_NEVER_RAN, SCREEN)]
    seen: Counter[tuple[str, str]] = Counter(
        (line.level, line.code) for line in lines if line.code in ErrorCode._value2member_map_
    )
    examples = {(line.level, line.code): line for line in lines}
    if not seen:
        return [
            passed(
                "recent_runs",
                "Recent sync runs",
                f"no warnings or errors in the last {len(runs)} run(s)",
                SCREEN,
            )
        ]
    findings = []
    for (level, code), times in seen.most_common():
        example = examples[(level, code)]
        make = failed if level == "error" else warned
        findings.append(
            make(
                "recent_runs",
                f"Seen {times} time(s) in the last {len(runs)} run(s)",
                ErrorCode(code),
                SCREEN,
                **dict(example.params),
            )
        )
    return findings
