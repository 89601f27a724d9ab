"""/help: every command the member may use, described in their language (bot.core.help)."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.admin import is_owner
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.core.help import help_with_assignments


class Help(commands.Cog):
    """Help."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What the tutor can do")
    async def help(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        reply = await help_with_assignments(
            tutor_of(interaction), learner, "discord", can_manage=await is_owner(interaction)
        )
        await render.send(interaction, reply)


async def setup(bot: commands.Bot) -> None:
    """Add the help cog."""
    await bot.add_cog(Help(bot))
