"""TutorBot on the gateway: the intents it asks for, and which of several processes splitting the shards
syncs the slash commands (the one running shard 0; the others read the synced ids)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest_asyncio
import simcord

from bot.cogs.bot import TutorBot, gateway_intents
from bot.core.tutor import Tutor
from tests.cogs.conftest import World, embed_text, simulated


def _syncs(env: simcord.Env) -> int:
    """How many times the bot (or its predecessors in this environment) overwrote the global commands."""
    return sum(1 for e in env.http_requests if e.method == "PUT" and e.path.endswith("/commands"))


def test_the_bot_asks_for_servers_and_their_messages_and_dms_only() -> None:
    intents = gateway_intents()
    assert {name for name, on in intents if on} == {"guilds", "guild_messages", "dm_messages"}
    assert not (intents.message_content or intents.members or intents.presences)  # nothing privileged


@pytest_asyncio.fixture
async def unprivileged(tutor: Tutor) -> AsyncIterator[simcord.Env]:
    """The bot where the developer portal approved no privileged intent (SimCord then also blanks the
    text of server messages that do not mention the bot, as Discord does)."""
    sim = simulated(TutorBot(tutor), approved_intents=discord.Intents.none(), settle_timeout=20.0)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.shutdown()


async def test_without_privileged_intents_mentions_and_dms_are_answered(unprivileged: simcord.Env) -> None:
    world = World(unprivileged)
    bot_user = unprivileged.bot.user
    assert bot_user is not None
    await world.alice.send(world.channel, f"<@{bot_user.id}> backprop kya hai?")
    assert world.last.author.id == bot_user.id
    assert "Backpropagation" in (world.last.embeds[0].title or "")
    learner = unprivileged.create_user("ravi")
    await learner.send_dm("lesson 2 dikhao")
    reply = learner.dm_channel.last_message
    assert reply is not None and reply.author.id == bot_user.id
    await world.bob.send(world.channel, "backprop kya hai?")  # no mention: not the bot's to answer
    assert world.last.author.id == world.bob.id


async def test_the_process_running_shard_zero_syncs_and_another_reads_the_synced_ids(tutor: Tutor) -> None:
    tutor.settings.shard_count, tutor.settings.shard_ids = 2, [0]
    sim = simulated(TutorBot(tutor), settle_timeout=20.0)
    await sim.start()
    try:
        first = dict(sim.bot.command_ids)  # type: ignore[attr-defined]
        assert _syncs(sim) == 1 and {"help", "quiz"} <= set(first)
        tutor.settings.shard_ids = [1]  # the process of the other shard starts
        await sim.restart_bot(TutorBot(tutor))
        assert _syncs(sim) == 1
        assert sim.bot.command_ids == first  # type: ignore[attr-defined]
        guild = sim.create_guild(shard_id=1)
        channel = guild.create_text_channel("learn")
        member = guild.add_member(sim.create_user("meera"))
        helped = await member.slash(channel, "help")
        assert helped.response is not None
        assert f"</quiz:{first['quiz']}>" in embed_text(helped.response.embeds[0])
    finally:
        await sim.shutdown()


async def test_an_unsharded_process_syncs_the_commands(env: simcord.Env) -> None:
    assert isinstance(env.bot, TutorBot) and env.bot.shard_ids is None
    assert _syncs(env) == 1
