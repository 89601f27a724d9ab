"""Mastery per lesson from the learner's most recent answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

RECENT = 10  # answers per lesson that count
MIN_FOR_MASTERED = 5


@dataclass(frozen=True)
class Mastery:
    """How well a learner knows a lesson: the share right among the recent answers."""

    lesson_id: str
    answered: int  # recent answers considered (at most RECENT)
    correct: int
    level: str  # new / learning / good / mastered

    @property
    def score(self) -> float:
        """0..1; 0 when nothing was answered."""
        return self.correct / self.answered if self.answered else 0.0


def mastery_of(lesson_id: str, recent_correct: Sequence[bool]) -> Mastery:
    """Mastery from a lesson's recent answers, newest first (skips count as not known)."""
    window = list(recent_correct[:RECENT])
    return mastery_counted(lesson_id, len(window), sum(window))


def mastery_counted(lesson_id: str, answered: int, correct: int) -> Mastery:
    """Mastery from how many of a lesson's RECENT latest answers there are and how many were right."""
    if answered == 0:
        level = "new"
    elif correct / answered >= 0.85 and answered >= MIN_FOR_MASTERED:
        level = "mastered"
    elif correct / answered >= 0.6:
        level = "good"
    else:
        level = "learning"
    return Mastery(lesson_id=lesson_id, answered=answered, correct=correct, level=level)
