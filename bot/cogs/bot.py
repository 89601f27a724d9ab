"""`TutorBot` (commands.Bot around a `Tutor`) and `run_bot(settings)`, the Discord entry point."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from typing import TYPE_CHECKING

import discord
from discord.ext import commands, tasks

from bot import heartbeat
from bot.cogs.buttons import TimedView, set_error_handler
from bot.cogs.errors import TutorTree, handle_error
from bot.cogs.resume import resume_deliveries
from bot.cogs.translator import HindiTranslator
from bot.config import Settings
from bot.core.tutor import Tutor, freeze_start_up_objects
from bot.log import get_logger, setup_logging
from bot.loop_lag import TICK_SECONDS, LoopLag

if TYPE_CHECKING:  # prometheus_client is imported only when metrics are served
    from bot.metrics import Metrics, MetricsServer

log = get_logger(__name__)

# one extension per feature; each ends with `async def setup(bot)`
EXTENSIONS: tuple[str, ...] = (
    "bot.cogs.lessons",
    "bot.cogs.quiz",
    "bot.cogs.training",
    "bot.cogs.teaching",
    "bot.cogs.progress",
    "bot.cogs.glossary",
    "bot.cogs.language",
    "bot.cogs.help",
    "bot.cogs.chat",
    "bot.cogs.admin",
    "bot.cogs.teacher",
)


def gateway_intents() -> discord.Intents:
    """The gateway events the bot asks Discord for: only what its features read, nothing privileged."""
    # Slash commands, buttons and forms arrive as interactions, which need no intent at all.
    return discord.Intents(
        # servers, their channels, threads and roles: a mention's server (its locale, whether it is a
        # server at all), the bot's own member and a member's roles (teacher rights), the learner's
        # own thread found again in the cache
        guilds=True,
        # MESSAGE_CREATE in servers: the chat cog answers mentions there; Discord sends a message's
        # text to a bot without `message_content` when the bot is mentioned in it
        guild_messages=True,
        # MESSAGE_CREATE in DMs: the chat cog answers every DM; a DM's text needs no privileged intent
        dm_messages=True,
        # Not asked for: message_content, members, presences (privileged, and not read: a member's
        # roles and permissions come with the message or interaction that names them), reactions,
        # typing, voice, invites, emojis, webhooks, integrations, moderation, scheduled events,
        # auto-moderation and polls (no feature reads them).
    )


class TutorBot(commands.AutoShardedBot):
    """The Discord front door: slash commands, buttons and mentions over one `Tutor`."""

    def __init__(self, tutor: Tutor, *, sync_commands: bool = True) -> None:
        settings = tutor.settings
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=gateway_intents(),
            help_command=None,
            tree_cls=TutorTree,
            allowed_mentions=discord.AllowedMentions.none(),
            # unset: discord.py asks Discord for the recommended count and runs every shard itself
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids,  # type: ignore[arg-type]  # None is its default: every shard
        )
        self.tutor = tutor
        # Commands are global to the application: one process syncs them (the one running shard 0),
        # so processes starting together do not overwrite each other's sync.
        self.sync_commands = sync_commands and settings.runs_shard_zero
        self.live_views: dict[tuple[str, int], TimedView] = {}  # one live timed view per (kind, learner)
        self.command_ids: dict[str, int] = {}  # from the sync (or as read): replies mention commands by id
        self.lag = LoopLag()  # its figures go in the heartbeat file and the log at close
        # no port, no series: nothing is counted or served (nor prometheus_client imported)
        self.metrics: Metrics | None = None
        if tutor.settings.metrics_port is not None:
            from bot.metrics import Metrics

            self.metrics = Metrics()
        self.metrics_server: MetricsServer | None = None
        self.resuming: asyncio.Task[None] | None = None  # finishing other processes' deliveries

    async def setup_hook(self) -> None:
        """Translator, cogs (each adds its persistent buttons), then the command sync (or the synced ids)."""
        self.lag.restart()
        self.sample_lag.start()
        set_error_handler(handle_error)
        await self.tree.set_translator(HindiTranslator())
        for name in EXTENSIONS:
            await self.load_extension(name)
        if self.sync_commands:
            await self.sync_tree()
        else:
            await self.fetch_command_ids()
        if self.metrics is not None:
            self.serve_metrics(self.metrics)

    def serve_metrics(self, metrics: Metrics) -> None:
        """Watch the gateway and the pool, and serve `/metrics` on the configured address and port."""
        from bot.metrics import on_loop

        settings = self.tutor.settings
        assert settings.metrics_port is not None
        loop = asyncio.get_running_loop()
        metrics.watch_gateway(on_loop(loop, self.gateway_latencies))
        metrics.watch_pool(on_loop(loop, self.tutor.pool.stats))
        try:
            self.metrics_server = metrics.serve(settings.metrics_port, settings.metrics_address)
        except OSError as exc:  # the port is taken, or the address is not this machine's
            raise MetricsUnavailable(
                f"cannot serve metrics on {settings.metrics_address}:{settings.metrics_port}: "
                f"{exc.strerror or exc} (check TUTOR_METRICS_PORT and TUTOR_METRICS_ADDRESS)"
            ) from exc
        self.tutor.pool.watchers.append(metrics)
        log.info("metrics on http://%s:%d/metrics", settings.metrics_address, self.metrics_server.port)

    def gateway_latencies(self) -> list[tuple[int | None, float]]:
        """Heartbeat latency in seconds of each gateway shard this process runs (NaN before its first)."""
        return list(self.latencies)

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
        self.command_ids = {command.name: command.id for command in synced}
        return synced

    async def fetch_command_ids(self) -> None:
        """The ids of the commands as last synced (by the process running shard 0), for mentions."""
        guild_id = self.tutor.settings.dev_guild
        log.info("commands not synced here: the process running shard 0 syncs them")
        try:
            known = await self.tree.fetch_commands(guild=discord.Object(guild_id) if guild_id else None)
        except discord.HTTPException as exc:  # replies then name commands as plain text
            log.warning("could not read the synced commands: %s", exc)
            return
        self.command_ids = {command.name: command.id for command in known}

    async def on_ready(self) -> None:
        shards = sorted(self.shards)
        log.info(
            "connected as %s (%s guilds; shards %s of %s)",
            self.user,
            len(self.guilds),
            ",".join(map(str, shards)),
            self.shard_count,
        )
        if not self.beat.is_running():
            self.beat.start()
        if self.resuming is None and self.tutor.handover is not None:
            # once, when first connected: the answers a stopped bot process could not deliver
            self.resuming = asyncio.create_task(resume_deliveries(self), name="resume-deliveries")

    async def on_message(self, message: discord.Message) -> None:
        """Mentions and DMs are handled by the chat cog; there are no prefix commands."""

    @tasks.loop(seconds=heartbeat.INTERVAL_SECONDS)
    async def beat(self) -> None:
        """Tell `python -m bot health` that the gateway is connected."""
        if self.is_ready() and not self.is_closed():
            latency = self.latency if self.latency == self.latency else None  # NaN before the first beat
            heartbeat.write_heartbeat(
                self.tutor.settings.heartbeat_file,
                latency=latency,
                guilds=len(self.guilds),
                **self.lag.summary(),
            )

    # A tasks.loop, not a bare sleeping task: discord.py stops it with the bot, and test harnesses
    # (SimCord) know it as an intentional wait rather than work still running.
    @tasks.loop(seconds=TICK_SECONDS)
    async def sample_lag(self) -> None:
        """One tick of the event-loop lag sampler."""
        self.lag.ticked(asyncio.get_running_loop().time())

    def stop_metrics(self) -> None:
        """Stop serving `/metrics` (freeing the port) and stop hearing from the pool."""
        if self.metrics_server is not None:
            self.metrics_server.close()
            self.metrics_server = None
        if self.metrics is not None and self.metrics in self.tutor.pool.watchers:
            self.tutor.pool.watchers.remove(self.metrics)

    async def close(self) -> None:
        self.tutor.hand_over()  # jobs being followed are left to the next bot process to deliver
        self.beat.cancel()
        self.stop_metrics()
        if self.sample_lag.is_running():
            self.sample_lag.cancel()
            log.info("event-loop lag over the run: %s", json.dumps(self.lag.summary()))
        await super().close()


class LoginRefused(RuntimeError):
    """Discord rejected the token; the message is one line for the operator, without the token."""


class MetricsUnavailable(RuntimeError):
    """`/metrics` could not be served where the settings say; one line for the operator."""


async def run_bot(settings: Settings) -> None:
    """Migrate, load content, warm the pool, then connect to Discord until stopped (SIGINT/SIGTERM)."""
    if settings.discord_token is None:
        raise ValueError("run_bot needs settings.discord_token")
    token = settings.discord_token.get_secret_value()
    setup_logging(settings.log_level, secrets=[token])
    tutor = await Tutor.create(settings)
    freeze_start_up_objects()
    try:
        async with TutorBot(tutor) as client:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, lambda: asyncio.ensure_future(client.close()))
            try:
                await client.start(token)
            except discord.LoginFailure as exc:  # the operator reads one line, not a traceback
                raise LoginRefused(
                    "Discord refused the token: check DISCORD_TOKEN (Developer Portal → Bot → Reset Token)"
                ) from exc
    finally:
        await tutor.close()
