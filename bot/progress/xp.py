"""XP per activity: how much each is worth, and recording it.

XP rewards learning, not clicking: a training run earns XP once per distinct experiment (kind and
settings) per day, and a quiz's finishing bonus is shared out by the questions answered right, so a quiz
skipped or guessed through earns nothing.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import repository

Activity = Literal["lesson_page", "lesson_completed", "correct_answer", "quiz_finished", "training_run"]

XP: dict[str, int] = {
    "lesson_page": 2,  # each new page of a lesson read
    "lesson_completed": 25,  # once per lesson
    "correct_answer": 10,
    "quiz_finished": 20,  # for a perfect score; in proportion to the right answers otherwise
    "training_run": 15,  # once per distinct experiment per day
}


def quiz_finish_xp(correct: int, total: int) -> int:
    """The finishing bonus of a quiz with `correct` of `total` right: its share of 20 (0 when none were)."""
    if total <= 0 or correct <= 0:
        return 0
    return XP["quiz_finished"] * min(correct, total) // total


def experiment_key(kind: str, spec: dict[str, Any], day: date) -> str:
    """One key per experiment (the run's kind and settings, in any key order) and day."""
    settings = json.dumps(spec, sort_keys=True, separators=(",", ":"), default=str)
    digest = hashlib.sha256(f"{kind}|{settings}".encode()).hexdigest()[:24]
    return f"{kind}:{digest}:{day.isoformat()}"


async def award(
    db: AsyncSession,
    learner_id: int,
    activity: Activity,
    now: datetime,
    ref: str | None = None,
    once: bool = False,
    amount: int | None = None,
    key: str | None = None,
    guild_id: int | None = None,
) -> int:
    """Record the XP of `activity` (or `amount` of it), earned in server `guild_id` (None: a DM or the
    console); with `once`, a second award for the same `key` (default: `ref`) gives 0, wherever it is
    earned. Returns the XP added."""
    points = XP[activity] if amount is None else amount
    if points <= 0:
        return 0
    dedupe = f"{activity}:{key if key is not None else ref}" if once else None
    return await repository.add_xp(
        db, learner_id, activity, points, now, ref=ref, dedupe=dedupe, guild_id=guild_id
    )
