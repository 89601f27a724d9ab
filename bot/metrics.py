"""Prometheus metrics of the Discord bot: every series is named `tutor_…` and defined once, here.

A `Metrics` owns a private `CollectorRegistry` (not prometheus_client's global one), so each bot, and each
test, has fresh series. Counters and histograms are pushed by the front door (commands, refusals) and the
pool (job wait and run times); gauges (gateway latency, queue depth, workers alive) are read when scraped.
Nothing here exists unless `TUTOR_METRICS_PORT` is set: the bot then builds one and serves `/metrics`.
Labels are bounded: command names, outcomes, error codes, lanes and shard numbers, never user text or ids.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import math
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

Outcome = Literal["ok", "refused", "failed"]
OUTCOMES: tuple[Outcome, ...] = ("ok", "refused", "failed")
# a reply is a message (milliseconds) or a training run (seconds, up to the job's time limit)
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
JOB_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
# an error code is a word from the code; anything else (a future mistake) must not become a label value
_CODE = re.compile(r"[a-z][a-z0-9_]{0,47}")

GatewayLatencies = Callable[[], Iterable[tuple[int | None, float]]]
PoolStats = Callable[[], Mapping[str, Any]]
T = TypeVar("T")


def on_loop(loop: asyncio.AbstractEventLoop, read: Callable[[], T], timeout: float = 1.0) -> Callable[[], T]:
    """`read`, made callable from the scrape thread: it runs on `loop`, which owns what it reads (a
    loop blocked longer than `timeout` fails that reading, which the scrape then leaves out)."""

    def reading() -> T:
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # no loop runs in this thread: the scrape thread
            running = None
        if running is loop:  # already on it (a test reading the exposition): waiting would deadlock
            return read()
        done: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                done.set_result(read())
            except Exception as exc:
                done.set_exception(exc)

        loop.call_soon_threadsafe(run)
        return done.result(timeout)

    return reading


def bounded_code(code: str) -> str:
    """`code` when it looks like an error code (a short lower-case word), else "other"."""
    return code if _CODE.fullmatch(code) else "other"


class _ReadAtScrape(Collector):
    """The gauges read at scrape time: gateway latency per shard, the pool's queue and workers."""

    def __init__(self) -> None:
        self.gateway: GatewayLatencies | None = None
        self.pool: PoolStats | None = None

    def describe(self) -> Iterable[Metric]:
        return list(self._families())

    def collect(self) -> Iterable[Metric]:
        latency, waiting, running, alive = self._families()
        if self.gateway is not None:
            for shard, seconds in self._read(self.gateway, []):
                if math.isfinite(seconds):  # NaN before the first heartbeat: no sample rather than NaN
                    latency.add_metric([str(shard or 0)], seconds)
        if self.pool is not None:
            stats = self._read(self.pool, {})
            for lane, figures in stats.get("lanes", {}).items():
                waiting.add_metric([lane], figures.get("waiting", 0))
                alive.add_metric([lane], figures.get("alive", 0))
            if "running" in stats:
                running.add_metric([], stats["running"])
        return [latency, waiting, running, alive]

    @staticmethod
    def _families() -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(
                "tutor_gateway_latency_seconds", "Discord gateway heartbeat latency.", labels=["shard"]
            ),
            GaugeMetricFamily("tutor_jobs_waiting", "Jobs waiting for a worker.", labels=["lane"]),
            GaugeMetricFamily("tutor_jobs_running", "Worker calls in progress."),
            GaugeMetricFamily("tutor_workers_alive", "Worker processes alive.", labels=["lane"]),
        )

    @staticmethod
    def _read(source: Callable[[], Any], empty: Any) -> Any:
        # a failing reading loses its series, not the whole scrape
        try:
            return source()
        except TimeoutError:
            log.warning("a metrics gauge was not read: the event loop did not answer in time")
            return empty
        except Exception:
            log.exception("reading a metrics gauge failed")
            return empty


