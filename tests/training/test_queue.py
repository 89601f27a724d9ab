"""The distributed backend for real: a redis-server and `python -m bot worker` processes (issue 13).

Skipped when redis-server is not installed, unless TUTOR_REQUIRE_REDIS=1 (as .ci/run sets): then a
missing server fails the run instead of hiding these tests.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bot.config import Settings
from bot.core import training
from bot.core.learners import identify
from bot.core.status import JobReport
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, TutorError
from bot.paths import PROJECT_ROOT
from bot.training.executor import Job
from bot.training.jobs import Jobs
from bot.training.parse import parse_request
from bot.training.queue import (
    GRACE_SECONDS,
    KEYS,
    Beat,
    QueueExecutor,
    beat_ages,
    decode_event,
    read_beat,
)
from bot.training.results import (
    Animation,
    CompareOutcome,
    Drawing,
    Progress,
    SettingOutcome,
    SweepOutcome,
    TrainOutcome,
    WalkthroughOutcome,
)
from bot.training.spec import CompareSpec, TrainSpec, VarySpec
from tests.training.redis_server import (
    alive_workers,
    bot_workers,
    redis_server,
    require_redis_server,
    wait_for_workers,
)

pytestmark = pytest.mark.slow

require_redis_server()


def _spec(text: str) -> TrainSpec:
    spec = parse_request(text)
    assert isinstance(spec, TrainSpec)
    return spec


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """A redis-server with two `python -m bot worker` processes serving its database 0."""
    with redis_server() as url, bot_workers(url, 2):
        yield url


@pytest.fixture
async def executor(served: str) -> AsyncIterator[QueueExecutor]:
    queue = QueueExecutor(served, timeout_seconds=60.0, wait_seconds=120.0)
    await queue.start()
    yield queue
    await queue.close()


async def test_a_burst_is_served_across_both_worker_processes(executor: QueueExecutor) -> None:
    jobs = Jobs(executor)
    specs = [_spec(f"train xor with adam epochs 200 seed {seed}") for seed in range(6)]
    outcomes = await asyncio.gather(
        *(jobs.train(spec, "en", learner=f"learner-{i}") for i, spec in enumerate(specs))
    )
    assert all(isinstance(outcome, TrainOutcome) for outcome in outcomes)
    assert [outcome.spec.seed for outcome in outcomes] == [spec.seed for spec in specs]
    assert all(picture.png.startswith(b"\x89PNG") for outcome in outcomes for picture in outcome.pictures)
    assert len(executor.served) == 2, executor.served  # both workers took jobs
    assert executor.stats()["completed"] == 6


async def test_each_kind_of_result_comes_back_through_the_queue(executor: QueueExecutor) -> None:
    """The unpickler that guards the bot builds every result type the workers send."""
    jobs = Jobs(executor)
    compared = parse_request("compare sgd adam on xor epochs 100")
    varied = parse_request("compare relu tanh on moons epochs 100")
    assert isinstance(compared, CompareSpec) and isinstance(varied, VarySpec)
    outcomes = [
        await jobs.compare(compared, "en", learner="r"),
        await jobs.compare_setting(varied, "en", learner="r"),
        await jobs.sweep(_spec("train xor with sgd epochs 100"), "en", learner="r"),
        await jobs.animate(_spec("train xor with adam epochs 100"), learner="r"),
        await jobs.backprop({}, "hi", learner="r"),
        await jobs.lesson_figure("activations", "hi", learner="r"),
    ]
    kinds = [CompareOutcome, SettingOutcome, SweepOutcome, Animation, WalkthroughOutcome, Drawing]
    assert [type(outcome) for outcome in outcomes] == kinds


async def test_progress_arrives_from_a_queue_worker(executor: QueueExecutor) -> None:
    seen: list[Progress] = []

    async def on_progress(progress: Progress) -> None:
        seen.append(progress)

    outcome = await Jobs(executor).train(
        _spec("train moons with adam epochs 400"), "en", learner="p", on_progress=on_progress
    )
    assert isinstance(outcome, TrainOutcome)
    assert seen and seen[-1].total == 400
    assert [p.done for p in seen] == sorted(p.done for p in seen)


async def test_a_tutor_error_raised_in_a_job_arrives_as_that_error(executor: QueueExecutor) -> None:
    with pytest.raises(InvalidRequest) as caught:
        await Jobs(executor).activation("swishh", "en", learner="typo")
    # the same code and text the worker raised, not a generic failure
    assert caught.value.code != "job_failed"
    assert "swish" in caught.value.message_en.lower()


async def test_a_job_past_its_time_limit_is_stopped_with_timeout(served: str) -> None:
    queue = QueueExecutor(served, timeout_seconds=0.5, wait_seconds=120.0)  # the run takes 1.5-2.5 s
    started = time.monotonic()
    try:
        with pytest.raises(TutorError) as caught:
            await Jobs(queue).train(
                _spec("train spiral with adam epochs 5000 hidden 32,32"), "en", learner="t"
            )
    finally:
        await queue.close()
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < GRACE_SECONDS  # the worker's own limit stopped it, not the bot's wait
    wait_for_workers(served, 2, timeout=30)  # and the worker serves again


async def test_a_worker_killed_mid_job_is_replaced_and_the_job_runs_again(executor: QueueExecutor) -> None:
    before = alive_workers(executor.url)
    killed: list[int] = []

    async def on_progress(progress: Progress) -> None:
        if not killed:
            (attempt,) = executor.running.values()
            killed.append(attempt["pid"])
            os.kill(attempt["pid"], signal.SIGKILL)

    outcome = await Jobs(executor).train(
        _spec("train spiral with adam epochs 3000 hidden 16"), "en", learner="k", on_progress=on_progress
    )
    assert isinstance(outcome, TrainOutcome) and outcome.spec.epochs == 3000
    assert killed and executor.counts["crashes"] == 1 and executor.counts["retries"] == 1
    after = wait_for_workers(executor.url, 2, timeout=60)
    assert killed[0] not in after.values()  # a fresh process took the dead one's place
    assert set(after) != set(before)


async def test_a_job_whose_worker_dies_each_time_it_runs_is_reported_as_crashed(
    executor: QueueExecutor,
) -> None:
    killed: list[int] = []

    async def on_progress(progress: Progress) -> None:
        (attempt,) = executor.running.values()
        if attempt["pid"] not in killed:
            killed.append(attempt["pid"])
            os.kill(attempt["pid"], signal.SIGKILL)

    with pytest.raises(TutorError) as caught:
        await Jobs(executor).train(
            _spec("train spiral with adam epochs 3000 hidden 16"), "en", learner="c", on_progress=on_progress
        )
    assert caught.value.code == "worker_crashed"
    assert len(killed) == 2 and executor.counts["crashes"] == 2  # it ran twice, then was not run again
    wait_for_workers(executor.url, 2, timeout=60)  # both replaced


async def test_with_no_worker_alive_the_job_waits_and_says_so(served: str) -> None:
    lonely = served.rsplit("/", 1)[0] + "/1"  # a database no worker serves
    queue = QueueExecutor(lonely, timeout_seconds=60.0, wait_seconds=2.0)
    places: list[tuple[int, bool]] = []

    async def on_queued(position: int) -> None:
        places.append((position, queue.stats()["waiting_for_worker"]))

    try:
        with pytest.raises(TutorError) as caught:
            await Jobs(queue).train(_spec("train xor with adam"), "en", learner="w", on_queued=on_queued)
    finally:
        await queue.close()
    assert places == [(1, True)]  # told once, while no worker was alive
    assert caught.value.code == "wait_too_long"  # not trained locally meanwhile


async def test_a_target_outside_the_worker_side_is_refused_before_queueing(executor: QueueExecutor) -> None:
    with pytest.raises(ValueError, match="not a function under"):
        await executor.submit(Job("os:system", {"command": "true"}), learner="x")
    assert executor.stats()["waiting"] == 0


def test_a_job_event_may_build_only_result_types() -> None:
    progress = Progress(1, 2, 0.5)
    assert decode_event(pickle.dumps(("progress", progress))) == ("progress", progress)
    with pytest.raises(pickle.UnpicklingError, match="may not build"):
        decode_event(pickle.dumps(("ok", os.system)))


def _cli(url: str, *argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot <argv>` on the queue at `url`; the last stderr line says whether torch was imported."""
    script = (
        "import sys\n"
        "from bot.__main__ import main\n"
        f"code = main({list(argv)!r})\n"
        "print('torch imported:', 'torch' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TUTOR_BROKER_URL": url, **env}
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=120
    )


