"""Reading many rows without holding the event loop: the rows are turned into values in a thread."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Executable
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
P = ParamSpec("P")
Rows = Sequence[Sequence[Any]]  # a query's rows, each a tuple of its columns

# One thread for all of it: CPU-bound threads take turns with the event loop for the GIL, and with
# several of them at once the loop waited behind each (a 1,000-learner class export on PostgreSQL:
# stalls of 53-57 ms with asyncio's default pool, 27-41 ms with this one thread; bench_teacher).
_ROWS_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tutor-rows")


async def off_loop(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` on the one thread that converts rows and writes files for the loop."""
    return await asyncio.get_running_loop().run_in_executor(
        _ROWS_THREAD, functools.partial(work, *args, **kwargs)
    )


async def built_off_loop(db: AsyncSession, query: Executable, build: Callable[[Rows], T]) -> T:
    """`build(rows)` of `query`'s rows, run in a thread: a class's figures are thousands of rows, and
    converting them (column types, then dicts) on the event loop holds it for tens of milliseconds.
    A Core result on the session's connection: the driver has fetched every row when `execute` returns,
    so `all()` in the thread only converts them (no I/O, no ORM loading step)."""
    connection = await db.connection()
    result = await connection.execute(query)
    return await off_loop(lambda: build(result.all()))
