"""A throwaway redis-server on a free 127.0.0.1 port, and `python -m bot worker` processes serving it
(for tests/training/test_queue.py and benchmarks/bench_queue.py)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
import redis

from bot.paths import PROJECT_ROOT
from bot.training.queue import ALIVE_SECONDS, WORKERS_KEY, beat_ages, read_beat

REDIS_SERVER = shutil.which("redis-server")
WORKER_READY_SECONDS = 120.0  # a cold worker imports torch and matplotlib on a busy 2-core machine


def require_redis_server() -> None:
    """Skip the calling test module when redis-server is missing; fail instead under TUTOR_REQUIRE_REDIS=1
    (.ci/run installs it: there a missing server is a broken setup, not a reason to skip)."""
    if REDIS_SERVER is not None:
        return
    if os.environ.get("TUTOR_REQUIRE_REDIS") == "1":
        raise RuntimeError(
            "TUTOR_REQUIRE_REDIS=1 but redis-server is not installed (apt-get install redis-server)"
        )
    pytest.skip(
        "redis-server is not installed (apt-get install redis-server; .ci/run does)", allow_module_level=True
    )


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def redis_server() -> Iterator[str]:
    """A fresh redis-server (no persistence) for the block; yields its URL (database 0)."""
    if REDIS_SERVER is None:
        raise FileNotFoundError("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            raise RuntimeError(f"redis-server on port {port} did not answer")
        yield url
    finally:
        client.close()
        process.terminate()
        process.wait(10)


def alive_workers(url: str) -> dict[str, int]:
    """Worker id -> pid of each worker whose heartbeat in the registry is fresh."""
    client = redis.Redis.from_url(url)
    try:
        beats = client.hgetall(WORKERS_KEY)
    finally:
        client.close()
    ages = beat_ages(beats, time.time())
    return {
        worker.decode(): read_beat(beats[worker]).pid for worker, age in ages.items() if age < ALIVE_SECONDS
    }


def wait_for_workers(url: str, count: int, timeout: float = WORKER_READY_SECONDS) -> dict[str, int]:
    """Block until `count` workers are alive (RuntimeError after `timeout`); their ids and pids."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = alive_workers(url)
        if len(alive) >= count:
            return alive
        time.sleep(0.2)
    raise RuntimeError(f"{count} queue workers were not alive within {timeout:g} s: {alive_workers(url)}")


@contextmanager
def bot_workers(
    url: str, count: int, processes: int = 1, options: Sequence[str] = (), pictures: int = 0
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`count` `python -m bot worker --processes P --picture-processes M [options]` commands on `url`,
    ready; stopped (SIGTERM) after. No picture workers unless asked: each costs a warm-up."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TUTOR_LOG_LEVEL": "WARNING", "MPLBACKEND": "Agg"}
    env.pop("TUTOR_BROKER_URL", None)
    command = [sys.executable, "-m", "bot", "worker", "--broker", url, "--processes", str(processes)]
    command += ["--picture-processes", str(pictures)]
    command += options
    started = [subprocess.Popen(command, env=env, cwd=PROJECT_ROOT) for _ in range(count)]
    try:
        wait_for_workers(url, count * (processes + pictures))
        yield started
    finally:
        for process in started:
            process.send_signal(signal.SIGTERM)
        for process in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
