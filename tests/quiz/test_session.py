"""The quiz session engine: start, answer, skip, finish, resume — state in the database."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import QuizAnswer, XpEvent
from bot.errors import InvalidRequest, NotFound
from bot.progress.xp import XP
from bot.quiz.bank import MemoryBank
from bot.quiz.session import QuizService
from bot.quiz.views import QuestionView
from tests.db.support import Clock, right_answer, wrong_answer

LEARNER, OTHER = 1001, 2002


@pytest.fixture
def quiz(sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock) -> QuizService:
    return QuizService(sessions, bank, clock=clock, rng=random.Random(7))


async def test_lesson_quiz_is_shuffled_without_repeats(quiz: QuizService, bank: MemoryBank) -> None:
    view = await quiz.start(LEARNER, "neuron", count=5)
    seen = [view.question.id]
    while True:
        feedback = await quiz.answer(view.session_id, LEARNER, right_answer(view.question), view.number)
        if feedback.next is None:
            break
        view = feedback.next
        seen.append(view.question.id)
    assert sorted(seen) == sorted(q.id for q in bank.quiz("neuron").questions)
    assert feedback.finished and feedback.score == 5


async def test_mixed_quiz_draws_from_every_lesson(quiz: QuizService) -> None:
    view = await quiz.start(LEARNER, None, count=8)
    assert view.mode == "mixed" and view.total == 8
    lessons = {view.lesson_id}
    feedback = await quiz.skip(view.session_id, LEARNER, view.number)
    while feedback.next is not None:
        lessons.add(feedback.next.lesson_id)
        feedback = await quiz.skip(feedback.next.session_id, LEARNER, feedback.next.number)
    assert lessons == {"neuron", "activation"}


async def test_count_larger_than_the_bank_takes_every_question_once(quiz: QuizService) -> None:
    view = await quiz.start(LEARNER, "activation", count=10)
    assert view.total == 3


async def test_feedback_of_a_wrong_choice_says_why(quiz: QuizService, bank: MemoryBank, clock: Clock) -> None:
    view = await quiz.start(LEARNER, "neuron", count=5)
    while view.question.id != "neuron-mcq":
        view = (await quiz.skip(view.session_id, LEARNER, view.number)).next or view
    feedback = await quiz.answer(view.session_id, LEARNER, "b", view.number)
    assert not feedback.correct
    assert feedback.why_wrong is not None and feedback.why_wrong.en == "Sorting is not it."
    assert feedback.correct_answer.pick("en") == "a) A weighted sum"
    assert feedback.correct_answer.pick("hi") == "a) एक weighted sum"
    assert feedback.explanation.en == "Because of the definition."


async def test_score_xp_and_summary(quiz: QuizService, sessions: async_sessionmaker[AsyncSession]) -> None:
    view = await quiz.start(LEARNER, "activation", count=3)
    first = await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 1)
    assert first.correct and first.score == 1 and first.xp == XP["correct_answer"] and first.answered == 1
    assert first.next is not None
    second = await quiz.answer(view.session_id, LEARNER, wrong_answer(first.next.question), 2)
    assert not second.correct and second.score == 1 and second.xp == 0
    assert second.next is not None
    third = await quiz.skip(view.session_id, LEARNER, 3)
    # the finishing bonus is shared out by the right answers: 1 of 3 earns a third of it
    assert third.finished and third.skipped and third.next is None and third.xp == XP["quiz_finished"] // 3
    summary = await quiz.finish(view.session_id, LEARNER)
    assert (summary.total, summary.answered, summary.correct, summary.skipped, summary.wrong) == (
        3,
        3,
        1,
        1,
        1,
    )
    assert summary.xp == XP["correct_answer"] + XP["quiz_finished"] // 3 and summary.status == "finished"
    async with sessions() as db:
        assert await db.scalar(select(func.count()).select_from(QuizAnswer)) == 3
        assert await db.scalar(select(func.sum(XpEvent.amount))) == summary.xp


async def test_skipping_every_question_earns_no_xp(
    quiz: QuizService, sessions: async_sessionmaker[AsyncSession]
) -> None:
    view = await quiz.start(LEARNER, "activation", count=3)
    feedback = await quiz.skip(view.session_id, LEARNER, view.number)
    while feedback.next is not None:
        assert feedback.xp == 0
        feedback = await quiz.skip(feedback.next.session_id, LEARNER, feedback.next.number)
    assert feedback.finished and feedback.xp == 0
    assert (await quiz.finish(view.session_id, LEARNER)).xp == 0
    async with sessions() as db:
        assert await db.scalar(select(func.count()).select_from(XpEvent)) == 0


async def test_quiz_xp_follows_the_right_answers(quiz: QuizService) -> None:
    async def run(right: list[bool]) -> int:
        view = await quiz.start(LEARNER, "activation", count=3)
        current: QuestionView | None = view
        for is_right in right:
            assert current is not None
            typed = right_answer(current.question) if is_right else wrong_answer(current.question)
            current = (await quiz.answer(view.session_id, LEARNER, typed, current.number)).next
        return (await quiz.summary(view.session_id, LEARNER)).xp

    assert await run([False, False, False]) == 0  # guessing through earns nothing
    assert await run([True, False, False]) == XP["correct_answer"] + XP["quiz_finished"] // 3
    assert await run([True, True, False]) == 2 * XP["correct_answer"] + 2 * XP["quiz_finished"] // 3
    assert await run([True, True, True]) == 3 * XP["correct_answer"] + XP["quiz_finished"]


async def test_stopping_early_earns_no_finish_xp(quiz: QuizService) -> None:
    view = await quiz.start(LEARNER, "neuron", count=5)
    await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 1)
    summary = await quiz.finish(view.session_id, LEARNER)
    assert summary.status == "finished" and summary.answered == 1 and summary.xp == XP["correct_answer"]
    assert await quiz.finish(view.session_id, LEARNER) == summary  # repeatable
    assert await quiz.active_session(LEARNER) is None


async def test_an_invalid_answer_records_nothing(
    quiz: QuizService, sessions: async_sessionmaker[AsyncSession]
) -> None:
    view = await quiz.start(LEARNER, "activation", count=3)
    while view.question.id != "act-num":
        view = (await quiz.skip(view.session_id, LEARNER, view.number)).next or view
    with pytest.raises(InvalidRequest) as err:
        await quiz.answer(view.session_id, LEARNER, "three", view.number)
    assert err.value.code == "quiz.not_a_number"
    assert (await quiz.current(view.session_id, LEARNER)).number == view.number
    async with sessions() as db:
        count = await db.scalar(
            select(func.count()).select_from(QuizAnswer).where(QuizAnswer.given == "three")
        )
    assert count == 0


async def test_time_taken_is_recorded(
    quiz: QuizService, clock: Clock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    view = await quiz.start(LEARNER, "activation", count=2)
    clock.advance(seconds=12)
    await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 1)
    async with sessions() as db:
        seconds = await db.scalar(select(QuizAnswer.seconds))
    assert seconds == pytest.approx(12)


async def test_starting_again_replaces_the_unfinished_quiz(quiz: QuizService) -> None:
    old = await quiz.start(LEARNER, "neuron", count=3)
    new = await quiz.start(LEARNER, "activation", count=2)
    resumed = await quiz.active_session(LEARNER)
    assert resumed is not None and resumed.session_id == new.session_id != old.session_id
    with pytest.raises(InvalidRequest) as err:
        await quiz.answer(old.session_id, LEARNER, "a", 1)
    assert err.value.code == "quiz.session_over"
    assert (await quiz.summary(old.session_id, LEARNER)).status == "abandoned"


async def test_double_click_on_the_same_question_is_refused(quiz: QuizService) -> None:
    view = await quiz.start(LEARNER, "neuron", count=3)
    await quiz.answer(view.session_id, LEARNER, right_answer(view.question), number=view.number)
    with pytest.raises(InvalidRequest) as err:
        await quiz.answer(view.session_id, LEARNER, right_answer(view.question), number=view.number)
    assert err.value.code == "quiz.already_answered"
    assert (await quiz.current(view.session_id, LEARNER)).number == 2


async def test_bad_ids_are_domain_errors(quiz: QuizService) -> None:
    with pytest.raises(NotFound) as err:
        await quiz.start(LEARNER, "no-such-lesson")
    assert err.value.code == "lesson.not_found" and err.value.message_hi
    with pytest.raises(NotFound) as err:
        await quiz.answer(987654, LEARNER, "a", 1)
    assert err.value.code == "quiz.session_not_found"
    view = await quiz.start(LEARNER, "neuron", count=2)
    with pytest.raises(NotFound):
        await quiz.answer(view.session_id, OTHER, "a", 1)  # someone else's quiz looks missing
    with pytest.raises(NotFound):
        await quiz.current(view.session_id, OTHER)
    with pytest.raises(InvalidRequest) as refused:
        await quiz.start(LEARNER, "neuron", count=0)
    assert refused.value.code == "quiz.bad_count"


async def test_a_finished_quiz_cannot_be_answered(quiz: QuizService) -> None:
    view = await quiz.start(LEARNER, "activation", count=1)
    assert (await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 1)).finished
    with pytest.raises(InvalidRequest) as err:
        await quiz.answer(view.session_id, LEARNER, right_answer(view.question), 2)
    assert err.value.code == "quiz.session_over"
    with pytest.raises(InvalidRequest):
        await quiz.skip(view.session_id, LEARNER, 2)
    with pytest.raises(InvalidRequest):
        await quiz.current(view.session_id, LEARNER)


async def test_review_quiz_with_nothing_due_is_a_domain_error(quiz: QuizService) -> None:
    with pytest.raises(NotFound) as err:
        await quiz.start_review(LEARNER)
    assert err.value.code == "review.nothing_due"
