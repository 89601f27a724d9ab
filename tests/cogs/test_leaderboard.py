"""/leaderboard: a server's weekly, monthly or all-time board; other periods refused by name; none in a
DM."""

from __future__ import annotations

import pytest
import simcord

from tests.cogs.conftest import World


async def test_leaderboard_lists_the_servers_learners(world: World) -> None:
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    board = await world.alice.slash(world.channel, "leaderboard", period="all")
    assert board.response is not None
    shown = board.response.embeds[0]
    assert shown.title == "Leaderboard (all time)"
    assert (shown.description or "").startswith("🥇 alice — ")


async def test_leaderboard_period_outside_week_month_and_all_is_refused(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    with pytest.raises(simcord.SetupError, match="period"):
        await world.alice.slash(world.channel, "leaderboard", period="year")
    asked = await world.alice.slash(world.channel, "ask", text="leaderboard this year")
    assert asked.ephemeral and asked.response is not None
    assert asked.response.content == (
        "There is no “year” leaderboard. Choose this week (week), this month (month) or all time (all)."
    )
    locales[world.bob.id] = "hi"
    hindi = await world.bob.slash(world.channel, "ask", text="aaj ka leaderboard")
    assert hindi.response is not None
    assert (hindi.response.content or "").startswith("“aaj” का कोई leaderboard नहीं है।")
    monthly = await world.bob.slash(world.channel, "ask", text="mahine ka leaderboard")
    assert monthly.response is not None and monthly.response.embeds[0].title == "इस महीने का Leaderboard"
    weekly = await world.alice.slash(world.channel, "ask", text="leaderboard")
    assert weekly.response is not None and weekly.response.embeds[0].title == "Leaderboard (this week)"
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["leaderboard_bad_period"] * 2


async def test_leaderboard_in_a_dm_says_it_needs_a_server(env: simcord.Env) -> None:
    learner = env.create_user("ravi")
    await learner.send_dm("leaderboard")
    reply = learner.dm_channel.last_message
    assert reply is not None and reply.content == "Leaderboards belong to a server: ask in one."
    assert [getattr(e, "code", None) for e in env.errors] == []  # a mention's error is answered inline
