"""/review: the learner's due review cards (FSRS), most overdue first, asked like a quiz.

With nothing due, the learner hears how many cards are scheduled and when the next one comes (a quiz
with mistakes schedules cards minutes ahead), not a bare "nothing is due".
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.quiz import question_answer
from bot.cogs.texts import Both, say
from bot.cogs.views import attach_to_interaction
from bot.errors import NotFound

REVIEW_BATCH = 10
HOUR = 3600.0
DAY = 86400.0


def wait_text(seconds: float) -> Both:
    """How long until a card is due, in both languages ("7 min", "3 h", "2 day(s)")."""
    if seconds < HOUR:
        return render.both_languages("wait_minutes", n=max(1, math.ceil(seconds / 60)))
    if seconds < 2 * DAY:
        return render.both_languages("wait_hours", n=round(seconds / HOUR))
    return render.both_languages("wait_days", n=round(seconds / DAY))


def outlook_text(count: int, due: datetime | None, lang: str, now: datetime | None = None) -> str:
    """Nothing is due: how many cards are scheduled and when the earliest comes (or that there are none)."""
    if not count or due is None:
        return say("review.empty", lang)
    when = due if due.tzinfo else due.replace(tzinfo=UTC)
    seconds = max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
    # <t:…:f> is drawn by each learner's Discord client in their own time zone and language
    at = f"<t:{math.ceil(when.timestamp())}:f>"
    return say("review_scheduled", lang, count=count, wait=wait_text(seconds), at=at)


async def review_answer(tutor: Any, bot: Any, user: discord.abc.User, lang: str) -> render.Answer:
    """The first due card as a quiz question, or (nothing due) the outlook as a private note."""
    try:
        qv = await tutor.quiz.start_review(user.id, REVIEW_BATCH, display_name=user.display_name)
    except NotFound as error:
        if error.code != "review.nothing_due":
            raise
        count, due = await tutor.review_outlook(user.id)
        return render.Answer(content=outlook_text(count, due, lang), ephemeral=True)
    return question_answer(qv, user.id, lang, bot, tutor.catalog)


class Review(commands.Cog):
    """Spaced-repetition review."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="review", description="Review the cards that are due")
    async def review(self, interaction: discord.Interaction[Any]) -> None:
        lang = await lang_of(interaction)
        answer = await review_answer(tutor_of(interaction), self.bot, interaction.user, lang)
        await interaction.response.send_message(**answer.kwargs(), ephemeral=answer.ephemeral)
        attach_to_interaction(answer.view, interaction)


async def setup(bot: commands.Bot) -> None:
    """Add the review cog."""
    await bot.add_cog(Review(bot))
