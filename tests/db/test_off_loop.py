"""Rows turned into values off the event loop: the conversion runs in a thread, the values come back."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Learner
from bot.db.off_loop import Rows, built_off_loop


async def test_the_rows_are_converted_in_another_thread_than_the_event_loops(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as db, db.begin():
        db.add_all([Learner(id=i, display_name=f"छात्र {i}") for i in (1, 2, 3)])
    seen: list[int] = []

    def names(rows: Rows) -> dict[int, str]:
        seen.append(threading.get_ident())
        return {int(i): str(n) for i, n in rows}

    async with sessions() as db:
        found = await built_off_loop(db, select(Learner.id, Learner.display_name), names)
    assert found == {1: "छात्र 1", 2: "छात्र 2", 3: "छात्र 3"}
    assert seen and seen[0] != threading.get_ident()
