"""ProgressService: lesson progress, XP, streaks, mastery, leaderboards, training runs and stats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repository
from bot.db.base import utcnow
from bot.db.models import DEFAULT_TIMEZONE, LessonProgress, QuizAnswer, ReviewCard, TrainingRun, XpEvent
from bot.errors import InvalidRequest
from bot.progress import xp
from bot.progress.leaderboard import Leaderboard, leaderboard
from bot.progress.mastery import RECENT, Mastery, mastery_of
from bot.progress.stats import SERIES_DAYS, Stats, daily_series
from bot.progress.streaks import Streak, local_day, streak_from_times, zone
from bot.quiz.bank import QuestionBank, lesson_ids, lesson_not_found


@dataclass(frozen=True)
class LessonState:
    """How far a learner is in one lesson, and the XP the last step earned."""

    lesson_id: str
    page: int  # highest page index reached, 0-based
    completed: bool
    xp: int = 0


@dataclass(frozen=True)
class RunRecord:
    """A recorded training run."""

    id: int
    kind: str
    spec: dict[str, Any]
    result: dict[str, Any]
    created_at: datetime


class ProgressService:
    """Progress of learners over the course's lessons (`bank` gives the lesson ids)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bank: QuestionBank,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._bank = bank
        self._clock = clock

    def _check_lesson(self, lesson_id: str) -> None:
        if lesson_id not in lesson_ids(self._bank):
            raise lesson_not_found(lesson_id)

    async def record_page(
        self,
        learner_id: int,
        lesson_id: str,
        page: int,
        display_name: str | None = None,
        guild_id: int | None = None,
    ) -> LessonState:
        """The learner reached page `page` (0-based) of a lesson (in server `guild_id`); each new page
        earns XP once."""
        self._check_lesson(lesson_id)
        if page < 0:
            raise InvalidRequest("progress.bad_page", page=page)
        now = self._clock()
        async with self._sessions() as db, db.begin():
            row = await _lesson_row(db, learner_id, lesson_id, display_name, now)
            earned = await xp.award(
                db, learner_id, "lesson_page", now, f"{lesson_id}:{page}", once=True, guild_id=guild_id
            )
            row.page = max(row.page, page)
            row.last_page = page
            row.updated_at = now
            return LessonState(lesson_id, row.page, row.completed_at is not None, earned)

    async def complete_lesson(
        self,
        learner_id: int,
        lesson_id: str,
        display_name: str | None = None,
        guild_id: int | None = None,
    ) -> LessonState:
        """Mark a lesson completed (in server `guild_id`); the XP for it is earned once."""
        self._check_lesson(lesson_id)
        now = self._clock()
        async with self._sessions() as db, db.begin():
            row = await _lesson_row(db, learner_id, lesson_id, display_name, now)
            row.completed_at = row.completed_at or now
            row.updated_at = now
            earned = await xp.award(
                db, learner_id, "lesson_completed", now, lesson_id, once=True, guild_id=guild_id
            )
            return LessonState(lesson_id, row.page, True, earned)

    async def lessons(self, learner_id: int) -> dict[str, LessonState]:
        """Progress in every lesson the learner opened."""
        async with self._sessions() as db:
            rows = await db.scalars(select(LessonProgress).where(LessonProgress.learner_id == learner_id))
            return {r.lesson_id: LessonState(r.lesson_id, r.page, r.completed_at is not None) for r in rows}

    async def last_read(self, learner_id: int) -> tuple[str, int] | None:
        """The lesson the learner read most recently and the page (0-based) last read in it, or None."""
        async with self._sessions() as db:
            row = (
                await db.execute(
                    select(LessonProgress.lesson_id, LessonProgress.last_page)
                    .where(LessonProgress.learner_id == learner_id)
                    .order_by(LessonProgress.updated_at.desc(), LessonProgress.lesson_id)
                    .limit(1)
                )
            ).first()
            return (row.lesson_id, row.last_page) if row is not None else None

    async def record_training_run(
        self,
        learner_id: int,
        kind: str,
        spec: dict[str, Any],
        result: dict[str, Any],
        guild_id: int | None = None,
    ) -> int:
        """Store a training run (spec and result summary, both JSON-ready) made in server `guild_id` and
        award its XP; the run id.

        The core calls this for every run a learner starts (train, compare, ...); `stats().training_runs`
        counts them all, but XP comes once per distinct experiment (kind and spec) per day in the
        learner's time zone: running the same thing again teaches nothing new.
        """
        now = self._clock()
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, None, now)
            run = TrainingRun(
                learner_id=learner_id, guild_id=guild_id, kind=kind, spec=spec, result=result, created_at=now
            )
            db.add(run)
            await db.flush()
            day = local_day(now, zone(learner.timezone))
            key = xp.experiment_key(kind, spec, day)
            await xp.award(
                db, learner_id, "training_run", now, f"run:{run.id}", once=True, key=key, guild_id=guild_id
            )
            return run.id

    async def training_runs(self, learner_id: int, limit: int = 10) -> list[RunRecord]:
        """The learner's most recent training runs, newest first."""
        async with self._sessions() as db:
            rows = await db.scalars(
                select(TrainingRun)
                .where(TrainingRun.learner_id == learner_id)
                .order_by(TrainingRun.created_at.desc(), TrainingRun.id.desc())
                .limit(limit)
            )
            return [RunRecord(r.id, r.kind, r.spec, r.result, r.created_at) for r in rows]

    async def total_xp(self, learner_id: int, since: datetime | None = None) -> int:
        """XP earned in all (or since `since`)."""
        async with self._sessions() as db:
            return await self._xp(db, learner_id, since)

    @staticmethod
    async def _xp(db: AsyncSession, learner_id: int, since: datetime | None) -> int:
        query = select(func.coalesce(func.sum(XpEvent.amount), 0)).where(XpEvent.learner_id == learner_id)
        if since is not None:
            query = query.where(XpEvent.created_at >= since)
        return int(await db.scalar(query) or 0)

    async def streak(self, learner_id: int) -> Streak:
        """The daily streak in the learner's time zone (any XP-earning activity counts)."""
        async with self._sessions() as db:
            return await self._streak(db, learner_id, self._clock())

    @staticmethod
    async def _streak(db: AsyncSession, learner_id: int, now: datetime) -> Streak:
        learner = await repository.require_learner(db, learner_id)
        times = await db.scalars(select(XpEvent.created_at).where(XpEvent.learner_id == learner_id))
        return streak_from_times(times, now, learner.timezone)

    async def mastery(self, learner_id: int) -> list[Mastery]:
        """Mastery of every lesson, in teaching order, from the most recent answers."""
        async with self._sessions() as db:
            return await self._mastery(db, learner_id)

    async def _mastery(self, db: AsyncSession, learner_id: int) -> list[Mastery]:
        numbered = (
            select(
                QuizAnswer.lesson_id,
                QuizAnswer.correct,
                func.row_number()
                .over(
                    partition_by=QuizAnswer.lesson_id,
                    order_by=(QuizAnswer.answered_at.desc(), QuizAnswer.id.desc()),
                )
                .label("n"),
            )
            .where(QuizAnswer.learner_id == learner_id)
            .subquery()
        )
        query = select(numbered.c.lesson_id, numbered.c.correct).where(numbered.c.n <= RECENT)
        recent: dict[str, list[bool]] = {}
        for lesson_id, correct in (
            await db.execute(query.order_by(numbered.c.lesson_id, numbered.c.n))
        ).all():
            recent.setdefault(lesson_id, []).append(bool(correct))
        return [mastery_of(lesson_id, recent.get(lesson_id, [])) for lesson_id in lesson_ids(self._bank)]

    async def leaderboard(
        self,
        guild_id: int,
        period: str = "week",
        limit: int = 10,
        learner_id: int | None = None,
        timezone: str = DEFAULT_TIMEZONE,
    ) -> Leaderboard:
        """The guild's leaderboard of XP earned in it: this 'week' or 'month' (calendar, in `timezone`,
        the server's) or 'all' time."""
        async with self._sessions() as db:
            return await leaderboard(db, guild_id, period, self._clock(), limit, learner_id, timezone)

    async def stats(self, learner_id: int) -> Stats:
        """The learner's summary with a 30-day series; NotFound for a learner never seen."""
        now = self._clock()
        async with self._sessions() as db:
            learner = await repository.require_learner(db, learner_id)
            tz = zone(learner.timezone)
            since = now - timedelta(days=SERIES_DAYS + 1)
            answers = (
                await db.execute(
                    select(QuizAnswer.answered_at, QuizAnswer.correct).where(
                        QuizAnswer.learner_id == learner_id, QuizAnswer.answered_at >= since
                    )
                )
            ).all()
            events = (
                await db.execute(
                    select(XpEvent.created_at, XpEvent.amount).where(
                        XpEvent.learner_id == learner_id, XpEvent.created_at >= since
                    )
                )
            ).all()
            answered, correct = (
                await db.execute(
                    select(
                        func.count(), func.coalesce(func.sum(case((QuizAnswer.correct, 1), else_=0)), 0)
                    ).where(QuizAnswer.learner_id == learner_id)
                )
            ).one()
            completed = await db.scalars(
                select(LessonProgress.lesson_id).where(
                    LessonProgress.learner_id == learner_id, LessonProgress.completed_at.is_not(None)
                )
            )
            due = await db.scalar(
                select(func.count())
                .select_from(ReviewCard)
                .where(ReviewCard.learner_id == learner_id, ReviewCard.due <= now)
            )
            runs = await db.scalar(
                select(func.count()).select_from(TrainingRun).where(TrainingRun.learner_id == learner_id)
            )
            return Stats(
                learner_id=learner_id,
                display_name=learner.display_name,
                total_xp=await self._xp(db, learner_id, None),
                week_xp=await self._xp(db, learner_id, now - timedelta(days=7)),
                streak=await self._streak(db, learner_id, now),
                answered=int(answered),
                correct=int(correct),
                lessons_completed=sorted(completed, key=_order(lesson_ids(self._bank))),
                mastery=await self._mastery(db, learner_id),
                reviews_due=int(due or 0),
                training_runs=int(runs or 0),
                series=daily_series(
                    [(t, bool(c)) for t, c in answers], [(t, int(a)) for t, a in events], now, tz
                ),
            )


def _order(ids: list[str]) -> Callable[[str], tuple[int, str]]:
    position = {lesson_id: index for index, lesson_id in enumerate(ids)}
    return lambda lesson_id: (position.get(lesson_id, len(ids)), lesson_id)


async def _lesson_row(
    db: AsyncSession, learner_id: int, lesson_id: str, display_name: str | None, now: datetime
) -> LessonProgress:
    """The learner's progress row for a lesson, created (with the learner) on first sight."""
    await repository.ensure_learner(db, learner_id, display_name, now)
    await repository.insert_ignore(
        db,
        LessonProgress,
        {"learner_id": learner_id, "lesson_id": lesson_id, "page": 0, "last_page": 0, "updated_at": now},
        ["learner_id", "lesson_id"],
    )
    row = await db.get(LessonProgress, (learner_id, lesson_id), populate_existing=True)
    assert row is not None
    return row
