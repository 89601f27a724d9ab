"""Small helpers every cog shares: the Tutor behind an interaction, the learner's language, safe replies."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord

from bot.app import Tutor

if TYPE_CHECKING:
    from bot.cogs.bot import TutorBot

# Replies may echo what a learner typed; nothing they type may ping anyone.
NO_MENTIONS = discord.AllowedMentions.none()


def tutor_of(interaction: discord.Interaction[Any]) -> Tutor:
    """The Tutor of the bot that received `interaction`."""
    bot: TutorBot = interaction.client
    return bot.tutor


async def lang_of(interaction: discord.Interaction[Any]) -> str:
    """The learner's language: stored choice, else the Discord client's locale (hi), else the default."""
    return await tutor_of(interaction).language_for(interaction.user.id, str(interaction.locale))


async def reply(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    ephemeral: bool = False,
    **kwargs: Any,
) -> None:
    """Answer an interaction whether or not it was already answered, never mentioning anyone."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if content is not None:
        kwargs["content"] = content
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis (Discord rejects longer fields)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
