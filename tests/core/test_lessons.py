"""Lessons through the core: open, resume at the last page read, turn pages, switch language."""

from __future__ import annotations

import pytest

from bot.core import lessons
from bot.core.learners import Learner
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, NotFound


async def test_a_lesson_opens_at_its_first_page_with_pager_buttons(tutor: Tutor, asha: Learner) -> None:
    reply = await lessons.open_lesson(tutor, asha, "1", Silent())
    assert reply.lesson is not None and reply.lesson.page == 0
    kinds = [(a.kind, a.disabled) for a in reply.actions]
    assert kinds == [("lesson.prev", True), ("lesson.next", False), ("lesson.lang", False)]
    assert reply.owner == asha.id


async def test_resume_is_at_the_last_page_read_not_the_furthest(tutor: Tutor, asha: Learner) -> None:
    lesson_id = tutor.catalog.lessons[0].id
    await lessons.show_page(tutor, asha, lesson_id, 3, Silent())
    await lessons.show_page(tutor, asha, lesson_id, 1, Silent())
    reply = await lessons.open_lesson(tutor, asha, None, Silent())
    assert reply.lesson is not None and reply.lesson.page == 1
    assert "page 2" in reply.note


async def test_a_learner_who_read_nothing_gets_the_list(tutor: Tutor, asha: Learner) -> None:
    reply = await lessons.open_lesson(tutor, asha, None, Silent())
    assert reply.lesson is None
    assert all(str(lesson.order) in reply.cards[0].body for lesson in tutor.catalog.lessons)


async def test_next_and_previous_stop_at_the_ends(tutor: Tutor, asha: Learner) -> None:
    with pytest.raises(InvalidRequest):
        await lessons.turn_page(tutor, asha, 1, Silent())  # nothing open yet
    await lessons.open_lesson(tutor, asha, "1", Silent())
    assert "first page" in (await lessons.turn_page(tutor, asha, -1, Silent())).note
    second = await lessons.turn_page(tutor, asha, 1, Silent())
    assert second.lesson is not None and second.lesson.page == 1


async def test_an_unknown_lesson_is_refused_with_the_list(tutor: Tutor, asha: Learner) -> None:
    with pytest.raises(NotFound) as raised:
        await lessons.open_lesson(tutor, asha, "quantum chromodynamics", Silent())
    assert "quantum chromodynamics" in raised.value.message_en
    assert tutor.catalog.lessons[0].id in raised.value.message_en


async def test_the_language_button_shows_the_same_page_in_hindi(tutor: Tutor, asha: Learner) -> None:
    reply = await lessons.open_lesson(tutor, asha, "1", Silent())
    toggle = reply.actions[-1]
    assert toggle.args[2] == "hi"
    hindi = await lessons.show_page(tutor, asha.speaking("hi"), "neuron", 0, Silent())
    assert hindi.cards[0].title != reply.cards[0].title


async def test_reading_the_last_page_completes_the_lesson(tutor: Tutor, asha: Learner) -> None:
    first = await lessons.open_lesson(tutor, asha, "1", Silent())
    assert first.lesson is not None
    await lessons.show_page(tutor, asha, "neuron", first.lesson.pages - 1, Silent())
    state = (await tutor.progress.lessons(asha.id))["neuron"]
    assert state.completed
