"""/lesson: pages, Previous/Next, language toggle, owner-only buttons, autocomplete, progress, timeouts."""

from __future__ import annotations

import simcord

from bot.cogs.buttons import VIEW_TIMEOUT as LESSON_VIEW_TIMEOUT
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
