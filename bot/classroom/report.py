"""The class at a glance: one row per learner of a server, the class's most-missed questions, and every
answer given in the server (for the per-answer export).

Everything counts what learners did in this server (answers, XP, training), except what belongs to the
learner wherever they did it: the lessons they have read and the review cards they have due. Each figure
is one grouped query over the whole class (a server of 1,000 learners with 50 answers each is a handful
of queries, not 1,000).
"""

from __future__ import annotations

from asyncio import TaskGroup
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Select, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.classroom.assignments import AssignmentInfo, assignments_of, done_by
from bot.db.base import utcnow
from bot.db.models import GuildMember, Learner, LessonProgress, QuizAnswer, ReviewCard, XpEvent
from bot.db.off_loop import Rows, built_off_loop, off_loop
from bot.progress.mastery import RECENT, Mastery, mastery_counted
from bot.quiz.bank import UPLOAD_SEPARATOR, QuestionBank, lesson_ids

T = TypeVar("T")
MISSED_SHOWN = 5
BATCH = 1_000  # answers converted and written at a time


@dataclass(frozen=True)
class LearnerRow:
    """One learner of the class."""

    learner_id: int
    name: str  # their name in this server
    pages: dict[str, int]  # lesson id -> pages read (furthest page + 1)
    completed: frozenset[str]  # lessons read to the end
    mastery: dict[str, Mastery]  # lesson id -> mastery from their recent answers in this server
    answered: int  # answers (and skips) in this server
    correct: int
    reviews_due: int
    xp: int  # earned in this server
    last_active: datetime | None  # their latest answer or XP in this server
    joined_at: datetime
    sections: dict[str, tuple[int, int]] = field(default_factory=dict)  # (correct, answered) per section

    @property
    def accuracy(self) -> float | None:
        """Share of this server's answers that were right; None before any answer."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class Missed:
    """A question the class often gets wrong (skips count as wrong)."""

    question_id: str
    lesson_id: str
    wrong: int
    answered: int


@dataclass(frozen=True)
class ClassReport:
    """A server's class: rows by name, its most-missed questions, its assignments and who did each."""

    guild_id: int
    lesson_id: str | None  # the report of one lesson, or of the course
    rows: list[LearnerRow]
    missed: list[Missed]
    assignments: list[AssignmentInfo]
    done: dict[int, set[int]]  # assignment id -> learner ids
    now: datetime


AnswerRow = tuple[datetime, int, str, str, str | None, bool, bool, float]
"""One answer given in the server: answered at, learner id, lesson id, question id, what was given
(None when skipped), right, skipped, seconds taken."""


