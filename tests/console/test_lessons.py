"""/lesson in the console: without a topic it resumes where the learner stopped, or lists the lessons."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.tutor import Tutor
from bot.i18n import Lang
from tests.console.conftest import Session


async def test_lesson_without_a_topic_resumes_where_the_learner_stopped(
    tutor: Tutor, start_session: Callable[[Lang], Awaitable[Session]]
) -> None:
    first = await start_session("en")
    await first.say("/lesson 3")
    await first.say("/next")
    await first.say("/next")
    second = await start_session("en")
    reply = await second.say("/lesson")
    lesson = tutor.catalog.lessons[2]
    assert f"Resuming lesson 3: {lesson.title.en} at page 3" in reply
    assert f"3. {lesson.title.en}" in reply and "Page 3/" in reply


async def test_lesson_without_a_topic_and_no_history_lists_the_lessons(
    tutor: Tutor, session: Session
) -> None:
    reply = await session.say("/lesson")
    assert "Lessons" in reply and "Resuming" not in reply and "Page 1/" not in reply
    assert all(f"{lesson.order}. {lesson.title.en}" in reply for lesson in tutor.catalog.lessons)


async def _summary(tutor: Tutor, session: Session, order: int) -> str:
    """The page of lesson `order` with its practice questions (the summary, the last part)."""
    lesson = tutor.catalog.lessons[order - 1]
    await session.say(f"/lesson {order}")
    return await session.say(f"/section {len(lesson.sections) + 2}")


async def test_practice_answers_stay_hidden_until_asked(tutor: Tutor, session: Session) -> None:
    lesson = tutor.catalog.lessons[0]
    page = await _summary(tutor, session, 1)
    answers = [item.answer.en for item in lesson.practice]
    assert answers and not any(answer in page for answer in answers)
    assert "Answer: hidden, try it first. /answer 1 shows it." in page
    first = await session.say("/answer 1")
    assert answers[0] in first and answers[1] not in first
    every = await session.say("/answer")
    assert all(answer in every for answer in answers)
    refused = await session.say("/answer 99")
    assert f"answers 1 to {len(answers)}" in refused


async def test_a_page_without_practice_has_no_answer_to_show(session: Session) -> None:
    await session.say("/lesson 1")
    assert "no hidden answer" in await session.say("/answer")


async def test_a_hindi_page_hides_its_answers_in_hindi(
    tutor: Tutor, start_session: Callable[[Lang], Awaitable[Session]]
) -> None:
    hindi = await start_session("hi")
    page = await _summary(tutor, hindi, 1)
    assert "उत्तर: छिपा है" in page and tutor.catalog.lessons[0].practice[0].answer.hi not in page


async def test_a_lesson_page_names_the_commands_its_buttons_stand_for(tutor: Tutor, session: Session) -> None:
    first = await session.say("/lesson 1")
    parts = len(tutor.catalog.lessons[0].sections) + 2
    assert f"/section 1-{parts} (Jump to a section…)" in first
    last = await _summary(tutor, session, 1)
    while "/quiz neuron" not in last and "last page" not in last:
        last = await session.say("/next")
    assert "/quiz neuron (Quiz this lesson)" in last and "/lesson perceptron (Next lesson (2))" in last
