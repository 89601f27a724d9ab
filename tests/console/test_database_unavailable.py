"""The console survives a database that is locked at start or later: one bilingual line, no traceback,
and the next command works once the lock is gone (issue 16: a 134-line traceback at start)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from bot.core.tutor import Tutor
from bot.db.engine import upgrade
from bot.i18n import say, tr
from tests.console.conftest import Session
from tests.console.driver import ConsoleProcess
from tests.db.support import write_locked


async def test_a_locked_database_at_start_is_one_line_and_the_console_goes_on(
    tutor: Tutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(tutor, tmp_path / "out", lang="both")
    with write_locked(tmp_path / "tutor.db", monkeypatch):
        await session.console.start()  # recording the learner needs the write lock
        printed = session.buffer.getvalue()
        assert printed.strip() == "⚠️  " + say("error.database_unavailable", "both")
        assert await session.say("/help") == printed  # still locked: the same line again, nothing else
    after = await session.say("/help")  # the lock is gone: greeted now, then the answer
    assert after.startswith(say("console.welcome", "both", language=tr("common.lang_name_both")))
    assert "/lesson" in after


async def test_a_locked_database_during_a_command_is_one_line(
    tutor: Tutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(tutor, tmp_path / "out", lang="en")
    await session.console.start()
    with write_locked(tmp_path / "tutor.db", monkeypatch):
        await tutor.engine.dispose()  # the next connection waits only the short time
        said = await session.say("/lesson 1")
    assert said.strip() == "⚠️  " + say("error.database_unavailable", "en")


def test_python_m_bot_console_with_a_locked_database_says_one_line_and_goes_on(tmp_path: Path) -> None:
    """The real console: it waits SQLite's busy timeout for the lock, then one bilingual line, no
    traceback (was 134 lines and an exit); once the lock is gone the next command is answered."""
    db = tmp_path / "tutor.db"
    url = f"sqlite+aiosqlite:///{db}"
    asyncio.run(upgrade(url))
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    console = ConsoleProcess(
        ["console", "--lang", "en", "--db", url, "--out-dir", str(tmp_path)], cwd=tmp_path
    )
    try:
        assert console.until_prompt() == "> "  # the prompt before the core; the learner is recorded next
        assert say("error.database_unavailable", "en") in console.send("/help")
    finally:
        holder.rollback()
        holder.close()
    assert "/lesson" in console.send("/help")
    code, _ = console.finish("quit")
    assert code == 0
    assert "Traceback" not in console.stderr
    logged = [line for line in console.stderr.splitlines() if line.strip()]
    assert logged and all(
        "database unavailable (SQLite busy)" in line for line in logged
    )  # the log, one line
