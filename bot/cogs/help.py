"""/help: every command with its description in the learner's language, built from the command tree."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of
from bot.cogs.texts import say, short
from bot.cogs.translator import DESCRIPTIONS_HI


def help_embed(tree: app_commands.CommandTree[Any], lang: str) -> discord.Embed:
    """One line per slash command, then how mentions and DMs work."""
    lines = []
    for command in sorted(tree.get_commands(), key=lambda c: c.name):
        if not isinstance(command, app_commands.Command):
            continue
        options = " ".join(f"[{p.name}]" if not p.required else p.name for p in command.parameters)
        description = command.description
        if lang in ("hi", "both"):
            description = DESCRIPTIONS_HI.get(description, description)
        lines.append(f"**/{command.name}** {options}\n  {description}")
    return render.embed(short("help.title", lang), "\n".join(lines) + "\n\n" + say("help.mention", lang))


class Help(commands.Cog):
    """Help."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What the tutor can do")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        lang = await lang_of(interaction)
        await interaction.response.send_message(embed=help_embed(self.bot.tree, lang), ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    """Add the help cog."""
    await bot.add_cog(Help(bot))
