"""XP per activity: how much each is worth, and recording it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repository

Activity = Literal["lesson_page", "lesson_completed", "correct_answer", "quiz_finished", "training_run"]

XP: dict[str, int] = {
    "lesson_page": 2,  # each new page of a lesson read
    "lesson_completed": 25,  # once per lesson
    "correct_answer": 10,
    "quiz_finished": 20,
    "training_run": 15,
}


async def award(
    db: AsyncSession,
    learner_id: int,
    activity: Activity,
    now: datetime,
    ref: str | None = None,
    once: bool = False,
    guild_id: int | None = None,
) -> int:
    """Record the XP of `activity`, earned in server `guild_id` (None: a DM or the console); with `once`,
    a second award for the same `ref` gives 0 (wherever it is earned). Returns XP."""
    dedupe = f"{activity}:{ref}" if once else None
    return await repository.add_xp(
        db, learner_id, activity, XP[activity], now, ref=ref, dedupe=dedupe, guild_id=guild_id
    )
