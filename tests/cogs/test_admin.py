"""/reload-content: for the bot's owner only (content is shared by every server); a broken file changes
nothing and its problems are listed in the owner's language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import discord
import simcord

from bot.cogs.bot import TutorBot
from bot.cogs.errors import NotOwner
from bot.core.tutor import Tutor
from bot.paths import CONTENT_DIR
from tests.cogs.conftest import World


async def test_reload_content_is_for_the_bots_owner_only(world: World, env: simcord.Env) -> None:
    # content is shared by every server: Manage Server in one of them is not enough
    admins = world.guild.create_role("teachers", permissions=discord.Permissions(manage_guild=True))
    teacher = world.guild.add_member(world.env.create_user("teacher"), roles=[admins])
    refused = await teacher.slash(world.channel, "reload-content")
    assert refused.ephemeral and refused.response is not None
    assert "bot owner" in (refused.response.content or "")
    assert isinstance(env.bot, TutorBot)
    env.bot.owner_id = world.bob.id  # the first check cached the application's owner; Bob is the owner now
    result = await world.bob.slash(world.channel, "reload-content")
    assert result.ephemeral and result.response is not None
    assert (result.response.content or "").startswith("Content reloaded: 7 lessons")
    assert [type(e) for e in env.errors] == [NotOwner]


async def test_help_names_reload_content_only_for_the_owner(world: World, env: simcord.Env) -> None:
    learner = await world.alice.slash(world.channel, "help")
    assert learner.response is not None
    assert "/reload-content" not in (learner.response.embeds[0].description or "")
    assert isinstance(env.bot, TutorBot)
    env.bot.owner_id = world.bob.id
    owner = await world.bob.slash(world.channel, "help")
    assert owner.response is not None
    assert "/reload-content" in (owner.response.embeds[0].description or "")


async def test_failed_reload_lists_the_problems_in_the_owners_language(
    world: World, env: simcord.Env, tutor: Tutor, tmp_path: Path, locales: dict[int, str]
) -> None:
    broken = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, broken)
    lesson = next((broken / "lessons").glob("01_*.yaml"))
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nnot_a_field: 1\n", encoding="utf-8")
    tutor.settings = tutor.settings.model_copy(update={"content_dir": broken})
    assert isinstance(env.bot, TutorBot)
    owner = world.guild.add_member(world.env.create_user("teacher"))
    env.bot.owner_id = owner.id
    result = await owner.slash(world.channel, "reload-content")
    assert result.ephemeral and result.response is not None
    text = result.response.content or ""
    assert re.match(r"The content has \d+ problem\(s\); nothing was reloaded:\n```\n", text), text
    assert "01_" in text and text.endswith("```")
    locales[owner.id] = "hi"
    hindi = await owner.slash(world.channel, "reload-content")
    assert hindi.response is not None
    assert re.match(r"Content में \d+ समस्याएँ मिलीं; कुछ भी दोबारा load नहीं हुआ:", hindi.response.content or "")
    assert len(tutor.catalog.lessons) == 7  # nothing was replaced
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["content_problems"] * 2
