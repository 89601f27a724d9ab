"""The executor's warm pool: warm before start() returns, concurrent jobs, limits, survival of bad workers."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from bot.errors import InvalidRequest, TutorError
from bot.training.executor import WORKER_NICENESS, Batching, Job, TrainingPool
from bot.training.jobs import TRAIN, lesson_figure_job, train_job, training_pool
from bot.training.results import Progress, TrainOutcome
from bot.training.spec import make_spec

LIGHT: dict[str, Any] = {
    "warmups": ("tests.training.executor_targets:warm",),
    "allowed_prefixes": ("bot.training.worker.", "tests."),
}


def target(name: str, **kwargs: object) -> Job:
    return Job(f"tests.training.executor_targets:{name}", dict(kwargs))


async def test_warm_pool_trains_xor_concurrently_and_reports_queue_positions() -> None:
    positions: list[int] = []

    async def queued(position: int) -> None:
        positions.append(position)

    async with training_pool(workers=2, timeout_seconds=120, picture_workers=0) as pool:
        stats = pool.stats()
        assert stats["alive"] == 2 and stats["idle"] == 2  # warm before start() returned
        jobs = [
            pool.submit(train_job(make_spec(seed=s, epochs=200), "en"), learner=f"l{s}", on_queued=queued)
            for s in range(4)
        ]
        results: list[TrainOutcome] = await asyncio.gather(*jobs)
    assert [r.spec.seed for r in results] == [0, 1, 2, 3]
    assert all(r.result.epochs_run == 200 and r.pictures[0].png[:4] == b"\x89PNG" for r in results)
    assert sorted(positions) == [1, 2]  # two ran at once, two waited their turn


async def test_one_job_per_learner_and_a_bounded_queue(tmp_path: Path) -> None:
    release = tmp_path / "go"
    positions: list[int] = []

    async def queued(position: int) -> None:
        positions.append(position)

    async with TrainingPool(
        workers=1, queue_seconds=0.1, timeout_seconds=60, learner_queue=0, **LIGHT
    ) as pool:
        running = asyncio.create_task(pool.submit(target("wait_for_file", path=str(release)), learner="asha"))
        await asyncio.sleep(0)  # let submit() take the worker
        with pytest.raises(InvalidRequest) as same_learner:
            await pool.submit(target("echo", value=1), learner="asha")
        assert same_learner.value.code == "already_running"

        waiting = asyncio.create_task(pool.submit(target("echo", value=2), learner="ravi", on_queued=queued))
        await asyncio.sleep(0)
        with pytest.raises(InvalidRequest) as full:
            await pool.submit(target("echo", value=3), learner="meera")
        assert full.value.code == "queue_full"
        assert full.value.message_hi

        release.touch()
        assert await running == str(release)
        assert (await waiting)["value"] == 2
    assert positions == [1]


async def test_timeout_kills_and_replaces_the_worker() -> None:
    async with TrainingPool(workers=1, timeout_seconds=1.0, **LIGHT) as pool:
        before = (await pool.submit(target("echo", value=0), learner="a"))["pid"]
        with pytest.raises(TutorError) as caught:
            await pool.submit(target("sleep_forever"), learner="a")
        assert caught.value.code == "timeout"
        after = await pool.submit(target("echo", value=1), learner="a")  # waits for the replacement
        assert after["pid"] != before
        assert pool.stats()["timeouts"] == 1 and pool.stats()["restarts"] == 1


async def test_a_crashing_job_does_not_take_the_pool_down() -> None:
    async with TrainingPool(workers=1, timeout_seconds=30, **LIGHT) as pool:
        with pytest.raises(TutorError) as caught:
            await pool.submit(target("crash"), learner="a")
        assert caught.value.code == "worker_crashed"
        assert (await pool.submit(target("echo", value="ok"), learner="a"))["value"] == "ok"
        assert pool.stats()["crashes"] == 1


async def test_an_exception_in_a_job_is_a_clear_error_and_the_worker_stays() -> None:
    async with TrainingPool(workers=1, timeout_seconds=30, **LIGHT) as pool:
        pid = (await pool.submit(target("echo", value=0), learner="a"))["pid"]
        with pytest.raises(TutorError) as caught:
            await pool.submit(target("fail"), learner="a")
        assert caught.value.code == "job_failed" and "ZeroDivisionError" in caught.value.message_en
        assert (await pool.submit(target("echo", value=0), learner="a"))["pid"] == pid


async def test_refusals_raised_in_a_worker_arrive_with_their_code() -> None:
    async with TrainingPool(workers=1, timeout_seconds=30, **LIGHT) as pool:
        bad = make_spec().to_dict() | {"lr": 99.0}  # plain data, as a worker receives it: checked again there
        with pytest.raises(InvalidRequest) as caught:
            await pool.submit(Job(TRAIN, {"spec": bad, "lang": "en"}), learner="a")
        assert caught.value.code == "lr_out_of_range"


async def test_only_worker_targets_are_allowed() -> None:
    pool = TrainingPool(workers=1, **LIGHT)
    with pytest.raises(ValueError, match="not a function under"):
        await pool.submit(Job("os:system", {"command": "true"}), learner="a")
    strict = TrainingPool(workers=1)
    with pytest.raises(ValueError):
        await strict.submit(target("echo", value=1), learner="a")
    with pytest.raises(ValueError):  # main-side modules are not job targets either
        await strict.submit(Job("bot.training.export:export_script", {}), learner="a")


async def test_submit_before_start_is_refused() -> None:
    pool = TrainingPool(workers=1, **LIGHT)
    with pytest.raises(TutorError) as caught:
        await pool.submit(target("echo", value=1), learner="a")
    assert caught.value.code == "pool_closed"


async def test_workers_yield_the_cpu_to_the_bot() -> None:
    async with TrainingPool(workers=1, timeout_seconds=30, **LIGHT) as pool:
        assert await pool.submit(target("niceness"), learner="asha") >= WORKER_NICENESS


async def test_a_cancelled_job_gives_the_pool_its_worker_back(tmp_path: Path) -> None:
    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        for attempt in range(2):  # two cancellations used to leave no worker at all
            running = asyncio.create_task(
                pool.submit(target("wait_for_file", path=str(tmp_path / "never")), learner=f"l{attempt}")
            )
            while pool.stats()["running"] == 0:
                await asyncio.sleep(0.01)
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
        # a hang guard, not a timing assertion: before the fix this waited forever
        answer = await asyncio.wait_for(pool.submit(target("echo", value="after"), learner="next"), 30)
        assert answer["value"] == "after"
        assert pool.stats()["cancelled"] == 2 and pool.stats()["learners"] == 0


async def test_a_cancelled_wait_leaves_the_queue_and_the_worker_alone(tmp_path: Path) -> None:
    release = tmp_path / "go"
    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        running = asyncio.create_task(pool.submit(target("wait_for_file", path=str(release)), learner="a"))
        while pool.stats()["running"] == 0:
            await asyncio.sleep(0.01)
        waiting = asyncio.create_task(pool.submit(target("echo", value=1), learner="b"))
        while pool.stats()["waiting"] == 0:
            await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert pool.stats()["waiting"] == 0
        release.touch()
        assert await running == str(release)
        first = (await pool.submit(target("echo", value=2), learner="b"))["pid"]
        second = (await pool.submit(target("echo", value=3), learner="c"))["pid"]
        assert pool.stats()["restarts"] == 0 and first == second  # the same warm worker served both


async def test_a_worker_that_dies_while_idle_is_replaced_before_a_learner_needs_it() -> None:
    async with TrainingPool(workers=1, timeout_seconds=30, **LIGHT) as pool:
        before = (await pool.submit(target("echo", value=0), learner="a"))["pid"]
        os.kill(before, signal.SIGKILL)
        for _ in range(3000):  # bounded poll: the pool notices the death by itself, no job needed
            if pool.stats()["restarts"] == 1 and pool.stats()["idle"] == 1:
                break
            await asyncio.sleep(0.01)
        assert pool.stats()["restarts"] == 1 and pool.stats()["idle_deaths"] == 1
        after = await pool.submit(target("echo", value=1), learner="a")  # not `worker_crashed`
        assert after["pid"] != before and pool.stats()["crashes"] == 0


async def test_a_learner_waits_a_bounded_time_for_a_worker(tmp_path: Path) -> None:
    release = tmp_path / "go"
    async with TrainingPool(workers=1, timeout_seconds=60, wait_seconds=0.2, **LIGHT) as pool:
        running = asyncio.create_task(pool.submit(target("wait_for_file", path=str(release)), learner="a"))
        while pool.stats()["running"] == 0:
            await asyncio.sleep(0.01)
        with pytest.raises(TutorError) as caught:
            await pool.submit(target("echo", value=1), learner="b")
        assert caught.value.code == "wait_too_long"
        assert pool.stats()["waiting"] == 0 and pool.stats()["learners"] == 1
        release.touch()
        assert await running == str(release)


def gated_pool(gate: Path, monkeypatch: pytest.MonkeyPatch) -> TrainingPool:
    """A one-worker pool whose warm-up lasts until `gate` exists (forked, so it sees the test's env)."""
    monkeypatch.setenv("TUTOR_TEST_WARM_GATE", str(gate))
    return TrainingPool(
        workers=1,
        timeout_seconds=30,
        warmups=("tests.training.executor_targets:warm_at_gate",),
        allowed_prefixes=LIGHT["allowed_prefixes"],
        start_method="fork",
    )


def warming_children() -> list[multiprocessing.process.BaseProcess]:
    return [p for p in multiprocessing.active_children() if p.name == "training-worker"]


async def test_start_returns_before_the_warm_up_and_a_job_waits_for_a_warm_worker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = tmp_path / "warm"
    positions: list[int] = []

    async def queued(position: int) -> None:
        positions.append(position)

    pool = gated_pool(gate, monkeypatch)
    await pool.start()  # returns while the worker is still warming: lessons and quizzes need no worker
    try:
        assert pool.stats()["warming"] == 1 and pool.stats()["idle"] == 0
        job = asyncio.create_task(pool.submit(target("echo", value=1), learner="a", on_queued=queued))
        while pool.stats()["waiting"] == 0:
            await asyncio.sleep(0.01)
        assert not job.done() and positions == [1]  # waiting with its place in line, not refused
        gate.touch()
        assert (await asyncio.wait_for(job, 60))["value"] == 1  # a hang guard, not a timing assertion
        assert pool.stats()["warming"] == 0
    finally:
        await pool.close()


async def test_closing_while_a_worker_warms_leaves_no_process_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    others = set(warming_children())  # a pool another test keeps for the session is not this one's
    pool = gated_pool(tmp_path / "never", monkeypatch)
    await pool.start()
    while not set(warming_children()) - others:
        await asyncio.sleep(0.01)
    warming = set(warming_children()) - others
    await pool.close()
    assert [p for p in warming if p.is_alive()] == []


async def test_progress_a_job_reports_reaches_the_caller_in_order_before_its_result() -> None:
    seen: list[Progress] = []

    async def progressed(progress: Progress) -> None:
        seen.append(progress)

    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        result = await pool.submit(
            target("count_with_progress", steps=3), learner="asha", on_progress=progressed
        )
        again = await pool.submit(target("echo", value=1), learner="asha", on_progress=progressed)
    assert result == 3 and again["value"] == 1
    assert [(p.done, p.total, p.loss) for p in seen] == [(1, 3, 1.0), (2, 3, 0.5), (3, 3, 1 / 3)]
    assert seen[-1].fraction == 1.0


def batchable(learner: str, **spec: object) -> Job:
    """A light job that batches with others of the same key, like a train job (`echo_batch` runs them)."""
    batch = Batching("light", "tests.training.executor_targets:echo_batch")
    return Job(
        "tests.training.executor_targets:echo_spec",
        {"spec": {"who": learner, **spec}, "lang": "en"},
        batch=batch,
    )


async def hold_the_worker(pool: TrainingPool, release: Path) -> asyncio.Task[Any]:
    running = asyncio.create_task(pool.submit(target("wait_for_file", path=str(release)), learner="holder"))
    while pool.stats()["running"] == 0:
        await asyncio.sleep(0.01)
    return running


async def test_compatible_jobs_waiting_together_run_as_one_batched_call(tmp_path: Path) -> None:
    seen: dict[str, list[Progress]] = {"asha": [], "ravi": [], "meera": []}

    def progressed(learner: str) -> Any:
        async def record(progress: Progress) -> None:
            seen[learner].append(progress)

        return record

    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        held = await hold_the_worker(pool, tmp_path / "go")
        jobs = [
            asyncio.create_task(pool.submit(batchable(name), learner=name, on_progress=progressed(name)))
            for name in seen
        ]
        while pool.stats()["waiting"] < 3:
            await asyncio.sleep(0.01)
        (tmp_path / "go").touch()
        await held
        results = await asyncio.gather(*jobs)
        stats = pool.stats()
    assert [r["spec"]["who"] for r in results] == ["asha", "ravi", "meera"]  # each gets its own result
    assert all(r["batch"] == 3 for r in results) and stats["batch_sizes"] == {3: 1} and stats["batches"] == 1
    assert all([p.loss for p in got] == [3.0] for got in seen.values())  # the batch's progress reaches all


async def test_a_batch_that_fails_as_a_whole_runs_its_members_one_by_one(tmp_path: Path) -> None:
    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        held = await hold_the_worker(pool, tmp_path / "go")
        good = asyncio.create_task(pool.submit(batchable("asha"), learner="asha"))
        bad = asyncio.create_task(pool.submit(batchable("ravi", bad=True), learner="ravi"))
        while pool.stats()["waiting"] < 2:
            await asyncio.sleep(0.01)
        (tmp_path / "go").touch()
        await held
        assert (await good)["spec"]["who"] == "asha" and "batch" not in await good  # run alone
        with pytest.raises(TutorError) as caught:
            await bad
        assert caught.value.code == "job_failed"  # only the bad member fails
        assert pool.stats()["batch_fallbacks"] == 1


async def test_a_lone_batchable_job_runs_with_its_plain_target() -> None:
    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        alone = await pool.submit(batchable("asha"), learner="asha")
        assert "batch" not in alone and pool.stats()["batches"] == 0


async def test_a_lesson_figure_is_served_while_every_training_worker_is_busy(tmp_path: Path) -> None:
    assert lesson_figure_job("training-loop", "en").lane == "picture"  # what the core sends for a figure
    assert train_job(make_spec(), "en").lane == "training"
    async with TrainingPool(workers=1, picture_workers=1, timeout_seconds=60, **LIGHT) as pool:
        held = await hold_the_worker(pool, tmp_path / "go")
        queued: list[int] = []

        async def on_queued(position: int) -> None:
            queued.append(position)

        figure = Job("tests.training.executor_targets:echo", {"value": "figure"}, lane="picture")
        # a hang guard, not a timing assertion: without the lane this waits for the training job
        drawn = await asyncio.wait_for(pool.submit(figure, learner="figure:1", on_queued=on_queued), 30)
        assert drawn["value"] == "figure" and queued == [] and not held.done()
        assert pool.stats()["lanes"]["picture"]["workers"] == 1
        (tmp_path / "go").touch()
        await held


async def test_stats_show_the_work_waiting_per_lane(tmp_path: Path) -> None:
    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        held = await hold_the_worker(pool, tmp_path / "go")
        waiting = asyncio.create_task(
            pool.submit(Job(target("echo", value=1).target, {"value": 1}, cost=2.5), learner="b")
        )
        while pool.stats()["waiting"] == 0:
            await asyncio.sleep(0.01)
        stats = pool.stats()
        assert stats["queued_seconds"] == 2.5 and stats["lanes"]["training"]["waiting"] == 1
        (tmp_path / "go").touch()
        await held
        await waiting
        assert pool.stats()["queued_seconds"] == 0


class Watcher:
    """Records what the pool tells its job watchers."""

    def __init__(self) -> None:
        self.waited: list[tuple[str, float]] = []
        self.ran: list[tuple[str, float]] = []

    def job_waited(self, lane: str, seconds: float) -> None:
        self.waited.append((lane, seconds))

    def job_ran(self, lane: str, seconds: float) -> None:
        self.ran.append((lane, seconds))


async def test_watchers_hear_each_jobs_wait_and_run_once_even_through_a_failed_batch(tmp_path: Path) -> None:
    watcher = Watcher()
    async with TrainingPool(workers=1, timeout_seconds=60, **LIGHT) as pool:
        pool.watchers.append(watcher)
        held = await hold_the_worker(pool, tmp_path / "go")
        good = asyncio.create_task(pool.submit(batchable("asha"), learner="asha"))
        bad = asyncio.create_task(pool.submit(batchable("ravi", bad=True), learner="ravi"))
        while pool.stats()["waiting"] < 2:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # the two wait behind the held worker at least this long
        (tmp_path / "go").touch()
        await held
        await good
        with pytest.raises(TutorError):
            await bad
    # holder, asha, ravi: each waited once (the batch's members are picked again after it fails) ...
    assert [lane for lane, _ in watcher.waited] == ["training"] * 3
    assert sorted(seconds for _, seconds in watcher.waited)[-2] >= 0.3
    # ... and ran once: the held call, then asha and ravi alone (the failed batched call is not a run)
    assert [lane for lane, _ in watcher.ran] == ["training"] * 3
    assert watcher.ran[0][1] >= 0.3


async def test_a_failing_watcher_fails_no_job() -> None:
    class Broken:
        def job_waited(self, lane: str, seconds: float) -> None:
            raise RuntimeError("metrics are down")

        def job_ran(self, lane: str, seconds: float) -> None:
            raise RuntimeError("metrics are down")

    async with TrainingPool(workers=1, timeout_seconds=30, **LIGHT) as pool:
        pool.watchers.append(Broken())
        assert (await pool.submit(target("echo", value=5), learner="asha"))["value"] == 5
        assert (await pool.submit(target("echo", value=6), learner="asha"))["value"] == 6
