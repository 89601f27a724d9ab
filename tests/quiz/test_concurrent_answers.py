"""Answers at the same moment: of two to one question (a double click, a second device) exactly one
counts; each answer is its own transaction, so a refused or failing one changes nothing.

Two answers to one question are held after they read the quiz, so both see question 1 before either writes:
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

from bot.db.models import QuizAnswer, QuizSession, XpEvent
from bot.errors import InvalidRequest, NotFound
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


LEARNERS = (11, 12, 13, 14, 15)


async def test_one_invalid_answer_among_concurrent_ones_fails_alone(
    sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock
) -> None:
    quiz = QuizService(sessions, bank, clock=clock, rng=random.Random(2))
    views = {learner: await quiz.start(learner, "activation", count=3) for learner in LEARNERS}
    # act-num needs a number: "three" is not an answer, and it must not take the others down with it.
    typed = {
        learner: "three" if view.question.id == "act-num" else right_answer(view.question)
        for learner, view in views.items()
    }
    invalid = [learner for learner, answer in typed.items() if answer == "three"]
    assert invalid, "the seed must give some learner the numeric question first"
    other = views[LEARNERS[0]]
    results = await asyncio.gather(
        *(quiz.answer(views[learner].session_id, learner, typed[learner], 1) for learner in LEARNERS),
        quiz.answer(other.session_id, 999, "a", 1),  # someone else's quiz: NotFound
        return_exceptions=True,
    )
    for learner, result in zip(LEARNERS, results, strict=False):
        if learner in invalid:
            assert isinstance(result, InvalidRequest) and result.code == "quiz.not_a_number"
        else:
            assert not isinstance(result, BaseException), result
            assert result.correct and result.answered == 1
    assert isinstance(results[-1], NotFound) and results[-1].code == "quiz.session_not_found"
    async with sessions() as db:
        recorded = set(await db.scalars(select(QuizAnswer.learner_id)))
    assert recorded == set(LEARNERS) - set(invalid)
    for learner in invalid:  # refused answers leave the quiz where it was
        assert (await quiz.current(views[learner].session_id, learner)).number == 1


async def test_an_answer_failing_after_its_first_writes_leaves_nothing_behind(
    sessions: async_sessionmaker[AsyncSession],
    bank: MemoryBank,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiz = QuizService(sessions, bank, clock=clock, rng=random.Random(2))
    view = await quiz.start(LEARNER, "activation", count=3)

    async def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the review card could not be written")

    monkeypatch.setattr(quiz.review, "record", broken)  # after the position update, answer and XP
    with pytest.raises(RuntimeError):
        await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 1)
    monkeypatch.undo()
    async with sessions() as db:
        assert list(await db.scalars(select(QuizAnswer.id))) == []
        assert list(await db.scalars(select(XpEvent.id))) == []
    assert (await quiz.current(view.session_id, LEARNER)).number == 1
    assert (await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 1)).answered == 1
