"""`TUTOR_METRICS_PORT`: the bot serves `/metrics`, commands and refusals move its counters; unset, nothing
listens."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio
import simcord
from pydantic import SecretStr

from bot import config
from bot import metrics as metrics_module
from bot.cli import run as run_cli
from bot.cogs.bot import TutorBot
from bot.cogs.errors import NotOwner
from bot.config import Settings
from bot.core.tutor import Tutor
from tests.cogs.conftest import World, simulated


def free_port() -> int:
    """A TCP port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The harness's settings with metrics served on a free port of the loopback."""
    return Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        heartbeat_file=tmp_path / "heartbeat.json",
        default_language="en",
        metrics_port=free_port(),
    )


@pytest_asyncio.fixture
async def served(env: simcord.Env) -> AsyncIterator[TutorBot]:
    """The bot serving `/metrics`; stopped afterwards (SimCord detaches the bot without closing it)."""
    assert isinstance(env.bot, TutorBot) and env.bot.metrics_server is not None
    yield env.bot
    env.bot.stop_metrics()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode())


async def scrape(settings: Settings) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """(name, labels) → value of every sample `/metrics` serves now, fetched over HTTP off the loop."""
    text = await asyncio.to_thread(_get, f"http://127.0.0.1:{settings.metrics_port}/metrics")
    return {(name, frozenset(labels.items())): value for name, labels, value in metrics_module.samples(text)}


