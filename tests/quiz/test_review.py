"""FSRS review cards: wrong and shaky answers are scheduled; what is due comes most overdue first."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.quiz.bank import MemoryBank
from bot.quiz.review import SLOW_SECONDS, ReviewService, rating_for
from bot.quiz.session import QuizService
from tests.db.support import Clock, right_answer, wrong_answer

LEARNER = 77


@pytest.fixture
def quiz(sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock) -> QuizService:
    return QuizService(sessions, bank, clock=clock, rng=random.Random(3))


async def _answer_all(quiz: QuizService, clock: Clock, plan: dict[str, tuple[bool, float]]) -> None:
    """Answer the active quiz: question id -> (right?, seconds taken)."""
    view = await quiz.active_session(LEARNER)
    while view is not None:
        right, seconds = plan[view.question.id]
        clock.advance(seconds=seconds)
        typed = right_answer(view.question) if right else wrong_answer(view.question)
        view = (await quiz.answer(view.session_id, LEARNER, typed, view.number)).next


def test_ratings() -> None:
    assert rating_for(correct=True, skipped=False, seconds=3, has_card=False) is None
    assert rating_for(correct=True, skipped=False, seconds=SLOW_SECONDS + 1, has_card=False) is not None
    assert rating_for(correct=False, skipped=False, seconds=3, has_card=False) is not None


async def test_wrong_is_due_sooner_than_right(quiz: QuizService, clock: Clock) -> None:
    # act-free right but slow (shaky), act-tf wrong, act-num right and quick (no card).
    await quiz.start(LEARNER, "activation", count=3)
    plan = {"act-free": (True, SLOW_SECONDS + 5), "act-tf": (False, 4), "act-num": (True, 4)}
    await _answer_all(quiz, clock, plan)
    review = quiz.review
    wrong_due = await review.next_due(LEARNER, "act-tf")
    shaky_due = await review.next_due(LEARNER, "act-free")
    assert wrong_due is not None and shaky_due is not None
    assert wrong_due < shaky_due
    assert await review.next_due(LEARNER, "act-num") is None


async def test_a_card_answered_right_moves_further_than_one_answered_wrong(
    quiz: QuizService, clock: Clock
) -> None:
    await quiz.start(LEARNER, "activation", count=3)
    await _answer_all(quiz, clock, {"act-free": (False, 4), "act-tf": (False, 4), "act-num": (True, 4)})
    clock.advance(hours=1)
    view = await quiz.start_review(LEARNER, count=10)
    assert view.mode == "review" and view.total == 2
    await _answer_all(quiz, clock, {"act-free": (True, 4), "act-tf": (False, 4)})
    right_due = await quiz.review.next_due(LEARNER, "act-free")
    wrong_due = await quiz.review.next_due(LEARNER, "act-tf")
    assert right_due is not None and wrong_due is not None
    assert wrong_due < right_due


async def test_due_is_most_overdue_first_and_limited(
    quiz: QuizService, clock: Clock, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await quiz.start(LEARNER, "neuron", count=5)
    view = await quiz.active_session(LEARNER)
    order = []
    while view is not None:
        order.append(view.question.id)
        clock.advance(minutes=3)  # each miss a few minutes after the previous one
        view = (await quiz.answer(view.session_id, LEARNER, wrong_answer(view.question), view.number)).next
    review = ReviewService(sessions, clock=clock)
    assert await review.due(LEARNER, clock.now - timedelta(days=1)) == []
    later = clock.advance(days=2)
    due = await review.due(LEARNER, later, limit=3)
    assert [card.question_id for card in due] == order[:3]
    assert due[0].overdue_seconds > due[1].overdue_seconds > due[2].overdue_seconds
    assert await review.due_count(LEARNER, later) == 5


async def test_review_quiz_serves_the_most_overdue_first(quiz: QuizService, clock: Clock) -> None:
    await quiz.start(LEARNER, "neuron", count=5)
    view = await quiz.active_session(LEARNER)
    first = None
    while view is not None:
        first = first or view.question.id
        clock.advance(minutes=3)
        view = (await quiz.answer(view.session_id, LEARNER, wrong_answer(view.question), view.number)).next
    clock.advance(days=1)
    review = await quiz.start_review(LEARNER, count=2)
    assert review.total == 2 and review.question.id == first


async def test_outlook_counts_scheduled_cards_and_gives_the_earliest_due(
    quiz: QuizService, clock: Clock
) -> None:
    assert await quiz.review.outlook(LEARNER) == (0, None)
    await quiz.start(LEARNER, "activation", count=3)
    await _answer_all(quiz, clock, {"act-free": (False, 4), "act-tf": (False, 4), "act-num": (True, 4)})
    count, earliest = await quiz.review.outlook(LEARNER)
    first_due = await quiz.review.next_due(LEARNER, "act-free")
    second_due = await quiz.review.next_due(LEARNER, "act-tf")
    assert count == 2 and first_due is not None and second_due is not None
    assert earliest == min(first_due, second_due) and earliest.tzinfo is not None
