"""Fixtures shared by every test: a studio on SQLite and on PostgreSQL, made fresh per test."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from studiosync import db
from studiosync.context import Studio, init_studio
from studiosync.settings import Settings
from studiosync.testing.postgres import PostgresCluster, running_postgres

BACKENDS = os.environ.get("STUDIOSYNC_TEST_BACKENDS", "sqlite,postgres").split(",")
_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One throw-away PostgreSQL cluster for the whole run, with a migrated template database."""
    with running_postgres() as cluster:
        cluster.execute("CREATE DATABASE studiosync_template")
        engine = db.make_engine(cluster.url("studiosync_template"))
        db.upgrade(engine)
        engine.dispose()
        yield cluster


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "studiosync.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


def _database_url(request: pytest.FixtureRequest, backend: str, data_dir: Path) -> str:
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        target = data_dir / "studiosync.db"
        shutil.copyfile(template, target)
        return f"sqlite:///{target}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    name = f"test_{os.getpid()}_{next(_numbers)}"
    cluster.execute(f"CREATE DATABASE {name} TEMPLATE studiosync_template STRATEGY FILE_COPY")
    request.addfinalizer(lambda: cluster.execute(f"DROP DATABASE {name} WITH (FORCE)"))
    return cluster.url(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgres":
        request.applymarker(pytest.mark.postgres)
    return name


@pytest.fixture
def settings(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Settings:
    """Settings of a fresh studio in its own data directory, also exported to the environment."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    url = _database_url(request, backend, data_dir)
    monkeypatch.setenv("STUDIOSYNC_DATA_DIR", str(data_dir))
    monkeypatch.setenv("STUDIOSYNC_DATABASE_URL", url)
    return Settings(data_dir=data_dir, database_url=url)


@pytest.fixture
def studio(settings: Settings) -> Iterator[Studio]:
    opened = init_studio(settings, name="Test Studio", time_zone="Europe/London")
    yield opened
    opened.close()


@pytest.fixture
def session(studio: Studio) -> Iterator[Session]:
    """A session whose work is committed at the end of the test (or rolled back on failure)."""
    with studio.transaction() as current:
        yield current
