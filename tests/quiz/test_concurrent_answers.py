"""Two answers to one question at the same moment (a double click, a second device): exactly one counts.

The answers are held after they read the quiz, so both have seen question 1 before either writes:
only the guarded position update (`… WHERE position = :seen AND status = 'active'`) can then tell
them apart. SQLite gets two pooled connections here so that the second answer can read while the first
holds the write lock (the product uses one; its busy timeout makes the second wait, not fail).
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import QuizAnswer, QuizSession
from bot.errors import InvalidRequest
from bot.quiz.bank import MemoryBank
from bot.quiz.session import QuizService
from tests.db.support import Clock, Database, right_answer, wrong_answer

LEARNER = 31


class HeldAfterFirstRead(AsyncSession):
    """A session whose first statement's result is returned only once every held session has read."""

    barrier: asyncio.Barrier | None = None

    async def execute(self, *args: Any, **kwargs: Any) -> Any:
        result = await super().execute(*args, **kwargs)
        barrier, first = type(self).barrier, not self.info.get("read")
        self.info["read"] = True
        if barrier is not None and first:
            await asyncio.wait_for(barrier.wait(), timeout=30)
        return result


async def _answers(quiz: QuizService, session_id: int, typed: list[str]) -> list[Any]:
    """Answer question 1 once per item of `typed`, all at once, each holding after its first read."""
    HeldAfterFirstRead.barrier = asyncio.Barrier(len(typed))
    try:
        return await asyncio.gather(
            *(quiz.answer(session_id, LEARNER, given, 1) for given in typed), return_exceptions=True
        )
    finally:
        HeldAfterFirstRead.barrier = None


async def test_two_answers_read_together_count_once_and_the_other_is_stale(
    database: Database, bank: MemoryBank, clock: Clock
) -> None:
    engine = database.new_engine(**({"pool_size": 2} if database.backend == "sqlite" else {}))
    sessions = async_sessionmaker(engine, class_=HeldAfterFirstRead, expire_on_commit=False)
    quiz = QuizService(sessions, bank, clock=clock, rng=random.Random(9))
    view = await quiz.start(LEARNER, "neuron", count=3)
    results = await _answers(
        quiz, view.session_id, [right_answer(view.question), wrong_answer(view.question)]
    )

    counted = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(counted) == 1 and len(refused) == 1
    assert isinstance(refused[0], InvalidRequest) and refused[0].code == "quiz.already_answered"
    async with async_sessionmaker(engine)() as db:
        answers = (await db.execute(select(QuizAnswer.position, QuizAnswer.correct))).all()
        quiz_row = await db.get(QuizSession, view.session_id)
    assert quiz_row is not None
    assert [(position, correct) for position, correct in answers] == [(0, counted[0].correct)]
    assert (quiz_row.position, quiz_row.correct) == (1, int(counted[0].correct))
    # Nothing answered question 2: it is still the one to answer.
    assert (await quiz.current(view.session_id, LEARNER)).number == 2


async def test_an_answer_for_an_earlier_question_never_grades_the_next_one(
    sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock
) -> None:
    quiz = QuizService(sessions, bank, clock=clock, rng=random.Random(9))
    view = await quiz.start(LEARNER, "neuron", count=3)
    first = await quiz.answer(view.session_id, LEARNER, right_answer(view.question), view.number)
    assert first.next is not None
    # The second device still shows question 1; its answer must not land on question 2.
    late = right_answer(first.next.question)
    with pytest.raises(InvalidRequest) as answered:
        await quiz.answer(view.session_id, LEARNER, late, view.number)
    with pytest.raises(InvalidRequest) as skipped:
        await quiz.skip(view.session_id, LEARNER, view.number)
    assert answered.value.code == skipped.value.code == "quiz.already_answered"
    async with sessions() as db:
        positions = list(await db.scalars(select(QuizAnswer.position)))
    assert positions == [0]