class Metrics:
    """Every `tutor_…` series of one bot, in its own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.commands = Counter(
            "tutor_commands",
            "Slash commands handled, by name and outcome (ok, refused, failed).",
            ["command", "outcome"],
            registry=self.registry,
        )
        self.refusals = Counter(
            "tutor_refusals",
            "Requests refused with a code the learner reads (commands, buttons, forms, mentions).",
            ["code"],
            registry=self.registry,
        )
        self.reply_seconds = Histogram(
            "tutor_reply_seconds",
            "Seconds from a slash command's arrival to the end of its handling (the reply sent).",
            ["command"],
            buckets=REPLY_BUCKETS,
            registry=self.registry,
        )
        self.job_wait_seconds = Histogram(
            "tutor_job_wait_seconds",
            "Seconds a job waited in line before a worker took it.",
            ["lane"],
            buckets=JOB_BUCKETS,
            registry=self.registry,
        )
        self.job_run_seconds = Histogram(
            "tutor_job_run_seconds",
            "Seconds of the worker call that ran a job (a batched call counts for each job in it).",
            ["lane"],
            buckets=JOB_BUCKETS,
            registry=self.registry,
        )
        self._gauges = _ReadAtScrape()
        self.registry.register(self._gauges)
        # CPU, memory and open files of the bot's process, named tutor_process_…
        ProcessCollector(namespace="tutor", registry=self.registry)

    # ---- pushed by the front door
    def command_done(self, command: str, outcome: Outcome, seconds: float) -> None:
        """One slash command was handled: count it and time its reply."""
        self.commands.labels(command=command, outcome=outcome).inc()
        self.reply_seconds.labels(command=command).observe(seconds)

    def refused(self, code: str) -> None:
        """A request was refused with error `code`."""
        self.refusals.labels(code=bounded_code(code)).inc()

    # ---- pushed by the pool (its `JobWatcher` interface)
    def job_waited(self, lane: str, seconds: float) -> None:
        """A job of `lane` left the line for a worker after `seconds`."""
        self.job_wait_seconds.labels(lane=lane).observe(seconds)

    def job_ran(self, lane: str, seconds: float) -> None:
        """A worker call that ran a job of `lane` took `seconds`."""
        self.job_run_seconds.labels(lane=lane).observe(seconds)

    # ---- read when scraped
    def watch_gateway(self, latencies: GatewayLatencies) -> None:
        """Read (shard, seconds) pairs from `latencies` at each scrape."""
        self._gauges.gateway = latencies

    def watch_pool(self, stats: PoolStats) -> None:
        """Read queue depth and workers alive from `stats` (`TrainingPool.stats`) at each scrape."""
        self._gauges.pool = stats

    def exposition(self) -> bytes:
        """The text a scrape of `/metrics` returns."""
        return generate_latest(self.registry)

    def serve(self, port: int, address: str = "127.0.0.1") -> MetricsServer:
        """Serve `/metrics` on `address:port` from a thread of its own (a scrape never waits for the
        event loop, nor the loop for a scrape); port 0 picks a free one."""
        return serve_registry(self.registry, port, address)


def serve_registry(registry: CollectorRegistry, port: int, address: str = "127.0.0.1") -> MetricsServer:
    """Serve `registry` on `address:port`/metrics from a thread of its own; port 0 picks a free one."""
    server, thread = start_http_server(port, addr=address, registry=registry)
    return MetricsServer(server, thread)


# how a queue worker's job ended (bot.training.queue.run_job): a fixed set, so a bounded label
WORKER_OUTCOMES = ("ok", "error", "timeout", "abandoned", "skipped", "worker_crashed")


class WorkerMetrics:
    """The `tutor_worker_…` series of one `python -m bot worker` command (its supervising process)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.jobs = Counter(
            "tutor_worker_jobs",
            "Jobs this command's worker processes took from the queue, by how they ended.",
            ["outcome"],
            registry=self.registry,
        )
        self.job_seconds = Histogram(
            "tutor_worker_job_seconds",
            "Seconds a worker process spent running a job (jobs skipped or refused unrun are left out).",
            buckets=JOB_BUCKETS,
            registry=self.registry,
        )
        self.alive = Gauge(
            "tutor_worker_processes_alive",
            "Worker processes of this command alive (warming up or serving).",
            registry=self.registry,
        )
        self.started = Counter(
            "tutor_worker_processes_started",
            "Worker processes started, the replacements of dead ones included.",
            registry=self.registry,
        )
        # CPU and memory of the supervising process only (each worker process is its own OS process)
        ProcessCollector(namespace="tutor_worker", registry=self.registry)

    def job_done(self, outcome: str, seconds: float) -> None:
        """A worker process ended a job with `outcome` after `seconds`."""
        outcome = outcome if outcome in WORKER_OUTCOMES else "other"
        self.jobs.labels(outcome=outcome).inc()
        if outcome not in ("skipped", "worker_crashed"):  # nothing ran: no run time
            self.job_seconds.observe(seconds)

    def process_started(self) -> None:
        """The supervisor started a worker process."""
        self.started.inc()

    def processes_alive(self, alive: int) -> None:
        """The supervisor counted `alive` worker processes alive."""
        self.alive.set(alive)

    def exposition(self) -> bytes:
        """The text a scrape of `/metrics` returns."""
        return generate_latest(self.registry)

    def serve(self, port: int, address: str = "127.0.0.1") -> MetricsServer:
        """Serve `/metrics` on `address:port` from a thread of its own; port 0 picks a free one."""
        return serve_registry(self.registry, port, address)


@dataclass
class MetricsServer:
    """The running `/metrics` HTTP server."""

    server: WSGIServer
    thread: threading.Thread

    @property
    def port(self) -> int:
        """The port it listens on."""
        return int(self.server.server_address[1])

    def close(self) -> None:
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def samples(text: str) -> Iterator[tuple[str, dict[str, str], float]]:
    """(name, labels, value) of every sample in an exposition text (for tests and `health`-like checks)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            yield sample.name, dict(sample.labels), float(sample.value)
