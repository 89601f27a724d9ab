"""Language choice, Hindi and English replies, glossary, help, mentions and DMs through the intent
router, /ask, progress, visuals, and the one error handler."""

from __future__ import annotations

import logging

import discord
import pytest
import simcord

from bot.cogs.bot import TutorBot
from bot.cogs.translator import hindi_descriptions, hindi_names
from bot.core.tutor import Tutor
from tests.cogs.conftest import World, embed_text


def _devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)


async def test_hindi_client_gets_hindi_help(world: World, locales: dict[int, str]) -> None:
    locales[world.alice.id] = "hi"
    result = await world.alice.slash(world.channel, "help")
    assert result.response is not None
    assert "एक छोटा neural network train करें" in embed_text(result.response.embeds[0])


async def test_stored_language_beats_the_client_locale(world: World, locales: dict[int, str]) -> None:
    locales[world.alice.id] = "hi"
    chosen = await world.alice.slash(world.channel, "language", name="en")
    assert chosen.response is not None and chosen.response.content == "Language set: English."
    result = await world.alice.slash(world.channel, "glossary", term="bias")
    assert result.response is not None
    assert not _devanagari(result.response.embeds[0].description or "")


async def test_language_hi_gives_hindi_glossary(world: World) -> None:
    await world.alice.slash(world.channel, "language", name="hi")
    result = await world.alice.slash(world.channel, "glossary", term="vajan")
    assert result.response is not None
    embed = result.response.embeds[0]
    assert embed.title == "वेट (Weight)" and _devanagari(embed.description or "")


async def test_glossary_autocomplete(world: World) -> None:
    choices = await world.alice.autocomplete(world.channel, "glossary", "term", "grad")
    assert "gradient" in [c["value"] for c in choices]


async def test_echoed_text_never_mentions(world: World, env: simcord.Env) -> None:
    await world.alice.slash(world.channel, "glossary", term="@everyone <@&1>")
    assert [e.__cause__.code for e in env.errors] == ["term_not_found"]  # type: ignore[union-attr]
    sent = [e for e in env.http_requests if e.path.endswith("/callback")]
    data = sent[-1].json["data"]  # type: ignore[index]
    assert "@everyone" in data["content"]
    assert data["allowed_mentions"] == {"parse": []}


async def test_mention_routes_a_glossary_question(world: World, env: simcord.Env) -> None:
    bot_user = env.bot.user
    assert bot_user is not None
    await world.alice.send(world.channel, f"<@{bot_user.id}> backprop kya hai?")
    reply = world.last
    assert reply.author.id == bot_user.id
    assert reply.embeds and "Backpropagation" in (reply.embeds[0].title or "")


async def test_mention_starts_a_quiz(world: World, env: simcord.Env, tutor: Tutor) -> None:
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> quiz me on activation functions")  # type: ignore[union-attr]
    reply = world.last
    assert "Question 1/" in (reply.embeds[0].footer.text or "")
    active = await tutor.quiz.active_session(world.alice.id)
    assert active is not None and active.lesson_id == "activation"


async def test_mention_trains_xor_with_adam(world: World, env: simcord.Env) -> None:
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> train XOR with Adam")  # type: ignore[union-attr]
    reply = world.last
    assert (reply.embeds[0].title or "").startswith("mlp 2-8-1 tanh on xor, adam")
    assert sorted(a.filename for a in reply.attachments) == ["decision_boundary.png", "loss_curve.png"]


async def test_dm_in_hinglish_gets_a_lesson(env: simcord.Env) -> None:
    learner = env.create_user("ravi")
    await learner.send_dm("lesson 2 dikhao")
    reply = learner.dm_channel.last_message
    assert reply is not None and reply.embeds and (reply.embeds[0].footer.text or "").startswith("Page 1/")


async def test_unrouted_message_is_ignored_without_a_mention(world: World) -> None:
    await world.alice.send(world.channel, "train XOR with Adam")
    assert world.last.author.id == world.alice.id


async def test_ask_is_routed_like_a_mention(world: World) -> None:
    result = await world.alice.slash(world.channel, "ask", text="what is a bias?")
    assert result.response is not None and "Bias" in (result.response.embeds[0].title or "")


async def test_progress_and_leaderboard(world: World, tutor: Tutor) -> None:
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    result = await world.alice.slash(world.channel, "progress")
    posted = result.response  # the first follow-up fills the deferred response
    assert posted is not None
    assert "Progress of alice" in (posted.embeds[0].title or "")
    assert [a.filename for a in posted.attachments] == ["progress.png"]
    board = await world.alice.slash(world.channel, "leaderboard", period="all")
    assert board.response is not None and "alice" in (board.response.embeds[0].description or "")


async def test_backprop_and_activation(world: World) -> None:
    walk = await world.alice.slash(world.channel, "backprop", x1=1.0, x2=0.5, y=1.0)
    assert walk.response is not None and "autograd" in (walk.response.embeds[0].description or "").lower()
    picture = await world.alice.slash(world.channel, "activation", name="relu")
    assert picture.response is not None
    assert [a.filename for a in picture.response.attachments] == ["activation_relu.png"]


async def test_a_both_backprop_too_long_for_one_embed_is_split_never_cut(world: World) -> None:
    await world.alice.slash(world.channel, "language", name="both")
    walk = await world.alice.slash(world.channel, "backprop", network="2-2-1")
    shown = [walk.response, *walk.followups]
    read = "\n".join(e.description or "" for m in shown if m is not None for e in m.embeds)
    hindi, english = read.split("```\n```")  # the Hindi walkthrough, then the English one, both whole
    assert "2. Backward pass" in english and "3." in english.split("2. Backward pass")[1]
    assert any("\u0900" <= ch <= "\u097f" for ch in hindi) and "autograd" in english
    assert "…" not in read


async def test_unexpected_error_apologises_with_a_reference(
    world: World,
    env: simcord.Env,
    tutor: Tutor,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(tutor.learners, "set_language", broken)
    with caplog.at_level(logging.ERROR, logger="bot.cogs.errors"):
        result = await world.alice.slash(world.channel, "language", name="hi")
    assert result.ephemeral and result.response is not None
    assert "reference `" in (result.response.content or "") and "database on fire" not in (
        result.response.content or ""
    )
    ref = result.response.content.split("`")[1]
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)
    assert len(env.errors) == 1


def test_every_command_string_has_hindi(env: simcord.Env) -> None:
    bot = env.bot
    assert isinstance(bot, TutorBot)
    for command in bot.tree.get_commands():
        assert isinstance(command, discord.app_commands.Command | discord.app_commands.Group)
        assert command.name in hindi_names() or command.name in ("backprop", "activation", "reload-content")
        assert command.description in hindi_descriptions()
        for parameter in getattr(command, "parameters", []):
            assert parameter.description in hindi_descriptions(), parameter.description
