"""The Alembic history creates exactly the models' schema, and goes down and up again."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, inspect
from sqlalchemy.engine import Connection

from bot.db import models  # noqa: F401  (registers the tables)
from bot.db.base import Base
from bot.db.engine import downgrade, upgrade
from tests.db.support import Database

TABLES = set(Base.metadata.tables)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_upgrade_from_empty_creates_every_table(empty_db: Database) -> None:
    engine = empty_db.new_engine()
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) == set()
    await upgrade(empty_db.url, engine=engine)
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) == TABLES | {"alembic_version"}


async def test_downgrade_to_base_and_up_again(empty_db: Database) -> None:
    engine = empty_db.new_engine()
    await upgrade(empty_db.url, engine=engine)
    await downgrade(empty_db.url, "base", engine=engine)
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) <= {"alembic_version"}
    await upgrade(empty_db.url, engine=engine)
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) == TABLES | {"alembic_version"}
        assert await conn.run_sync(_diff) == []


async def test_models_and_migrations_agree(database: Database) -> None:
    engine = database.new_engine()
    async with engine.connect() as conn:
        assert await conn.run_sync(_diff) == []


async def test_upgrade_twice_is_harmless(database: Database) -> None:
    engine = database.new_engine()
    await upgrade(database.url, engine=engine)
    async with engine.connect() as conn:
        assert await conn.run_sync(_tables) == TABLES | {"alembic_version"}


async def test_a_model_change_without_a_migration_is_noticed(database: Database) -> None:
    changed = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["learners"].append_column(Column("nickname", String(20)))
    engine = database.new_engine()

    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, changed))

    async with engine.connect() as conn:
        found = await conn.run_sync(diff)
    assert [entry[0] for entry in found] == ["add_column"]
