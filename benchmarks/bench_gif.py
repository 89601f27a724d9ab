"""What "watch it learn" costs: the GIF job vs the plain run of the same spec, in seconds and bytes.

For each spec, in this process (one thread, like a worker): the plain run (`tasks.train`: train and
draw the two PNGs) and the animation (`tasks.animate`: train twice, draw ≤ 60 frames, encode the GIF),
the median of `--rounds`. Prints one line per spec and the ratio animation / plain.

Run: `.venv/bin/python benchmarks/bench_gif.py [--rounds 3]`. Figures depend on machine load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project

from bot.training.parse import parse_request
from bot.training.spec import TrainSpec
from bot.training.worker.tasks import animate, train

REQUESTS = (
    "train xor with adam",
    "train moons with adam",
    "train spiral with adam, hidden 32,32",
    "train linear with sgd",
)


def _median_seconds(job: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        job()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Measure and print each request's plain and GIF costs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    animate(parse_request("train xor with adam, 10 epochs").to_dict())  # warm matplotlib and torch
    print(
        f"{'request':40} {'plain s':>8} {'gif s':>8} {'ratio':>6} {'png bytes':>10} {'gif bytes':>10} frames"
    )
    for request in REQUESTS:
        spec = parse_request(request)
        assert isinstance(spec, TrainSpec)
        data = spec.to_dict()
        plain = _median_seconds(partial(train, data), rounds)
        gif = _median_seconds(partial(animate, data), rounds)
        pngs = sum(len(p.png) for p in train(data).pictures)
        done = animate(data)
        print(
            f"{request:40} {plain:8.2f} {gif:8.2f} {gif / plain:6.1f} {pngs:10d} {len(done.gif):10d}"
            f" {len(done.epochs)}"
        )


if __name__ == "__main__":
    main()
