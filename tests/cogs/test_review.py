"""/review: due cards asked like a quiz; when nothing is due, how many cards wait and when the next comes
(in the learner's language, through a mention too)."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import simcord

from bot.content.schema import CodeOutput, MultipleChoice, TrueFalse
from bot.core.quiz import outlook_text
from bot.core.tutor import Tutor
from bot.quiz.review import ReviewService
from bot.quiz.session import QuizService
from tests.cogs.conftest import World
from tests.review_cards import scheduled


async def _miss_every_question(
    world: World, tutor: Tutor, learner: Any, count: int, *, hindi: bool = False
) -> None:
    """Start a quiz on `neuron` and answer every question wrong (a typed one is skipped)."""
    await learner.slash(world.channel, "quiz", topic="neuron", count=count)
    for _ in range(count):
        active = await tutor.quiz.active_session(learner.id)
        assert active is not None
        q = active.question
        if isinstance(q, MultipleChoice | CodeOutput):
            label = next(o.id for o in q.options if o.id != q.answer).upper()
        elif isinstance(q, TrueFalse):
            label = "False" if q.answer else "True"
        else:
            label = "Skip"
        if hindi:  # the buttons' words in Hindi
            label = {"True": "सही", "False": "ग़लत", "Skip": "छोड़ें"}.get(label, label)
        await learner.click(world.last, label=label)


async def _scheduled(tutor: Tutor, learner_id: int) -> tuple[int, int]:
    """Cards scheduled and the earliest due time as the <t:…> stamp shows it."""
    count, due = await scheduled(tutor, learner_id)
    assert due is not None
    when = due if due.tzinfo else due.replace(tzinfo=UTC)
    return count, math.ceil(when.timestamp())


async def test_review_serves_due_cards(world: World, env: simcord.Env, tutor: Tutor) -> None:
    nothing = await world.alice.slash(world.channel, "review")
    assert nothing.ephemeral and nothing.response is not None
    assert "Nothing is due for review" in (nothing.response.content or "")
    assert env.errors == []  # an empty review is an answer, not an error
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=1)
    await world.alice.click(world.last, label="Skip")  # a skipped question is due again
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    tutor.quiz = QuizService(
        tutor.sessions, tutor.catalog, ReviewService(tutor.sessions), clock=lambda: tomorrow
    )
    due = await world.alice.slash(world.channel, "review")
    assert due.response is not None and "Question 1/" in (due.response.embeds[0].footer.text or "")


async def test_review_after_mistakes_says_how_many_and_when(world: World, tutor: Tutor) -> None:
    await _miss_every_question(world, tutor, world.alice, 2)
    assert "Missed or skipped: 2." in (world.last.embeds[-1].description or "")
    result = await world.alice.slash(world.channel, "review")
    assert result.ephemeral and result.response is not None
    text = result.response.content or ""
    count, stamp = await _scheduled(tutor, world.alice.id)
    assert count == 2
    pattern = rf"Cards scheduled: 2; the next one is due in \d+ (min|h|day\(s\)) \(<t:{stamp}:f>\)\.$"
    assert re.search(pattern, text), text
    assert "Nothing is due for review." not in text


async def test_review_outlook_in_hindi_and_through_a_mention(
    world: World, env: simcord.Env, tutor: Tutor, locales: dict[int, str]
) -> None:
    locales[world.alice.id] = "hi"
    await tutor.learners.ensure(world.alice.id, "alice")
    await tutor.learners.set_language(world.alice.id, "hi")  # the mention carries no client locale
    await _miss_every_question(world, tutor, world.alice, 1, hindi=True)
    result = await world.alice.slash(world.channel, "review")
    assert result.response is not None
    _, stamp = await _scheduled(tutor, world.alice.id)
    hindi = rf"तय cards: 1; अगला \d+ (मिनट|घंटे|दिन) में आएगा \(<t:{stamp}:f>\)।$"
    assert re.search(hindi, result.response.content or ""), result.response.content
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> review")  # type: ignore[union-attr]
    assert re.search(hindi, world.last.content or ""), world.last.content


def test_outlook_wording_by_wait() -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    cases = {
        timedelta(seconds=90): "due in 2 min",
        timedelta(hours=5, minutes=10): "due in 5 h",
        timedelta(days=3, hours=2): "due in 3 day(s)",
    }
    for wait, expected in cases.items():
        assert expected in outlook_text(4, now + wait, "en", now=now)
    assert outlook_text(0, None, "en", now=now).startswith("Nothing is due for review.")
    both = outlook_text(1, now + timedelta(minutes=5), "both", now=now).split("\n")
    assert both[0].startswith("अभी review") and "5 मिनट" in both[0] and "min" not in both[0]
    assert both[1].startswith("Nothing is due") and "5 min" in both[1]
