"""`TutorBot` (commands.Bot around a `Tutor`) and `run_bot(settings)`, the Discord entry point."""

from __future__ import annotations

import asyncio
import contextlib
import signal

import discord
from discord.ext import commands, tasks

from bot.app import HEARTBEAT_INTERVAL_SECONDS, Tutor
from bot.cogs.errors import TutorTree
from bot.cogs.translator import HindiTranslator
from bot.cogs.views import DYNAMIC_ITEMS, TimedView
from bot.config import Settings
from bot.log import get_logger, setup_logging
from bot.progress.learners import LearnerService

log = get_logger(__name__)

# one extension per area; each ends with `async def setup(bot)`
EXTENSIONS: tuple[str, ...] = (
    "bot.cogs.lessons",
    "bot.cogs.quiz",
    "bot.cogs.review",
    "bot.cogs.training",
    "bot.cogs.visuals",
    "bot.cogs.progress",
    "bot.cogs.glossary",
    "bot.cogs.settings",
    "bot.cogs.help",
    "bot.cogs.chat",
    "bot.cogs.admin",
)


class TutorBot(commands.Bot):
    """The Discord front door: slash commands, buttons and mentions over one `Tutor`."""

    def __init__(self, tutor: Tutor, *, sync_commands: bool = True) -> None:
        # Message content of mentions and DMs arrives without the privileged intent.
        intents = discord.Intents.default()
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            tree_cls=TutorTree,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.tutor = tutor
        self.sync_commands = sync_commands
        self.live_views: dict[tuple[str, int], TimedView] = {}  # one live timed view per (kind, learner)
        self.train_cooldowns: dict[int, float] = {}  # learner -> monotonic time of their last request
        self.learners = LearnerService(tutor.sessions)
        self._members_seen: set[tuple[int, int]] = set()  # (guild, learner) already recorded

    async def setup_hook(self) -> None:
        """Translator, cogs, persistent buttons, then the command sync (dev guild or global)."""
        await self.tree.set_translator(HindiTranslator())
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for name in EXTENSIONS:
            await self.load_extension(name)
        if self.sync_commands:
            await self.sync_tree()

    async def sync_tree(self) -> list[discord.app_commands.AppCommand]:
        """Sync commands to `settings.dev_guild` (instant) when set, else globally."""
        guild_id = self.tutor.settings.dev_guild
        if guild_id is None:
            synced = await self.tree.sync()
        else:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        log.info("synced %d commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")
        return synced

    async def note_member(self, guild_id: int, user: discord.abc.User) -> None:
        """Record (once per process) that `user` learns in `guild_id`, for its leaderboard."""
        if (guild_id, user.id) in self._members_seen:
            return
        await self.learners.join_guild(user.id, guild_id, user.display_name)
        self._members_seen.add((guild_id, user.id))

    async def on_ready(self) -> None:
        log.info("connected as %s (%s guilds)", self.user, len(self.guilds))
        if not self.heartbeat.is_running():
            self.heartbeat.start()

    async def on_message(self, message: discord.Message) -> None:
        """Mentions and DMs are handled by the chat cog; there are no prefix commands."""

    @tasks.loop(seconds=HEARTBEAT_INTERVAL_SECONDS)
    async def heartbeat(self) -> None:
        """Tell `python -m bot health` that the gateway is connected."""
        if self.is_ready() and not self.is_closed():
            latency = self.latency if self.latency == self.latency else None  # NaN before the first beat
            self.tutor.write_heartbeat(latency=latency, guilds=len(self.guilds))

    async def close(self) -> None:
        self.heartbeat.cancel()
        await super().close()


async def run_bot(settings: Settings) -> None:
    """Migrate, load content, warm the pool, then connect to Discord until stopped (SIGINT/SIGTERM)."""
    if settings.discord_token is None:
        raise ValueError("run_bot needs settings.discord_token")
    token = settings.discord_token.get_secret_value()
    setup_logging(settings.log_level, secrets=[token])
    tutor = await Tutor.create(settings)
    try:
        async with TutorBot(tutor) as bot:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
            await bot.start(token)
    finally:
        await tutor.close()
