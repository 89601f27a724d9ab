"""Rows turned into values off the event loop: on one thread of their own, the values come back."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Learner
from bot.db.off_loop import Rows, built_off_loop


async def test_rows_are_converted_on_one_thread_that_is_not_the_event_loops(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db, db.begin():
        db.add_all([Learner(id=i, display_name=f"छात्र {i}") for i in (1, 2, 3)])
    seen: list[threading.Thread] = []

    def names(rows: Rows) -> dict[int, str]:
        seen.append(threading.current_thread())
        return {int(i): str(n) for i, n in rows}

    async def read() -> dict[int, str]:
        async with sessions() as db:
            return await built_off_loop(db, select(Learner.id, Learner.display_name), names)

    found = await asyncio.gather(read(), read(), read())  # a report's figures are read side by side
    assert found == [{1: "छात्र 1", 2: "छात्र 2", 3: "छात्र 3"}] * 3
    # all on the one rows thread: several CPU-bound threads at once make the loop wait for the GIL
    assert len(set(seen)) == 1 and seen[0] is not threading.current_thread()
