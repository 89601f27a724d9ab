"""The SQLite writer: one thread and one connection per database file, committing units in groups.

The thread takes every waiting unit, runs each inside its own SAVEPOINT of one transaction and commits
once. A caller's future is resolved only after that COMMIT returned, so nothing is acknowledged before
it is committed; a unit that raises is rolled back to its savepoint and only its caller gets the error;
if the COMMIT fails, every unit of the group gets that error. SQLite has a single writer anyway, so one
thread loses no parallelism and queues writers fairly; services of one process share it per file.

The connection runs WAL with synchronous=NORMAL (`bot.db.engine.sqlite_pragmas`): a returned COMMIT is
in the WAL, which survives the application crashing or being killed; only an OS crash or power cut
could lose the last commits (synchronous=FULL would add one fsync per group to cover that too).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import sqlite

from bot.db.engine import sqlite_pragmas
from bot.db.prepared import SqliteTx

MAX_GROUP = 64  # units per commit: bounds how long the first caller of a busy group waits


@dataclass
class Job:
    """One unit of work waiting for the writer, and where its outcome goes."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]
    result: Any = None
    error: BaseException | None = None


class SqliteWriter:
    """Group commits on one SQLite file; get one with `acquire` and give it back with `release`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.users = 0
        self.groups = 0  # transactions committed (or attempted)
        self.units = 0  # units run in them: units / groups is the mean group size
        self._dialect = sqlite.dialect(paramstyle="qmark")
        self._lock = threading.Lock()
        self._pending: list[Job] = []
        self._draining = False
        self._connection: sqlite3.Connection | None = None
        self._executor: ThreadPoolExecutor | None = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="sqlite-writer"
        )

    def submit(self, job: Job) -> None:
        """Queue a unit; the writer thread starts draining if it is idle."""
        with self._lock:
            if self._executor is None:
                raise RuntimeError("the SQLite writer is closed")
            self._pending.append(job)
            if not self._draining:
                self._draining = True
                self._executor.submit(self._drain)

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
            except BaseException as err:  # BEGIN or COMMIT failed: nobody's work was committed
                for job in group:
                    job.error = job.error or err
                self._close_connection()
            _deliver(group)

    def _commit_group(self, group: list[Job]) -> None:
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
            # Autocommit mode: this code, not the sqlite3 module, decides where transactions begin.
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            sqlite_pragmas(connection, None)
            self._connection = connection
        return self._connection

    def _close_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

    @property
    def closed(self) -> bool:
        """True once `close` began."""
        return self._executor is None

    def close(self) -> None:
        """Finish the units already queued, then stop the thread and close the connection."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        self._close_connection()


_WRITERS: dict[str, SqliteWriter] = {}
_REGISTRY = threading.Lock()


def acquire(path: str) -> SqliteWriter:
    """The writer of this database file, shared by every user in the process."""
    key = os.path.abspath(path)
    with _REGISTRY:
        writer = _WRITERS.get(key)
        if writer is None or writer.closed:
            writer = _WRITERS[key] = SqliteWriter(key)
        writer.users += 1
        return writer


def release(writer: SqliteWriter) -> None:
    """Give a writer back; the last user's release closes it."""
    with _REGISTRY:
        writer.users -= 1
        if writer.users > 0:
            return
        if _WRITERS.get(writer.path) is writer:
            del _WRITERS[writer.path]
    writer.close()


def _deliver(group: list[Job]) -> None:
    """Resolve the callers' futures: one wake-up per event loop per group, not one per unit."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Job]] = {}
    for job in group:
        by_loop.setdefault(job.loop, []).append(job)
    for loop, jobs in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed event loop: its callers are gone
            loop.call_soon_threadsafe(_resolve, jobs)


def _resolve(jobs: list[Job]) -> None:
    for job in jobs:
        if job.future.cancelled():
            continue
        if job.error is not None:
            job.future.set_exception(job.error)
        else:
            job.future.set_result(job.result)
