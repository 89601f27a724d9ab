"""Where an answer goes: a slash-command interaction or a channel message (mention or DM)."""

from __future__ import annotations

from typing import Any

import discord

from bot.cogs import render
from bot.cogs.common import NO_MENTIONS
from bot.cogs.views import attach_to_interaction, attach_to_message


class Replier:
    """Where an answer goes: an interaction (slash /ask) or a channel message (mention, DM)."""

    def __init__(
        self, *, interaction: discord.Interaction[Any] | None = None, message: discord.Message | None = None
    ) -> None:
        self.interaction = interaction
        self.message = message
        self.status_message: discord.Message | None = None

    async def send(self, answer: render.Answer) -> None:
        """Send `answer`; its view (if timed) learns how to mark the message when it expires."""
        kwargs = answer.kwargs()
        if self.interaction is not None:
            if self.interaction.response.is_done():
                followup = await self.interaction.followup.send(wait=True, **kwargs)
                attach_to_message(answer.view, followup)
            else:
                await self.interaction.response.send_message(**kwargs, ephemeral=answer.ephemeral)
                attach_to_interaction(answer.view, self.interaction)
            return
        assert self.message is not None
        sent = await self.message.reply(mention_author=False, **kwargs)
        attach_to_message(answer.view, sent)

    async def defer(self) -> None:
        """Before slow work: acknowledge an interaction within 3 seconds (a message needs nothing)."""
        if self.interaction is not None and not self.interaction.response.is_done():
            await self.interaction.response.defer(thinking=True)

    def guild_id(self) -> int | None:
        """The server the request came from (None in DMs)."""
        source = self.interaction or self.message
        guild = getattr(source, "guild", None)
        return guild.id if guild is not None else None

    async def status(self, content: str) -> None:
        """Show or update a short progress line ("queued: position 2")."""
        if self.interaction is not None:
            if not self.interaction.response.is_done():
                await self.interaction.response.defer(thinking=True)
            await self.interaction.edit_original_response(content=content, allowed_mentions=NO_MENTIONS)
            return
        assert self.message is not None
        if self.status_message is None:
            self.status_message = await self.message.reply(
                content, mention_author=False, allowed_mentions=NO_MENTIONS
            )
        else:
            await self.status_message.edit(content=content, allowed_mentions=NO_MENTIONS)
