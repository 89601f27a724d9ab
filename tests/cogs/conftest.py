"""SimCord harness: the real TutorBot and a real Tutor (fresh SQLite database per test) against a
simulated Discord, sharing one warm training pool (real worker processes) for the whole session.

The pool lives on its own event loop in a background thread, so it survives the per-test loops
(warming a worker costs seconds); `ThreadedPool` hands jobs to it with the pool's own interface.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest
import pytest_asyncio
import simcord
from simcord import interactions as simcord_interactions

from bot.cogs.bot import TutorBot
from bot.config import Settings
from bot.core.tutor import Tutor
from bot.training.executor import Job
from bot.training.jobs import training_pool


class ThreadedPool:
    """A warm `TrainingPool` running on a background event loop, with the same `submit` interface."""

    def __init__(self, workers: int = 1) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test-pool-loop", daemon=True)
        self.thread.start()
        self.pool = training_pool(workers=workers, timeout_seconds=60.0, picture_workers=0)
        asyncio.run_coroutine_threadsafe(self.pool.__aenter__(), self.loop).result(timeout=240)

    async def submit(
        self, job: Job, *, learner: str, server: Any = None, on_queued: Any = None, on_progress: Any = None
    ) -> Any:
        """Run `job` on the warm pool; `on_queued` and `on_progress` are called back on the caller's loop."""
        caller = asyncio.get_running_loop()
        context = contextvars.copy_context()  # the bot's: SimCord serves its HTTP calls only there

        async def on_caller(callback: Any, value: Any) -> None:
            """Await `callback(value)` on the caller's loop, in the caller's context."""
            done: concurrent.futures.Future[None] = concurrent.futures.Future()

            def finished(task: asyncio.Task[None]) -> None:
                if task.cancelled():
                    done.cancel()
                elif task.exception() is not None:
                    done.set_exception(task.exception())
                else:
                    done.set_result(None)

            def start() -> None:
                caller.create_task(callback(value), context=context).add_done_callback(finished)

            caller.call_soon_threadsafe(start)
            await asyncio.wrap_future(done)

        async def queued(position: int) -> None:
            if on_queued is not None:
                await on_caller(on_queued, position)

        async def progress(report: Any) -> None:
            if on_progress is not None:
                await on_caller(on_progress, report)

        work = self.pool.submit(job, learner=learner, server=server, on_queued=queued, on_progress=progress)
        # An empty context: the pool's loop must not inherit SimCord's "this is bot work" marker.
        future = contextvars.Context().run(asyncio.run_coroutine_threadsafe, work, self.loop)
        return await asyncio.wrap_future(future)

    @property
    def watchers(self) -> list[Any]:
        """The pool's job watchers (the bot's metrics), told on the pool's loop."""
        return self.pool.watchers

    def stats(self) -> dict[str, Any]:
        """The pool's health figures."""
        return self.pool.stats()

    def close(self) -> None:
        """Stop the workers and the background loop."""
        asyncio.run_coroutine_threadsafe(self.pool.close(), self.loop).result(timeout=60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def pool() -> Iterator[ThreadedPool]:
    """One warm worker (torch imported, optimizer built, figure drawn) shared by every test."""
    threaded = ThreadedPool(workers=1)
    yield threaded
    threaded.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test: its own database and heartbeat file (the shared pool has no budget)."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        heartbeat_file=tmp_path / "heartbeat.json",
        default_language="en",
    )


@pytest_asyncio.fixture
async def tutor(settings: Settings, pool: ThreadedPool) -> AsyncIterator[Tutor]:
    """A real Tutor on a fresh database (migrated), using the session's warm pool."""
    made = await Tutor.create(settings, start_pool=False)
    made.pool = pool  # type: ignore[assignment]  # the same interface, on a warm background loop
    yield made
    await made.engine.dispose()


@pytest.fixture
def locales(monkeypatch: pytest.MonkeyPatch) -> dict[int, str]:
    """user id -> Discord client locale for the interactions SimCord sends (default en-US)."""
    chosen: dict[int, str] = {}
    original = simcord_interactions.base_payload

    def with_locale(backend: Any, **kwargs: Any) -> Any:
        record, payload = original(backend, **kwargs)
        payload["locale"] = chosen.get(kwargs["user_id"], "en-US")
        return record, payload

    monkeypatch.setattr(simcord_interactions, "base_payload", with_locale)
    return chosen


@pytest_asyncio.fixture
async def env(
    tutor: Tutor, locales: dict[int, str], request: pytest.FixtureRequest
) -> AsyncIterator[simcord.Env]:
    """A running SimCord environment with the TutorBot logged in and its commands synced."""
    marker = request.node.get_closest_marker("simcord")
    options = {"settle_timeout": 20.0, **(marker.kwargs if marker else {})}
    sim = simulated(TutorBot(tutor), **options)
    await sim.start()
    try:
        yield sim
    finally:
        await sim.shutdown()
        if sim.check_errors:
            sim._raise_errors_since(sim._errors_acknowledged)


def simulated(bot: TutorBot, **options: Any) -> simcord.Env:
    """A SimCord environment around `bot`; unsharded settings get the one shard that Discord recommends
    to a small bot (SimCord has no /gateway/bot to ask)."""
    if bot.shard_count is None:
        options.setdefault("shard_count", 1)
    return simcord.Env(bot, **options)


class World:
    """A server with a #learn channel and two learners, alice and bob."""

    def __init__(self, env: simcord.Env) -> None:
        self.env = env
        self.guild = env.create_guild()
        self.channel = self.guild.create_text_channel("learn")
        self.alice = self.guild.add_member(env.create_user("alice"))
        self.bob = self.guild.add_member(env.create_user("bob"))

    @property
    def last(self) -> discord.Message:
        """The newest message in #learn (a pager or quiz message is edited in place)."""
        message = self.channel.last_message
        assert message is not None, "nothing was posted in #learn"
        return message


@pytest.fixture
def world(env: simcord.Env) -> World:
    """Alice and Bob in a server with the tutor."""
    return World(env)


def embed_text(embed: discord.Embed) -> str:
    """Everything readable in an embed, for assertions."""
    parts = [embed.title or "", embed.description or "", embed.footer.text or ""]
    parts += [f"{f.name}\n{f.value}" for f in embed.fields]
    return "\n".join(parts)


def custom_ids(components: list[dict[str, Any]]) -> list[str]:
    """Every custom id in a message's component rows."""
    found: list[str] = []
    for row in components:
        for item in row.get("components", []):
            if "custom_id" in item:
                found.append(item["custom_id"])
    return found


def callback_types(env: simcord.Env) -> list[int]:
    """The response type of every interaction callback the bot sent (5 = deferred, 4 = message)."""
    return [
        int(entry.json["type"])
        for entry in env.http_requests
        if entry.path.endswith("/callback") and isinstance(entry.json, dict)
    ]
