"""/review in the console: due cards asked like a quiz; when nothing is due, what is scheduled and when."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from bot.console.session import LOCAL_LEARNER_ID
from bot.core.tutor import Tutor
from bot.i18n import Lang
from tests.console.conftest import Session
from tests.review_cards import scheduled

Start = Callable[[Lang], Awaitable[Session]]


async def test_review_after_mistakes_says_what_is_scheduled(tutor: Tutor, start_session: Start) -> None:
    for lang, words in (("en", ("Cards scheduled", "due in")), ("hi", ("तय cards", "में आएगा"))):
        s = await start_session(lang)  # type: ignore[arg-type]
        await s.say("/quiz neuron 2")
        await s.say("/skip")
        await s.say("/skip")
        count, due = await scheduled(tutor, LOCAL_LEARNER_ID)
        assert count >= 2 and due is not None
        reply = await s.say("/review")
        assert f"{count}" in reply and all(word in reply for word in words), reply
        assert "Take a /quiz" not in reply


async def test_review_outlook_names_minutes_hours_or_days(tutor: Tutor, session: Session) -> None:
    await session.say("/quiz neuron 1")
    await session.say("/skip")
    _, due = await scheduled(tutor, LOCAL_LEARNER_ID)
    assert due is not None
    reply = await session.say("/review")
    assert re.search(r"due in \d+ (min|h|day\(s\)) \(\d{4}-\d\d-\d\d \d\d:\d\d\)", reply), reply
    assert "<t:" not in reply  # the Discord timestamp is shown as a local time


async def test_review_with_no_cards_at_all_says_take_a_quiz(session: Session) -> None:
    assert "Take a /quiz" in await session.say("/review")
