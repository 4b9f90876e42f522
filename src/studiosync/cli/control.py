"""CLI: the Control Center: `job …`, `computer …`, `processor`, `worker`, `logs …`, `email test`."""

from __future__ import annotations

from types import FrameType
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from studiosync.cli.common import console, done, studio, table
from studiosync.cli.console_logs import configure_console_logs
from studiosync.clock import SystemClock
from studiosync.sync.result import Level

if TYPE_CHECKING:
    from studiosync.control.processor import Processor, RoundOutcome

job_app = typer.Typer(help="Control Center jobs: the Calendar Sync Processor.")
computer_app = typer.Typer(help="Computers that checked in with the Control Center.")
logs_app = typer.Typer(help="Control Center logs: every round, every user, every problem.")
email_app = typer.Typer(help="Email (the Email tab of Company Preferences).")
clock = SystemClock()


def _schedule_words(words: str, typed: str) -> str:
    """The schedule in words, with what was typed only when that says something else."""
    return words if words.casefold() == typed.casefold() else f"{words}\n({typed})"


@job_app.command("list")
def job_list() -> None:
    """Show each job: enabled, schedule in words, its computer (on? online?), last and next run."""
    from studiosync.control import jobs, views

    with studio() as opened, opened.transaction() as session:
        now = clock.now()
        shown = [views.job_view(session, job, now) for job in jobs.list_jobs(session)]
    rows = [
        (view.name, view.enabled, _schedule_words(view.words, view.schedule), view.computer,
         view.computer_state, view.last_run, view.next_run)
        for view in shown
    ]  # fmt: skip
    table(
        "Control Center jobs",
        ("Job", "Enabled", "Schedule", "Computer", "Computer state", "Last run", "Next run"),
        rows,
    )


@job_app.command("enable")
def job_enable() -> None:
    """Enable the Calendar Sync Processor (a computer must be chosen first)."""
    from studiosync.control import jobs

    with studio() as opened, opened.transaction() as session:
        job = jobs.enable(session, clock.now())
        done(f"{job.name} enabled; it runs on {job.computer}.")


@job_app.command("disable")
def job_disable() -> None:
    """Disable the Calendar Sync Processor: no user syncs until it is enabled again."""
    from studiosync.control import jobs

    with studio() as opened, opened.transaction() as session:
        job = jobs.disable(session)
        done(f"{job.name} disabled.")


@job_app.command("schedule")
def job_schedule(
    schedule: Annotated[
        str, typer.Argument(help="'every 15 minutes', or cron such as '*/10 7-20 * * *'.")
    ],
) -> None:
    """Set how often the job runs (at most once a minute)."""
    from studiosync.control import jobs, views

    with studio() as opened, opened.transaction() as session:
        job = jobs.set_schedule(session, schedule, clock.now())
        zone = jobs.studio_zone(session)
        words = jobs.job_schedule(job).describe(zone)
        done(f"{job.name}: {words}; next run {views.when(job.next_run_at, zone)}.")


@job_app.command("computer")
def job_computer(
    name: Annotated[
        str, typer.Argument(help="A computer from 'studiosync computer list', or any.")
    ],
) -> None:
    """Choose the computer that runs the job ('any': whichever processor is running)."""
    from studiosync.control import jobs

    with studio() as opened, opened.transaction() as session:
        job = jobs.set_computer(session, name)
        done(f"{job.name} runs on {job.computer}.")


@job_app.command("run-now")
def job_run_now(
    here: Annotated[
        bool, typer.Option("--here", help="Run one round now on this computer, in the foreground.")
    ] = False,
) -> None:
    """Make the job due now (the processor starts it at its next tick), or run it here."""
    from studiosync.control import jobs
    from studiosync.control.processor import Processor
    from studiosync.control.syncer import load_syncer

    if not here:
        with studio() as opened, opened.transaction() as session:
            job = jobs.run_now(session, clock.now())
            done(f"{job.name} is due now; the processor on {job.computer} starts it shortly.")
        return
    with studio() as opened:
        processor = Processor.from_settings(opened, load_syncer(), clock=clock)
        processor.heartbeat(force=True)
        outcome = processor.run_round(manual=True)
        if outcome is None:
            console.print(f"{_round_elsewhere(processor)}; nothing was started.")
            return
    _report(outcome)


