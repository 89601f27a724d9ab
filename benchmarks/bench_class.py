"""A class at once: 30 learners send /train in the same second to the real bot, at default settings.

The real `python -m bot` process talks to the fake Discord of tests/e2e on 127.0.0.1 (as in
bench_discord.py). Measured in one run: time from start to the console prompt (`python -m bot console`)
and to the first picture; one /train alone (the baseline, several times); then 30 learners, each with
their own /train (mixed datasets and optimizers) dispatched together, with /help asked throughout.
Printed: learners served (a picture posted), p50/p95 time to picture, the burst's wall time against
30 × one job alone, /help latency during the burst against /help with no jobs.
Run: .venv/bin/python benchmarks/bench_class.py
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_discord import _payload  # noqa: E402
from tests.console.driver import ConsoleProcess  # noqa: E402
from tests.e2e.fake_discord import FakeDiscord, Recorded  # noqa: E402

SITE = ROOT / "tests" / "e2e" / "site"
LEARNERS = 30
ALONE = 3  # single jobs for the baseline
DATASETS = ("xor", "moons", "circles")
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
BURST_LIMIT = 300.0  # seconds: a hang guard
TARGET_RATIO = 0.5
LAG_LIMIT_MS = 20.0  # the bot's event-loop lag p99 over the run
HELP_LIMIT = 3.0
HELP_EVERY = 0.25  # seconds between two /help during the burst


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Answers:
    """Each /train's end as the fake Discord records it: a picture posted, or a refusal (ephemeral text).

    A listener sees each request once; polling every request for every waiting learner (30 of them,
    every 10 ms) cost the benchmark process a core-second of the burst, CPU taken from the bot.
    """

    def __init__(self, fake: FakeDiscord) -> None:
        self._waiting: dict[str, asyncio.Future[bool]] = {}
        fake.listeners.append(self._heard)

    def expect(self, token: str) -> asyncio.Future[bool]:
        """A future set to True when `token`'s picture is posted, False when it is refused."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting[token] = future
        return future

    def _heard(self, record: Recorded) -> None:
        for part in record.path.split("/"):
            future = self._waiting.get(part)
            if future is None or future.done():
                continue
            if record.files:
                future.set_result(True)
            elif isinstance(record.body, dict) and _refusal(record.body):
                future.set_result(False)


def _refusal(body: dict[str, Any]) -> bool:
    data = body.get("data", body)
    return isinstance(data, dict) and bool(data.get("flags", 0) & 64)  # ephemeral: the bot's refusals


async def _help_latency(fake: FakeDiscord, tag: str) -> float:
    token = f"help-{tag}"
    started = time.perf_counter()
    await fake.dispatch("INTERACTION_CREATE", _payload(fake, token, 1, "help"))
    await fake.wait_for(lambda r: r.path.endswith(f"/{token}/callback"), timeout=60)
    return time.perf_counter() - started


async def _train(
    fake: FakeDiscord, answers: Answers, token: str, learner: int, dataset: str, optimizer: str
) -> float:
    """Send one /train; the seconds until its picture is posted (inf when it was refused)."""
    started = time.perf_counter()
    answered = answers.expect(token)
    payload = _payload(fake, token, learner, "train", dataset=dataset, optimizer=optimizer)
    await fake.dispatch("INTERACTION_CREATE", payload)
    try:
        pictured = await asyncio.wait_for(answered, BURST_LIMIT)
    except TimeoutError:
        return float("inf")
    return time.perf_counter() - started if pictured else float("inf")


def _loop_lag(log_path: Path) -> dict[str, Any] | None:
    """The loop-lag summary the bot logs when it closes (bot/loop_lag.py), or None."""
    marker = "event-loop lag over the run: "
    for line in reversed(log_path.read_text(encoding="utf-8", errors="replace").splitlines()):
        if marker in line:
            summary: dict[str, Any] = json.loads(line.split(marker, 1)[1])
            return summary
    return None


def _console_prompt_seconds(work: Path) -> float:
    """Seconds from starting `python -m bot console` to its first prompt (defaults but its own database)."""
    env = {
        "TUTOR_TRAINING_WORKERS": "2",
        "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'console.db'}",
        "TUTOR_LOG_LEVEL": "WARNING",
    }
    started = time.perf_counter()
    console = ConsoleProcess(["console"], cwd=work, env=env)
    try:
        console.until_prompt()
        return time.perf_counter() - started
    finally:
        console.finish()


