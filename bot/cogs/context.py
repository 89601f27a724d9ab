"""What every cog needs from an interaction: the Tutor, the learner behind it, and where its replies go.

`Interaction` is discord.py's interaction of our client; `TutorClient` is what the cogs ask of the bot
(its Tutor and its live views), so no cog depends on `TutorBot` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

import discord

from bot.core.learners import Learner, identify
from bot.core.tutor import Tutor

if TYPE_CHECKING:
    from bot.cogs.buttons import TimedView
    from bot.metrics import Metrics

Interaction = discord.Interaction[discord.Client]

# Replies may echo what a learner typed; nothing they type may ping anyone.
NO_MENTIONS = discord.AllowedMentions.none()


class TutorClient(Protocol):
    """What the cogs ask of the bot."""

    tutor: Tutor
    live_views: dict[tuple[str, int], TimedView]
    command_ids: dict[str, int]  # name → id of each synced slash command (for clickable mentions)
    metrics: Metrics | None  # the Prometheus series, when TUTOR_METRICS_PORT is set


def client_of(interaction: Interaction) -> TutorClient:
    """The bot that received `interaction`."""
    return cast(TutorClient, interaction.client)


def tutor_of(interaction: Interaction) -> Tutor:
    """The Tutor of the bot that received `interaction`."""
    return client_of(interaction).tutor


def powers(user: discord.User | discord.Member) -> tuple[bool, list[int]]:
    """Whether a server member has Manage Server, and their role ids (what makes a teacher)."""
    if isinstance(user, discord.Member):
        return user.guild_permissions.manage_guild, [role.id for role in user.roles]
    return False, []


async def learner_of(interaction: Interaction) -> Learner:
    """The learner clicking or typing, with their language (stored choice, the server's, client, server
    locale, default) and whether they teach in this server."""
    user = interaction.user
    manage, roles = powers(user)
    if interaction.guild_id is not None:  # what Discord computed for this member here
        manage = interaction.permissions.manage_guild
    return await identify(
        tutor_of(interaction),
        user.id,
        user.display_name,
        guild_id=interaction.guild_id,
        client_locale=str(interaction.locale),
        guild_locale=str(interaction.guild_locale) if interaction.guild_locale else None,
        manage_server=manage,
        role_ids=roles,
    )


def private_here(interaction: Interaction) -> bool:
    """Whether this server's teachers chose private replies (only the asker sees them)."""
    server = tutor_of(interaction).servers.cached(interaction.guild_id)
    return server is not None and server.replies == "private"
