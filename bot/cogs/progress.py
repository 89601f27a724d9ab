"""/progress [member] with its 30-day chart, and /leaderboard [period] for the server."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.cogs import render
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.status import Deferring
from bot.core import progress


class Progress(commands.Cog):
    """Progress and leaderboards."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="progress", description="Your progress, or a member's")
    @app_commands.describe(
        member="Whose progress", share="Let others in this server see your progress (or stop)"
    )
    async def progress(
        self, interaction: Interaction, member: discord.User | None = None, share: bool | None = None
    ) -> None:
        learner = await learner_of(interaction)
        tutor = tutor_of(interaction)
        if share is not None:
            await render.send(interaction, await progress.share_progress(tutor, learner, share))
            return
        asked = None if member is None or member.id == learner.id else (member.id, member.display_name)
        reply = await progress.progress(tutor, learner, Deferring(interaction), asked)
        await render.send(interaction, reply)

    @app_commands.command(name="leaderboard", description="Top learners of this server")
    @app_commands.describe(period="Time period")
    @app_commands.choices(
        period=[
            Choice(name="This week", value="week"),
            Choice(name="This month", value="month"),
            Choice(name="All time", value="all"),
        ]
    )
    @app_commands.guild_only()
    async def leaderboard(self, interaction: Interaction, period: Choice[str] | None = None) -> None:
        learner = await learner_of(interaction)
        reply = await progress.leaderboard(tutor_of(interaction), learner, period.value if period else "week")
        await render.send(interaction, reply)


async def setup(bot: commands.Bot) -> None:
    """Add the progress cog."""
    await bot.add_cog(Progress(bot))
