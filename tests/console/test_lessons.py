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
