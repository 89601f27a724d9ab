"""`python -m bot health`: exit 0 when the database answers, with a token the heartbeat is fresh, and with
TUTOR_BROKER_URL the job queue's broker answers and a training worker is alive.

A health check observes and never changes anything: a SQLite file that does not exist is a reason to
be unhealthy, not something to create.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sqlite3
import sys
from pathlib import Path

DB_TIMEOUT_SECONDS = 10.0
MIGRATED_TABLE = "alembic_version"  # present once `db upgrade` (or the bot's start) has run


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `health`."""
    parser.add_argument("--quiet", action="store_true", help="print nothing when healthy")


def _check_sqlite_file(path: Path) -> str | None:
    """None when the file exists, opens read-only, passes SQLite's quick check and is migrated; else the
    reason."""
    from bot.db.engine import quick_check_problem

    if not path.is_file():
        return f"database file {path} does not exist (run `python -m bot db upgrade`)"
    # Read-only. With no -wal/-shm beside the file (the bot is not running) open it as immutable, or
    # SQLite would create them; when they exist, mode=ro reads what the WAL holds too.
    sidecars = any(path.with_name(path.name + suffix).exists() for suffix in ("-wal", "-shm"))
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if sidecars else 'immutable=1'}"
    try:
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            db.execute("SELECT 1").fetchone()  # a file that is no database at all does not answer
            problem = quick_check_problem(lambda sql: db.execute(sql).fetchall())
            migrated = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATED_TABLE,)
            ).fetchone()
    except sqlite3.Error as exc:
        return f"database file {path} does not answer: {type(exc).__name__}: {exc}"
    if problem is not None:
        return f"database file {path} is damaged (PRAGMA quick_check: {problem})"
    if migrated is None:
        return f"database file {path} is not migrated (run `python -m bot db upgrade`)"
    return None


async def _ping(url: str) -> None:
    from sqlalchemy import text

    from bot.db.engine import create_engine

    engine = create_engine(url, unavailable=False)  # a server database: connecting creates nothing
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def check_database(url: str) -> str | None:
    """None when the database answers, else the reason (one line, password masked)."""
    from bot.db.engine import describe_failure, is_sqlite, sqlite_path

    try:
        if is_sqlite(url):
            path = sqlite_path(url)
            if path is None:
                return "an in-memory SQLite database holds no data between runs"
            return _check_sqlite_file(path)
        asyncio.run(asyncio.wait_for(_ping(url), DB_TIMEOUT_SECONDS))
    except Exception as exc:  # any failure to answer is the reason, not a crash
        return describe_failure("database does not answer:", url, exc)
    return None


def check(settings: object | None = None) -> str | None:
    """None when healthy, else the reason (one line)."""
    from bot.config import Settings, get_settings
    from bot.heartbeat import STALE_SECONDS as HEARTBEAT_STALE_SECONDS
    from bot.heartbeat import heartbeat_age

    conf = settings if isinstance(settings, Settings) else get_settings()
    reason = check_database(conf.database_url)
    if reason is not None:
        return reason
    if conf.broker_url:
        from bot.training.queue import queue_problem

        reason = queue_problem(conf.broker_url)
        if reason is not None:
            return reason
    if not conf.has_token:
        return None
    age = heartbeat_age(conf.heartbeat_file)
    if age is None:
        return f"no heartbeat from the Discord bot at {conf.heartbeat_file}"
    if age > HEARTBEAT_STALE_SECONDS:
        return f"the Discord bot's heartbeat is {age:.0f} s old (limit {HEARTBEAT_STALE_SECONDS:.0f} s)"
    return None


def run(args: argparse.Namespace) -> int:
    """Exit 0 when healthy, else 1 with the reason on stderr."""
    reason = check()
    if reason is not None:
        print(f"unhealthy: {reason}", file=sys.stderr)
        return 1
    if not args.quiet:
        print("healthy")
    return 0
