"""Run synchronous units of work `fn(tx, *args)` in transactions, the fastest safe way per backend.

On a SQLite file, units run on one dedicated thread with a plain sqlite3 connection, and units that
arrive together are *group-committed*: the thread takes every waiting unit, runs each inside its own
SAVEPOINT of one transaction and commits once. A caller's future is resolved only after that COMMIT
returned, so nothing is acknowledged before it is committed; a unit that raises is rolled back to its
savepoint and only its caller gets the error; if the COMMIT fails, every unit of the group gets it.
SQLite has a single writer anyway, so one thread loses no parallelism and queues writers fairly.
The connection runs WAL with synchronous=NORMAL (`bot.db.engine.sqlite_pragmas`): a returned COMMIT is
in the WAL, which survives the application crashing or being killed; only an OS crash or power cut
could lose the last commits (synchronous=FULL would add one fsync per group to cover that too).

On PostgreSQL (and in-memory SQLite) each unit runs in its own transaction on the async engine through
`run_sync`. Either way the unit is the same code (`bot.db.prepared.Tx`), so both backends test it.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.db.engine import is_sqlite, sqlite_path, sqlite_pragmas
from bot.db.prepared import CoreTx, SqliteTx, Tx

T = TypeVar("T")
MAX_GROUP = 64  # units per commit: bounds how long the first caller of a busy group waits


@dataclass
class _Job:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    result: Any = None
    error: BaseException | None = field(default=None)


class Runner:
    """Transactions of synchronous work (`fn(tx, *args)`) for services built on an `async_sessionmaker`."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._path: str | None = None
        bind = sessions.kw.get("bind")
        if isinstance(bind, AsyncEngine):
            url = bind.url.render_as_string(hide_password=False)
            if is_sqlite(url):
                path = sqlite_path(url)
                self._path = str(path) if path is not None else None
        self._dialect: Dialect = sqlite.dialect(paramstyle="qmark")
        self._lock = threading.Lock()
        self._pending: list[_Job] = []
        self._draining = False
        self._connection: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = None
        self.groups = 0  # transactions committed (or attempted) by the writer thread
        self.units = 0  # units run in them: units / groups is the mean group size
        if self._path is not None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite-writer")

    @property
    def group_commit(self) -> bool:
        """True when units are group-committed on a dedicated SQLite thread."""
        return self._executor is not None

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(tx, *args)` in a transaction; returns once committed (raises, its work undone, if it fails)."""
        if self._executor is None:
            async with self._sessions() as db, db.begin():
                return await db.run_sync(_core_unit, fn, args)
        loop = asyncio.get_running_loop()
        job = _Job(fn, args, loop, loop.create_future())
        with self._lock:
            if self._executor is None:
                raise RuntimeError("the runner is closed")
            self._pending.append(job)
            if not self._draining:
                self._draining = True
                self._executor.submit(self._drain)
        return await job.future

    def _drain(self) -> None:
        """Commit groups of waiting units until none is left (runs on the writer thread)."""
        while True:
            with self._lock:
                group, self._pending = self._pending[:MAX_GROUP], self._pending[MAX_GROUP:]
                if not group:
                    self._draining = False
                    return
            self.groups += 1
            self.units += len(group)
            try:
                self._commit_group(group)
            except BaseException as err:  # the connection itself failed: nobody's work was committed
                for job in group:
                    job.error = job.error or err
                self._reset_connection()
            _deliver(group)

    def _commit_group(self, group: list[_Job]) -> None:
        connection = self._open()
        tx = SqliteTx(connection, self._dialect)
        connection.execute("BEGIN IMMEDIATE")  # take the write lock now: no upgrade deadlock later
        try:
            for job in group:
                connection.execute("SAVEPOINT unit")
                try:
                    job.result = job.fn(tx, *job.args)
                except Exception as err:
                    connection.execute("ROLLBACK TO unit")
                    job.error = err
                connection.execute("RELEASE unit")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            assert self._path is not None
            # Autocommit mode: this code, not the sqlite3 module, decides where transactions begin.
            connection = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            sqlite_pragmas(connection, None)
            self._connection = connection
        return self._connection

    def _reset_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    def close(self) -> None:
        """Finish the units already submitted, then release the thread and its connection (idempotent)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        self._reset_connection()


def _core_unit(session: Session, fn: Callable[..., T], args: tuple[Any, ...]) -> T:
    tx: Tx = CoreTx(session.connection())
    return fn(tx, *args)


def _deliver(group: list[_Job]) -> None:
    """Resolve the callers' futures: one wake-up per event loop per group, not one per unit."""
    by_loop: dict[asyncio.AbstractEventLoop, list[_Job]] = {}
    for job in group:
        by_loop.setdefault(job.loop, []).append(job)
    for loop, jobs in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed event loop: its callers are gone
            loop.call_soon_threadsafe(_resolve, jobs)


def _resolve(jobs: list[_Job]) -> None:
    for job in jobs:
        if job.future.cancelled():
            continue
        if job.error is not None:
            job.future.set_exception(job.error)
        else:
            job.future.set_result(job.result)
