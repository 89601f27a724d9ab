"""The job queue against the local warm pool: one job's overhead, and a burst's throughput by worker count.

A throwaway redis-server on a free 127.0.0.1 port; `python -m bot worker --processes P` serves it.
Measured in one run:
- one job alone (a small XOR run with its two pictures), `--alone` times each, through the local pool
  (one warm worker, the baseline) and through the queue (one worker process): median seconds, and the
  queue's as a multiple of the pool's;
- a burst of `--burst` such jobs from different learners at once, served by P = 1, 2 (, 4…) worker
  processes: jobs per second and p95 time to picture (submit → result), each against P = 1's.
On the 2-core build machine more than 2 processes cannot run faster: 4 measures what the queue costs
when workers outnumber cores.
Run: .venv/bin/python benchmarks/bench_queue.py [--alone 5] [--burst 12] [--processes 1,2,4]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project

from bot.training.jobs import Jobs, training_pool
from bot.training.parse import parse_request
from bot.training.queue import QueueExecutor
from bot.training.results import TrainOutcome
from bot.training.spec import TrainSpec
from tests.training.redis_server import bot_workers, redis_server

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _spec(seed: int) -> TrainSpec:
    spec = parse_request(f"train xor with {OPTIMIZERS[seed % 4]} epochs 300 seed {seed}")
    assert isinstance(spec, TrainSpec)
    return spec


async def _one(jobs: Jobs, learner: str, seed: int) -> float:
    started = time.perf_counter()
    outcome = await jobs.train(_spec(seed), "en", learner=learner)
    assert isinstance(outcome, TrainOutcome) and outcome.pictures
    return time.perf_counter() - started


async def _alone(jobs: Jobs, times: int) -> float:
    """Median seconds of one job with nothing else running (the first, a warm-up, is not counted)."""
    await _one(jobs, "warm", 0)
    return statistics.median([await _one(jobs, f"alone-{i}", i) for i in range(times)])


async def _burst(jobs: Jobs, size: int) -> tuple[float, float]:
    """(jobs per second, p95 seconds to picture) of `size` jobs from different learners at once."""
    started = time.perf_counter()
    waits = await asyncio.gather(*(_one(jobs, f"burst-{i}", i) for i in range(size)))
    wall = time.perf_counter() - started
    p95 = statistics.quantiles(waits, n=20)[-1] if len(waits) > 1 else waits[0]
    return size / wall, p95


async def _pool_alone(times: int) -> float:
    async with training_pool(workers=1, picture_workers=0, batch_limit=1) as pool:
        return await _alone(Jobs(pool), times)


async def _queue(url: str, alone: int, burst: int) -> tuple[float | None, float, float]:
    queue = QueueExecutor(url)
    try:
        jobs = Jobs(queue)
        one = await _alone(jobs, alone) if alone else None
        rate, p95 = await _burst(jobs, burst)
        return one, rate, p95
    finally:
        await queue.close()


def main() -> int:
    """Print the figures; the ratios are against baselines measured in the same run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alone", type=int, default=5, help="single jobs timed per backend")
    parser.add_argument("--burst", type=int, default=12, help="jobs in a burst")
    parser.add_argument("--processes", default="1,2", help="worker processes to try, comma-separated")
    args = parser.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    pool_one = asyncio.run(_pool_alone(args.alone))
    print(f"one job, local pool (1 warm worker): median {pool_one * 1000:.0f} ms  [baseline]")
    baseline: tuple[float, float] | None = None
    with redis_server() as url:
        for processes in counts:
            with bot_workers(url, 1, processes=processes):
                one, rate, p95 = asyncio.run(_queue(url, args.alone if processes == 1 else 0, args.burst))
            if one is not None:
                print(
                    f"one job, queue (1 worker process): median {one * 1000:.0f} ms"
                    f"  = {one / pool_one:.2f} × the local pool"
                )
            if baseline is None:
                baseline = (rate, p95)
            print(
                f"burst of {args.burst}, {processes} worker process(es): {rate:.2f} jobs/s "
                f"({rate / baseline[0]:.2f} × {counts[0]}), p95 to picture {p95:.2f} s "
                f"({p95 / baseline[1]:.2f} × {counts[0]})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
