"""/language hi|en|both: the learner's stored choice, used before the Discord locale; /replies
private|public: whether their runs and quizzes are answered privately."""

from __future__ import annotations

from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.cogs import render
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.core.learners import choose_language, choose_replies


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
    async def language(self, interaction: Interaction, name: Choice[str]) -> None:
        learner = await learner_of(interaction)
        _, reply = await choose_language(tutor_of(interaction), learner, name.value)
        await render.send(interaction, reply)

    @app_commands.command(
        name="replies", description="Answer your runs and quizzes privately, or in the channel"
    )
    @app_commands.describe(mode="private (only you see them) or public")
    @app_commands.choices(
        mode=[Choice(name="Private", value="private"), Choice(name="Public", value="public")]
    )
    async def replies(self, interaction: Interaction, mode: Choice[str]) -> None:
        learner = await learner_of(interaction)
        _, reply = await choose_replies(tutor_of(interaction), learner, mode.value)
        await render.send(interaction, reply)


async def setup(bot: commands.Bot) -> None:
    """Add the language cog."""
    await bot.add_cog(Language(bot))
