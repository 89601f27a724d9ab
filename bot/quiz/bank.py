"""What the quiz needs from the content: a small Protocol that `bot.content.catalog.Catalog` satisfies.

`MemoryBank` is an in-memory implementation over quiz banks (tests, benchmarks, tools).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.content.schema import Question, QuizBank
from bot.errors import NotFound, TutorError


class HasId(Protocol):
    """Anything with an id (a `Lesson`)."""

    @property
    def id(self) -> str: ...


class QuestionBank(Protocol):
    """Questions by id, the quiz of a lesson, and the lessons in teaching order."""

    @property
    def lessons(self) -> Sequence[HasId]: ...

    def quiz(self, lesson_id: str) -> QuizBank: ...

    def question(self, qid: str) -> Question: ...


def lesson_not_found(lesson_id: str) -> NotFound:
    """The domain error for an unknown lesson id."""
    return NotFound("lesson.not_found", lesson_id=lesson_id)


def question_not_found(qid: str) -> NotFound:
    """The domain error for a question id that is not (or no longer) in the content."""
    return NotFound("quiz.question_not_found", question_id=qid)


# A question a server's teacher uploaded is stored as "<guild id>/<their id>": the slash is in no
# built-in id (content ids are [a-z0-9_-]), so the two can never collide.
UPLOAD_SEPARATOR = "/"


def uploaded_id(guild_id: int, local_id: str) -> str:
    """The question id under which server `guild_id` keeps its teacher's question `local_id`."""
    return f"{guild_id}{UPLOAD_SEPARATOR}{local_id}"


def server_of(qid: str) -> int | None:
    """The server whose teacher uploaded question `qid`; None for a built-in question."""
    head, separator, _ = qid.partition(UPLOAD_SEPARATOR)
    return int(head) if separator and head.isdigit() else None


def local_id_of(qid: str) -> str:
    """The id a teacher gave an uploaded question (a built-in id as it is)."""
    return qid.partition(UPLOAD_SEPARATOR)[2] if server_of(qid) is not None else qid


def asked_in(qid: str, guild_id: int | None) -> bool:
    """Whether question `qid` may be asked in server `guild_id` (None: a DM): built-in questions
    everywhere, uploaded ones only in their server."""
    owner = server_of(qid)
    return owner is None or owner == guild_id


def lesson_ids(bank: QuestionBank) -> list[str]:
    """Lesson ids in teaching order."""
    return [lesson.id for lesson in bank.lessons]


def questions_of(bank: QuestionBank, lesson_id: str) -> list[Question]:
    """The quiz questions of one lesson; NotFound for an unknown lesson."""
    if lesson_id not in lesson_ids(bank):
        raise lesson_not_found(lesson_id)
    try:
        return list(bank.quiz(lesson_id).questions)
    except (TutorError, KeyError):
        return []  # a lesson without a quiz


def every_question(bank: QuestionBank) -> list[tuple[str, Question]]:
    """(lesson id, question) for every quiz question of every lesson."""
    return [(lesson_id, q) for lesson_id in lesson_ids(bank) for q in questions_of(bank, lesson_id)]


def find_question(bank: QuestionBank, qid: str) -> Question:
    """The question with this id; NotFound when the content no longer has it."""
    try:
        return bank.question(qid)
    except (TutorError, KeyError) as err:
        raise question_not_found(qid) from err


@dataclass(frozen=True)
class _Lesson:
    id: str


class MemoryBank:
    """A `QuestionBank` over quiz banks held in memory, in the given lesson order."""

    def __init__(self, banks: Sequence[QuizBank]) -> None:
        self._banks = {bank.lesson: bank for bank in banks}
        self._questions = {q.id: q for bank in banks for q in bank.questions}
        self._lessons = [_Lesson(bank.lesson) for bank in banks]

    @property
    def lessons(self) -> Sequence[HasId]:
        """The lessons, in order."""
        return self._lessons

    def quiz(self, lesson_id: str) -> QuizBank:
        """The quiz bank of one lesson."""
        if lesson_id not in self._banks:
            raise lesson_not_found(lesson_id)
        return self._banks[lesson_id]

    def question(self, qid: str) -> Question:
        """One question by id."""
        if qid not in self._questions:
            raise question_not_found(qid)
        return self._questions[qid]
