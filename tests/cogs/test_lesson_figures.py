"""Lesson pages with a figure: the picture drawn by the pool, attached, cached, in the page's language.

The jobs are watched at `tutor.pool.submit`, the one way the core asks the workers for a picture."""

from __future__ import annotations

from typing import Any

import discord
import pytest
import simcord

from bot.core.tutor import FigureCache, Tutor
from bot.errors import InvalidRequest
from bot.training.executor import Job
from bot.training.jobs import LESSON_FIGURE as FIGURE_JOB
from tests.cogs.conftest import World, callback_types

PNG = b"\x89PNG\r\n\x1a\n"
DEFERRED_UPDATE, UPDATE_MESSAGE = 6, 7


@pytest.fixture
def jobs(tutor: Tutor, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every job the bot sends to the (real) pool, recorded on its way through."""
    calls: list[dict[str, Any]] = []
    real = tutor.pool.submit

    async def counting(job: Job, **kwargs: Any) -> Any:
        calls.append({"target": job.target, **job.kwargs})
        return await real(job, **kwargs)

    monkeypatch.setattr(tutor.pool, "submit", counting)
    return calls


async def press(world: World, action: str) -> discord.Message:
    """Alice presses the pager's prev / next / lang button (found by custom id, in any language)."""
    message = newest(world)
    ids = [child.custom_id for row in message.components for child in row.children]  # type: ignore[union-attr]
    (custom_id,) = [i for i in ids if i and i.startswith(f"lp:{action}:")]
    await world.alice.click(message, custom_id=custom_id)
    return newest(world)


def newest(world: World) -> discord.Message:
    """The newest message in #learn (the pager, edited in place)."""
    message = world.channel.last_message
    assert message is not None
    return message


async def open_neuron_page(world: World, page: int) -> discord.Message:
    """/lesson neuron, then Next until page `page` (0-based); the pager message."""
    result = await world.alice.slash(world.channel, "lesson", topic="neuron")
    assert result.response is not None
    for _ in range(page):
        await press(world, "next")
    return newest(world)


async def test_figure_page_carries_a_png_and_paging_back_reuses_it(
    world: World, env: simcord.Env, jobs: list[dict[str, Any]]
) -> None:
    # neuron: page 4 (index 3) is the first with a figure (neuron-diagram); pages 1-3 have none
    message = await open_neuron_page(world, 2)
    assert message.attachments == [] and jobs == []

    shown = await press(world, "next")
    assert shown.embeds[0].footer.text == "Page 4/10"
    (attachment,) = shown.attachments
    assert attachment.filename == "neuron-diagram.png"
    assert (await attachment.read()).startswith(PNG)
    assert shown.embeds[0].image.url is not None and "neuron-diagram.png" in shown.embeds[0].image.url
    assert callback_types(env)[-1] == DEFERRED_UPDATE  # acknowledged before the draw
    assert [(j["target"], j["name"], j["lang"]) for j in jobs] == [(FIGURE_JOB, "neuron-diagram", "en")]

    after = await press(world, "next")  # a page without a figure drops the picture
    assert after.attachments == [] and after.embeds[0].image.url is None

    back = await press(world, "prev")  # back: from the cache
    assert callback_types(env)[-1] == UPDATE_MESSAGE  # answered at once, no defer needed
    assert (await back.attachments[0].read()) == (await attachment.read())
    assert len(jobs) == 1


async def test_language_toggle_redraws_the_figure_in_hindi(world: World, jobs: list[dict[str, Any]]) -> None:
    english = await open_neuron_page(world, 3)
    english_png = await english.attachments[0].read()

    hindi = await press(world, "lang")
    assert hindi.embeds[0].footer.text == "पृष्ठ 4/10"
    hindi_png = await hindi.attachments[0].read()
    assert hindi_png.startswith(PNG) and hindi_png != english_png
    assert [(j["name"], j["lang"]) for j in jobs] == [("neuron-diagram", "en"), ("neuron-diagram", "hi")]

    again = await press(world, "lang")  # both languages are cached now
    assert (await again.attachments[0].read()) == english_png
    assert len(jobs) == 2


async def test_busy_pool_shows_the_page_without_picture_and_a_note(
    world: World, tutor: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every worker busy: the pool calls on_queued before the job would wait; the cog leaves the queue."""
    left_queue: list[str] = []
    real = tutor.pool.submit

    async def all_workers_busy(job: Job, *, learner: str, on_queued: Any = None, **_: Any) -> Any:
        assert on_queued is not None  # a figure must be able to leave the queue
        try:
            await on_queued(3)
        except Exception:
            left_queue.append(job.kwargs["name"])
            raise
        raise AssertionError("the core waited in the queue for a figure")

    await open_neuron_page(world, 2)
    monkeypatch.setattr(tutor.pool, "submit", all_workers_busy)
    shown = await press(world, "next")
    assert left_queue == ["neuron-diagram"] and shown.attachments == []
    assert (shown.embeds[0].footer.text or "").startswith("Page 4/10\n🖼️ The picture could not be drawn")
    assert shown.embeds[0].image.url is None

    monkeypatch.setattr(tutor.pool, "submit", real)  # the workers are free again: paging back in shows it
    await press(world, "prev")
    assert (await (await press(world, "next")).attachments[0].read()).startswith(PNG)


async def test_pool_refusal_shows_the_page_with_a_hindi_note(
    world: World, tutor: Tutor, env: simcord.Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused: list[str] = []

    async def queue_full(job: Job, **kwargs: Any) -> Any:
        refused.append(job.kwargs["name"])
        raise InvalidRequest("queue_full", size=4)

    await tutor.learners.ensure(world.alice.id, "alice")
    await tutor.learners.set_language(world.alice.id, "hi")
    await open_neuron_page(world, 2)
    monkeypatch.setattr(tutor.pool, "submit", queue_full)
    shown = await press(world, "next")
    assert refused == ["neuron-diagram"]
    assert shown.attachments == []
    assert (shown.embeds[0].footer.text or "").startswith("पृष्ठ 4/10\n🖼️ अभी चित्र नहीं बन सका")
    assert env.errors == []  # not an error: the page is shown


def test_figure_cache_drops_the_least_recently_shown() -> None:
    cache = FigureCache(size=2)
    cache.put("a", "en", b"A")
    cache.put("b", "en", b"B")
    assert cache.get("a", "en") == b"A"  # "a" is now the most recent
    cache.put("a", "hi", b"AH")
    assert cache.get("b", "en") is None
    assert (cache.get("a", "en"), cache.get("a", "hi"), len(cache)) == (b"A", b"AH", 2)
