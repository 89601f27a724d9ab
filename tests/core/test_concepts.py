"""Comparison and why-questions in free text: answered from content, with the lesson section to read."""

from __future__ import annotations

import pytest

from bot.core import concepts
from bot.core.chat import answer_text
from bot.core.learners import Learner
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.errors import NotFound


async def test_relu_aur_sigmoid_is_answered_in_the_learner_s_language_with_its_lesson(
    tutor: Tutor, asha: Learner
) -> None:
    hindi = asha.speaking("hi")
    _, reply = await answer_text(tutor, hindi, "relu aur sigmoid me kya fark hai", Silent(), "console")
    [card] = reply.cards
    assert card.title == "ReLU और sigmoid में फ़र्क़"
    assert "max(0, z)" in card.body and "dying ReLU" in card.body and "0.25" in card.body
    lesson = tutor.catalog.lesson("activation")
    number = [s.id for s in lesson.sections].index("comparison") + 1
    assert f"Lesson {lesson.order}" in card.footer and f"section {lesson.order}.{number}" in card.footer
    assert f"/lesson {lesson.order}" in card.footer


async def test_why_does_my_loss_go_up_names_both_causes_and_where_to_read(
    tutor: Tutor, asha: Learner
) -> None:
    _, reply = await answer_text(tutor, asha, "why does my loss go up?", Silent(), "discord")
    [card] = reply.cards
    assert card.title == "Why does my loss go up?"
    assert "learning rate is too large" in card.body and "overfitting" in card.body
    lesson = tutor.catalog.lesson("loss-optim")
    number = [s.id for s in lesson.sections].index("learning-rate") + 1
    assert card.footer == (
        f"Taught in lesson {lesson.order} ({lesson.title.en}), section {lesson.order}.{number}: "
        f"The role of the learning rate. Read it with /lesson {lesson.order}."
    )


async def test_both_languages_show_hindi_then_english(tutor: Tutor, asha: Learner) -> None:
    both = asha.speaking("both")
    _, reply = await answer_text(tutor, both, "mse vs mae", Silent(), "console")
    body = reply.cards[0].body
    assert body.index("25.125") < body.index("Both are regression losses")
    assert "दोनों regression के losses हैं" in body


async def test_an_optimizer_race_is_still_a_race(tutor: Tutor, asha: Learner) -> None:
    from bot.core.chat import intent_of

    assert intent_of(tutor, "xor pe sgd vs adam").kind == "compare"
    assert intent_of(tutor, "difference between sgd and adam").kind == "concept"


def test_a_concept_the_content_no_longer_has_is_not_found(tutor: Tutor, asha: Learner) -> None:
    with pytest.raises(NotFound):
        concepts.concept(tutor, asha, "relu-vs-quantum")
