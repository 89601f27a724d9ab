"""/help: every command with its description in the learner's language, built from the command tree."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of
from bot.cogs.texts import say, short
from bot.cogs.translator import DESCRIPTIONS_HI, NAMES_HI


def command_line(command: app_commands.Command[Any, ..., Any], lang: str) -> str:
    """`/name [option] …` and what it does, as a learner with client language `lang` sees it.

    A Hindi Discord client lists the commands by their Hindi names (/पाठ), so Hindi help names both.
    """
    options = [p.name if p.required else f"[{p.name}]" for p in command.parameters]
    english = command.description
    hindi = DESCRIPTIONS_HI.get(english, english)
    name = f"**/{command.name}**"
    if lang == "hi":
        hindi_options = [
            NAMES_HI.get(p.name, p.name) if p.required else f"[{NAMES_HI.get(p.name, p.name)}]"
            for p in command.parameters
        ]
        if command.name in NAMES_HI:
            name = f"**/{NAMES_HI[command.name]}** (/{command.name})"
        return " ".join([name, *hindi_options]) + f"\n  {hindi}"
    if lang == "both":
        hindi_name = f" · /{NAMES_HI[command.name]}" if command.name in NAMES_HI else ""
        return " ".join([name + hindi_name, *options]) + f"\n  {hindi}\n  {english}"
    return " ".join([name, *options]) + f"\n  {english}"


def help_embed(tree: app_commands.CommandTree[Any], lang: str) -> discord.Embed:
    """One line per slash command, then how mentions and DMs work."""
    commands_ = sorted(
        (c for c in tree.get_commands() if isinstance(c, app_commands.Command)), key=lambda c: c.name
    )
    lines = [command_line(command, lang) for command in commands_]
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
