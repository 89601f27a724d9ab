"""/progress [member] with a 30-day chart, and /leaderboard [period] for the server."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.texts import say, short
from bot.errors import InvalidRequest
from bot.log import get_logger
from bot.progress.leaderboard import PERIODS

log = get_logger(__name__)

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


async def progress_answer(tutor: Any, member: discord.abc.User, lang: str) -> render.Answer:
    """XP, streak, accuracy, mastery per lesson, and the 30-day chart drawn in the worker pool.

    The fields are short: in 'both' labels and values are Hindi (which keeps the English terms).
    """
    stats = await tutor.progress.stats(member.id)  # NotFound for someone never seen
    out = render.embed(short("progress.title", lang, name=member.display_name), "", render.GOLD)
    render.add_field(
        out,
        short("progress.xp", lang),
        short("xp_value", lang, total=stats.total_xp, week=stats.week_xp),
        inline=True,
    )
    render.add_field(
        out,
        short("progress.streak", lang),
        short("progress.streak_days", lang, n=stats.streak.current),
        inline=True,
    )
    render.add_field(out, short("progress.accuracy", lang), render.percent(stats.accuracy), inline=True)
    render.add_field(out, short("reviews_due", lang), str(stats.reviews_due), inline=True)
    render.add_field(out, short("training_runs", lang), str(stats.training_runs), inline=True)
    # one line per lesson: in 'both' the Hindi title (it names the English term too), like the labels
    titles = {lesson.id: lesson.title.get("en" if lang == "en" else "hi") for lesson in tutor.catalog.lessons}
    mastery = [
        f"{titles.get(m.lesson_id, m.lesson_id)}{' ✓' if m.lesson_id in stats.lessons_completed else ''}: "
        f"{short(f'level_{m.level}', lang)} ({m.correct}/{m.answered})"
        for m in stats.mastery
    ]
    render.add_field(out, short("progress.mastery", lang), "\n".join(mastery))
    files: list[tuple[str, bytes]] = []
    chart = await tutor.jobs.progress_chart(stats.chart_data(), lang, learner=member.id)
    for picture in chart.pictures:
        files.append((f"{picture.name}.png", picture.png))
        out.set_image(url=f"attachment://{picture.name}.png")
    return render.Answer(embeds=[out], files=files)


async def leaderboard_answer(tutor: Any, guild_id: int | None, period: str, lang: str) -> render.Answer:
    """The server's top learners for `period` ('week' or 'all'; anything else is refused by name)."""
    if period not in PERIODS:
        shown = render.clip(period, 30)
        raise InvalidRequest(
            "leaderboard_bad_period",
            say("leaderboard_bad_period", "en", period=shown),
            say("leaderboard_bad_period", "hi", period=shown),
        )
    if guild_id is None:
        raise InvalidRequest(
            "leaderboard_needs_server",
            say("leaderboard_needs_server", "en"),
            say("leaderboard_needs_server", "hi"),
        )
    board = await tutor.progress.leaderboard(guild_id, period)
    lines = [f"{MEDALS.get(row.rank, f'{row.rank}.')} {row.display_name} — {row.xp} XP" for row in board.rows]
    title = short("progress.leaderboard_title", lang, period=short(f"progress.period_{period}", lang))
    return render.Answer(
        embeds=[render.embed(title, "\n".join(lines) or say("progress.leaderboard_empty", lang))]
    )


class Progress(commands.Cog):
    """Progress and leaderboards."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="progress", description="Your progress, or a member's")
    @app_commands.describe(member="Whose progress")
    async def progress(
        self, interaction: discord.Interaction[Any], member: discord.User | None = None
    ) -> None:
        lang = await lang_of(interaction)
        await interaction.response.defer(thinking=True)  # the chart is drawn in the worker pool
        answer = await progress_answer(tutor_of(interaction), member or interaction.user, lang)
        await interaction.followup.send(**answer.kwargs())

    @app_commands.command(name="leaderboard", description="Top learners of this server")
    @app_commands.describe(period="Time period")
    @app_commands.choices(
        period=[Choice(name="This week", value="week"), Choice(name="All time", value="all")]
    )
    @app_commands.guild_only()
    async def leaderboard(
        self, interaction: discord.Interaction[Any], period: Choice[str] | None = None
    ) -> None:
        lang = await lang_of(interaction)
        guild_id = interaction.guild_id
        answer = await leaderboard_answer(
            tutor_of(interaction), guild_id, period.value if period else "week", lang
        )
        await interaction.response.send_message(**answer.kwargs())


async def setup(bot: commands.Bot) -> None:
    """Add the progress cog."""
    await bot.add_cog(Progress(bot))
