"""Run a synchronous unit of work `fn(session, *args)` in one transaction, the fastest way per backend.

On a SQLite file, the work runs in one dedicated thread on a plain sqlite3 connection: one thread hop
per transaction instead of one per statement (aiosqlite), and the thread queues writers fairly. On
PostgreSQL (and in-memory SQLite) the same function runs on the async engine through `run_sync`.
Either way `fn` is the same code, so both backends test it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import is_sqlite, sqlite_path, sqlite_pragmas

T = TypeVar("T")


class Runner:
    """Transactions of synchronous work for services built on an `async_sessionmaker`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._executor: ThreadPoolExecutor | None = None
        self._local: sessionmaker[Session] | None = None
        self._engine: sqlalchemy.Engine | None = None
        bind = sessions.kw.get("bind")
        if isinstance(bind, AsyncEngine):
            url = bind.url.render_as_string(hide_password=False)
            if is_sqlite(url) and sqlite_path(url) is not None:
                self._engine = sqlalchemy.create_engine(
                    bind.url.set(drivername="sqlite"),
                    connect_args={"check_same_thread": False},
                    pool_size=1,
                    max_overflow=0,
                )
                event.listen(self._engine, "connect", sqlite_pragmas)
                self._local = sessionmaker(self._engine, expire_on_commit=False)
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-unit")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(session, *args)` in a transaction committed when it returns (rolled back if it raises)."""
        if self._executor is None:
            async with self._sessions() as db, db.begin():
                return await db.run_sync(fn, *args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._in_thread, fn, args)

    def _in_thread(self, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
        assert self._local is not None
        with self._local() as db, db.begin():
            return fn(db, *args)

    def close(self) -> None:
        """Release the thread and its connection (idempotent)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
