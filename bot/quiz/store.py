"""The quiz's statements and the plain data its units of work read: prepared once, run by `Runner`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, select, update

from bot.db.base import UTCDateTime
from bot.db.models import QuizAnswer, QuizSession, ReviewCard
from bot.db.prepared import Statement
from bot.quiz.views import Summary

ACTIVE, FINISHED, ABANDONED = "active", "finished", "abandoned"

_SESSIONS: Table = QuizSession.__table__  # type: ignore[assignment]
_ANSWERS: Table = QuizAnswer.__table__  # type: ignore[assignment]
_CARDS: Table = ReviewCard.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class State:
    """The columns of a quiz session the answer path reads (in `STATE` order)."""

    id: int
    learner_id: int
    mode: str
    status: str
    position: int
    questions: list[list[Any]]  # [[lesson_id, question_id, had_review_card (0/1)], ...]
    shown_at: datetime
    correct: int


STATE = Statement(
    select(
        _SESSIONS.c.id,
        _SESSIONS.c.learner_id,
        _SESSIONS.c.mode,
        _SESSIONS.c.status,
        _SESSIONS.c.position,
        _SESSIONS.c.questions,
        _SESSIONS.c.shown_at,
        _SESSIONS.c.correct,
    ).where(_SESSIONS.c.id == bindparam("p_id"))
)

# Guarded on the position the unit read: a double click or a second device changes no row.
MOVE = Statement(
    update(_SESSIONS)
    .where(
        _SESSIONS.c.id == bindparam("p_id"),
        _SESSIONS.c.position == bindparam("p_position"),
        _SESSIONS.c.status == ACTIVE,
    )
    .values(
        position=bindparam("p_next"),
        correct=_SESSIONS.c.correct + bindparam("p_correct"),
        skipped=_SESSIONS.c.skipped + bindparam("p_skipped"),
        xp=_SESSIONS.c.xp + bindparam("p_xp"),
        shown_at=bindparam("p_now", type_=UTCDateTime()),
        status=bindparam("p_status"),
        finished_at=bindparam("p_finished", type_=UTCDateTime()),
    )
)

_ANSWER_COLUMNS = (
    "session_id",
    "learner_id",
    "position",
    "lesson_id",
    "question_id",
    "given",
    "correct",
    "skipped",
    "seconds",
    "answered_at",
)
ANSWER = Statement(_ANSWERS.insert().values({name: bindparam(name) for name in _ANSWER_COLUMNS}))

_SESSION_COLUMNS = (
    "learner_id",
    "mode",
    "lesson_id",
    "questions",
    "position",
    "correct",
    "skipped",
    "xp",
    "status",
    "started_at",
    "shown_at",
)
CREATE = Statement(
    _SESSIONS.insert().values({name: bindparam(name) for name in _SESSION_COLUMNS}).returning(_SESSIONS.c.id)
)

# A learner has one active quiz: starting another abandons the unfinished one.
ABANDON = Statement(
    update(_SESSIONS)
    .where(_SESSIONS.c.learner_id == bindparam("p_learner"), _SESSIONS.c.status == ACTIVE)
    .values(status=ABANDONED, finished_at=bindparam("p_now", type_=UTCDateTime()))
)

# Which questions already have a review card (a learner has at most one card per question).
CARDED = Statement(select(_CARDS.c.question_id).where(_CARDS.c.learner_id == bindparam("p_learner")))

FINISH = Statement(
    update(_SESSIONS)
    .where(
        _SESSIONS.c.id == bindparam("p_id"),
        _SESSIONS.c.learner_id == bindparam("p_learner"),
        _SESSIONS.c.status == ACTIVE,
    )
    .values(status=FINISHED, finished_at=bindparam("p_now", type_=UTCDateTime()))
)

SUMMARY = Statement(
    select(
        _SESSIONS.c.id,
        _SESSIONS.c.learner_id,
        _SESSIONS.c.mode,
        _SESSIONS.c.lesson_id,
        _SESSIONS.c.status,
        _SESSIONS.c.questions,
        _SESSIONS.c.position,
        _SESSIONS.c.correct,
        _SESSIONS.c.skipped,
        _SESSIONS.c.xp,
        _SESSIONS.c.started_at,
        _SESSIONS.c.finished_at,
    ).where(_SESSIONS.c.id == bindparam("p_id"))
)


def summary_of(row: tuple[Any, ...]) -> Summary:
    """A `Summary` from a `SUMMARY` row."""
    (
        session_id,
        _learner,
        mode,
        lesson_id,
        status,
        questions,
        position,
        correct,
        skipped,
        xp,
        started,
        ended,
    ) = row
    return Summary(
        session_id=session_id,
        mode=mode,
        lesson_id=lesson_id,
        status=status,
        total=len(questions),
        answered=position,
        correct=correct,
        skipped=skipped,
        xp=xp,
        started_at=started,
        finished_at=ended,
    )
