"""The Alembic history creates exactly the models' schema, goes down and up again, and keeps data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, inspect, text
from sqlalchemy.engine import Connection

from bot.db import engine as engine_module
from bot.db import models  # noqa: F401  (registers the tables)
from bot.db.base import Base
from bot.db.engine import (
    HEAD_REVISION,
    alembic_config,
    downgrade,
    stored_revision,
    upgrade,
    upgrade_when_behind,
)
from tests.db.support import Database

TABLES = set(Base.metadata.tables)
NOW = datetime(2025, 3, 10, 6, 0, tzinfo=UTC)


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


def _columns(connection: Connection, table: str) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns(table)}


async def test_0002_adds_last_page_and_locale_and_its_downgrade_keeps_every_row(empty_db: Database) -> None:
    engine = empty_db.new_engine()
    await upgrade(empty_db.url, "0001", engine=engine)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO learners (id, display_name, timezone, created_at) "
                "VALUES (5, 'Asha', 'Asia/Kolkata', :now)"
            ),
            {"now": NOW},
        )
        await conn.execute(
            text(
                "INSERT INTO lesson_progress (learner_id, lesson_id, page, updated_at) "
                "VALUES (5, 'neuron', 3, :now)"
            ),
            {"now": NOW},
        )
        await conn.execute(
            text("INSERT INTO xp_events (learner_id, kind, amount, created_at) VALUES (5, 'x', 2, :now)"),
            {"now": NOW},
        )
    await upgrade(empty_db.url, engine=engine)
    async with engine.connect() as conn:
        # Before 0002 only the furthest page was known: it is the best guess of the last one read.
        assert (await conn.execute(text("SELECT page, last_page FROM lesson_progress"))).all() == [(3, 3)]
        assert (await conn.execute(text("SELECT locale FROM learners"))).all() == [(None,)]
    await downgrade(empty_db.url, "0001", engine=engine)
    async with engine.connect() as conn:
        assert "last_page" not in await conn.run_sync(_columns, "lesson_progress")
        assert "locale" not in await conn.run_sync(_columns, "learners")
        # Nothing recorded is lost: rebuilding `learners` would have cascaded deletes to its children.
        for table in ("learners", "lesson_progress", "xp_events"):
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 1, table


async def test_0003_attributes_old_activity_to_a_learners_one_server_and_its_downgrade_keeps_every_row(
    empty_db: Database,
) -> None:
    engine = empty_db.new_engine()
    await upgrade(empty_db.url, "0002", engine=engine)
    async with engine.begin() as conn:
        for learner, name in ((5, "Asha"), (6, "Ravi")):
            await conn.execute(
                text(
                    "INSERT INTO learners (id, display_name, timezone, created_at) "
                    "VALUES (:id, :name, 'Asia/Kolkata', :now)"
                ),
                {"id": learner, "name": name, "now": NOW},
            )
            await conn.execute(
                text(
                    "INSERT INTO xp_events (learner_id, kind, amount, created_at) VALUES (:id, 'x', 2, :now)"
                ),
                {"id": learner, "now": NOW},
            )
        # Asha learns in one server, Ravi in two
        for guild, learner in ((70, 5), (70, 6), (80, 6)):
            await conn.execute(
                text("INSERT INTO guild_members (guild_id, learner_id, joined_at) VALUES (:g, :l, :now)"),
                {"g": guild, "l": learner, "now": NOW},
            )
    await upgrade(empty_db.url, engine=engine)
    async with engine.connect() as conn:
        found = (
            await conn.execute(text("SELECT learner_id, guild_id FROM xp_events ORDER BY learner_id"))
        ).all()
        assert found == [(5, 70), (6, None)]  # Ravi's could be either server's: counted in none
        names = (await conn.execute(text("SELECT DISTINCT display_name FROM guild_members ORDER BY 1"))).all()
        assert names == [("Asha",), ("Ravi",)]
    await downgrade(empty_db.url, "0002", engine=engine)
    async with engine.connect() as conn:
        assert "guild_id" not in await conn.run_sync(_columns, "xp_events")
        assert "guild_settings" not in await conn.run_sync(_tables)
        for table, rows in (("learners", 2), ("xp_events", 2), ("guild_members", 3)):
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == rows, table


async def test_0004_adds_private_replies_off_and_its_downgrade_keeps_every_row(empty_db: Database) -> None:
    engine = empty_db.new_engine()
    await upgrade(empty_db.url, "0003", engine=engine)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO learners (id, display_name, timezone, created_at) "
                "VALUES (5, 'Asha', 'Asia/Kolkata', :now)"
            ),
            {"now": NOW},
        )
        await conn.execute(
            text("INSERT INTO xp_events (learner_id, kind, amount, created_at) VALUES (5, 'x', 2, :now)"),
            {"now": NOW},
        )
    await upgrade(empty_db.url, "0004", engine=engine)
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT private_replies FROM learners"))).all() == [(False,)]
    await downgrade(empty_db.url, "0003", engine=engine)
    async with engine.connect() as conn:
        assert "private_replies" not in await conn.run_sync(_columns, "learners")
        for table in ("learners", "xp_events"):
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 1, table


async def test_0005_adds_learner_threads_and_its_downgrade_gives_thread_servers_public_replies(
    empty_db: Database,
) -> None:
    engine = empty_db.new_engine()
    await upgrade(empty_db.url, "0003", engine=engine)
    async with engine.connect() as conn:
        assert "learner_threads" not in await conn.run_sync(_tables)
    await upgrade(empty_db.url, "0005", engine=engine)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO learners (id, display_name, timezone, created_at) "
                "VALUES (5, 'Asha', 'Asia/Kolkata', :now)"
            ),
            {"now": NOW},
        )
        await conn.execute(
            text(
                "INSERT INTO guild_settings (guild_id, replies, training, leaderboard, timezone, updated_at) "
                "VALUES (7, 'thread', true, true, 'Asia/Kolkata', :now), "
                "(8, 'private', true, true, 'Asia/Kolkata', :now)"
            ),
            {"now": NOW},
        )
        await conn.execute(
            text(
                "INSERT INTO learner_threads (channel_id, learner_id, guild_id, thread_id, created_at) "
                "VALUES (70, 5, 7, 71, :now)"
            ),
            {"now": NOW},
        )
    await downgrade(empty_db.url, "0003", engine=engine)
    async with engine.connect() as conn:
        assert "learner_threads" not in await conn.run_sync(_tables)
        # 0003 knows no "thread": those servers reply in public, the others keep their choice
        replies = (await conn.execute(text("SELECT guild_id, replies FROM guild_settings ORDER BY 1"))).all()
        assert replies == [(7, "public"), (8, "private")]
        assert (await conn.execute(text("SELECT count(*) FROM learners"))).scalar() == 1
    await upgrade(empty_db.url, engine=engine)
    async with engine.connect() as conn:
        assert await conn.run_sync(_diff) == []


def test_head_revision_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    assert script.get_current_head() == HEAD_REVISION


async def test_upgrade_when_behind_migrates_an_empty_database(empty_db: Database) -> None:
    engine = empty_db.new_engine()
    assert await upgrade_when_behind(empty_db.url, engine=engine) is True
    async with engine.connect() as conn:
        assert await conn.run_sync(stored_revision) == HEAD_REVISION
        assert await conn.run_sync(_diff) == []


async def test_upgrade_when_behind_migrates_an_older_revision(empty_db: Database) -> None:
    engine = empty_db.new_engine()
    await upgrade(empty_db.url, "0002", engine=engine)
    assert await upgrade_when_behind(empty_db.url, engine=engine) is True
    async with engine.connect() as conn:
        assert await conn.run_sync(stored_revision) == HEAD_REVISION


async def test_upgrade_when_behind_leaves_alembic_alone_at_head(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_alembic(*_args: Any) -> None:
        raise AssertionError("Alembic ran on a database at head")

    monkeypatch.setattr(engine_module, "_run_command", no_alembic)
    engine = database.new_engine()
    assert await upgrade_when_behind(database.url, engine=engine) is False
