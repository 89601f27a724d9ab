"""Batched optimizer comparison vs the same optimizers trained one after another, in one process.

Prints seconds for each and the ratio (separate / batched). Not part of the test run.
Usage: .venv/bin/python -m benchmarks.bench_compare [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from bot.training.spec import make_compare_spec
from bot.training.worker.batched import compare
from bot.training.worker.runner import train

CASES = [("xor", {}), ("circles", {}), ("spiral", {"epochs": 500})]


def _seconds(work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    """Time both ways per dataset and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)  # as in the workers
    print(f"{'dataset':<10}{'optimizers':>11}{'epochs':>8}{'batched s':>11}{'separate s':>12}{'ratio':>8}")
    for dataset, options in CASES:
        spec = make_compare_spec(dataset, **options)  # type: ignore[arg-type]
        compare(spec)  # warm-up: first-call costs are not what we measure
        batched, separate = [], []
        for _ in range(args.repeat):
            batched.append(_seconds(lambda spec=spec: compare(spec)))
            separate.append(_seconds(lambda spec=spec: [train(spec.train_spec(o)) for o in spec.optimizers]))
        b, s = statistics.median(batched), statistics.median(separate)
        print(f"{dataset:<10}{len(spec.optimizers):>11}{spec.epochs:>8}{b:>11.3f}{s:>12.3f}{s / b:>8.2f}")


if __name__ == "__main__":
    main()
