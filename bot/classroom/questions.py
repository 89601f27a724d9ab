"""Questions a server's teachers upload: checked like content/quizzes/, stored per server, asked only there.

`ServerBank` is the `QuestionBank` the quiz reads: the course's questions plus every server's uploaded
ones (by their stored id "<guild id>/<teacher's id>"), so an uploaded question is asked, graded, reviewed
and explained exactly like a built-in one. Which questions a quiz may draw from is decided per server
(`of_server`); a review never serves another server's question (`bot.quiz.bank.asked_in`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.content.catalog import Catalog
from bot.content.loader import QuizUpload, with_glossary_answers
from bot.content.schema import AnyQuestion, Lesson, Question, QuizBank
from bot.db.base import utcnow
from bot.db.models import ReviewCard, ServerQuestion
from bot.errors import InvalidRequest, NotFound
from bot.log import get_logger
from bot.quiz.bank import uploaded_id

log = get_logger(__name__)

MAX_SERVER_QUESTIONS = 300  # per server, over every upload
_QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)


@dataclass(frozen=True)
class Uploaded:
    """One uploaded question of a server: the id its teacher gave it, its lesson, the question."""

    local_id: str
    lesson_id: str
    question: AnyQuestion  # its id is the stored one, "<guild id>/<local id>"


@dataclass(frozen=True)
class Stored:
    """What an upload changed."""

    lesson_id: str
    added: int
    replaced: int
    total: int  # the server's uploaded questions now


class ServerBank:
    """The course's questions and every server's uploaded ones (a `bot.quiz.bank.QuestionBank`)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._uploaded: dict[str, tuple[int, Uploaded]] = {}  # stored id -> (guild, question)

    def __repr__(self) -> str:
        return f"ServerBank({self.catalog!r}, uploaded={len(self._uploaded)})"

    @property
    def lessons(self) -> Sequence[Lesson]:
        """The course's lessons, in teaching order."""
        return self.catalog.lessons

    def quiz(self, lesson_id: str) -> QuizBank:
        """The course's quiz bank of a lesson (a server's additions come from `of_server`)."""
        return self.catalog.quiz(lesson_id)

    def question(self, qid: str) -> AnyQuestion:
        """A built-in or uploaded question by its stored id."""
        found = self._uploaded.get(qid)
        if found is not None:
            return found[1].question
        return self.catalog.question(qid)

    def of_server(self, guild_id: int | None, lesson_id: str | None = None) -> list[tuple[str, AnyQuestion]]:
        """(lesson id, question) of every question server `guild_id` uploaded (for one lesson, when given)
        whose lesson the course still has."""
        if guild_id is None:
            return []
        known = {lesson.id for lesson in self.catalog.lessons}
        return [
            (item.lesson_id, item.question)
            for guild, item in self._uploaded.values()
            if guild == guild_id and item.lesson_id in known and lesson_id in (None, item.lesson_id)
        ]

    def listing(self, guild_id: int) -> list[Uploaded]:
        """Server `guild_id`'s uploaded questions, by lesson (teaching order) then id."""
        order = {lesson.id: index for index, lesson in enumerate(self.catalog.lessons)}
        items = [item for guild, item in self._uploaded.values() if guild == guild_id]
        return sorted(items, key=lambda item: (order.get(item.lesson_id, len(order)), item.local_id))

    def uploaded(self, guild_id: int, local_id: str) -> Uploaded | None:
        """Server `guild_id`'s question with its teacher's id `local_id`, or None."""
        found = self._uploaded.get(uploaded_id(guild_id, local_id))
        return found[1] if found is not None else None

    def put(self, guild_id: int, lesson_id: str, question: AnyQuestion) -> AnyQuestion:
        """Hold `question` (with its teacher's id) as server `guild_id`'s; the question as stored."""
        qid = uploaded_id(guild_id, question.id)
        stored = question.model_copy(update={"id": qid})
        self._uploaded[qid] = (guild_id, Uploaded(question.id, lesson_id, stored))
        return stored

    def drop(self, qid: str) -> None:
        """Forget an uploaded question."""
        self._uploaded.pop(qid, None)

    def use_catalog(self, catalog: Catalog) -> None:
        """Follow reloaded content; uploaded questions stay (those of a lesson now gone are not asked)."""
        self.catalog = catalog


class UploadService:
    """Store, list and remove a server's uploaded questions, keeping `bank` in step."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        bank: ServerBank,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self.bank = bank
        self._clock = clock

    async def load(self) -> int:
        """Put every server's stored questions into the bank (at start-up); how many."""
        async with self._sessions() as db:
            rows = (await db.scalars(select(ServerQuestion))).all()
        count = 0
        for row in rows:
            try:
                question = _QUESTION.validate_python(row.data)
            except ValidationError:
                log.warning(
                    "uploaded question %s of server %s no longer valid; skipped", row.local_id, row.guild_id
                )
                continue
            bank = with_glossary_answers(
                QuizBank(lesson=row.lesson_id, questions=[question]), self.bank.catalog.glossary
            )
            self.bank.put(row.guild_id, row.lesson_id, bank.questions[0])
            count += 1
        return count

    async def store(self, guild_id: int, upload: QuizUpload, name: str, by: int) -> Stored:
        """Keep an upload's questions for server `guild_id` (a question with an id already used replaces
        it); InvalidRequest, with nothing stored, when the server would hold more than its limit."""
        lesson_id = upload.bank.lesson
        now = self._clock()
        async with self._sessions() as db, db.begin():
            existing = {
                row.local_id: row
                for row in await db.scalars(select(ServerQuestion).where(ServerQuestion.guild_id == guild_id))
            }
            new = [q for q in upload.bank.questions if q.id not in existing]
            if len(existing) + len(new) > MAX_SERVER_QUESTIONS:
                raise InvalidRequest(
                    "teacher.too_many_questions",
                    max=MAX_SERVER_QUESTIONS,
                    have=len(existing),
                    adding=len(new),
                )
            for question in upload.bank.questions:
                values = {
                    "lesson_id": lesson_id,
                    "data": question.model_dump(mode="json"),
                    "source": f"{name}:{upload.lines.get(question.id, 1)}"[:120],
                    "uploaded_by": by,
                    "created_at": now,
                }
                row = existing.get(question.id)
                if row is None:
                    db.add(ServerQuestion(guild_id=guild_id, local_id=question.id, **values))
                else:
                    for key, value in values.items():
                        setattr(row, key, value)
        for question in upload.bank.questions:
            self.bank.put(guild_id, lesson_id, question)
        replaced = len(upload.bank.questions) - len(new)
        return Stored(lesson_id, len(new), replaced, len(existing) + len(new))

    async def remove(self, guild_id: int, local_id: str) -> Uploaded:
        """Remove one of the server's questions, and the review cards learners had for it; NotFound when
        the server has no question with that id."""
        item = self.bank.uploaded(guild_id, local_id)
        if item is None:
            raise NotFound("teacher.question_unknown", id=local_id)
        async with self._sessions() as db, db.begin():
            await db.execute(
                delete(ServerQuestion).where(
                    ServerQuestion.guild_id == guild_id, ServerQuestion.local_id == item.local_id
                )
            )
            await db.execute(delete(ReviewCard).where(ReviewCard.question_id == item.question.id))
        self.bank.drop(item.question.id)
        return item

    async def count(self, guild_id: int) -> int:
        """How many questions the server has uploaded."""
        async with self._sessions() as db:
            return int(
                await db.scalar(
                    select(func.count())
                    .select_from(ServerQuestion)
                    .where(ServerQuestion.guild_id == guild_id)
                )
                or 0
            )
