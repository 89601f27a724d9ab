"""Mentions, DMs and /ask: free text goes through the Discord-free intent router (bot.chat) and is
answered by the same flows as the slash commands."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Range
from discord.ext import commands

from bot.chat import Intent
from bot.cogs import render
from bot.cogs.common import NO_MENTIONS, lang_of, tutor_of
from bot.cogs.errors import message_for
from bot.cogs.glossary import term_answer
from bot.cogs.help import help_embed
from bot.cogs.lessons import find_lesson, lesson_message, lessons_list, record, resume_point
from bot.cogs.quiz import start_quiz
from bot.cogs.reply import Replier
from bot.cogs.texts import say
from bot.log import get_logger
from bot.training.spec import CompareSpec, TrainSpec

log = get_logger(__name__)

# period words a leaderboard request may carry that name no period it keeps (it has "week" and "all")
OTHER_PERIODS = frozenset(
    {"day", "daily", "today", "month", "monthly", "year", "yearly"}
    | {"aaj", "din", "mahina", "mahine", "saal", "आज", "दिन", "महीना", "महीने", "साल"}
)


async def answer_intent(bot: Any, user: discord.abc.User, intent: Intent, lang: str, out: Replier) -> None:
    """Do what the intent asks, with the same flows as the slash commands."""
    tutor = bot.tutor
    kind = intent.kind
    if kind == "lesson":
        await _lesson(bot, user, intent, lang, out)
    elif kind == "glossary":
        await out.send(term_answer(tutor.catalog, intent.term or intent.raw, lang))
    elif kind == "quiz":
        await out.send(await start_quiz(tutor, bot, user, intent.topic, intent.count, lang))
    elif kind == "review":
        from bot.cogs.review import review_answer

        await out.send(await review_answer(tutor, bot, user, lang))
    elif kind in ("train", "compare"):
        await _train_from_text(bot, user, intent, lang, out)
    elif kind == "language" and intent.lang:
        await tutor.set_language(user.id, intent.lang, user.display_name)
        await out.send(
            render.Answer(content=say("common.language_set", intent.lang, name=render.lang_name(intent.lang)))
        )
    elif kind in ("backprop", "activation"):
        from bot.cogs import visuals

        await out.defer()  # drawn in the worker pool
        answer = await (
            visuals.backprop_answer(tutor, user.id, lang)
            if kind == "backprop"
            else visuals.activation_answer(tutor, user.id, intent.term, lang)
        )
        await out.send(answer)
    elif kind in ("progress", "leaderboard"):
        from bot.cogs import progress

        if kind == "progress":
            await out.defer()  # the chart is drawn in the worker pool
            answer = await progress.progress_answer(tutor, user, lang)
        else:
            period = intent.period or unsupported_period(intent.raw) or "week"
            answer = await progress.leaderboard_answer(tutor, out.guild_id(), period, lang)
        await out.send(answer)
    elif kind == "help":
        await out.send(render.Answer(embeds=[help_embed(bot.tree, lang)]))
    elif kind == "thanks":
        await out.send(render.Answer(content=say("thanks", lang)))
    else:
        await out.send(render.Answer(content=say("common.not_understood", lang)))


def unsupported_period(text: str) -> str | None:
    """A period word the leaderboard does not keep ("leaderboard this month"), to refuse it by name."""
    words = re.findall(r"[\w\u0900-\u097f]+", text.casefold())
    return next((word for word in words if word in OTHER_PERIODS), None)


async def _lesson(bot: Any, user: discord.abc.User, intent: Intent, lang: str, out: Replier) -> None:
    """A lesson by topic or number; with neither, the one read last where it was left (else the list)."""
    tutor = bot.tutor
    topic = intent.topic or (str(intent.count) if intent.count else None)
    note = None
    if topic is not None:
        lesson, page = find_lesson(tutor.catalog, topic), 0
    else:
        resumed = await resume_point(tutor, user.id, lang)
        if resumed is None:
            await out.send(render.Answer(embeds=[lessons_list(tutor.catalog, lang)]))
            return
        lesson, page, note = resumed
    answer = await lesson_message(bot, user.id, lesson, page, lang, out.defer)
    answer.content = note
    await out.send(answer)
    await record(tutor, user, lesson, page, lang)


async def _train_from_text(bot: Any, user: discord.abc.User, intent: Intent, lang: str, out: Replier) -> None:
    from bot.cogs import training
    from bot.training.parse import parse_request

    spec = parse_request(intent.raw)  # InvalidRequest: refused with a code, nothing queued
    training.check_cooldown(bot, user.id)
    if isinstance(spec, CompareSpec):
        await training.run_compare(out, bot, user, spec, lang)
    else:
        assert isinstance(spec, TrainSpec)
        await training.run_training(out, bot, user, spec, lang)


class Chat(commands.Cog):
    """Free text: mentions, DMs and /ask."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        is_dm = message.guild is None
        if not is_dm and self.bot.user not in message.mentions:
            return
        tutor = self.bot.tutor  # type: ignore[attr-defined]
        lang = await tutor.language_for(message.author.id, None)
        try:
            if message.guild is not None:
                await self.bot.note_member(message.guild.id, message.author)  # type: ignore[attr-defined]
            intent = tutor.route(message.content)
            await answer_intent(self.bot, message.author, intent, lang, Replier(message=message))
        except Exception as error:  # the same words as the slash-command handler
            text = message_for(error, lang, f"mention:{message.id}")
            await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="ask", description="Ask anything in your own words")
    @app_commands.describe(text="Your question or request")
    async def ask(self, interaction: discord.Interaction[Any], text: Range[str, 1, 500]) -> None:
        lang = await lang_of(interaction)
        intent = tutor_of(interaction).route(text)
        await answer_intent(self.bot, interaction.user, intent, lang, Replier(interaction=interaction))


async def setup(bot: commands.Bot) -> None:
    """Add the chat cog."""
    await bot.add_cog(Chat(bot))