def _round_elsewhere(worker: Processor) -> str:
    """ "A round is already running on front-desk (process 4242), since 9:02 AM today"."""
    from studiosync.control import jobs
    from studiosync.control.words import holder_words

    holder = worker.round_holder()
    with worker.studio.transaction() as session:
        zone = jobs.studio_zone(session)
    running = holder_words(holder, zone, clock.now()) if holder.owner else "another computer"
    return f"A round is already running on {running}"


def _report(outcome: RoundOutcome) -> None:
    done(
        f"Round {outcome.run_id}: {outcome.status} — {outcome.users_ok} ok, "
        f"{outcome.users_warning} with warnings, {outcome.users_error} with errors, "
        f"{outcome.users_skipped} skipped. Details: 'studiosync logs --run {outcome.run_id}'."
    )


@computer_app.command("list")
def computer_list() -> None:
    """Show the computers that checked in: on? online (reaching Google)? last seen, version."""
    from studiosync.control import views

    with studio() as opened, opened.transaction() as session:
        rows = views.computer_rows(session, clock.now())
    table("Computers", ("Computer", "State", "Last seen", "Version", "Reaches Google"), rows)


@computer_app.command("register")
def computer_register() -> None:
    """Check this computer in now (name, version, and whether it reaches Google)."""
    from studiosync.control.computers import heartbeat as check_in

    with studio() as opened:
        row = check_in(opened, clock)
    state = (
        "reaches Google" if row.google_reachable else f"cannot reach Google ({row.google_error})"
    )
    done(f"Computer {row.name} checked in; it {state}.")


def processor(
    once: Annotated[bool, typer.Option("--once", help="One tick, then exit.")] = False,
    concurrency: Annotated[
        int | None, typer.Option(min=1, max=64, help="Users synced at once.")
    ] = None,
    poll: Annotated[float | None, typer.Option(min=0.1, help="Seconds between ticks.")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="Also show the HTTP and library log lines.")
    ] = False,
) -> None:
    """Run the Calendar Sync Processor on this computer until stopped (Ctrl+C or SIGTERM)."""
    import logging
    import signal
    import threading

    from studiosync.control.config import ControlSettings
    from studiosync.control.processor import Processor
    from studiosync.control.syncer import load_syncer

    configure_console_logs(verbose=verbose, own_level=logging.WARNING if once else logging.INFO)
    control = ControlSettings()
    with studio() as opened:
        overrides = {"concurrency": concurrency} if concurrency else {}
        worker = Processor.from_settings(opened, load_syncer(), **overrides)
        if once:
            _once(worker)
            return
        stop = threading.Event()

        def request_stop(signum: int, _frame: FrameType | None) -> None:
            console.print(f"Stopping after the current step (signal {signum}).")
            stop.set()

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        console.print(f"Calendar Sync Processor running on {worker.computer}; Ctrl+C stops it.")
        worker.serve(stop, poll or control.processor_poll_seconds)
    done("Processor stopped.")


def _once(worker: Processor) -> None:
    from studiosync.control import jobs, views
    from studiosync.control.computers import designated_here

    outcome = worker.tick()
    if outcome is not None:
        _report(outcome)
        return
    with worker.studio.transaction() as session:
        job = jobs.get_job(session)
        zone = jobs.studio_zone(session)
        if not job.enabled:
            console.print(f"{job.name} is disabled ('studiosync job enable').")
        elif not designated_here(job.computer, worker.computer):
            console.print(f"{job.name} runs on {job.computer}, not on {worker.computer}.")
        elif jobs.is_due(job, clock.now()):
            stale = round(worker.lock_stale_after.total_seconds())
            console.print(
                f"{_round_elsewhere(worker)}. If that processor has stopped, its round is "
                f"taken over once it has not been heard from for {stale} seconds."
            )
        else:
            console.print(f"Nothing due; next run {views.when(job.next_run_at, zone)}.")


