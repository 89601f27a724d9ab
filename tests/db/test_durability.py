"""Answers recorded concurrently are all there; a quiz survives closing and reopening the engine."""

from __future__ import annotations

import asyncio
import random

from sqlalchemy import func, select

from bot.db.engine import session_factory
from bot.db.models import QuizAnswer, QuizSession, XpEvent
from bot.errors import InvalidRequest
from bot.progress.xp import XP
from bot.quiz.bank import MemoryBank
from bot.quiz.session import QuizService
from tests.db.support import Clock, Database, right_answer, wrong_answer

TASKS, ANSWERS_EACH = 50, 4


async def test_200_answers_from_50_concurrent_tasks_are_all_recorded(
    database: Database, bank: MemoryBank, clock: Clock
) -> None:
    sessions = session_factory(database.new_engine())
    quiz = QuizService(sessions, bank, clock=clock, rng=random.Random(1))

    async def learner(learner_id: int) -> int:
        view = await quiz.start(learner_id, "neuron", count=ANSWERS_EACH, display_name=f"L{learner_id}")
        right = 0
        for index in range(ANSWERS_EACH):
            ok = (learner_id + index) % 2 == 0
            typed = right_answer(view.question) if ok else wrong_answer(view.question)
            feedback = await quiz.answer(view.session_id, learner_id, typed, number=view.number)
            right += feedback.correct
            view = feedback.next or view
        return right

    rights = await asyncio.gather(*(learner(i) for i in range(1, TASKS + 1)))
    async with sessions() as db:
        answers = await db.scalar(select(func.count()).select_from(QuizAnswer))
        correct = await db.scalar(select(func.count()).select_from(QuizAnswer).where(QuizAnswer.correct))
        finished = await db.scalar(
            select(func.count()).select_from(QuizSession).where(QuizSession.status == "finished")
        )
        xp_total = await db.scalar(select(func.sum(XpEvent.amount)))
    assert answers == TASKS * ANSWERS_EACH == 200
    assert correct == sum(rights) == 100
    assert finished == TASKS
    # each quiz's finishing bonus is its share of right answers (2 of 4 here)
    bonuses = sum(XP["quiz_finished"] * right // ANSWERS_EACH for right in rights)
    assert xp_total == sum(rights) * XP["correct_answer"] + bonuses


async def test_a_quiz_survives_closing_and_reopening_the_engine(
    database: Database, bank: MemoryBank, clock: Clock
) -> None:
    learner = 4242
    first_engine = database.new_engine()
    quiz = QuizService(session_factory(first_engine), bank, clock=clock, rng=random.Random(5))
    view = await quiz.start(learner, "neuron", count=4)
    feedback = await quiz.answer(view.session_id, learner, right_answer(view.question), view.number)
    assert feedback.next is not None
    second_question = feedback.next.question.id
    await first_engine.dispose()  # the bot stops mid-quiz

    restarted = QuizService(session_factory(database.new_engine()), bank, clock=clock)
    resumed = await restarted.active_session(learner)
    assert resumed is not None
    assert (resumed.session_id, resumed.number, resumed.score) == (view.session_id, 2, 1)
    assert resumed.question.id == second_question
    while resumed is not None:
        typed = wrong_answer(resumed.question)
        resumed = (await restarted.answer(resumed.session_id, learner, typed, resumed.number)).next
    summary = await restarted.finish(view.session_id, learner)
    assert (summary.answered, summary.correct, summary.status) == (4, 1, "finished")


async def test_concurrent_answers_to_one_question_give_a_domain_error_not_an_integrity_error(
    database: Database, bank: MemoryBank, clock: Clock
) -> None:
    quiz = QuizService(session_factory(database.new_engine()), bank, clock=clock)
    view = await quiz.start(7, "neuron", count=3)
    typed = right_answer(view.question)
    results = await asyncio.gather(
        *(quiz.answer(view.session_id, 7, typed, number=view.number) for _ in range(5)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 4
    assert all(isinstance(r, InvalidRequest) and r.code == "quiz.already_answered" for r in refused)
    assert (await quiz.current(view.session_id, 7)).number == 2
