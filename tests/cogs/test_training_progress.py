"""A run's live progress in Discord: one message, edited at most every 1.5 s while the job waits and
runs, with a Cancel button only its learner may use, and finally edited into the result (or the
"cancelled" line) — no edit after that, nothing left behind."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
import simcord

from bot.cogs import status as cog_status
from bot.core.status import JobReport
from bot.core.tutor import Tutor
from bot.training.executor import Job
from bot.training.results import Progress
from tests.cogs.conftest import ThreadedPool, World, custom_ids


@dataclass
class FakeClock:
    """The time the throttle reads; the fake job moves it on."""

    now: float = 0.0


class ReportingPool:
    """The session's warm pool behind a job that first waits at place 2 and reports `steps` steps of
    progress, the clock moving `step_seconds` each; `hold` keeps the job running (a wait SimCord knows)
    until the test cancels it."""

    def __init__(
        self, pool: ThreadedPool, clock: FakeClock, env: simcord.Env, *, steps: int, hold: bool = False
    ) -> None:
        self.pool, self.clock, self.env = pool, clock, env
        self.steps, self.hold = steps, hold
        self.released = asyncio.Event()

    def stats(self) -> dict[str, Any]:
        return {"warming": 0, "running": 1}

    async def submit(
        self, job: Job, *, learner: str, server: Any = None, on_queued: Any = None, on_progress: Any = None
    ) -> Any:
        assert on_queued is not None and on_progress is not None
        await on_queued(2)
        for step in range(1, self.steps + 1):
            self.clock.now += 0.25
            await on_progress(Progress(step * 10, self.steps * 10, 1.0 / step))
        if self.hold:
            await self.env.external_wait(self.released.wait(), reason="the job runs until cancelled")
        return await self.pool.submit(job, learner=learner)


def _original_edits(env: simcord.Env, since: int = 0) -> list[dict[str, Any]]:
    """The bot's edits of deferred placeholders (PATCH …/messages/@original), in order."""
    return [
        entry.json if isinstance(entry.json, dict) else {}
        for entry in env.http_requests[since:]
        if entry.method == "PATCH" and entry.path.endswith("/messages/@original")
    ]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The throttle's clock (its delayed edits wait on SimCord's virtual timers)."""
    fake = FakeClock()
    monkeypatch.setattr(cog_status, "CLOCK", lambda: fake.now)
    return fake


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> asyncio.Event:
    """The throttle's delayed edits wait until the test opens this gate."""
    opened = asyncio.Event()

    async def gated(_: float) -> None:
        await opened.wait()

    monkeypatch.setattr(cog_status, "SLEEP", gated)
    return opened


async def test_progress_edits_are_throttled_and_stop_at_the_result(
    world: World, env: simcord.Env, tutor: Tutor, pool: ThreadedPool, clock: FakeClock, gate: asyncio.Event
) -> None:
    tutor.pool = ReportingPool(pool, clock, env, steps=20)  # type: ignore[assignment]
    result = await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam", epochs=200)
    edits = _original_edits(env)
    progress, final = edits[:-1], edits[-1]
    # the title at 0 s, then the reports due at 1.5, 3 and 4.5 s: 20 reports in 5 s, 4 edits
    assert len(progress) == 4
    assert "Training" in progress[0]["content"] and "%" not in progress[0]["content"]
    assert [("epoch 60/200" in e["content"], "epoch 120/200" in e["content"]) for e in progress[1:3]] == [
        (True, False),
        (False, True),
    ]
    assert "epoch 180/200" in progress[3]["content"] and "loss 0.05556" in progress[3]["content"]
    assert all(custom_ids(e["components"]) == [f"tr:stop:{world.alice.id}"] for e in progress)
    # the result replaced the progress: its embed and buttons, no Cancel, no follow-up message
    assert final.get("embeds") and f"tr:stop:{world.alice.id}" not in custom_ids(final["components"])
    assert result.followups == []
    posted = world.last
    assert not posted.content and (posted.embeds[0].title or "").startswith("mlp 2-8-1")
    # the delayed edit of the reports after 4.5 s, let go now, would be stale: none happens
    count = len(env.http_requests)
    gate.set()
    await env.settle()
    assert _original_edits(env, count) == []


