"""Reading many rows without holding the event loop: the rows are turned into values in a thread."""

from __future__ import annotations

from asyncio import to_thread
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
Rows = Sequence[Sequence[Any]]  # a query's rows, each a tuple of its columns


async def built_off_loop(db: AsyncSession, query: Executable, build: Callable[[Rows], T]) -> T:
    """`build(rows)` of `query`'s rows, run in a thread: a class's figures are thousands of rows, and
    converting them (column types, then dicts) on the event loop holds it for tens of milliseconds.
    A Core result on the session's connection: the driver has fetched every row when `execute` returns,
    so `all()` in the thread only converts them (no I/O, no ORM loading step)."""
    connection = await db.connection()
    result = await connection.execute(query)
    return await to_thread(lambda: build(result.all()))
