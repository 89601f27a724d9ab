"""The distributed backend for real (issue 13): one redis-server, two `python -m bot worker` commands and
two `python -m bot` processes (one shard each) over one fake Discord.

One test walks the scenarios on the same processes (a start costs seconds on a small machine): a class
burst served by both workers; a learner's compute budget spent on one process refused on the other; a
Cancel pressed on the process that does not follow the job; a worker killed mid-job (the job runs again
elsewhere, or is reported `worker_crashed`) while the other bot process is killed mid-job and started
again (the new process edits the learner's placeholder into the result). A lighter test: without a
broker, the same burst across the two processes' local pools.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.bot_process import BotProcess, Member, Server
from tests.e2e.fake_discord import APPLICATION_ID, FakeDiscord, Recorded
from tests.e2e.test_sharding import guild_on_shard
from tests.training.redis_server import bot_workers, redis_server, require_redis_server, wait_for_workers

pytestmark = pytest.mark.slow

SHARDS = 2
PNG = b"\x89PNG\r\n\x1a\n"
LONG = {"dataset": "spiral", "hidden": "64,64", "epochs": 5000}  # seconds of training: time to act mid-job
TOKEN = "FAKE.distributed-bot-token.e2e"


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A redis-server and two worker commands (one worker process each) serving it; its URL."""
    require_redis_server()  # only the queue's scenario: the local pool's runs without Redis
    with redis_server() as url, bot_workers(url, 2):
        yield url


def _bot(tmp_path: Path, fake: FakeDiscord, shard: int, broker: str | None) -> BotProcess:
    folder = tmp_path / f"shard{shard}"
    folder.mkdir(exist_ok=True)
    env = {
        "TUTOR_SHARD_COUNT": str(SHARDS),
        "TUTOR_SHARD_IDS": str(shard),
        "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",  # shared by both
        "TUTOR_PICTURE_WORKERS": "0",
        "TUTOR_LOG_LEVEL": "INFO",
        # one run uses a learner's whole budget: their next one, on either process, is refused
        "TUTOR_TRAINING_BUDGET_SECONDS": "1",
        "TUTOR_TRAINING_MIN_CHARGE_SECONDS": "1",
    }
    if broker is not None:
        env["TUTOR_BROKER_URL"] = broker
    return BotProcess(folder, fake=fake, token=TOKEN, env=env)


def _train(member: Member, **options: Any) -> dict[str, Any]:
    """A /train interaction of `member` with `options` (sent with `fake.dispatch`, not waited for)."""
    synced = next(c for c in member.server.fake.commands["global"] if c["name"] == "train")
    types = {o["name"]: o["type"] for o in synced.get("options", [])}
    given = [{"name": name, "type": types[name], "value": value} for name, value in options.items()]
    data = {"id": synced["id"], "name": "train", "type": 1, "options": given}
    return member._interaction(2, data, member.server.channel())


def _original(token: str, record: Recorded) -> bool:
    return (
        record.method == "PATCH" and record.path == f"/webhooks/{APPLICATION_ID}/{token}/messages/@original"
    )


def _content(record: Recorded) -> str:
    body = record.body if isinstance(record.body, dict) else {}
    return str(body.get("content") or "")


async def _result(fake: FakeDiscord, token: str, timeout: float = 120) -> Recorded:
    """The placeholder of `token` edited into a run's result (its PNGs) or into a line without progress."""

    def answered(record: Recorded) -> bool:
        return _original(token, record) and (bool(record.files) or "Run cancelled" in _content(record))

    return await fake.wait_for(answered, timeout=timeout)


async def _running(fake: FakeDiscord, token: str, timeout: float = 90) -> Recorded:
    """The first progress edit of `token`'s placeholder that shows the job running (an epoch count)."""

    def running(record: Recorded) -> bool:
        return _original(token, record) and "░" in _content(record)  # its progress bar

    return await fake.wait_for(running, timeout=timeout)


def _job_of(log: str, learner: int) -> str:
    found = re.findall(rf"delivery of job (\w+) recorded for learner {learner}\b", log)
    assert len(found) == 1, (learner, [line[-90:] for line in log.splitlines() if "recorded" in line])
    return str(found[0])


async def _pid_running(bot: BotProcess, job: str, timeout: float = 30) -> int:
    """The pid of the worker process that started `job`, as the bot following it logged."""
    for _ in range(int(timeout / 0.2)):
        found = re.findall(rf"job {job} started on worker \S+ \(pid (\d+)", bot.output.decode())
        if found:
            return int(found[-1])
        await asyncio.sleep(0.2)
    raise AssertionError(f"job {job} was not seen starting")


async def _kill(bot: BotProcess) -> str:
    """SIGKILL the bot process (no goodbye, no handing over); its log."""
    process = bot._process
    assert process is not None
    process.kill()
    await process.wait()
    return await bot.stop()


