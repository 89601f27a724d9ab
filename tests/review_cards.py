"""What a learner's review schedule holds, read straight from the database (for assertions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.core.tutor import Tutor
from bot.db.models import ReviewCard


async def scheduled(tutor: Tutor, learner_id: int) -> tuple[int, datetime | None]:
    """How many review cards the learner has, and when the earliest is due."""
    async with tutor.sessions() as db:
        count, due = (
            await db.execute(
                select(func.count(), func.min(ReviewCard.due)).where(ReviewCard.learner_id == learner_id)
            )
        ).one()
    return int(count or 0), due
