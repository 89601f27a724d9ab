"""Run synchronous units of work `fn(tx, *args)` in transactions, the fastest safe way per backend.

On a SQLite file, units go to the file's writer thread (`bot.db.writer`), which group-commits units
that arrive together on a plain sqlite3 connection and answers each caller only after the COMMIT.
On PostgreSQL (and in-memory SQLite) each unit runs in its own transaction on the async engine through
`run_sync`. Either way the unit is the same code (`bot.db.prepared.Tx`), so both backends test it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.db import writer
from bot.db.engine import is_sqlite, sqlite_path
from bot.db.prepared import CoreTx, Tx

T = TypeVar("T")


class Runner:
    """Transactions of synchronous work (`fn(tx, *args)`) for services built on an `async_sessionmaker`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._writer: writer.SqliteWriter | None = None
        self._closed = False
        bind = sessions.kw.get("bind")
        if isinstance(bind, AsyncEngine):
            url = bind.url.render_as_string(hide_password=False)
            path = sqlite_path(url) if is_sqlite(url) else None
            if path is not None:
                self._writer = writer.acquire(str(path))

    @property
    def group_commit(self) -> bool:
        """True when units are group-committed by a SQLite writer thread."""
        return self._writer is not None

    @property
    def groups(self) -> int:
        """Transactions the SQLite writer has committed (or attempted); 0 without one."""
        return self._writer.groups if self._writer is not None else 0

    @property
    def units(self) -> int:
        """Units the SQLite writer has run; `units / groups` is the mean group size."""
        return self._writer.units if self._writer is not None else 0

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(tx, *args)` in a transaction; returns once committed (raises, its work undone, if it fails)."""
        if self._closed:
            raise RuntimeError("the runner is closed")
        if self._writer is None:
            async with self._sessions() as db, db.begin():
                return await db.run_sync(_core_unit, fn, args)
        loop = asyncio.get_running_loop()
        job = writer.Job(fn, args, loop, loop.create_future())
        self._writer.submit(job)
        return await job.future

    def close(self) -> None:
        """Stop using the writer (the last user's close finishes its queue and closes it); idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            writer.release(self._writer)


def _core_unit(session: Session, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    tx: Tx = CoreTx(session.connection())
    return fn(tx, *args)
