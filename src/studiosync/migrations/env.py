"""Alembic environment: runs migrations on the engine studiosync hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from studiosync.schema import metadata

target_metadata = metadata


def run_migrations_online() -> None:
    engine = context.config.attributes.get("engine")
    if not isinstance(engine, Engine):
        raise RuntimeError("studiosync migrations run through studiosync.db.upgrade")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