def test_the_cli_trains_on_a_queue_worker_when_a_broker_is_set(served: str) -> None:
    done = _cli(served, "train", "xor adam epochs 200", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["spec"]["dataset"] == "xor" and answer["result"]["final_loss"] >= 0
    assert [image["name"] for image in answer["images"]] == ["loss_curve", "decision_boundary"]
    assert done.stderr.strip().endswith("torch imported: False")  # it trained nothing itself


def test_the_cli_with_no_worker_alive_says_it_waits_and_trains_nothing_itself(served: str) -> None:
    lonely = served.rsplit("/", 1)[0] + "/2"  # a database no worker serves
    done = _cli(lonely, "compare", "xor sgd adam", "--json", TUTOR_TRAINING_WAIT_SECONDS="2")
    assert done.returncode == 1
    assert "No training worker is running" in done.stderr
    assert json.loads(done.stdout)["error"]["code"] == "wait_too_long"
    assert done.stderr.strip().endswith("torch imported: False")


class Shown:
    """A status that keeps every report a learner would read."""

    def __init__(self) -> None:
        self.reports: list[JobReport] = []

    async def working(self, text: str) -> None:
        """Not used by jobs."""

    async def progress(self, report: JobReport) -> None:
        self.reports.append(report)

    async def finished(self) -> None:
        """Nothing to clear."""


def _settings(tmp_path: Path, url: str, **values: Any) -> Settings:
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        heartbeat_file=tmp_path / "heartbeat.json",
        broker_url=url,
        **values,
    )