class ClassService:
    """Reads a server's class for its teachers."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bank: QuestionBank,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._bank = bank
        self.clock = clock

    async def report(self, guild_id: int, lesson_id: str | None = None) -> ClassReport:
        """The class report of server `guild_id` (of one lesson when `lesson_id` is given)."""
        now = self.clock()
        # each figure in its own session, all at once: the database works on them side by side
        async with TaskGroup() as group:
            members_read = group.create_task(self._read(_members, guild_id))
            lessons_read = group.create_task(self._read(_lessons, guild_id))
            totals_read = group.create_task(self._read(_answer_totals, guild_id, lesson_id))
            recent_read = group.create_task(self._read(_recent, guild_id))
            due_read = group.create_task(self._read(_due, guild_id, now))
            xp_read = group.create_task(self._read(_xp, guild_id))
            sections_read = group.create_task(
                self._read(_sections, guild_id, lesson_id, self._bank) if lesson_id else _nothing()
            )
            missed_read = group.create_task(self._read(_missed, guild_id, lesson_id))
            assignments_read = group.create_task(self._read(assignments_of, guild_id))
        members, (pages, completed) = members_read.result(), lessons_read.result()
        totals, recent, due, xp = (
            totals_read.result(),
            recent_read.result(),
            due_read.result(),
            xp_read.result(),
        )
        sections, missed, assignments = (
            sections_read.result(),
            missed_read.result(),
            assignments_read.result(),
        )
        done = await self._read(done_by, guild_id, assignments, None)
        ids = lesson_ids(self._bank)

        def build() -> list[LearnerRow]:
            rows = []
            for learner_id, name, joined in members:
                answered, correct, answered_last = totals.get(learner_id, (0, 0, None))
                earned, earned_last = xp.get(learner_id, (0, None))
                lasts = [t for t in (answered_last, earned_last) if t is not None]
                rows.append(
                    LearnerRow(
                        learner_id=learner_id,
                        name=name,
                        pages=pages.get(learner_id, {}),
                        completed=frozenset(completed.get(learner_id, set())),
                        mastery={
                            lid: mastery_counted(lid, *recent.get((learner_id, lid), (0, 0))) for lid in ids
                        },
                        answered=answered,
                        correct=correct,
                        reviews_due=due.get(learner_id, 0),
                        xp=earned,
                        last_active=max(lasts) if lasts else None,
                        joined_at=joined,
                        sections=sections.get(learner_id, {}),
                    )
                )
            rows.sort(key=lambda row: (row.name.casefold(), row.learner_id))
            return rows

        rows = await off_loop(build)  # thousands of rows: off the event loop
        members_ids = {row.learner_id for row in rows}
        done = {key: learners & members_ids for key, learners in done.items()}
        return ClassReport(guild_id, lesson_id, rows, missed, assignments, done, now)

    async def _read(self, query: Callable[..., Awaitable[T]], *args: Any) -> T:
        """`query(db, *args)` in a session of its own."""
        async with self._sessions() as db:
            return await query(db, *args)

    async def answers(self, guild_id: int, consume: Callable[[Iterator[Sequence[AnswerRow]]], T]) -> T:
        """`consume(batches)` over every answer given in the server, oldest first, BATCH at a time, run
        in a thread: the driver holds the class's raw rows (50,000 answers) once, each batch is converted
        and handed on in turn, and nothing of it runs on the event loop."""
        query = (
            select(
                QuizAnswer.answered_at,
                QuizAnswer.learner_id,
                QuizAnswer.lesson_id,
                QuizAnswer.question_id,
                QuizAnswer.given,
                QuizAnswer.correct,
                QuizAnswer.skipped,
                QuizAnswer.seconds,
            )
            .where(QuizAnswer.guild_id == guild_id)
            .order_by(QuizAnswer.answered_at, QuizAnswer.id)
        )
        async with self._sessions() as db:
            connection = await db.connection()
            result = await connection.execute(query)
            batches = cast(Iterator[Sequence[AnswerRow]], result.partitions(BATCH))  # tuples of these columns
            return await off_loop(consume, batches)

    async def answerers(self, guild_id: int) -> dict[int, str]:
        """learner id -> name in this server, of everyone who answered here (a left member included)."""
        name = func.coalesce(GuildMember.display_name, Learner.display_name)
        answered = select(QuizAnswer.learner_id).where(QuizAnswer.guild_id == guild_id).distinct()
        query = (
            select(Learner.id, name)
            .outerjoin(
                GuildMember, (GuildMember.learner_id == Learner.id) & (GuildMember.guild_id == guild_id)
            )
            .where(Learner.id.in_(answered))
        )
        async with self._sessions() as db:
            return {int(i): str(n) for i, n in (await db.execute(query)).all()}


async def _nothing() -> dict[int, dict[str, tuple[int, int]]]:
    return {}


async def _members(db: AsyncSession, guild_id: int) -> list[tuple[int, str, datetime]]:
    name = func.coalesce(GuildMember.display_name, Learner.display_name)
    query = (
        select(GuildMember.learner_id, name, GuildMember.joined_at)
        .join(Learner, Learner.id == GuildMember.learner_id)
        .where(GuildMember.guild_id == guild_id)
    )
    return await built_off_loop(db, query, lambda rows: [(int(i), str(n), j) for i, n, j in rows])


def _of_members(guild_id: int) -> Select[int]:
    """The learners of server `guild_id` (to join per-learner tables on)."""
    return select(GuildMember.learner_id).where(GuildMember.guild_id == guild_id)


async def _lessons(db: AsyncSession, guild_id: int) -> tuple[dict[int, dict[str, int]], dict[int, set[str]]]:
    query = select(
        LessonProgress.learner_id, LessonProgress.lesson_id, LessonProgress.page, LessonProgress.completed_at
    ).where(LessonProgress.learner_id.in_(_of_members(guild_id)))

    def build(rows: Rows) -> tuple[dict[int, dict[str, int]], dict[int, set[str]]]:
        pages: dict[int, dict[str, int]] = {}
        completed: dict[int, set[str]] = {}
        for learner_id, lesson_id, page, done_at in rows:
            pages.setdefault(int(learner_id), {})[lesson_id] = int(page) + 1
            if done_at is not None:
                completed.setdefault(int(learner_id), set()).add(lesson_id)
        return pages, completed

    return await built_off_loop(db, query, build)


_RIGHT = func.coalesce(func.sum(case((QuizAnswer.correct, 1), else_=0)), 0)


async def _answer_totals(
    db: AsyncSession, guild_id: int, lesson_id: str | None
) -> dict[int, tuple[int, int, datetime | None]]:
    query = select(QuizAnswer.learner_id, func.count(), _RIGHT, func.max(QuizAnswer.answered_at)).where(
        QuizAnswer.guild_id == guild_id
    )
    if lesson_id is not None:
        query = query.where(QuizAnswer.lesson_id == lesson_id)
    return await built_off_loop(
        db,
        query.group_by(QuizAnswer.learner_id),
        lambda rows: {int(i): (int(n), int(c), last) for i, n, c, last in rows},
    )


async def _recent(db: AsyncSession, guild_id: int) -> dict[tuple[int, str], tuple[int, int]]:
    """(learner, lesson) -> (answers, right ones) among their RECENT latest answers in the server (what
    mastery counts), counted by the database: a few thousand rows, not the class's every answer."""
    numbered = (
        select(
            QuizAnswer.learner_id,
            QuizAnswer.lesson_id,
            QuizAnswer.correct,
            func.row_number()
            .over(
                partition_by=(QuizAnswer.learner_id, QuizAnswer.lesson_id),
                order_by=(QuizAnswer.answered_at.desc(), QuizAnswer.id.desc()),
            )
            .label("n"),
        )
        .where(QuizAnswer.guild_id == guild_id)
        .subquery()
    )
    right = func.sum(case((numbered.c.correct, 1), else_=0))
    query = (
        select(numbered.c.learner_id, numbered.c.lesson_id, func.count(), right)
        .where(numbered.c.n <= RECENT)
        .group_by(numbered.c.learner_id, numbered.c.lesson_id)
    )
    return await built_off_loop(
        db, query, lambda rows: {(int(i), str(lid)): (int(n), int(c)) for i, lid, n, c in rows}
    )


