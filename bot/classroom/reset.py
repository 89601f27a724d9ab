"""Clear one learner's progress in one server, leaving what they did elsewhere as it was.

Removed: their quiz sessions and answers, XP and training runs recorded in the server. What belongs to
the learner wherever it happened follows what is left: a review card stays only for a question they
still have an answer to elsewhere, and a lesson's progress stays only as far as the pages they read
elsewhere (a page's XP records where it was first read), completed only if it was completed there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repository
from bot.db.models import LessonProgress, QuizAnswer, QuizSession, ReviewCard, TrainingRun, XpEvent


@dataclass(frozen=True)
class Cleared:
    """How much a reset removed."""

    answers: int
    xp: int
    training_runs: int
    lessons: int  # lessons whose progress was cleared or shortened
    review_cards: int


async def reset_member(sessions: async_sessionmaker[AsyncSession], guild_id: int, learner_id: int) -> Cleared:
    """Clear `learner_id`'s progress in server `guild_id`, in one transaction."""
    async with sessions() as db, db.begin():
        mine = (QuizAnswer.learner_id == learner_id) & (QuizAnswer.guild_id == guild_id)
        answers = int(await db.scalar(select(func.count()).select_from(QuizAnswer).where(mine)) or 0)
        xp_here = (XpEvent.learner_id == learner_id) & (XpEvent.guild_id == guild_id)
        xp = int(await db.scalar(select(func.coalesce(func.sum(XpEvent.amount), 0)).where(xp_here)) or 0)
        await db.execute(delete(QuizAnswer).where(mine))
        await db.execute(
            delete(QuizSession).where(QuizSession.learner_id == learner_id, QuizSession.guild_id == guild_id)
        )
        await db.execute(delete(XpEvent).where(xp_here))
        runs = repository.rows_changed(
            await db.execute(
                delete(TrainingRun).where(
                    TrainingRun.learner_id == learner_id, TrainingRun.guild_id == guild_id
                )
            )
        )
        still_answered = select(QuizAnswer.question_id).where(QuizAnswer.learner_id == learner_id)
        cards = repository.rows_changed(
            await db.execute(
                delete(ReviewCard).where(
                    ReviewCard.learner_id == learner_id, ReviewCard.question_id.not_in(still_answered)
                )
            )
        )
        lessons = await _lessons_follow_pages(db, learner_id)
    return Cleared(answers=answers, xp=xp, training_runs=runs, lessons=lessons, review_cards=cards)


async def _lessons_follow_pages(db: AsyncSession, learner_id: int) -> int:
    """Shorten or clear each lesson's progress to the pages whose XP is still recorded; how many changed."""
    events = (
        await db.execute(
            select(XpEvent.kind, XpEvent.ref).where(
                XpEvent.learner_id == learner_id, XpEvent.kind.in_(("lesson_page", "lesson_completed"))
            )
        )
    ).all()
    furthest: dict[str, int] = {}
    completed: set[str] = set()
    for kind, ref in events:
        if kind == "lesson_completed" and ref:
            completed.add(ref)
        elif ref and ":" in ref:
            lesson_id, _, number = ref.rpartition(":")
            if number.isdigit():
                furthest[lesson_id] = max(furthest.get(lesson_id, 0), int(number))
    changed = 0
    rows = await db.scalars(select(LessonProgress).where(LessonProgress.learner_id == learner_id))
    for row in list(rows):
        if row.lesson_id not in furthest:
            await db.delete(row)
            changed += 1
            continue
        page = furthest[row.lesson_id]
        done = row.completed_at if row.lesson_id in completed else None
        if (row.page, row.completed_at) != (page, done) or row.last_page > page:
            row.page, row.completed_at, row.last_page = page, done, min(row.last_page, page)
            changed += 1
    return changed
