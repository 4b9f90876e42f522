"""Migrations build the schema from nothing, match the models exactly, and go back down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from studiosync import db
from studiosync.schema import metadata
from studiosync.settings import Settings


def test_upgrade_from_empty_then_downgrade_to_nothing(settings: Settings) -> None:
    engine = db.make_engine(settings.resolved_database_url)
    db.downgrade(engine, "base")
    assert not db.is_initialised(engine)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine)
    assert set(metadata.tables) <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM feed_counter")).scalar_one() == 0
    engine.dispose()


def test_the_migrated_schema_matches_the_models(settings: Settings) -> None:
    engine = db.make_engine(settings.resolved_database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_is_idempotent(settings: Settings) -> None:
    engine = db.make_engine(settings.resolved_database_url)
    db.upgrade(engine)
    db.upgrade(engine)
    assert db.is_initialised(engine)
    engine.dispose()


def test_upgrading_an_existing_studio_gives_it_a_studio_tag(settings: Settings) -> None:
    engine = db.make_engine(settings.resolved_database_url)
    db.downgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO company (id, name, time_zone, smtp_security) "
                "VALUES (1, 'Old Studio', 'UTC', 'none')"
            )
        )
    db.upgrade(engine)
    with engine.connect() as connection:
        tag, policy = connection.execute(
            text("SELECT studio_tag, conflict_policy FROM company")
        ).one()
    engine.dispose()
    assert len(tag) == 8 and int(tag, 16) >= 0
    assert policy == "studio_wins"


def test_the_old_conflict_policy_becomes_an_owner_rule_per_field(settings: Settings) -> None:
    engine = db.make_engine(settings.resolved_database_url)
    db.downgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM company"))
        connection.execute(
            text(
                "INSERT INTO company (id, name, time_zone, smtp_security, studio_tag, "
                "conflict_policy) VALUES (1, 'Old Studio', 'UTC', 'none', 'ab12', 'google_wins')"
            )
        )
    db.upgrade(engine)
    owners = text(
        "SELECT summary_template, google_title, google_time, google_location, google_notes "
        "FROM company"
    )
    with engine.begin() as connection:
        google_wins = connection.execute(owners).one()
    db.downgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text("UPDATE company SET conflict_policy = 'studio_wins'"))
    db.upgrade(engine)
    with engine.connect() as connection:
        studio_wins = connection.execute(owners).one()
    engine.dispose()
    assert tuple(google_wins) == ("{title}", "google", "google", "google", "google")
    assert tuple(studio_wins) == ("{title}", "studio", "google", "google", "google")
