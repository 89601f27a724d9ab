"""Mentions, DMs and /ask: free text answered by bot.core.chat, the same use cases as the commands.

A mention carries no client locale, so the learner's language comes from their stored choice, the
client locale remembered from their last slash command, or the server's locale.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.bot import TutorBot
from bot.cogs.context import NO_MENTIONS, Interaction, TutorClient, learner_of, powers, tutor_of
from bot.cogs.errors import message_for, refusal_code
from bot.cogs.status import Deferring, MessageStatus
from bot.core.chat import answer_text
from bot.core.learners import identify
from bot.core.training import train_file
from bot.log import get_logger

log = get_logger(__name__)


class Chat(commands.Cog):
    """Free text: mentions, DMs and /ask."""

    def __init__(self, bot: TutorBot) -> None:
        self.bot = bot
        self.client: TutorClient = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        if message.guild is not None and self.bot.user not in message.mentions:
            return
        tutor = self.client.tutor
        status = MessageStatus(message)
        lang = tutor.settings.default_language
        manage, roles = powers(message.author)
        try:
            learner = await identify(
                tutor,
                message.author.id,
                message.author.display_name,
                guild_id=message.guild.id if message.guild else None,
                guild_locale=str(message.guild.preferred_locale) if message.guild else None,
                manage_server=manage,
                role_ids=roles,
            )
            lang = learner.lang
            if message.attachments:  # a file with a mention is the learner's own data to train on
                files = [(a.filename, a.size, a.read) for a in message.attachments]
                reply = await train_file(tutor, learner, message.content, files, status)
            else:
                _, reply = await answer_text(tutor, learner, message.content, status, "discord")
            await render.answer_message(message, reply, self.client, status.line)
        except Exception as error:  # the same words as the slash-command handler
            code = refusal_code(error)
            if code is not None and self.client.metrics is not None:
                self.client.metrics.refused(code)
            text = message_for(error, lang, f"mention:{message.id}")
            if status.line is not None:
                await status.line.edit(
                    content=text, embeds=[], attachments=[], view=None, allowed_mentions=NO_MENTIONS
                )
            else:
                await message.reply(text, mention_author=False, allowed_mentions=NO_MENTIONS)

    @app_commands.command(name="ask", description="Ask anything in your own words")
    @app_commands.describe(text="Your question or request")
    async def ask(self, interaction: Interaction, text: Range[str, 1, 500]) -> None:
        learner = await learner_of(interaction)
        _, reply = await answer_text(tutor_of(interaction), learner, text, Deferring(interaction), "discord")
        await render.send(interaction, reply)


async def setup(bot: TutorBot) -> None:
    """Add the chat cog."""
    await bot.add_cog(Chat(bot))
