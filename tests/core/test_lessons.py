"""Lessons through the core: open, resume at the last page read, turn pages, switch language."""

from __future__ import annotations

import pytest

from bot.content.pages import lesson_pages
from bot.core import lessons, quiz
from bot.core.learners import Learner
from bot.core.replies import Reply
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, NotFound


async def test_a_lesson_opens_at_its_first_page_with_pager_buttons(tutor: Tutor, asha: Learner) -> None:
    reply = await lessons.open_lesson(tutor, asha, "1", Silent())
    assert reply.lesson is not None and reply.lesson.page == 0
    kinds = [(a.kind, a.disabled) for a in reply.actions]
    assert kinds == [
        ("lesson.prev", True),
        ("lesson.next", False),
        ("lesson.lang", False),
        ("lesson.section", False),
    ]
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
    toggle = next(a for a in reply.actions if a.kind == "lesson.lang")
    assert toggle.args[2] == "hi"
    hindi = await lessons.show_page(tutor, asha.speaking("hi"), "neuron", 0, Silent())
    assert hindi.cards[0].title != reply.cards[0].title


async def test_reading_the_last_page_completes_the_lesson(tutor: Tutor, asha: Learner) -> None:
    first = await lessons.open_lesson(tutor, asha, "1", Silent())
    assert first.lesson is not None
    await lessons.show_page(tutor, asha, "neuron", first.lesson.pages - 1, Silent())
    state = (await tutor.progress.lessons(asha.id))["neuron"]
    assert state.completed


async def _read_to_the_end(tutor: Tutor, learner: Learner, lesson_id: str) -> Reply:
    pages = len(lesson_pages(tutor.catalog.lesson(lesson_id), learner.lang))
    return await lessons.show_page(tutor, learner, lesson_id, pages - 1, Silent())


async def test_the_last_page_offers_the_lessons_quiz_and_the_next_lesson(tutor: Tutor, asha: Learner) -> None:
    last = await _read_to_the_end(tutor, asha, "neuron")
    offered = {a.kind: a for a in last.actions}
    assert offered["quiz.start"].args == ("neuron",)
    assert offered["quiz.start"].label == "Quiz this lesson"
    assert offered["lesson.open"].args == ("perceptron", 0, "en")
    assert offered["lesson.open"].label == "Next lesson (2)"
    first = await lessons.show_page(tutor, asha, "neuron", 0, Silent())
    assert not {"quiz.start", "lesson.open"} & {a.kind for a in first.actions}


async def test_the_last_lesson_ends_with_its_quiz_only(tutor: Tutor, asha: Learner) -> None:
    final = tutor.catalog.lessons[-1].id
    kinds = [a.kind for a in (await _read_to_the_end(tutor, asha, final)).actions]
    assert "quiz.start" in kinds and "lesson.open" not in kinds


async def test_the_section_menu_lists_every_part_and_marks_the_one_shown(tutor: Tutor, asha: Learner) -> None:
    lesson = tutor.catalog.lesson("activation")
    pages = lesson_pages(lesson, "en")
    reply = await lessons.show_page(tutor, asha, "activation", 3, Silent())
    (menu,) = [a for a in reply.actions if a.kind == "lesson.section"]
    assert menu.args == ("activation", "en")
    assert len(menu.options) == len(lesson.sections) + 2  # the overview, every section, the summary
    assert [o.value for o in menu.options] == [p.index for p in pages if not p.continued]
    assert [o.label for o in menu.options][1] == pages[1].title
    (current,) = [o for o in menu.options if o.current]
    assert current.value == max(p.index for p in pages if not p.continued and p.index <= 3)


async def test_a_section_is_reached_by_its_number(tutor: Tutor, asha: Learner) -> None:
    await lessons.open_lesson(tutor, asha, "activation", Silent())
    sections = tutor.catalog.lesson("activation").sections
    reply = await lessons.jump_to_section(tutor, asha, 3, Silent())
    assert reply.cards[0].title.startswith("3.2 ")
    assert sections[1].title.en in reply.cards[0].title
    with pytest.raises(InvalidRequest) as refused:
        await lessons.jump_to_section(tutor, asha, 99, Silent())
    assert refused.value.code == "no_such_section"
    assert (await tutor.progress.last_read(asha.id)) == (
        "activation",
        reply.lesson.page if reply.lesson else -1,
    )


async def test_a_finished_lesson_leads_on_to_the_next_instead_of_resuming(
    tutor: Tutor, asha: Learner
) -> None:
    await _read_to_the_end(tutor, asha, "neuron")
    reply = await lessons.open_lesson(tutor, asha, None, Silent())
    assert reply.lesson is not None and (reply.lesson.lesson_id, reply.lesson.page) == ("perceptron", 0)
    assert reply.note.startswith("✅ You finished lesson 1: ")
    assert "Next: lesson 2: " in reply.note


async def test_a_finished_lesson_leads_past_lessons_already_finished(tutor: Tutor, asha: Learner) -> None:
    await _read_to_the_end(tutor, asha, "perceptron")
    await _read_to_the_end(tutor, asha, "neuron")
    reply = await lessons.open_lesson(tutor, asha, None, Silent())
    assert reply.lesson is not None and reply.lesson.lesson_id == "activation"


async def test_every_lesson_finished_shows_the_list_and_says_so(tutor: Tutor, asha: Learner) -> None:
    for lesson in tutor.catalog.lessons:
        await _read_to_the_end(tutor, asha, lesson.id)
    reply = await lessons.open_lesson(tutor, asha, None, Silent())
    assert reply.lesson is None and reply.cards[0].title == "Lessons"
    assert reply.note.startswith("🎉 You have finished every lesson.")


async def test_a_lesson_quiz_starts_on_that_lesson(tutor: Tutor, asha: Learner) -> None:
    reply = await quiz.quiz_on_lesson(tutor, asha, "activation")
    assert reply.quiz is not None
    view = await tutor.quiz.current(reply.quiz.session_id, asha.id)
    assert view.lesson_id == "activation"
    with pytest.raises(InvalidRequest) as stale:
        await quiz.quiz_on_lesson(tutor, asha, "removed-lesson")
    assert stale.value.code == "stale_button"
