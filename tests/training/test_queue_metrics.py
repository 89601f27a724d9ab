"""Metrics of the distributed backend for real: a `python -m bot worker --processes 2 --metrics-port P`
scraped over HTTP while the bot's QueueExecutor sends it jobs through a redis-server (issue 13).

Skipped when redis-server is not installed, unless TUTOR_REQUIRE_REDIS=1 (as .ci/run sets): then a
missing server fails the run instead of hiding these tests.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.errors import TutorError
from bot.metrics import Metrics, samples
from bot.training.executor import Job
from bot.training.jobs import Jobs
from bot.training.parse import parse_request
from bot.training.queue import HEARTBEAT_SECONDS, QueueExecutor
from bot.training.results import TrainOutcome
from bot.training.spec import TrainSpec
from tests.training.redis_server import bot_workers, free_port, redis_server, require_redis_server

pytestmark = pytest.mark.slow

require_redis_server()

PROCESSES = 2

Series = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(port: int) -> Series:
    """Every sample of the worker command's `/metrics`, fetched over HTTP."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        assert response.status == 200
        text = response.read().decode()
    return {(name, frozenset(labels.items())): number for name, labels, number in samples(text)}


def at(series: Series, name: str, **labels: str) -> float:
    """The sample `name` with exactly `labels`, 0 when absent (a counter not yet moved)."""
    return series.get((name, frozenset(labels.items())), 0.0)


def moved(port: int, before: Series, name: str, by: float, limit: float = 10.0, **labels: str) -> Series:
    """Scrape until sample `name` moved `by` from `before` (the supervisor reads its pipes every
    0.5 s at most); the last scrape, which the caller checks."""
    deadline = time.monotonic() + limit
    while True:
        now = scrape(port)
        if at(now, name, **labels) - at(before, name, **labels) >= by or time.monotonic() > deadline:
            return now
        time.sleep(0.1)


@pytest.fixture(scope="module")
def worker_metrics() -> Iterator[tuple[str, int]]:
    """A redis-server and one `python -m bot worker` command of two processes serving `/metrics`."""
    port = free_port()
    with redis_server() as url, bot_workers(url, 1, PROCESSES, ["--metrics-port", str(port)]):
        yield url, port


@pytest.fixture
async def executor(worker_metrics: tuple[str, int]) -> AsyncIterator[QueueExecutor]:
    queue = QueueExecutor(worker_metrics[0], timeout_seconds=60.0, wait_seconds=120.0)
    await queue.start()
    yield queue
    await queue.close()


def _spec(text: str) -> TrainSpec:
    spec = parse_request(text)
    assert isinstance(spec, TrainSpec)
    return spec


async def test_the_worker_commands_job_counter_and_run_time_move_when_a_job_runs(
    worker_metrics: tuple[str, int], executor: QueueExecutor
) -> None:
    port = worker_metrics[1]
    before = scrape(port)
    outcome = await Jobs(executor).train(_spec("train xor with adam epochs 100"), "en", learner="m")
    assert isinstance(outcome, TrainOutcome)
    after = moved(port, before, "tutor_worker_jobs_total", 1, outcome="ok")
    assert (
        at(after, "tutor_worker_jobs_total", outcome="ok")
        - at(before, "tutor_worker_jobs_total", outcome="ok")
        == 1
    )
    ran = at(after, "tutor_worker_job_seconds_count") - at(before, "tutor_worker_job_seconds_count")
    assert ran == 1
    assert at(after, "tutor_worker_job_seconds_sum") > at(before, "tutor_worker_job_seconds_sum")
    assert at(after, "tutor_worker_processes_alive") == PROCESSES
    assert at(after, "tutor_worker_processes_started_total") == PROCESSES  # none died, none replaced


async def test_a_job_that_fails_in_the_worker_counts_as_an_error_not_ok(
    worker_metrics: tuple[str, int], executor: QueueExecutor
) -> None:
    port = worker_metrics[1]
    before = scrape(port)
    # under the allowed prefix, so the bot sends it; the worker finds no such function
    with pytest.raises(TutorError):
        await executor.submit(Job("bot.training.worker.tasks:no_such_function", {}), learner="m")
    after = moved(port, before, "tutor_worker_jobs_total", 1, outcome="error")
    assert (
        at(after, "tutor_worker_jobs_total", outcome="error")
        - at(before, "tutor_worker_jobs_total", outcome="error")
        == 1
    )
    assert at(after, "tutor_worker_jobs_total", outcome="ok") == at(
        before, "tutor_worker_jobs_total", outcome="ok"
    )


async def test_the_bots_metrics_show_the_queues_workers_alive_and_its_job_times(
    executor: QueueExecutor,
) -> None:
    metrics = Metrics()
    metrics.watch_pool(executor.stats)
    executor.watchers.append(metrics)  # as the bot cog does with its pool
    await Jobs(executor).train(_spec("train xor with sgd epochs 100"), "en", learner="b")
    found = {
        (name, frozenset(labels.items())): number
        for name, labels, number in samples(metrics.exposition().decode())
    }
    assert at(found, "tutor_workers_alive", lane="training") == PROCESSES
    assert at(found, "tutor_jobs_waiting", lane="training") == 0
    waited = sum(v for (name, _), v in found.items() if name == "tutor_job_wait_seconds_count")
    ran = sum(v for (name, _), v in found.items() if name == "tutor_job_run_seconds_count")
    assert (waited, ran) == (1, 1)


async def test_the_executor_keeps_its_count_of_workers_alive_fresh_without_a_job(
    executor: QueueExecutor,
) -> None:
    executor.workers_alive = 0  # as if read while the workers were down
    await asyncio.sleep(HEARTBEAT_SECONDS * 2 + 1.5)
    assert executor.stats()["lanes"]["training"]["alive"] == PROCESSES
