"""The Control Center log by round: the newest rounds first, each user's summary and items.

What `studiosync logs` prints and the web log shows. Users whose run changed nothing are
folded into one line per round, so a large studio's log stays readable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from studiosync.control import jobs
from studiosync.control.history import WordedLine, at_least, worded
from studiosync.control.models import LogLine, Run
from studiosync.doctor.catalogue import Surface
from studiosync.studio.models import User
from studiosync.wording.times import stamp

QUIET = "Nothing changed."
MODE_WORDS = {
    "manual": "started by hand",
    "threads": "on schedule",
    "celery": "on schedule",
    "on-request": "on request (a change in the studio or in Google, or Sync now)",
}
MAX_LINES = 5000


@dataclass(frozen=True)
class UserPart:
    """One user's lines in a round: the summary sentence, then each item line."""

    login: str | None
    lines: list[WordedLine]

    @property
    def quiet(self) -> bool:
        return len(self.lines) == 1 and self.lines[0].summary and self.lines[0].title == QUIET


@dataclass(frozen=True)
class RoundLog:
    """One round as the log shows it."""

    run_id: int
    started_at: dt.datetime
    computer: str
    mode: str
    status: str
    parts: list[UserPart] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return MODE_WORDS.get(self.mode, self.mode)

    @property
    def busy(self) -> list[UserPart]:
        """The users (and round-wide lines) that have something to say."""
        return [part for part in self.parts if not part.quiet]

    @property
    def quiet(self) -> list[str]:
        """The logins of the users whose run changed nothing."""
        return [part.login or "" for part in self.parts if part.quiet]


def read_rounds(
    session: Session,
    *,
    user_id: int | None = None,
    level: str = "info",
    run_id: int | None = None,
    since: dt.datetime | None = None,
    rounds: int = 10,
    surface: Surface = Surface.WEB,
) -> list[RoundLog]:
    """The newest ``rounds`` rounds with lines matching the filters, newest first, worded for
    ``surface``."""
    matching = select(LogLine.run_id).where(LogLine.level.in_(at_least(level)))
    if user_id is not None:
        matching = matching.where(LogLine.user_id == user_id)
    if run_id is not None:
        matching = matching.where(LogLine.run_id == run_id)
    if since is not None:
        matching = matching.where(LogLine.at >= since)
    ids = list(
        session.scalars(
            select(Run.id)
            .where(Run.id.in_(matching.distinct().scalar_subquery()))
            .order_by(Run.id.desc())
            .limit(rounds)
        )
    )
    if not ids:
        return []
    query = (
        select(LogLine, User.login)
        .outerjoin(User, User.id == LogLine.user_id)
        .where(LogLine.run_id.in_(ids), LogLine.level.in_(at_least(level)))
    )
    if user_id is not None:
        query = query.where(LogLine.user_id == user_id)
    rows = session.execute(query.order_by(LogLine.id).limit(MAX_LINES)).all()
    zone = ZoneInfo(jobs.studio_zone(session))
    by_run: dict[int, dict[int | None, list[WordedLine]]] = {run: {} for run in ids}
    for line, login in rows:
        by_run[line.run_id].setdefault(line.user_id, []).append(worded(line, login, zone, surface))
    runs = {run.id: run for run in session.scalars(select(Run).where(Run.id.in_(ids)))}
    return [
        RoundLog(
            run_id=run,
            started_at=runs[run].started_at,
            computer=runs[run].computer,
            mode=runs[run].mode,
            status=runs[run].status,
            parts=sorted(
                (_part(lines) for lines in by_run[run].values()),
                key=lambda part: (part.login is not None, part.login or ""),
            ),
        )
        for run in ids
    ]


def _part(lines: list[WordedLine]) -> UserPart:
    """A user's lines with the summary first (notes written before the run come earlier)."""
    return UserPart(lines[0].user, sorted(lines, key=lambda line: not line.summary))


MARKS = {"info": "·", "warning": "⚠", "error": "✖"}


def text_lines(rounds: list[RoundLog], zone: ZoneInfo) -> list[str]:
    """The rounds as plain text, newest first: what `studiosync logs` prints."""
    out: list[str] = []
    for one in rounds:
        started = stamp(one.started_at, zone)
        out.append(
            f"Round {one.run_id} — {started}, {one.kind} on {one.computer}: "
            f"{one.status.replace('_', ' ')}"
        )
        for part in one.busy:
            for line in part.lines:
                out.extend(_line_text(part.login, line))
        if one.quiet:
            out.append(f"  Nothing changed for {', '.join(one.quiet)}.")
        out.append("")
    return out


def _line_text(login: str | None, line: WordedLine) -> list[str]:
    if line.summary:
        return [f"  {login}: {line.title}"]
    about = f": {line.item}" if line.item else ""
    who = "    " if login else "  "
    said = [f"{who}{MARKS.get(line.level, '·')} {line.title}{about}"]
    if line.cause:
        said.append(f"{who}  {line.cause}")
    if line.level != "info" and line.fix:
        said.append(f"{who}  What to do: {line.fix}")
    return said