def sample(scraped: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    """One sample's value, 0 when the series has no such sample yet."""
    return scraped.get((name, frozenset(labels.items())), 0.0)


async def test_a_scrape_sees_the_counters_move_when_commands_run(
    world: World, env: simcord.Env, settings: Settings, served: TutorBot
) -> None:
    before = await scrape(settings)
    helped = await world.alice.slash(world.channel, "help")
    assert helped.response is not None
    refused = await world.alice.slash(world.channel, "reload-content")  # for the bot's owner only
    assert refused.response is not None and "bot owner" in (refused.response.content or "")
    after = await scrape(settings)

    ok = {"command": "help", "outcome": "ok"}
    assert sample(after, "tutor_commands_total", **ok) == sample(before, "tutor_commands_total", **ok) + 1
    no = {"command": "reload-content", "outcome": "refused"}
    assert sample(after, "tutor_commands_total", **no) == sample(before, "tutor_commands_total", **no) + 1
    assert sample(after, "tutor_refusals_total", code="owner_only") == 1
    assert sample(after, "tutor_reply_seconds_count", command="help") == 1
    assert sample(after, "tutor_commands_total", command="help", outcome="failed") == 0
    # read at scrape time: the session's pool has its one warm training worker
    assert sample(after, "tutor_workers_alive", lane="training") == 1
    assert ("tutor_jobs_waiting", frozenset({("lane", "training")})) in after
    assert [type(error) for error in env.errors] == [NotOwner]


async def test_a_command_that_breaks_is_counted_as_failed_and_not_as_a_refusal(
    world: World,
    env: simcord.Env,
    tutor: Tutor,
    settings: Settings,
    served: TutorBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(tutor.learners, "set_language", broken)
    result = await world.alice.slash(world.channel, "language", name="hi")
    assert result.response is not None and "reference `" in (result.response.content or "")
    after = await scrape(settings)
    assert sample(after, "tutor_commands_total", command="language", outcome="failed") == 1
    assert sample(after, "tutor_commands_total", command="language", outcome="ok") == 0
    assert not any(name == "tutor_refusals_total" for name, _ in after)
    assert len(env.errors) == 1


async def test_a_refused_mention_is_counted_by_its_code(
    world: World, env: simcord.Env, settings: Settings, served: TutorBot
) -> None:
    assert env.bot.user is not None
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> train xor for 100000 epochs")
    after = await scrape(settings)
    refused = {labels: value for (name, labels), value in after.items() if name == "tutor_refusals_total"}
    assert refused == {frozenset({("code", "too_many_epochs")}): 1.0}, world.last.content


async def test_a_training_run_is_timed_in_the_job_histograms(
    world: World, settings: Settings, served: TutorBot
) -> None:
    before = await scrape(settings)
    run = await world.alice.slash(world.channel, "train", dataset="and", optimizer="sgd", epochs=20)
    assert run.response is not None
    after = await scrape(settings)
    for name in ("tutor_job_wait_seconds_count", "tutor_job_run_seconds_count"):
        assert sample(after, name, lane="training") >= sample(before, name, lane="training") + 1, name
    train_ok = {"command": "train", "outcome": "ok"}
    assert sample(after, "tutor_commands_total", **train_ok) == 1
    assert sample(after, "tutor_reply_seconds_sum", command="train") >= sample(
        after, "tutor_job_run_seconds_sum", lane="training"
    )


async def test_a_stopped_bot_serves_nothing_and_hears_nothing_from_the_pool(
    settings: Settings, served: TutorBot
) -> None:
    assert served.metrics in served.tutor.pool.watchers
    assert settings.metrics_port in _listening_ports()
    assert "tutor_commands_total" in await asyncio.to_thread(
        _get, f"http://127.0.0.1:{settings.metrics_port}/metrics"
    )
    served.stop_metrics()
    assert served.metrics not in served.tutor.pool.watchers
    assert settings.metrics_port not in _listening_ports()
    with pytest.raises(urllib.error.URLError):
        await asyncio.to_thread(_get, f"http://127.0.0.1:{settings.metrics_port}/metrics")


async def test_the_gateway_latency_is_reported_for_each_shard_this_process_runs(
    tutor: Tutor, settings: Settings
) -> None:
    # shards 1 and 2 of three: shard 0 runs in another process, whose own /metrics reports it
    tutor.settings.shard_count, tutor.settings.shard_ids = 3, [1, 2]
    sim = simulated(TutorBot(tutor), settle_timeout=20.0)
    await sim.start()
    try:
        scraped = await scrape(settings)
        shards = {
            dict(labels)["shard"] for name, labels in scraped if name == "tutor_gateway_latency_seconds"
        }
        assert shards == {"1", "2"}
        assert sample(scraped, "tutor_gateway_latency_seconds", shard="2") == 0.0  # SimCord's latency
    finally:
        assert isinstance(sim.bot, TutorBot)
        sim.bot.stop_metrics()
        await sim.shutdown()


def _listening_ports() -> set[int]:
    """Local ports of the TCP sockets this process listens on (Linux /proc)."""
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = fd.readlink()
        except OSError:
            continue
        if str(target).startswith("socket:["):
            inodes.add(str(target)[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


async def test_without_a_port_nothing_is_counted_or_served(
    tutor: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    tutor.settings.metrics_port = None  # this module's settings set one: the default is none

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("a metrics server was started without TUTOR_METRICS_PORT")

    monkeypatch.setattr(metrics_module, "start_http_server", forbidden)
    listening = _listening_ports()
    sim = simulated(TutorBot(tutor), settle_timeout=20.0)
    await sim.start()
    try:
        world = World(sim)
        helped = await world.alice.slash(world.channel, "help")
        assert helped.response is not None
        assert isinstance(sim.bot, TutorBot)
        assert sim.bot.metrics is None and sim.bot.metrics_server is None
        assert _listening_ports() == listening
        assert tutor.pool.watchers == []
    finally:
        await sim.shutdown()


def test_a_taken_metrics_port_ends_the_bot_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = "MTIzNDU2Nzg5.accepted-token.abcdefghijklmnop"
    original_create = Tutor.create

    async def without_workers(cls: type[Tutor], conf: Settings, **_: object) -> Tutor:
        return await original_create(conf, start_pool=False)

    async def logged_in(self: discord.Client, token: str) -> None:  # what login does after Discord's yes
        await self.setup_hook()

    async def no_sync(self: TutorBot) -> list[discord.app_commands.AppCommand]:
        return []

    root = logging.getLogger()  # run_bot configures the root logger: undone after the test
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(root, "_tutor_configured", False, raising=False)
    monkeypatch.setattr(Tutor, "create", classmethod(without_workers))
    monkeypatch.setattr(discord.Client, "login", logged_in)
    monkeypatch.setattr(TutorBot, "sync_tree", no_sync)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        settings = Settings(
            _env_file=None,
            discord_token=SecretStr(token),
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
            heartbeat_file=tmp_path / "heartbeat.json",
            metrics_port=port,
        )
        monkeypatch.setattr(config, "get_settings", lambda: settings)
        code = run_cli.run(argparse.Namespace())

    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines()[-1].startswith(f"cannot serve metrics on 127.0.0.1:{port}: ")
    assert "Traceback" not in err and token not in err


def test_without_a_port_the_bot_does_not_even_import_prometheus_client() -> None:
    script = (
        "import sys\n"
        "import bot.cli.run, bot.cogs.bot, bot.cogs.errors, bot.cogs.context, bot.training.executor\n"
        "print('prometheus_client' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