def worker(
    queue: Annotated[
        list[str] | None,
        typer.Option("--queue", help="Queue(s) to take users from; default: this computer's "
                     "and the shared one."),
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Users synced at once.")] = 4,
) -> None:  # fmt: skip
    """Run a Celery worker (scale-out mode: STUDIOSYNC_BROKER_URL and PostgreSQL)."""
    from studiosync.control.computers import computer_name
    from studiosync.control.queues import SHARED_QUEUE, queue_for
    from studiosync.control.scaleout import start_worker
    from studiosync.settings import get_settings

    settings = get_settings()
    queues = queue or [queue_for(computer_name(settings)), SHARED_QUEUE]
    start_worker(settings, queues, concurrency)


@logs_app.callback(invoke_without_command=True)
def logs(
    context: typer.Context,
    user: Annotated[str | None, typer.Option("--user", help="Only this user's lines.")] = None,
    level: Annotated[Level, typer.Option("--level", help="At least this level.")] = Level.INFO,
    run: Annotated[int | None, typer.Option("--run", help="Only this round.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="30m, 2h, 7d, or a date and time.")
    ] = None,
    rounds: Annotated[int, typer.Option(min=1, help="At most this many (newest) rounds.")] = 10,
    limit: Annotated[int | None, typer.Option(min=1, hidden=True)] = None,
) -> None:
    """Show the latest rounds, newest first: what each user's sync did, and every problem."""
    from studiosync.control import jobs, roundlog, views
    from studiosync.doctor.catalogue import Surface
    from studiosync.studio.validation import find_user

    if context.invoked_subcommand is not None:
        return
    with studio() as opened, opened.transaction() as session:
        zone = jobs.studio_zone(session)
        user_id = find_user(session, user).id if user else None
        start = views.parse_since(since, clock.now(), zone) if since else None
        found = roundlog.read_rounds(
            session,
            user_id=user_id,
            level=level.value,
            run_id=run,
            since=start,
            rounds=rounds,
            surface=Surface.CLI,
        )
    if not found:
        console.print("No log lines match.")
        return
    for text in roundlog.text_lines(found, ZoneInfo(zone)):
        console.print(text, markup=False, highlight=False)


@logs_app.command("runs")
def logs_runs(limit: Annotated[int, typer.Option(min=1)] = 20) -> None:
    """Show the latest rounds: when, where, outcome, users by outcome, duration."""
    from studiosync.control import history, jobs, views

    with studio() as opened, opened.transaction() as session:
        zone = jobs.studio_zone(session)
        rows = [views.run_row(run, zone) for run in history.recent_runs(session, limit)]
    columns = ("Round", "Started", "Computer", "Mode", "Status", "OK", "Warn", "Error", "Skip")
    table("Rounds", (*columns, "Took"), rows)


@logs_app.command("prune")
def logs_prune(
    days: Annotated[int | None, typer.Option(min=1, help="Keep this many days.")] = None,
) -> None:
    """Delete rounds and their log lines older than the retention (30 days by default)."""
    from studiosync.control import history
    from studiosync.control.config import ControlSettings

    keep = days or ControlSettings().log_retention_days
    with studio() as opened, opened.transaction() as session:
        gone = history.prune(session, clock.now(), keep)
    done(f"Removed {gone} round(s) older than {keep} days.")


@email_app.command("test")
def email_test(
    address: Annotated[str, typer.Argument(help="Where to send the test email.")],
) -> None:
    """Send a test email with the Email tab's settings; any SMTP problem is named with its fix."""
    import dataclasses

    from studiosync.notify import smtp
    from studiosync.notify.config import SmtpConfig
    from studiosync.notify.messages import settings_test_email
    from studiosync.studio.company import email_settings, get_company

    with studio() as opened, opened.transaction() as session:
        config = SmtpConfig(**dataclasses.asdict(email_settings(session, opened.box)))
        name = get_company(session).name
    message = settings_test_email(to=address, studio=name, config=config)
    smtp.send(config, message)
    done(f"Test email sent to {address} through {config.host}:{config.effective_port}.")


def register(app: typer.Typer) -> None:
    app.add_typer(job_app, name="job")
    app.add_typer(computer_app, name="computer")
    app.add_typer(logs_app, name="logs")
    app.add_typer(email_app, name="email")
    app.command("processor")(processor)
    app.command("worker")(worker)
