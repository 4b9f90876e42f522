"""The composition root: one studio's settings, database, sessions and secret box together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from studiosync import db
from studiosync.crypto import SecretBox, load_or_create_key
from studiosync.errors import ConfigError, ErrorCode
from studiosync.private_files import keep_private
from studiosync.settings import Settings, get_settings
from studiosync.studio.company import ensure_company


@dataclass
class Studio:
    """Everything a command, page or job needs to work on one studio's data."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session] = field(repr=False)
    box: SecretBox = field(repr=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: all of it is saved, or none of it."""
        with db.transaction(self.sessions) as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def _connect(settings: Settings, *, private: bool = True) -> Studio:
    """Engine, sessions and key; with ``private`` the studio's files are made private first."""
    engine = db.make_engine(settings.resolved_database_url)
    key = load_or_create_key(settings.secret_key_path, settings.secret_key)
    if private:
        keep_private(settings)
    return Studio(
        settings=settings,
        engine=engine,
        sessions=db.make_session_factory(engine),
        box=SecretBox(key, settings.secret_key_path),
    )


def open_studio(settings: Settings | None = None, *, keep_files_private: bool = True) -> Studio:
    """Open an existing studio; a database without one asks for 'studiosync init'.

    Its files are made private (0600, folders 0700) unless ``keep_files_private`` is False, as
    for the troubleshooter, which reports them as it finds them.
    """
    studio = _connect(settings or get_settings(), private=keep_files_private)
    if not db.is_initialised(studio.engine):
        database = studio.engine.url.render_as_string(hide_password=True)
        studio.close()
        raise ConfigError(ErrorCode.NOT_INITIALISED, database=database)
    return studio


def init_studio(
    settings: Settings | None = None, *, name: str = "My Studio", time_zone: str = "UTC"
) -> Studio:
    """Create or upgrade the schema and make sure the studio's record exists (idempotent)."""
    studio = _connect(settings or get_settings())
    db.upgrade(studio.engine)
    with studio.transaction() as session:
        ensure_company(session, name=name, time_zone=time_zone)
    return studio
