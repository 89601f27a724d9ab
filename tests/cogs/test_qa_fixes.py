"""The console's QA findings, fixed in Discord too: the review outlook, /lesson resuming, 'both' composed
per language with lettered answers, quiz count and leaderboard period refusals, and text from strings."""

from __future__ import annotations

import math
import re
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
import pytest
import simcord
from bot.cogs.review import outlook_text

from bot.cogs.quiz import OPTION_INDENT
from bot.content.schema import CodeOutput, MultipleChoice, Text, TrueFalse
from bot.core.tutor import Tutor
from bot.paths import CONTENT_DIR
from tests.cogs.conftest import World

# ---- 1. /review after a quiz with mistakes: how many cards, and when the next one is due ----------


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
    count, due = await tutor.review_outlook(learner_id)
    assert due is not None
    when = due if due.tzinfo else due.replace(tzinfo=UTC)
    return count, math.ceil(when.timestamp())


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
    assert "Nothing is due for review. Take a /quiz" not in text


async def test_review_outlook_in_hindi_and_through_a_mention(
    world: World, env: simcord.Env, tutor: Tutor, locales: dict[int, str]
) -> None:
    locales[world.alice.id] = "hi"
    await tutor.set_language(world.alice.id, "hi", "alice")  # the mention carries no client locale
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


# ---- 2. /lesson with no topic resumes where the learner stopped ------------------------------------


async def test_lesson_without_topic_resumes_and_says_so(world: World) -> None:
    fresh = await world.alice.slash(world.channel, "lesson")
    assert fresh.response is not None and fresh.response.embeds[0].title == "Lessons"
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    await world.alice.click(world.last, label="Next")
    await world.alice.click(world.last, label="Next")
    resumed = await world.alice.slash(world.channel, "lesson")
    shown = resumed.response
    assert shown is not None
    assert shown.content == (
        "📖 Resuming lesson 1: Biological Neuron vs Artificial Neuron at page 3, where you stopped."
    )
    assert (shown.embeds[0].footer.text or "").startswith("Page 3/")
    await world.alice.click(world.last, label="Next")
    assert not world.last.content  # turning the page drops the note
    assert (world.last.embeds[0].footer.text or "").startswith("Page 4/")


async def test_lesson_resume_in_hindi_and_by_mention(
    world: World, env: simcord.Env, tutor: Tutor, locales: dict[int, str]
) -> None:
    locales[world.bob.id] = "hi"
    await world.bob.slash(world.channel, "lesson", topic="perceptron")
    await world.bob.click(world.last, label="अगला")
    resumed = await world.bob.slash(world.channel, "lesson")
    assert resumed.response is not None
    assert resumed.response.content == (
        "📖 आप जहाँ रुके थे, वहीं से: lesson 2: परसेप्ट्रॉन और मल्टी-लेयर परसेप्ट्रॉन (Perceptron and MLP), पृष्ठ 2।"
    )
    await tutor.set_language(world.bob.id, "hi", "bob")
    await world.bob.send(world.channel, f"<@{env.bot.user.id}> lesson")  # type: ignore[union-attr]
    assert (world.last.content or "").startswith("📖 आप जहाँ रुके थे")
    assert (world.last.embeds[0].footer.text or "").startswith("पृष्ठ 2/")


# ---- 3. 'both': each language's line whole, letters as on the buttons --------------------------------


def _bilingual_choice(question: Any) -> bool:
    return isinstance(question, MultipleChoice) and all(
        isinstance(o.text, Text) and o.text.hi != o.text.en for o in question.options
    )


async def _skip_until(world: World, tutor: Tutor, wanted: Callable[[Any], bool], skip: str) -> Any:
    """Alice skips questions until one `wanted` is current; returns that question."""
    for _ in range(20):
        active = await tutor.quiz.active_session(world.alice.id)
        assert active is not None
        if wanted(active.question):
            return active.question
        await world.alice.click(world.last, label=skip)
    raise AssertionError("no such question in the quiz")


async def test_both_composes_each_language_whole_with_button_letters(world: World, tutor: Tutor) -> None:
    chosen = await world.alice.slash(world.channel, "language", name="both")
    assert chosen.response is not None
    assert chosen.response.content == "भाषा चुनी गई: हिंदी + अंग्रेज़ी।\nLanguage set: Hindi + English."
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=20)
    question = await _skip_until(world, tutor, _bilingual_choice, "छोड़ें")
    assert isinstance(question, MultipleChoice)
    shown = world.last.embeds[-1]
    assert "\n" not in (shown.title or "") and (shown.title or "").endswith("पर Quiz")
    body = (shown.description or "").split("\n")
    for option in question.options:
        assert isinstance(option.text, Text)
        head = body.index(f"**{option.id.upper()}**) {option.text.hi.splitlines()[0]}")
        assert body[head + 1] == OPTION_INDENT + option.text.en.splitlines()[0]

    wrong = next(o for o in question.options if o.id != question.answer)
    right = next(o for o in question.options if o.id == question.answer)
    assert isinstance(right.text, Text)
    await world.alice.click(world.last, label=wrong.id.upper())
    lines = (world.last.embeds[0].description or "").split("\n")
    letter = right.id.upper()
    hindi = lines.index(f"सही उत्तर: **{letter}**) {right.text.hi.splitlines()[0]}")
    english = lines.index(f"Right answer: **{letter}**) {right.text.en.splitlines()[0]}")
    assert hindi < english
    assert not any("सही उत्तर" in line and "Right answer" in line for line in lines)