async def test_a_tutor_with_a_broker_url_trains_on_the_workers_and_starts_no_pool(
    served: str, tmp_path: Path
) -> None:
    before = set(multiprocessing.active_children())  # another test's processes may still be ending
    tutor = await Tutor.create(_settings(tmp_path, served))
    try:
        assert isinstance(tutor.pool, QueueExecutor)
        learner = await identify(tutor, 101, "Asha", guild_id=7, client_locale="hi")
        reply = await training.train(tutor, learner, _spec("train xor with adam epochs 200"), Shown())
        pictures = [picture for card in reply.cards for picture in card.pictures]
        assert len(pictures) == 2 and all(picture.png.startswith(b"\x89PNG") for picture in pictures)
        assert tutor.pool.stats()["completed"] == 1
        assert set(multiprocessing.active_children()) <= before  # no local worker runs beside the bot
    finally:
        await tutor.close()


async def test_a_learner_on_a_queue_no_worker_serves_reads_that_it_waits_for_one(
    served: str, tmp_path: Path
) -> None:
    lonely = served.rsplit("/", 1)[0] + "/3"  # a database no worker serves
    tutor = await Tutor.create(_settings(tmp_path, lonely, training_wait_seconds=2.0))
    shown = Shown()
    try:
        learner = await identify(tutor, 102, "Ravi", guild_id=7, client_locale="hi")
        with pytest.raises(TutorError) as caught:
            await training.train(tutor, learner, _spec("train xor with adam"), shown)
    finally:
        await tutor.close()
    lines = [report.line for report in shown.reports]
    assert any("अभी कोई training worker नहीं चल रहा" in line for line in lines), lines
    assert caught.value.code == "wait_too_long"


async def test_a_cancelled_job_stops_on_its_worker_at_its_next_progress_report(
    executor: QueueExecutor,
) -> None:
    running = asyncio.Event()

    async def on_progress(progress: Progress) -> None:
        running.set()

    spec = _spec("train spiral with adam epochs 5000 hidden 64,64")  # several seconds of training
    task = asyncio.create_task(Jobs(executor).train(spec, "en", learner="quitter", on_progress=on_progress))
    await running.wait()
    (job_id,) = executor.running
    cancelled = time.monotonic()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    client = redis.Redis.from_url(executor.url)
    try:
        while (ended := client.hget(f"{KEYS}:job:{job_id}", "ended")) is None:
            assert time.monotonic() - cancelled < 10, "the worker went on with a cancelled job"
            await asyncio.sleep(0.05)
    finally:
        client.close()
    assert ended == b"abandoned"  # stopped, not trained to the end
    assert executor.counts["cancelled"] == 1


async def test_a_worker_refuses_a_job_naming_a_function_outside_the_worker_side(
    executor: QueueExecutor, tmp_path: Path
) -> None:
    """Someone who can write into Redis still cannot make a worker run an arbitrary function."""
    marker = tmp_path / "ran"
    # posted as submit posts a job, past submit's own check of the target
    await executor._post("intruder", Job("os:system", {"command": f"touch {marker}"}), "intruder", "")
    client = redis.Redis.from_url(executor.url)
    try:
        item = client.blpop([f"{KEYS}:job:intruder:events"], timeout=30)
        assert item is not None, "no worker answered the message"
        events = [decode_event(item[1])]
        while events[-1][0] not in ("ok", "error"):
            item = client.blpop([f"{KEYS}:job:intruder:events"], timeout=30)
            assert item is not None
            events.append(decode_event(item[1]))
        client.zrem(f"{KEYS}:learner:intruder:held", "intruder")
    finally:
        client.close()
    kind, payload = events[-1]
    assert kind == "error" and payload["type"] == "ValueError" and "not a function under" in payload["text"]
    assert not marker.exists()


def test_a_registry_entry_reads_as_pid_host_and_beat_time() -> None:
    beat = Beat(4242, "box-1", "picture", 1700000000.25)
    assert read_beat(beat.entry()) == beat == read_beat(beat.entry().encode())
    assert beat_ages({b"w": Beat(7, "h", "training", 100.0).entry()}, now=103.5) == {b"w": 3.5}
