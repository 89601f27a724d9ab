"""Spaced repetition with FSRS: wrong and shaky answers become cards; `due` serves them, most overdue first.

A wrong (or skipped) answer rates the card Again. A right answer to a question that already has a
card rates it Good (Hard when slow); a right but slow answer to a new question starts a card at Hard.
A quick right answer to a question never missed leaves no card.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fsrs import Card, Rating, Scheduler, State
from sqlalchemy import Row, Table, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repository
from bot.db.base import utcnow
from bot.db.models import ReviewCard
from bot.quiz.views import DueCard

SLOW_SECONDS = 30.0  # a right answer slower than this is "shaky"


def rating_for(correct: bool, skipped: bool, seconds: float, has_card: bool) -> Rating | None:
    """The FSRS rating an answer earns, or None when it should leave no card."""
    if skipped or not correct:
        return Rating.Again
    slow = seconds > SLOW_SECONDS
    if has_card:
        return Rating.Hard if slow else Rating.Good
    return Rating.Hard if slow else None


def _columns(card: Card) -> dict[str, Any]:
    return {
        "state": int(card.state),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "due": card.due,
        "last_review": card.last_review,
    }


def _to_card(row: Row[Any]) -> Card:
    """The FSRS card of a `_CARD_ROW` row."""
    return Card(
        card_id=row.id or 0,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
    )


# The answer path's statements, built once (Core: no ORM bookkeeping on the hot path).
_CARDS: Table = ReviewCard.__table__  # type: ignore[assignment]
_FSRS_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review")
_CARD_ROW = select(_CARDS.c.id, *(_CARDS.c[name] for name in _FSRS_COLUMNS)).where(
    _CARDS.c.learner_id == bindparam("p_learner"), _CARDS.c.question_id == bindparam("p_question")
)
_CARD_UPDATE = (
    update(_CARDS)
    .where(_CARDS.c.id == bindparam("p_card"))
    .values(
        {
            **{name: bindparam(f"p_{name}", type_=_CARDS.c[name].type) for name in _FSRS_COLUMNS},
            "reps": _CARDS.c.reps + 1,
            "lapses": _CARDS.c.lapses + bindparam("p_lapse"),
        }
    )
)


class ReviewService:
    """FSRS review cards per learner and question."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        scheduler: Scheduler | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        # No fuzz: the same answers give the same schedule (tests and learners can reason about it).
        self._scheduler = scheduler or Scheduler(enable_fuzzing=False)
        self._clock = clock

    async def record(
        self,
        db: AsyncSession,
        learner_id: int,
        lesson_id: str,
        question_id: str,
        *,
        correct: bool,
        skipped: bool,
        seconds: float,
        now: datetime,
        has_card: bool | None = None,
    ) -> None:
        """Update (or start) the card for this answer inside the caller's transaction.

        `has_card=False` (known when the quiz started) saves the lookup on the common path.
        """
        if has_card is False:
            rating = rating_for(correct, skipped, seconds, has_card=False)
            if rating is None:
                return
            if await self._insert(db, learner_id, lesson_id, question_id, rating, seconds, now):
                return
        row = await self._card(db, learner_id, question_id)
        rating = rating_for(correct, skipped, seconds, has_card=row is not None)
        if rating is None:
            return
        if row is None:
            if await self._insert(db, learner_id, lesson_id, question_id, rating, seconds, now):
                return
            row = await self._card(db, learner_id, question_id)  # created meanwhile by another task
            assert row is not None
        old = _to_card(row)
        card, _log = self._scheduler.review_card(
            old, rating, review_datetime=now, review_duration=int(seconds * 1000)
        )
        lapse = rating == Rating.Again and old.state == State.Review
        params = {f"p_{name}": value for name, value in _columns(card).items()}
        await db.execute(_CARD_UPDATE, {**params, "p_card": row.id, "p_lapse": int(lapse)})

    async def _insert(
        self,
        db: AsyncSession,
        learner_id: int,
        lesson_id: str,
        question_id: str,
        rating: Rating,
        seconds: float,
        now: datetime,
    ) -> bool:
        """Start a card with its first review; False when the learner already has one for the question."""
        card, _log = self._scheduler.review_card(
            Card(card_id=0, due=now), rating, review_datetime=now, review_duration=int(seconds * 1000)
        )
        values = {
            "learner_id": learner_id,
            "question_id": question_id,
            "lesson_id": lesson_id,
            **_columns(card),
            "reps": 1,
            "lapses": 0,
            "created_at": now,
        }
        return await repository.insert_ignore(db, ReviewCard, values, ["learner_id", "question_id"])

    @staticmethod
    async def _card(db: AsyncSession, learner_id: int, question_id: str) -> Row[Any] | None:
        return (await db.execute(_CARD_ROW, {"p_learner": learner_id, "p_question": question_id})).first()

    async def due(self, learner_id: int, now: datetime | None = None, limit: int = 10) -> list[DueCard]:
        """Cards due at `now`, most overdue first."""
        now = now or self._clock()
        async with self._sessions() as db:
            rows = await db.scalars(
                select(ReviewCard)
                .where(ReviewCard.learner_id == learner_id, ReviewCard.due <= now)
                .order_by(ReviewCard.due, ReviewCard.id)
                .limit(limit)
            )
            return [
                DueCard(
                    question_id=row.question_id,
                    lesson_id=row.lesson_id,
                    due=row.due,
                    overdue_seconds=(now - row.due).total_seconds(),
                    reps=row.reps,
                    lapses=row.lapses,
                )
                for row in rows
            ]

    async def due_count(self, learner_id: int, now: datetime | None = None) -> int:
        """How many cards are due at `now`."""
        now = now or self._clock()
        async with self._sessions() as db:
            count = await db.scalar(
                select(func.count())
                .select_from(ReviewCard)
                .where(ReviewCard.learner_id == learner_id, ReviewCard.due <= now)
            )
            return int(count or 0)

    async def next_due(self, learner_id: int, question_id: str) -> datetime | None:
        """When the card for this question is next due (None when there is no card)."""
        async with self._sessions() as db:
            due = await db.scalar(
                select(ReviewCard.due).where(
                    ReviewCard.learner_id == learner_id, ReviewCard.question_id == question_id
                )
            )
            return due

    async def outlook(self, learner_id: int) -> tuple[int, datetime | None]:
        """How many cards the learner has scheduled, and when the earliest one is due (None: no card)."""
        async with self._sessions() as db:
            count, earliest = (
                await db.execute(
                    select(func.count(), func.min(ReviewCard.due)).where(ReviewCard.learner_id == learner_id)
                )
            ).one()
            return int(count or 0), earliest
