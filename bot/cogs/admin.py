"""/reload-content for members with Manage Server: re-read lessons, quizzes, glossary and strings."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.texts import say
from bot.content.loader import check_content
from bot.errors import InvalidRequest
from bot.i18n import reload_strings
from bot.log import get_logger

log = get_logger(__name__)


class Admin(commands.Cog):
    """Server-manager commands."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(
        name="reload-content", description="Reload lessons, quizzes and glossary (Manage Server)"
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def reload_content(self, interaction: discord.Interaction[Any]) -> None:
        lang = await lang_of(interaction)
        tutor = tutor_of(interaction)
        # validating every YAML file takes a moment: keep the event loop free meanwhile
        catalog, problems = await asyncio.to_thread(check_content, tutor.settings.content_dir)
        if catalog is None or problems:
            listing = "\n```\n" + "\n".join(str(p) for p in problems[:15]) + "\n```"
            raise InvalidRequest(
                "content_problems",
                say("reload_failed", "en", count=len(problems)) + listing,
                say("reload_failed", "hi", count=len(problems)) + listing,
            )
        tutor.replace_catalog(catalog)
        reload_strings()
        log.info("content reloaded by %s: %r", interaction.user.id, catalog)
        text = say(
            "reloaded",
            lang,
            lessons=len(catalog.lessons),
            questions=len(catalog.all_questions()),
            terms=len(catalog.terms),
        )
        await interaction.response.send_message(render.clip(text, render.CONTENT_MAX), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    """Add the admin cog."""
    await bot.add_cog(Admin(bot))
