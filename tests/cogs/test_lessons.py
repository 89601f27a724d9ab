"""/lesson: pages, Previous/Next, language toggle, owner-only buttons, autocomplete, progress, timeouts,
and resuming where the learner stopped (by command and by mention, in English and Hindi)."""

from __future__ import annotations

import discord
import simcord

from bot.cogs.buttons import VIEW_TIMEOUT as LESSON_VIEW_TIMEOUT
from bot.content.pages import lesson_pages
from bot.core.tutor import Tutor
from bot.errors import NotFound
from tests.cogs.conftest import World, custom_ids


async def test_lesson_pages_forward_and_records_progress(world: World, tutor: Tutor) -> None:
    result = await world.alice.slash(world.channel, "lesson", topic="neuron")
    first = result.response
    assert first is not None and not first.ephemeral
    assert (first.embeds[0].footer.text or "").startswith("Page 1/")
    ids = custom_ids(first.components)
    assert any(i.startswith(f"lp:next:{world.alice.id}:neuron:1:en") for i in ids)

    await world.alice.click(first, label="Next")
    page_two = world.last
    assert (page_two.embeds[0].footer.text or "").startswith("Page 2/")
    states = await tutor.progress.lessons(world.alice.id)
    assert states["neuron"].page == 1


async def test_language_toggle_shows_hindi(world: World) -> None:
    result = await world.alice.slash(world.channel, "lesson", topic="1")
    assert result.response is not None
    await world.alice.click(result.response, label="हिंदी")
    shown = world.last.embeds[0]
    assert (shown.footer.text or "").startswith("पृष्ठ 1/")
    assert any("\u0900" <= ch <= "\u097f" for ch in shown.description or "")


async def test_someone_elses_pager_answers_privately(world: World) -> None:
    result = await world.alice.slash(world.channel, "lesson", topic="neuron")
    assert result.response is not None
    click = await world.bob.click(result.response, label="Next")
    assert click.ephemeral
    assert click.response is not None and "someone else" in (click.response.content or "")
    assert (world.last.embeds[0].footer.text or "").startswith("Page 1/")


async def test_autocomplete_offers_matching_lessons(world: World) -> None:
    choices = await world.alice.autocomplete(world.channel, "lesson", "topic", "back")
    assert [c["value"] for c in choices] == ["backprop"]


async def test_unknown_lesson_is_a_private_message(world: World, env: simcord.Env) -> None:
    result = await world.alice.slash(world.channel, "lesson", topic="quantum knitting")
    assert result.ephemeral
    assert result.response is not None and "quantum knitting" in (result.response.content or "")
    assert [type(e.__cause__) for e in env.errors] == [NotFound]


async def test_pager_times_out_visibly(world: World, env: simcord.Env) -> None:
    result = await world.alice.slash(world.channel, "lesson", topic="neuron")
    await env.advance_time(LESSON_VIEW_TIMEOUT + 1)
    message = world.last
    assert "timed out" in (message.content or "")
    buttons = [child for row in message.components for child in row.children]  # type: ignore[union-attr]
    assert result.response is not None and buttons
    assert all(button.disabled for button in buttons)  # type: ignore[union-attr]


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
    await tutor.learners.set_language(world.bob.id, "hi")  # the mention carries no client locale
    await world.bob.send(world.channel, f"<@{env.bot.user.id}> lesson")  # type: ignore[union-attr]
    assert (world.last.content or "").startswith("📖 आप जहाँ रुके थे")
    assert (world.last.embeds[0].footer.text or "").startswith("पृष्ठ 2/")


async def _read_to_the_last_page(world: World, tutor: Tutor, lesson_id: str) -> discord.Message:
    """/lesson, the section menu to its last part (the summary), then Next to the lesson's last page."""
    pages = lesson_pages(tutor.catalog.lesson(lesson_id), "en")
    summary = max(page.index for page in pages if not page.continued)
    await world.alice.slash(world.channel, "lesson", topic=lesson_id)
    await world.alice.select(world.last, [str(summary)])
    for _ in range(len(pages) - 1 - summary):
        await world.alice.click(world.last, label="Next")
    shown = world.last
    assert (shown.embeds[0].footer.text or "").startswith(f"Page {len(pages)}/{len(pages)}")
    return shown


async def test_the_section_menu_jumps_to_a_part(world: World, tutor: Tutor) -> None:
    pages = lesson_pages(tutor.catalog.lesson("activation"), "en")
    third = [page for page in pages if not page.continued][2]
    await world.alice.slash(world.channel, "lesson", topic="activation")
    await world.alice.select(world.last, [str(third.index)])
    assert world.last.embeds[0].title == third.title
    assert (await tutor.progress.last_read(world.alice.id)) == ("activation", third.index)


async def test_a_lessons_last_page_leads_to_its_quiz_and_the_next_lesson(world: World, tutor: Tutor) -> None:
    last = await _read_to_the_last_page(world, tutor, "neuron")
    await world.alice.click(last, label="Quiz this lesson")
    asked = world.last
    assert asked.id != last.id  # the quiz comes as a message of its own, the lesson stays
    session = await tutor.quiz.active_session(world.alice.id)
    assert session is not None and session.lesson_id == "neuron"
    assert any("Question 1/" in (e.footer.text or "") for e in asked.embeds)
    clicked = await world.alice.click(last, label="Next lesson (2)")
    opened = clicked.response
    assert opened is not None and opened.id == last.id  # the lesson's message turns to lesson 2
    shown = opened.embeds[0]
    assert f"2. {tutor.catalog.lessons[1].title.en}" in f"{shown.author.name} {shown.title}"
    assert (opened.embeds[0].footer.text or "").startswith("Page 1/")
    assert (await tutor.progress.last_read(world.alice.id)) == ("perceptron", 0)


async def test_lesson_alone_after_a_finished_lesson_opens_the_next(world: World, tutor: Tutor) -> None:
    await _read_to_the_last_page(world, tutor, "neuron")
    again = await world.alice.slash(world.channel, "lesson")
    assert again.response is not None
    assert (again.response.content or "").startswith("✅ You finished lesson 1: ")
    assert (again.response.embeds[0].footer.text or "").startswith("Page 1/")
    assert (await tutor.progress.last_read(world.alice.id)) == ("perceptron", 0)
