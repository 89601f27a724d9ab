"""A database that is locked, full or gone raises `Unavailable` from the db layer, with the detail in the
log; a fault of the statement stays what it is (issue 16: a raw OperationalError reached the learner)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import IntegrityError

from bot.db.engine import create_engine, session_factory, upgrade
from bot.errors import Unavailable
from bot.progress.learners import LearnerService
from tests.db.support import write_locked


@pytest.fixture
async def url(tmp_path: Path) -> str:
    """A migrated SQLite database."""
    made = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    await upgrade(made)
    return made


def _assert_try_again(err: Unavailable) -> None:
    assert err.code == "database_unavailable"
    assert "try again in a moment" in err.message_en
    assert "थोड़ी देर बाद फिर कोशिश करें" in err.message_hi
    assert len(err.message("both").splitlines()) == 2  # one line in each language


async def test_a_locked_database_is_unavailable_and_the_lock_is_logged(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with write_locked(tmp_path / "tutor.db", monkeypatch):
        engine = create_engine(url)
        try:
            with pytest.raises(Unavailable) as raised, caplog.at_level(logging.WARNING, "bot.db.engine"):
                await LearnerService(session_factory(engine)).ensure(1, "asha")
        finally:
            await engine.dispose()
    _assert_try_again(raised.value)
    assert "database unavailable (SQLite busy)" in caplog.text and "database is locked" in caplog.text
    assert "INSERT" not in caplog.text  # the statement and the learner's values stay out of the log


async def test_a_full_disk_is_unavailable(url: str, caplog: pytest.LogCaptureFixture) -> None:
    engine = create_engine(url)

    def no_room(dbapi_connection: Any, _record: Any) -> None:  # the disk is full: no page can be added
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA max_page_count = 1")  # SQLite keeps it at the current page count
        cursor.close()

    event.listen(engine.sync_engine, "connect", no_room)
    learners = LearnerService(session_factory(engine))
    try:
        with pytest.raises(Unavailable) as raised, caplog.at_level(logging.WARNING, "bot.db.engine"):
            for learner_id in range(1, 5000):
                await learners.ensure(learner_id, "x" * 200)
    finally:
        await engine.dispose()
    _assert_try_again(raised.value)
    assert "database unavailable (SQLite full)" in caplog.text


async def test_an_unreachable_server_is_unavailable() -> None:
    engine = create_engine("postgresql+asyncpg://tutor:x@127.0.0.1:1/none")
    try:
        with pytest.raises(Unavailable) as raised:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
    _assert_try_again(raised.value)


async def test_a_fault_of_the_statement_is_not_unavailable(url: str) -> None:
    engine = create_engine(url)
    try:
        with pytest.raises(IntegrityError):
            async with engine.begin() as connection:
                await connection.execute(text("INSERT INTO alembic_version VALUES ('x'), ('x')"))
    finally:
        await engine.dispose()


async def test_a_cancelled_wait_for_the_lock_stays_a_cancellation(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task cancelled while it waits for the database (a learner gone, a shutdown) must end as
    cancelled: SQLAlchemy reports it as a disconnect, which is not "the database is unavailable"."""
    with write_locked(tmp_path / "tutor.db", monkeypatch, wait_ms=5_000):
        engine = create_engine(url)
        try:
            waiting = asyncio.ensure_future(LearnerService(session_factory(engine)).ensure(1, "asha"))
            await asyncio.sleep(0.2)  # let it reach the lock wait (either way it must end cancelled)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
        finally:
            await engine.dispose()


async def test_a_wait_for_a_pooled_connection_that_runs_out_is_unavailable(url: str) -> None:
    """SQLite's one pooled connection queues this process's writers; a wait past `pool_timeout` (a
    writer that hangs) says "try again in a moment" too, not SQLAlchemy's TimeoutError."""
    engine = create_engine(url, pool_timeout=0.05)
    try:
        async with engine.connect():  # the one connection, held
            with pytest.raises(Unavailable) as raised:
                async with engine.connect():
                    pass
    finally:
        await engine.dispose()
    _assert_try_again(raised.value)