async def test_two_bots_and_two_workers_serve_a_class_survive_kills_and_cancel_across(
    tmp_path: Path, cluster: str
) -> None:
    fake = FakeDiscord(shard_count=SHARDS)
    await fake.start()
    bots = [_bot(tmp_path, fake, shard, cluster) for shard in range(SHARDS)]
    logs: list[str] = []
    try:
        for bot in bots:  # one after the other: the first migrates the shared database
            await bot.start()
        servers = [Server(fake, guild_id=guild_on_shard(shard)) for shard in range(SHARDS)]

        # (a) a class burst: eight learners, four on each shard's server, all at once
        burst = [servers[i % SHARDS].member(f"pupil{i}") for i in range(8)]
        asked = [_train(m, dataset="xor", optimizer="adam", epochs=300, seed=i) for i, m in enumerate(burst)]
        await asyncio.gather(*(fake.dispatch("INTERACTION_CREATE", payload) for payload in asked))
        results = await asyncio.gather(*(_result(fake, payload["token"]) for payload in asked))
        for result in results:
            assert sorted(result.files) == ["decision_boundary.png", "loss_curve.png"]
            assert all(data.startswith(PNG) for data in result.files.values())
        started = "".join(bot.output.decode() for bot in bots)
        workers = set(re.findall(r"started on worker (\S+) \(pid", started))
        assert len(workers) == 2, workers  # both worker processes served the class

        # (e) the budget holds across both bot processes: the same person, who used theirs in shard 0's
        # server, is refused in shard 1's (both processes read the charges in Redis)
        spender = servers[0].member("spender")
        first = _train(spender, dataset="xor", optimizer="adam", epochs=300)
        await fake.dispatch("INTERACTION_CREATE", first)
        assert (await _result(fake, first["token"])).files
        again = _train(servers[1].member("spender", user_id=spender.id), dataset="xor", epochs=300)
        await fake.dispatch("INTERACTION_CREATE", again)
        refused = await fake.wait_for(
            lambda r: again["token"] in r.path.split("/") and "used your training time" in json.dumps(r.body),
            timeout=60,
        )
        assert not refused.files
        assert [d[0] for d in fake.delivered if d[2].get("token") == again["token"]] == [1]

        # (d) Cancel pressed on shard 0's process for a run shard 1's process follows
        stopper = servers[1].member("stopper")
        long_run = _train(stopper, **LONG)
        await fake.dispatch("INTERACTION_CREATE", long_run)
        shown = await _running(fake, long_run["token"])
        message = fake._message(shown.body)
        message["channel_id"] = str(servers[1].channel_id)
        click = stopper._interaction(
            3,
            {"custom_id": f"tr:stop:{stopper.id}", "component_type": 2},
            servers[1].channel(),
            message=message,
        )
        await fake.dispatch("INTERACTION_CREATE", click, shard=0)
        cancelled = await _result(fake, long_run["token"], timeout=30)
        assert "Run cancelled" in cancelled.body["content"] and not cancelled.files
        assert any(r.path.endswith(f"/{click['token']}/callback") for r in fake.requests)

        # (b) + (c): a worker killed under shard 0's run while shard 1's process is killed under its own
        crashed = servers[0].member("crashed")
        orphan = servers[1].member("orphan")
        runs = [_train(crashed, **LONG), _train(orphan, **LONG)]
        for payload in runs:
            await fake.dispatch("INTERACTION_CREATE", payload)
        shown_runs = await asyncio.gather(*(_running(fake, payload["token"]) for payload in runs))
        assert all("epoch" in _content(r) for r in shown_runs), [_content(r) for r in shown_runs]
        job = _job_of(bots[0].output.decode(), crashed.id)
        killed = await _pid_running(bots[0], job)
        os.kill(killed, signal.SIGKILL)
        logs.append(await _kill(bots[1]))
        fake.identify_payloads.pop(1)  # the next identify of shard 1 is the new process's
        bots[1] = _bot(tmp_path, fake, 1, cluster)
        await bots[1].start()

        rerun = await fake.wait_for(
            lambda r: (
                _original(runs[0]["token"], r)
                and (bool(r.files) or "crashed" in ((r.body or {}).get("content") or ""))
            ),
            timeout=150,
        )
        if rerun.files:  # it ran again on a live worker
            assert re.search(
                rf"job {job} started on worker \S+ \(pid \d+, attempt 2\)", bots[0].output.decode()
            )
        alive = await asyncio.to_thread(wait_for_workers, cluster, 2)  # the killed one was replaced
        assert killed not in alive.values()
        delivered = await _result(fake, runs[1]["token"], timeout=150)
        assert sorted(delivered.files) == ["decision_boundary.png", "loss_curve.png"]
        assert "taken over from a stopped bot process" in bots[1].output.decode()
    finally:
        for bot in reversed(bots):
            logs.append(await bot.stop())
        await fake.close()
    for log in logs:
        assert TOKEN not in log
        for payload in (long_run, *runs):  # interaction tokens, handed over through Redis, unlogged
            assert payload["token"] not in log


async def test_without_a_broker_a_burst_across_two_shard_processes_is_answered(tmp_path: Path) -> None:
    fake = FakeDiscord(shard_count=SHARDS)
    await fake.start()
    bots = [_bot(tmp_path, fake, shard, None) for shard in range(SHARDS)]
    try:
        for bot in bots:
            await bot.start()
        servers = [Server(fake, guild_id=guild_on_shard(shard)) for shard in range(SHARDS)]
        burst = [servers[i % SHARDS].member(f"pupil{i}") for i in range(4)]
        asked = [_train(m, dataset="xor", optimizer="adam", epochs=300, seed=i) for i, m in enumerate(burst)]
        await asyncio.gather(*(fake.dispatch("INTERACTION_CREATE", payload) for payload in asked))
        for result in await asyncio.gather(*(_result(fake, p["token"], timeout=240) for p in asked)):
            assert sorted(result.files) == ["decision_boundary.png", "loss_curve.png"]
        answered_by = {shard for shard, event, _ in fake.delivered if event == "INTERACTION_CREATE"}
        assert answered_by == {0, 1}
    finally:
        for bot in reversed(bots):
            await bot.stop()
        await fake.close()
