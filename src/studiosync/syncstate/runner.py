"""Runs the sync engine for one studio user: their options, connection, and the database."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session, joinedload

from studiosync.accounts.calendars import provider_for
from studiosync.accounts.dav_linking import mark_refused
from studiosync.accounts.endpoints import google_endpoints
from studiosync.accounts.lifetimes import mark_reauth
from studiosync.accounts.models import GoogleAccount
from studiosync.clock import Clock
from studiosync.context import Studio
from studiosync.errors import AuthError, ErrorCode, InputError
from studiosync.providers.base import OwnRate, Provider
from studiosync.studio.company import get_company
from studiosync.studio.google_options import google_settings
from studiosync.studio.models import Company, User
from studiosync.sync import engine
from studiosync.sync.options import Pacing, SyncOptions
from studiosync.sync.result import RunResult
from studiosync.sync.series import SeriesLimits
from studiosync.syncstate.field_settings import field_rules
from studiosync.syncstate.pacing_settings import pacing_from_environment
from studiosync.syncstate.store import SqlStateStore
from studiosync.syncstate.studio_side import DbStudioCalendar, DbStudioClients


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id, options=[joinedload(User.google)])  # the tab in one go
    if user is None:
        raise InputError(ErrorCode.NOT_FOUND, entity="user", key=str(user_id), command="user")
    return user


def _options(
    session: Session, user: User, company: Company, *, dry_run: bool, confirm: bool, pacing: Pacing
) -> SyncOptions:
    """The run's options from the user's Google tab; a run that cannot start says why."""
    tab = google_settings(session, user.id)
    if not tab.enabled:
        raise InputError(ErrorCode.SYNC_NOT_ENABLED, field="enabled", user=user.login)
    if not tab.calendar_id:
        raise InputError(ErrorCode.GOOGLE_CALENDAR_NOT_SELECTED, field="calendar", user=user.login)
    return SyncOptions(
        user_id=user.id,
        calendar_id=tab.calendar_id,
        studio_tag=company.studio_tag,
        two_way=tab.two_way,
        download_tentative=tab.download_tentative,
        populate_google=tab.populate_google,
        populate_studio=tab.populate_studio,
        populate_since=tab.populate_since,
        import_contacts=tab.import_contacts,
        contacts_group_id=tab.contacts_group_id,
        fields=field_rules(company),
        summary_template=company.summary_template,
        confirm_bulk_delete=confirm,
        dry_run=dry_run,
        pacing=pacing,
    )


def _ready(
    studio: Studio, user_id: int, *, dry_run: bool, confirm: bool, pacing: Pacing
) -> tuple[SyncOptions, Provider]:
    """The run's options and a provider signed in as the user, in one short transaction.

    A run that cannot start raises before anything is written; a dead sign-in is marked
    (committed) before its AuthError is raised.
    """
    failure: AuthError | None = None
    with studio.transaction() as session:
        user = _user(session, user_id)
        options = _options(
            session, user, get_company(session), dry_run=dry_run, confirm=confirm, pacing=pacing
        )
        try:
            provider = provider_for(session, studio, google_endpoints(studio.settings), user)
        except AuthError as error:
            failure = error  # leave the block normally so the re-auth mark is committed
    if failure is not None:
        raise failure
    return paced_for(options, provider), provider


def ready_in(
    session: Session, studio: Studio, user: User, company: Company, pacing: Pacing
) -> tuple[SyncOptions, Provider]:
    """``_ready`` for one of several users read together: inside the caller's transaction
    (a re-auth mark is written there too, and committed with it)."""
    options = _options(session, user, company, dry_run=False, confirm=False, pacing=pacing)
    provider = provider_for(session, studio, google_endpoints(studio.settings), user)
    return paced_for(options, provider), provider


def paced_for(options: SyncOptions, provider: Provider) -> SyncOptions:
    """The options with the provider's own rate when its service sets one (CalDAV)."""
    if not isinstance(provider, OwnRate):
        return options
    return replace(
        options, pacing=replace(options.pacing, requests_per_minute=provider.requests_per_minute)
    )


def sync_user(
    studio: Studio,
    user_id: int,
    *,
    dry_run: bool = False,
    confirm_bulk_delete: bool = False,
    pacing: Pacing | None = None,
    clock: Clock | None = None,
    series: SeriesLimits | None = None,
) -> RunResult:
    """One sync run for one user; a Populate that finished unchecks itself on the Google tab.

    ``pacing`` defaults to the environment's (``pacing_settings``); ``clock`` is the
    engine's time seam (waits and "now"), the system clock unless given; ``series`` how
    much of a repeating Google event is taken (a year ahead, 500 at most, unless given).
    """
    options, provider = _ready(
        studio,
        user_id,
        dry_run=dry_run,
        confirm=confirm_bulk_delete,
        pacing=pacing or pacing_from_environment(),
    )
    if series is not None:
        options = replace(options, series=series)
    return sync_user_with(studio, options, provider, dry_run=dry_run, clock=clock)


def sync_user_with(
    studio: Studio,
    options: SyncOptions,
    provider: Provider,
    *,
    dry_run: bool = False,
    clock: Clock | None = None,
    state: SqlStateStore | None = None,
    calendar: DbStudioCalendar | None = None,
) -> RunResult:
    """The engine over the studio database for one user, and what its result asks of the
    studio afterwards (a re-auth mark, Populate boxes unchecked)."""
    user_id = options.user_id
    result = engine.sync_user(
        options,
        provider=provider,
        studio=calendar or DbStudioCalendar(studio.sessions),
        state=state or SqlStateStore(studio.sessions),
        clients=DbStudioClients(studio.sessions) if options.import_contacts else None,
        clock=clock,
    )
    if result.stopped is ErrorCode.GOOGLE_REAUTH_NEEDED:
        with studio.transaction() as session:
            account = session.get(GoogleAccount, user_id)
            if account is not None:
                mark_reauth(account)
    if result.stopped is ErrorCode.DAV_AUTH_FAILED:
        with studio.transaction() as session:
            mark_refused(session, user_id, "the server refused the stored password")
    if not dry_run and (result.clear_populate_google or result.clear_populate_studio):
        with studio.transaction() as session:
            tab = google_settings(session, user_id)
            tab.populate_google = tab.populate_google and not result.clear_populate_google
            tab.populate_studio = tab.populate_studio and not result.clear_populate_studio
    return result