async def test_right_answer_letter_matches_the_buttons_in_english(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=20)
    question = await _skip_until(world, tutor, lambda q: isinstance(q, MultipleChoice), "Skip")
    assert isinstance(question, MultipleChoice)
    buttons = [c.label for row in world.last.components for c in row.children]  # type: ignore[union-attr]
    assert question.answer.upper() in buttons
    wrong = next(o.id for o in question.options if o.id != question.answer)
    await world.alice.click(world.last, label=wrong.upper())
    told = world.last.embeds[0].description or ""
    assert f"Right answer: **{question.answer.upper()}**) " in told
    assert f"Right answer: {question.answer}) " not in told  # not the core's lower-case letter


# ---- 4. quiz count and leaderboard period refused -------------------------------------------------


async def test_quiz_count_outside_the_range_is_refused(world: World, env: simcord.Env, tutor: Tutor) -> None:
    for count in (0, 21):  # Discord itself refuses a slash option outside its range
        with pytest.raises(simcord.SetupError, match="count"):
            await world.alice.slash(world.channel, "quiz", topic="neuron", count=count)
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> quiz me on neuron 50")  # type: ignore[union-attr]
    assert (world.last.content or "").startswith("A quiz has 1 to 20 questions.")
    asked = await world.alice.slash(world.channel, "ask", text="quiz 0")
    assert asked.ephemeral and asked.response is not None
    assert (asked.response.content or "").startswith("A quiz has 1 to 20 questions.")
    assert await tutor.quiz.active_session(world.alice.id) is None  # nothing was started
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["quiz_bad_count"]


async def test_leaderboard_period_outside_week_and_all_is_refused(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    with pytest.raises(simcord.SetupError, match="period"):
        await world.alice.slash(world.channel, "leaderboard", period="month")
    asked = await world.alice.slash(world.channel, "ask", text="leaderboard this month")
    assert asked.ephemeral and asked.response is not None
    assert asked.response.content == (
        "There is no “month” leaderboard. Choose this week (week) or all time (all)."
    )
    locales[world.bob.id] = "hi"
    hindi = await world.bob.slash(world.channel, "ask", text="mahine ka leaderboard")
    assert hindi.response is not None
    assert (hindi.response.content or "").startswith("“mahine” का कोई leaderboard नहीं है।")
    weekly = await world.alice.slash(world.channel, "ask", text="leaderboard")
    assert weekly.response is not None and weekly.response.embeds[0].title == "Leaderboard (this week)"
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["leaderboard_bad_period"] * 2


async def test_leaderboard_in_a_dm_says_it_needs_a_server(env: simcord.Env) -> None:
    learner = env.create_user("ravi")
    await learner.send_dm("leaderboard")
    reply = learner.dm_channel.last_message
    assert reply is not None and reply.content == "Leaderboards belong to a server: ask in one."
    assert [getattr(e, "code", None) for e in env.errors] == []  # a mention's error is answered inline


# ---- 5. text from content/strings: the failed reload -----------------------------------------------


async def test_failed_reload_lists_the_problems_in_the_learners_language(
    world: World, tutor: Tutor, tmp_path: Path, locales: dict[int, str]
) -> None:
    broken = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, broken)
    lesson = next((broken / "lessons").glob("01_*.yaml"))
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nnot_a_field: 1\n", encoding="utf-8")
    tutor.settings = tutor.settings.model_copy(update={"content_dir": broken})
    admins = world.guild.create_role("teachers", permissions=discord.Permissions(manage_guild=True))
    teacher = world.guild.add_member(world.env.create_user("teacher"), roles=[admins])
    result = await teacher.slash(world.channel, "reload-content")
    assert result.ephemeral and result.response is not None
    text = result.response.content or ""
    assert re.match(r"The content has \d+ problem\(s\); nothing was reloaded:\n```\n", text), text
    assert "01_" in text and text.endswith("```")
    locales[teacher.id] = "hi"
    hindi = await teacher.slash(world.channel, "reload-content")
    assert hindi.response is not None
    assert re.match(r"Content में \d+ समस्याएँ मिलीं; कुछ भी दोबारा load नहीं हुआ:", hindi.response.content or "")
    assert len(tutor.catalog.lessons) == 7  # nothing was replaced
    assert [getattr(e.__cause__, "code", None) for e in world.env.errors] == ["content_problems"] * 2
