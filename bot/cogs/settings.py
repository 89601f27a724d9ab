"""/language hi|en|both: the learner's stored choice, used before the Discord locale."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import tutor_of
from bot.cogs.texts import say


class Language(commands.Cog):
    """Language choice."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="language", description="Choose your language")
    @app_commands.describe(name="hi, en or both")
    @app_commands.choices(
        name=[
            Choice(name="Hindi", value="hi"),
            Choice(name="English", value="en"),
            Choice(name="Both", value="both"),
        ]
    )
    async def language(self, interaction: discord.Interaction[Any], name: Choice[str]) -> None:
        lang = name.value
        await tutor_of(interaction).set_language(interaction.user.id, lang, interaction.user.display_name)
        await interaction.response.send_message(
            say("common.language_set", lang, name=render.lang_name(lang)), ephemeral=True
        )


async def setup(bot: commands.Bot) -> None:
    """Add the language cog."""
    await bot.add_cog(Language(bot))
