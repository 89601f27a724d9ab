"""/reload-content, for the bot's owner only: content is shared by every server."""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from bot.cogs import render
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.errors import NotOwner
from bot.core.admin import reload_content


async def is_owner(interaction: Interaction) -> bool:
    """Whether the member is the bot application's owner (or one of its team)."""
    client = interaction.client
    # an AutoShardedBot (as TutorBot is) is not a commands.Bot: both share BotBase.is_owner
    return isinstance(client, commands.Bot | commands.AutoShardedBot) and await client.is_owner(
        interaction.user
    )


async def _owner_check(interaction: Interaction) -> bool:
    if await is_owner(interaction):
        return True
    raise NotOwner()


class Admin(commands.Cog):
    """The owner's commands."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(
        name="reload-content", description="Reload lessons, quizzes and glossary (bot owner)"
    )
    @app_commands.check(_owner_check)
    async def reload_content(self, interaction: Interaction) -> None:
        learner = await learner_of(interaction)
        await render.send(interaction, await reload_content(tutor_of(interaction), learner))


async def setup(bot: commands.Bot) -> None:
    """Add the admin cog."""
    await bot.add_cog(Admin(bot))
