"""The metrics module: fresh series per `Metrics`, bounded labels, gauges read at scrape time, `/metrics`."""

from __future__ import annotations

import asyncio
import socket
import threading
import urllib.error
import urllib.request
from typing import Any

import pytest

from bot.metrics import Metrics, WorkerMetrics, bounded_code, on_loop, samples


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    """The value of sample `name` with exactly `labels` in the exposition, None when absent."""
    for found, got, number in samples(metrics.exposition().decode()):
        if found == name and got == labels:
            return number
    return None


def test_each_metrics_has_its_own_series() -> None:
    first, second = Metrics(), Metrics()  # a second one would clash in a shared (global) registry
    first.command_done("help", "ok", 0.02)
    assert value(first, "tutor_commands_total", command="help", outcome="ok") == 1
    assert value(second, "tutor_commands_total", command="help", outcome="ok") is None


def test_a_command_is_counted_by_name_and_outcome_and_its_reply_timed() -> None:
    metrics = Metrics()
    metrics.command_done("train", "ok", 3.0)
    metrics.command_done("train", "refused", 0.01)
    metrics.command_done("train", "ok", 4.0)
    assert value(metrics, "tutor_commands_total", command="train", outcome="ok") == 2
    assert value(metrics, "tutor_commands_total", command="train", outcome="refused") == 1
    assert value(metrics, "tutor_reply_seconds_count", command="train") == 3
    assert value(metrics, "tutor_reply_seconds_sum", command="train") == pytest.approx(7.01)
    assert value(metrics, "tutor_reply_seconds_bucket", command="train", le="2.5") == 1


def test_refusals_are_counted_by_code_and_an_odd_code_does_not_become_a_label() -> None:
    metrics = Metrics()
    metrics.refused("queue_full")
    metrics.refused("queue_full")
    metrics.refused("Alice typed <this>")
    assert value(metrics, "tutor_refusals_total", code="queue_full") == 2
    assert value(metrics, "tutor_refusals_total", code="other") == 1
    assert bounded_code("bad_epochs") == "bad_epochs" and bounded_code("x" * 60) == "other"


def test_job_waits_and_runs_go_to_their_lanes_histograms() -> None:
    metrics = Metrics()
    metrics.job_waited("training", 0.5)
    metrics.job_ran("training", 2.0)
    metrics.job_ran("picture", 0.1)
    assert value(metrics, "tutor_job_wait_seconds_count", lane="training") == 1
    assert value(metrics, "tutor_job_run_seconds_sum", lane="training") == 2.0
    assert value(metrics, "tutor_job_run_seconds_count", lane="picture") == 1


def test_gauges_are_read_when_scraped() -> None:
    metrics = Metrics()
    latency = [(None, 0.25)]
    stats: dict[str, Any] = {
        "running": 1,
        "lanes": {"training": {"alive": 2, "waiting": 3}, "picture": {"alive": 1, "waiting": 0}},
    }
    metrics.watch_gateway(lambda: latency)
    metrics.watch_pool(lambda: stats)
    assert value(metrics, "tutor_gateway_latency_seconds", shard="0") == 0.25
    assert value(metrics, "tutor_jobs_waiting", lane="training") == 3
    assert value(metrics, "tutor_workers_alive", lane="picture") == 1
    assert value(metrics, "tutor_jobs_running") == 1
    latency[:] = [(0, 0.5), (1, float("nan"))]  # NaN: shard 1 has not beaten yet
    stats["lanes"]["training"]["waiting"] = 0
    assert value(metrics, "tutor_gateway_latency_seconds", shard="0") == 0.5
    assert value(metrics, "tutor_gateway_latency_seconds", shard="1") is None
    assert value(metrics, "tutor_jobs_waiting", lane="training") == 0


