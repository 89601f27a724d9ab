"""Plain data the quiz returns to the front doors (no Discord, no database objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.content.schema import Question, Text
from bot.i18n import Bilingual


@dataclass(frozen=True)
class QuestionView:
    """The question a learner should answer now."""

    session_id: int
    mode: str  # lesson / mixed / review
    lesson_id: str  # the lesson this question belongs to
    number: int  # 1-based position in the quiz
    total: int
    score: int  # correct answers so far
    question: Question


@dataclass(frozen=True)
class Feedback:
    """What the learner sees after answering (or skipping) a question."""

    session_id: int
    question_id: str
    correct: bool
    skipped: bool
    correct_answer: Bilingual
    explanation: Text
    why_wrong: Text | None  # why the option the learner picked is wrong, when there is one
    score: int
    answered: int  # questions answered or skipped so far
    total: int
    xp: int  # XP earned by this answer (and by finishing the quiz, on the last one)
    finished: bool
    next: QuestionView | None


@dataclass(frozen=True)
class Summary:
    """The end of a quiz."""

    session_id: int
    mode: str
    lesson_id: str | None
    status: str  # finished / abandoned / active
    total: int
    answered: int
    correct: int
    skipped: int
    xp: int
    started_at: datetime
    finished_at: datetime | None

    @property
    def wrong(self) -> int:
        """Answered but not right (skips excluded)."""
        return self.answered - self.correct - self.skipped

    @property
    def accuracy(self) -> float | None:
        """Share of answered questions that were right, None before any answer."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class DueCard:
    """A review card that is due."""

    question_id: str
    lesson_id: str
    due: datetime
    overdue_seconds: float
    reps: int
    lapses: int
