"""Quizzes through the core: every answer names its question, feedback then the next question."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

import pytest

from bot.content.schema import MultipleChoice
from bot.core import quiz
from bot.core.learners import Learner
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest


async def _mcq_quiz(tutor: Tutor, learner: Learner) -> tuple[int, MultipleChoice]:
    """A one-question quiz whose question is multiple choice."""
    for _ in range(40):
        reply = await quiz.start_quiz(tutor, learner, "activation", 1)
        assert reply.quiz is not None
        question = (await tutor.quiz.current(reply.quiz.session_id, learner.id)).question
        if isinstance(question, MultipleChoice):
            return reply.quiz.session_id, question
    raise AssertionError("no multiple-choice question drawn")


async def test_a_question_carries_its_number_and_its_buttons(tutor: Tutor, asha: Learner) -> None:
    reply = await quiz.start_quiz(tutor, asha, "activation", 3)
    assert reply.quiz is not None and reply.quiz.number == 1
    assert reply.actions[-1].args[-1] == "skip"
    assert all(action.args[1] == 1 for action in reply.actions)
    assert "1/3" in reply.cards[0].footer


async def test_a_right_answer_then_the_end(tutor: Tutor, asha: Learner) -> None:
    session, question = await _mcq_quiz(tutor, asha)
    reply = await quiz.answer(tutor, asha, session, 1, question.answer)
    assert reply.quiz_over
    assert reply.private_cards[0].tone == "success"
    assert "1/1" in reply.cards[0].title


async def test_a_second_click_for_the_same_question_is_refused(tutor: Tutor, asha: Learner) -> None:
    reply = await quiz.start_quiz(tutor, asha, "activation", 3)
    assert reply.quiz is not None
    await quiz.skip(tutor, asha, reply.quiz.session_id, 1)
    with pytest.raises(InvalidRequest):
        await quiz.skip(tutor, asha, reply.quiz.session_id, 1)  # the double click
    summary = await tutor.quiz.summary(reply.quiz.session_id, asha.id)
    assert summary.answered == 1


async def test_a_wrong_option_shows_the_right_one_lettered(tutor: Tutor, asha: Learner) -> None:
    session, question = await _mcq_quiz(tutor, asha)
    wrong = next(o.id for o in question.options if o.id != question.answer)
    reply = await quiz.answer(tutor, asha, session, 1, wrong)
    assert reply.private_cards[0].tone == "failure"
    assert f"**{question.answer.upper()}**)" in reply.private_cards[0].body
    # the rest (the score, shown to the channel in a public quiz) never names the answer or explains it
    public = [text for card in reply.cards for text in card.texts()]
    assert not any("Right answer" in text or question.explanation.en in text for text in public)


async def test_nothing_due_says_when_the_next_card_comes(tutor: Tutor, asha: Learner) -> None:
    assert "Nothing is due" in (await quiz.review(tutor, asha)).note
    session, question = await _mcq_quiz(tutor, asha)
    wrong = next(o.id for o in question.options if o.id != question.answer)
    await quiz.answer(tutor, asha, session, 1, wrong)
    outlook = await quiz.review(tutor, asha)
    assert outlook.private
    assert "<t:" in outlook.note  # a time each front door shows in the reader's zone


async def test_a_count_outside_the_range_is_refused(tutor: Tutor, asha: Learner) -> None:
    for count in (0, 21):
        with pytest.raises(InvalidRequest) as raised:
            await quiz.start_quiz(tutor, asha, None, count)
        assert raised.value.code == "quiz_bad_count"


async def test_an_unfinished_quiz_resumes(tutor: Tutor, asha: Learner) -> None:
    started = await quiz.start_quiz(tutor, asha, "activation", 3)
    resumed = await quiz.resume_quiz(tutor, asha)
    assert resumed is not None and resumed.quiz == started.quiz


async def test_twenty_double_clicks_arriving_together_add_no_extra_answer(
    tutor: Tutor, asha: Learner
) -> None:
    """Issue 16: two clicks of one button arriving together graded the second against the next question
    (4 extra answers in 20 double clicks on SQLite). Both name question n: one counts, one is stale."""
    for topic in ("neuron", "activation"):
        reply = await quiz.start_quiz(tutor, asha, topic, 20)
        assert reply.quiz is not None
        session = reply.quiz.session_id
        for number in range(1, 11):
            question = (await tutor.quiz.current(session, asha.id)).question
            given = question.answer if isinstance(question, MultipleChoice) else None

            def click(
                n: int = number, answer: str | None = given, quiz_id: int = session
            ) -> Awaitable[object]:
                if answer is None:
                    return quiz.skip(tutor, asha, quiz_id, n)
                return quiz.answer(tutor, asha, quiz_id, n, answer)

            results = await asyncio.gather(click(), click(), return_exceptions=True)
            refused = [r for r in results if isinstance(r, BaseException)]
            assert len(refused) == 1, results
            assert isinstance(refused[0], InvalidRequest) and refused[0].code == "stale_button"
        summary = await tutor.quiz.summary(session, asha.id)
        assert summary.answered == 10  # not one more
        assert (await tutor.quiz.current(session, asha.id)).number == 11
