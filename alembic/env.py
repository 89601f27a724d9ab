"""Alembic environment: async engines, batch mode so SQLite can alter tables.

`bot.db.engine.upgrade()` hands over an open connection in `config.attributes["connection"]`;
the plain `alembic` command builds its own async engine from `sqlalchemy.url`.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import Connection

from alembic import context
from bot.db import models  # noqa: F401  (registers every table on the metadata)
from bot.db.base import Base
from bot.db.engine import create_engine

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_configure)
            await connection.commit()
    finally:
        await engine.dispose()


def run_migrations_offline() -> None:
    """Emit SQL to stdout instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live database: the caller's connection, or a fresh async engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
    else:
        asyncio.run(_run_async())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