async def test_only_the_learner_who_asked_can_cancel_and_the_message_ends_cancelled(
    world: World, env: simcord.Env, tutor: Tutor, pool: ThreadedPool, clock: FakeClock
) -> None:
    fake = ReportingPool(pool, clock, env, steps=2, hold=True)
    tutor.pool = fake  # type: ignore[assignment]
    await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam", epochs=200)
    running = world.last
    assert tutor.runs.running(world.alice.id)
    refused = await world.bob.click(running, label="Cancel")
    assert refused.ephemeral and "Only the learner who started" in str(refused.followups or refused.response)
    assert tutor.runs.running(world.alice.id)
    env.errors.clear()  # the refusal is expected
    await world.alice.click(running, label="Cancel")
    assert not tutor.runs.running(world.alice.id)
    ended = world.last
    assert ended.id == running.id and ended.content.startswith("✖️ Run cancelled")
    assert not ended.embeds and not ended.components  # no Cancel left to press
    count = len(env.http_requests)
    fake.released.set()
    await env.settle()
    assert _original_edits(env, count) == []  # the message stays final
    runs = await tutor.progress.training_runs(world.alice.id)
    assert runs == []  # a cancelled run is not recorded


async def test_cancel_stops_the_real_job_and_frees_the_worker(
    world: World, env: simcord.Env, tutor: Tutor, pool: ThreadedPool
) -> None:
    class Held:
        """The real pool, awaited as a wait SimCord knows, so the test can press Cancel meanwhile."""

        def stats(self) -> dict[str, Any]:
            return pool.stats()

        async def submit(self, job: Job, **kwargs: Any) -> Any:
            return await env.external_wait(pool.submit(job, **kwargs), reason="a real training job")

    before = pool.stats()["cancelled"]
    tutor.pool = Held()  # type: ignore[assignment]
    await world.alice.slash(
        world.channel, "train", dataset="spiral", optimizer="adam", hidden="64,64", epochs=5000
    )
    await world.alice.click(world.last, label="Cancel")
    assert world.last.content.startswith("✖️ Run cancelled")
    ready = asyncio.run_coroutine_threadsafe(pool.pool.ready(), pool.loop)
    await asyncio.wrap_future(ready)  # the killed worker's replacement has warmed
    stats = pool.stats()
    assert stats["cancelled"] == before + 1 and stats["idle"] == 1 and stats["learners"] == 0
    tutor.pool = pool  # type: ignore[assignment]
    await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam", epochs=100)
    assert (world.last.embeds[0].title or "").startswith("mlp 2-8-1")  # the worker runs the next job


async def test_a_late_report_is_shown_when_its_interval_ends_and_never_after_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = FakeClock()
    wake = asyncio.Event()
    shown: list[str] = []

    async def sleep(delay: float) -> None:
        await wake.wait()
        now.now += delay

    async def show(report: JobReport) -> None:
        shown.append(report.line)

    monkeypatch.setattr(cog_status, "CLOCK", lambda: now.now)
    monkeypatch.setattr(cog_status, "SLEEP", sleep)
    edits = cog_status.ProgressEdits(show)
    await edits.report(JobReport("running", "t", "a"))
    now.now = 0.5
    await edits.report(JobReport("running", "t", "b"))
    await edits.report(JobReport("running", "t", "c"))
    assert shown == ["a"]
    wake.set()
    for _ in range(3):
        await asyncio.sleep(0)
    assert shown == ["a", "c"]  # the newest of the reports that came too soon
    wake.clear()
    now.now = 3.5  # 2 s after "c" was shown at 1.5
    await edits.report(JobReport("running", "t", "d"))
    await edits.report(JobReport("running", "t", "e"))
    await edits.close()
    wake.set()
    for _ in range(3):
        await asyncio.sleep(0)
    await edits.report(JobReport("running", "t", "f"))
    assert shown == ["a", "c", "d"]


async def test_a_mentioned_run_shows_progress_on_its_status_line_and_cancels_there(
    world: World, env: simcord.Env, tutor: Tutor, pool: ThreadedPool, clock: FakeClock
) -> None:
    fake = ReportingPool(pool, clock, env, steps=8, hold=True)
    tutor.pool = fake  # type: ignore[assignment]
    user = env.bot.user
    assert user is not None
    await world.alice.send(world.channel, f"<@{user.id}> train xor with adam")
    line = world.last
    assert line.author.id == user.id and "epoch" in line.content  # the status line shows the progress
    await world.alice.click(line, label="Cancel")
    ended = world.last
    assert ended.id == line.id and ended.content.startswith("✖️ Run cancelled") and not ended.components
    fake.released.set()
    await env.settle()
    assert world.last.id == line.id  # nothing posted after it