async def _due(db: AsyncSession, guild_id: int, now: datetime) -> dict[int, int]:
    """Review cards due per learner, leaving out those of questions other servers uploaded."""
    here = or_(
        ReviewCard.question_id.not_like(f"%{UPLOAD_SEPARATOR}%"),
        ReviewCard.question_id.like(f"{guild_id}{UPLOAD_SEPARATOR}%"),
    )
    query = (
        select(ReviewCard.learner_id, func.count())
        .where(
            ReviewCard.learner_id.in_(_of_members(guild_id)),
            ReviewCard.due <= now,
            here,
        )
        .group_by(ReviewCard.learner_id)
    )
    return await built_off_loop(db, query, lambda rows: {int(i): int(n) for i, n in rows})


async def _xp(db: AsyncSession, guild_id: int) -> dict[int, tuple[int, datetime | None]]:
    query = (
        select(XpEvent.learner_id, func.coalesce(func.sum(XpEvent.amount), 0), func.max(XpEvent.created_at))
        .where(XpEvent.guild_id == guild_id)
        .group_by(XpEvent.learner_id)
    )
    return await built_off_loop(db, query, lambda rows: {int(i): (int(x), last) for i, x, last in rows})


async def _sections(
    db: AsyncSession, guild_id: int, lesson_id: str, bank: QuestionBank
) -> dict[int, dict[str, tuple[int, int]]]:
    """learner -> section -> (right, answered), over the server's answers to one lesson's questions."""
    query = (
        select(QuizAnswer.learner_id, QuizAnswer.question_id, _RIGHT, func.count())
        .where(QuizAnswer.guild_id == guild_id, QuizAnswer.lesson_id == lesson_id)
        .group_by(QuizAnswer.learner_id, QuizAnswer.question_id)
    )

    def build(rows: Rows) -> dict[int, dict[str, tuple[int, int]]]:
        out: dict[int, dict[str, tuple[int, int]]] = {}
        for learner_id, qid, right, count in rows:
            try:
                section = bank.question(qid).section
            except Exception:  # a question content no longer has: its answers still count in the totals
                continue
            mine = out.setdefault(int(learner_id), {})
            old = mine.get(section, (0, 0))
            mine[section] = (old[0] + int(right), old[1] + int(count))
        return out

    return await built_off_loop(db, query, build)


async def _missed(db: AsyncSession, guild_id: int, lesson_id: str | None) -> list[Missed]:
    wrong = func.sum(case((QuizAnswer.correct, 0), else_=1))
    query = select(QuizAnswer.question_id, QuizAnswer.lesson_id, wrong, func.count()).where(
        QuizAnswer.guild_id == guild_id
    )
    if lesson_id is not None:
        query = query.where(QuizAnswer.lesson_id == lesson_id)
    query = (
        query.group_by(QuizAnswer.question_id, QuizAnswer.lesson_id)
        .having(wrong > literal(0))
        .order_by(wrong.desc(), func.count().desc(), QuizAnswer.question_id)
        .limit(MISSED_SHOWN)
    )
    return [Missed(str(q), str(lid), int(w), int(n)) for q, lid, w, n in (await db.execute(query)).all()]