def test_a_failing_reading_loses_its_series_not_the_scrape() -> None:
    metrics = Metrics()

    def broken() -> dict[str, Any]:
        raise RuntimeError("the pool is gone")

    metrics.watch_pool(broken)
    metrics.watch_gateway(lambda: [(None, 0.1)])
    metrics.command_done("help", "ok", 0.01)
    assert value(metrics, "tutor_gateway_latency_seconds", shard="0") == 0.1
    assert value(metrics, "tutor_workers_alive", lane="training") is None
    assert value(metrics, "tutor_commands_total", command="help", outcome="ok") == 1


def test_every_series_is_named_tutor() -> None:
    metrics = Metrics()
    metrics.command_done("help", "failed", 0.01)
    metrics.watch_gateway(lambda: [(None, 0.1)])
    names = {name for name, _, _ in samples(metrics.exposition().decode())}
    assert names and all(name.startswith("tutor_") for name in names), sorted(names)


async def test_a_reading_made_on_the_scrape_thread_runs_on_the_loop() -> None:
    loop = asyncio.get_running_loop()
    threads: list[threading.Thread] = []

    def read() -> int:
        threads.append(threading.current_thread())
        return 7

    reading = on_loop(loop, read)
    assert await asyncio.to_thread(reading) == 7  # from another thread: hops onto the loop
    assert reading() == 7  # on the loop itself: read at once, no deadlock
    assert threads == [threading.main_thread(), threading.main_thread()]


def test_a_reading_from_a_loop_that_does_not_answer_times_out() -> None:
    stalled = asyncio.new_event_loop()  # never run: like a loop blocked by a long call
    try:
        with pytest.raises(TimeoutError):
            on_loop(stalled, lambda: 1, timeout=0.1)()
    finally:
        stalled.close()


def free_port() -> int:
    """A TCP port nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_metrics_on_the_loopback_until_closed() -> None:
    metrics = Metrics()
    metrics.refused("owner_only")
    port = free_port()
    server = metrics.serve(port)
    try:
        assert server.port == port and server.server.server_address[0] == "127.0.0.1"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
        assert 'tutor_refusals_total{code="owner_only"} 1.0' in text
    finally:
        server.close()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)


def worker_value(metrics: WorkerMetrics, name: str, **labels: str) -> float | None:
    """The value of sample `name` with exactly `labels` in a worker command's exposition."""
    for found, got, number in samples(metrics.exposition().decode()):
        if found == name and got == labels:
            return number
    return None


def test_a_worker_command_counts_jobs_by_outcome_and_times_only_those_that_ran() -> None:
    metrics = WorkerMetrics()
    metrics.job_done("ok", 1.5)
    metrics.job_done("error", 0.5)
    metrics.job_done("skipped", 0.001)  # nobody waited for it: nothing ran
    metrics.job_done("worker_crashed", 0.001)
    assert worker_value(metrics, "tutor_worker_jobs_total", outcome="ok") == 1
    assert worker_value(metrics, "tutor_worker_jobs_total", outcome="skipped") == 1
    assert worker_value(metrics, "tutor_worker_job_seconds_count") == 2
    assert worker_value(metrics, "tutor_worker_job_seconds_sum") == 2.0


def test_a_worker_outcome_outside_the_known_words_becomes_other() -> None:
    metrics = WorkerMetrics()
    metrics.job_done("learner typed this", 0.1)
    assert worker_value(metrics, "tutor_worker_jobs_total", outcome="other") == 1
    assert worker_value(metrics, "tutor_worker_jobs_total", outcome="learner typed this") is None


def test_a_worker_command_reports_its_processes_and_only_tutor_series() -> None:
    metrics = WorkerMetrics()
    for _ in range(3):
        metrics.process_started()
    metrics.processes_alive(2)
    assert worker_value(metrics, "tutor_worker_processes_started_total") == 3
    assert worker_value(metrics, "tutor_worker_processes_alive") == 2
    names = {name for name, _, _ in samples(metrics.exposition().decode())}
    assert names and all(name.startswith("tutor_worker_") for name in names), names
