"""/review: the learner's due review cards (FSRS), most overdue first, asked like a quiz."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs.common import lang_of, tutor_of
from bot.cogs.quiz import question_answer
from bot.cogs.views import attach_to_interaction

REVIEW_BATCH = 10


class Review(commands.Cog):
    """Spaced-repetition review."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="review", description="Review the cards that are due")
    async def review(self, interaction: discord.Interaction[Any]) -> None:
        lang = await lang_of(interaction)
        tutor = tutor_of(interaction)
        user = interaction.user
        # NotFound "review.nothing_due" reaches the learner through the error handler
        qv = await tutor.quiz.start_review(user.id, REVIEW_BATCH, display_name=user.display_name)
        answer = question_answer(qv, user.id, lang, self.bot, tutor.catalog)
        await interaction.response.send_message(**answer.kwargs())
        attach_to_interaction(answer.view, interaction)


async def setup(bot: commands.Bot) -> None:
    """Add the review cog."""
    await bot.add_cog(Review(bot))
