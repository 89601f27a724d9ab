"""/quiz in the console: the count is read from the end of the line and refused outside 1..20; topics of
several words name their lesson."""

from __future__ import annotations

import pytest

from bot.console.session import LOCAL_LEARNER_ID
from bot.core.tutor import Tutor
from tests.console.conftest import Session


@pytest.mark.parametrize("args", ["activation 0", "activation abc", "activation 100", "activation -3", "0"])
async def test_a_bad_quiz_count_is_refused_with_the_range(tutor: Tutor, session: Session, args: str) -> None:
    reply = await session.say(f"/quiz {args}")
    assert "1 to 20 questions" in reply
    assert session.console.quiz is None
    assert await tutor.quiz.active_session(LOCAL_LEARNER_ID) is None  # nothing was started


async def test_a_quiz_topic_of_several_words_is_not_a_count(tutor: Tutor, session: Session) -> None:
    assert "Question 1/5" in await session.say("/quiz loss functions")
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None and view.lesson_id == "loss-optim"


@pytest.mark.parametrize("line", ["/quiz loss", "quiz me on loss functions", "/quiz loss 3"])
async def test_quiz_on_loss_finds_the_loss_lesson(tutor: Tutor, session: Session, line: str) -> None:
    assert "Question 1/" in await session.say(line)
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None and view.lesson_id == "loss-optim"
