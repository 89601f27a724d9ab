"""What a server's teachers assigned: a lesson to read or a lesson's quiz to take, by an optional due time.

A lesson assignment is done when the learner has read the lesson to its end (wherever they read it); a
quiz assignment when the learner finished a quiz on that lesson in this server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import Assignment, LessonProgress, QuizSession
from bot.errors import InvalidRequest
from bot.progress.streaks import zone

Kind = Literal["lesson", "quiz"]
KINDS: tuple[Kind, ...] = ("lesson", "quiz")
MAX_ASSIGNMENTS = 25  # open assignments per server (one embed field each)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class AssignmentInfo:
    """One assignment of a server."""

    id: int
    kind: str
    lesson_id: str
    due_at: datetime | None
    created_at: datetime

    def overdue(self, now: datetime) -> bool:
        """Whether its due time has passed."""
        return self.due_at is not None and now > self.due_at


def parse_due(text: str, timezone: str, now: datetime) -> datetime:
    """The end (23:59:59) of the day `text` names (YYYY-MM-DD) in the server's `timezone`; a day that has
    already ended or is not a date is refused."""
    given = text.strip()
    try:
        if not DATE.fullmatch(given):
            raise ValueError(given)
        day = date.fromisoformat(given)
    except ValueError:
        raise InvalidRequest("teacher.bad_due", given=given[:20]) from None
    due = datetime.combine(day, time(23, 59, 59), tzinfo=zone(timezone))
    if due < now:
        raise InvalidRequest("teacher.due_passed", given=given)
    return due


def _info(row: Assignment) -> AssignmentInfo:
    return AssignmentInfo(row.id, row.kind, row.lesson_id, row.due_at, row.created_at)


class AssignmentService:
    """Assign, unassign, list, and tell who has done what."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def assign(
        self, guild_id: int, kind: str, lesson_id: str, due_at: datetime | None, by: int
    ) -> tuple[AssignmentInfo, bool]:
        """Assign a lesson or its quiz (again: its due time changes); the assignment and whether it is new."""
        if kind not in KINDS:
            raise InvalidRequest("teacher.bad_assignment_kind", kind=kind)
        async with self._sessions() as db, db.begin():
            row = await self._row(db, guild_id, kind, lesson_id)
            if row is not None:
                row.due_at = due_at
                return _info(row), False
            count = len(
                (await db.scalars(select(Assignment.id).where(Assignment.guild_id == guild_id))).all()
            )
            if count >= MAX_ASSIGNMENTS:
                raise InvalidRequest("teacher.too_many_assignments", max=MAX_ASSIGNMENTS)
            row = Assignment(
                guild_id=guild_id,
                kind=kind,
                lesson_id=lesson_id,
                due_at=due_at,
                created_by=by,
                created_at=self._clock(),
            )
            db.add(row)
            await db.flush()
            return _info(row), True

    async def unassign(self, guild_id: int, kind: str, lesson_id: str) -> bool:
        """Withdraw an assignment; False when there was none."""
        async with self._sessions() as db, db.begin():
            result = await db.execute(
                delete(Assignment).where(
                    Assignment.guild_id == guild_id,
                    Assignment.kind == kind,
                    Assignment.lesson_id == lesson_id,
                )
            )
            return bool(getattr(result, "rowcount", 0))

    @staticmethod
    async def _row(db: AsyncSession, guild_id: int, kind: str, lesson_id: str) -> Assignment | None:
        return (
            await db.scalars(
                select(Assignment).where(
                    Assignment.guild_id == guild_id,
                    Assignment.kind == kind,
                    Assignment.lesson_id == lesson_id,
                )
            )
        ).first()

    async def of_server(self, guild_id: int) -> list[AssignmentInfo]:
        """The server's assignments, soonest due first (those without a due time last)."""
        async with self._sessions() as db:
            return await assignments_of(db, guild_id)

    async def for_learner(self, guild_id: int, learner_id: int) -> list[tuple[AssignmentInfo, bool]]:
        """The server's assignments, each with whether this learner has done it."""
        async with self._sessions() as db:
            found = await assignments_of(db, guild_id)
            done = await done_by(db, guild_id, found, [learner_id])
        return [(item, learner_id in done.get(item.id, set())) for item in found]


async def assignments_of(db: AsyncSession, guild_id: int) -> list[AssignmentInfo]:
    """A server's assignments, soonest due first (those without a due time last)."""
    rows = await db.scalars(select(Assignment).where(Assignment.guild_id == guild_id))
    far = datetime.max.replace(tzinfo=zone("UTC")) - timedelta(days=1)
    return sorted((_info(row) for row in rows), key=lambda a: (a.due_at or far, a.created_at, a.id))


async def done_by(
    db: AsyncSession, guild_id: int, assignments: Sequence[AssignmentInfo], learner_ids: Sequence[int] | None
) -> dict[int, set[int]]:
    """assignment id -> the learners (of `learner_ids`, or all) who have done it."""
    lessons = {a.lesson_id for a in assignments if a.kind == "lesson"}
    quizzes = {a.lesson_id for a in assignments if a.kind == "quiz"}
    read: dict[str, set[int]] = {}
    taken: dict[str, set[int]] = {}
    if lessons:
        query = select(LessonProgress.learner_id, LessonProgress.lesson_id).where(
            LessonProgress.lesson_id.in_(lessons), LessonProgress.completed_at.is_not(None)
        )
        if learner_ids is not None:
            query = query.where(LessonProgress.learner_id.in_(learner_ids))
        for learner_id, lesson_id in (await db.execute(query)).all():
            read.setdefault(lesson_id, set()).add(int(learner_id))
    if quizzes:
        sessions = select(
            QuizSession.learner_id, QuizSession.lesson_id, QuizSession.position, QuizSession.questions
        ).where(
            QuizSession.guild_id == guild_id,
            QuizSession.mode == "lesson",
            QuizSession.status == "finished",
            QuizSession.lesson_id.in_(quizzes),
        )
        if learner_ids is not None:
            sessions = sessions.where(QuizSession.learner_id.in_(learner_ids))
        for learner_id, lesson_id, position, questions in (await db.execute(sessions)).all():
            if position >= len(questions):  # every question answered: a quiz stopped early is not done
                taken.setdefault(str(lesson_id), set()).add(int(learner_id))
    return {a.id: (read if a.kind == "lesson" else taken).get(a.lesson_id, set()) for a in assignments}