async def main() -> int:
    """Start the bot against the fake Discord, measure, print the figures; exit 1 when a target is missed."""
    work = Path(tempfile.mkdtemp(prefix="bench-class-"))
    prompt_seconds = await asyncio.to_thread(_console_prompt_seconds, work)
    fake = FakeDiscord()
    await fake.start()
    answers = Answers(fake)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")},  # default settings
        "DISCORD_TOKEN": "BENCH.fake-token.not-real",
        "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{work / 'tutor.db'}",
        "TUTOR_HEARTBEAT_FILE": str(work / "heartbeat.json"),
        "TUTOR_LOG_LEVEL": "INFO",  # the bot logs its event-loop lag when it closes
        "TUTOR_TEST_DISCORD_API": fake.api_base,
        "TUTOR_TEST_DISCORD_GATEWAY": fake.gateway_url,
        "PYTHONPATH": os.pathsep.join([str(SITE), str(ROOT)]),
        "MPLBACKEND": "Agg",
    }
    started = time.perf_counter()
    log_path = work / "bot.log"
    log_file = log_path.open("wb")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=work, env=env, stdout=log_file, stderr=subprocess.STDOUT
    )
    try:
        await asyncio.wait_for(fake.identified.wait(), timeout=240)
        connected = time.perf_counter() - started
        first = await _train(fake, answers, "first", 900, "xor", "adam")
        first_picture = time.perf_counter() - started
        for i in range(5):  # warm the /help path once (first embed, first DB query)
            await _help_latency(fake, f"warm{i}")
        baseline_help = [await _help_latency(fake, f"base{i}") for i in range(20)]
        alone = [
            await _train(fake, answers, f"alone{i}", 800 + i, DATASETS[i % 3], OPTIMIZERS[i % 4])
            for i in range(ALONE)
        ]
        one_job = statistics.median(alone)

        mix = list(itertools.islice(itertools.product(DATASETS, OPTIMIZERS), LEARNERS))
        mix += [mix[i % len(mix)] for i in range(LEARNERS - len(mix))]
        burst_started = time.perf_counter()
        jobs = [
            asyncio.create_task(_train(fake, answers, f"class{n}", 100 + n, dataset, optimizer))
            for n, (dataset, optimizer) in enumerate(mix)
        ]
        during: list[float] = []
        while not all(job.done() for job in jobs):  # a learner asking /help now and then, not a flood
            during.append(await _help_latency(fake, f"load{len(during)}"))
            await asyncio.sleep(HELP_EVERY)
        times = [job.result() for job in jobs]
        burst = time.perf_counter() - burst_started
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=30)
        except TimeoutError:
            process.kill()
        await fake.close()

    served = [t for t in times if t != float("inf")]
    ratio = burst / (LEARNERS * one_job)
    help_p99 = _quantile(during, 0.99)
    print(f"{LEARNERS} learners, /train in the same second, default settings, {os.cpu_count()} cores")
    print(f"start -> console prompt     {prompt_seconds:6.2f} s")
    print(f"start -> connected          {connected:6.2f} s")
    print(f"start -> first picture      {first_picture:6.2f} s  (that job: {first:.2f} s)")
    print(f"one job alone (median of {ALONE}) {one_job:6.2f} s  {[round(a, 2) for a in alone]}")
    print(f"learners served             {len(served)}/{LEARNERS}")
    if served:
        p50, p95 = statistics.median(served), _quantile(served, 0.95)
        print(f"time to picture             p50 {p50:6.2f} s ({p50 / one_job:.1f}x one job alone)")
        print(f"                            p95 {p95:6.2f} s ({p95 / one_job:.1f}x one job alone)")
    print(f"burst wall time             {burst:6.2f} s = {ratio:.2f} x ({LEARNERS} x one job alone)")
    base_p50 = statistics.median(baseline_help)
    print(
        f"/help during the burst      n={len(during)} p50 {statistics.median(during) * 1000:.0f} ms, "
        f"p99 {help_p99 * 1000:.0f} ms ({help_p99 / base_p50:.1f}x the idle p50 of {base_p50 * 1000:.0f} ms)"
    )
    log_file.close()
    lag = _loop_lag(log_path)
    if lag is None:
        print("event-loop lag              not in the bot's log (it did not close cleanly)")
    else:
        print(
            f"event-loop lag (whole run)  p50 {lag['loop_lag_p50_ms']} ms, p99 {lag['loop_lag_p99_ms']} ms, "
            f"max {lag['loop_lag_max_ms']} ms over {lag['loop_lag_samples']} samples of 50 ms"
        )
    lag_ok = lag is not None and (lag["loop_lag_p99_ms"] or 0.0) <= LAG_LIMIT_MS
    ok = len(served) == LEARNERS and ratio <= TARGET_RATIO and help_p99 < HELP_LIMIT and lag_ok
    print(
        f"targets (30/30, ratio <= {TARGET_RATIO}, /help p99 < {HELP_LIMIT:g} s, loop lag p99 <= "
        f"{LAG_LIMIT_MS:g} ms): {'met' if ok else 'missed'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
