"""The bot logs in, syncs its commands with Hindi localizations, and answers /help."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import Settings
from bot.heartbeat import heartbeat_age
from tests.cogs.conftest import World, embed_text


async def test_help_lists_commands_in_english(world: World) -> None:
    result = await world.alice.slash(world.channel, "help")
    assert result.ephemeral and result.response is not None
    text = embed_text(result.response.embeds[0])
    assert "/train" in text and "/quiz" in text and "/lesson" in text


async def test_heartbeat_written_once_connected(world: World, settings: Settings) -> None:
    age = heartbeat_age(settings.heartbeat_file)
    assert age is not None and age < 60


@pytest.mark.simcord(settle_timeout=120.0)
async def test_a_command_is_answered_without_waiting_out_the_settle_timeout(world: World) -> None:
    # The bot's own background work (heartbeat, loop-lag sampler) must be waits SimCord recognizes:
    # a bare task sleeping 50 ms at a time kept every interaction waiting the whole settle timeout.
    result = await asyncio.wait_for(world.alice.slash(world.channel, "help"), timeout=60.0)
    assert result.response is not None
