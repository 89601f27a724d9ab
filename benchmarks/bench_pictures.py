"""What a run's pictures cost to draw: this branch's drawing vs main's before it (vendored), same inputs.

Runs a few requests once (xor, moons, circles, spiral, a diverged run, a regression), records the exact
arguments `run_pictures` hands each picture (loss curve, decision boundary, fitted line) in English and
Hindi, then draws each picture with the previous implementation (`previous_run_pictures.py`: a fresh
Figure each time, the old PNG encoder) and with the current one (the worker's kept figures), old and new
interleaved round by round in this process on one thread, as a worker draws. Prints per picture kind the
median milliseconds per picture, old vs new and their ratio, the same for a run's pair of pictures, and
whether the two draw the same pixels.

Run: `.venv/bin/python benchmarks/bench_pictures.py [--rounds 7]`. Figures depend on machine load; the
ratios are what to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project
sys.path.insert(0, str(Path(__file__).resolve().parent))

import torch
from previous_run_pictures import (
    previous_decision_boundary_figure,
    previous_fitted_line_figure,
    previous_loss_curve_figure,
    previous_to_png,
)

from bot.training.parse import parse_request
from bot.training.spec import TrainSpec
from bot.training.worker import run_pictures
from bot.training.worker.runner import train

REQUESTS = (
    "train xor with adam",
    "train moons with sgd",
    "train circles with adam",
    "train spiral with adam, hidden 32,32",
    "train xor with sgd, lr 10",  # diverged: the marker, the cross
    "train linear with sgd",
)
LANGS = ("en", "hi")
NEW: dict[str, Callable[..., bytes]] = {
    "loss_curve": run_pictures.loss_curve_png,
    "decision_boundary": run_pictures.decision_boundary_png,
    "fitted_line": run_pictures.fitted_line_png,
}
OLD: dict[str, Callable[..., Any]] = {
    "loss_curve": previous_loss_curve_figure,
    "decision_boundary": previous_decision_boundary_figure,
    "fitted_line": previous_fitted_line_figure,
}

Call = tuple[str, tuple[Any, ...], dict[str, Any]]  # picture kind, its arguments


def recorded_calls(request: str, lang: str) -> list[Call]:
    """The drawing calls `run_pictures` makes for one trained request in `lang`, with their arguments."""
    spec = parse_request(request)
    assert isinstance(spec, TrainSpec), request
    run = train(spec)
    calls: list[Call] = []

    def recorder(kind: str) -> Callable[..., bytes]:
        def record(*args: Any, **kwargs: Any) -> bytes:
            calls.append((kind, args, kwargs))
            return NEW[kind](*args, **kwargs)

        return record

    for kind in NEW:
        setattr(run_pictures, f"{kind}_png", recorder(kind))
    try:
        run_pictures.run_pictures(run, lang)
    finally:
        for kind, drawing in NEW.items():
            setattr(run_pictures, f"{kind}_png", drawing)
    return calls


def timed(
    drawing: Callable[..., bytes], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[float, bytes]:
    """Milliseconds `drawing(*args, **kwargs)` took, and its PNG."""
    started = time.perf_counter()
    png = drawing(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, png


def previous(kind: str) -> Callable[..., bytes]:
    """The previous implementation's `kind` picture as PNG bytes."""
    return lambda *args, **kwargs: previous_to_png(OLD[kind](*args, **kwargs))


def main() -> None:
    """Record the pictures' inputs, then time old and new drawings of each, interleaved, and print them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    rounds = parser.parse_args().rounds
    torch.set_num_threads(1)  # a worker's setting
    calls = [call for request in REQUESTS for lang in LANGS for call in recorded_calls(request, lang)]
    old_ms: dict[str, list[float]] = defaultdict(list)  # per kind: one median per call
    new_ms: dict[str, list[float]] = defaultdict(list)
    same: dict[str, list[bool]] = defaultdict(list)
    for kind, args, kwargs in calls:
        old_times, new_times = [], []
        for _ in range(rounds):
            old_time, old_png = timed(previous(kind), args, kwargs)
            new_time, new_png = timed(NEW[kind], args, kwargs)
            old_times.append(old_time)
            new_times.append(new_time)
        old_ms[kind].append(statistics.median(old_times))
        new_ms[kind].append(statistics.median(new_times))
        same[kind].append(old_png == new_png)
    print(f"{len(REQUESTS)} requests × {LANGS}, median of {rounds} interleaved rounds each, ms per picture")
    header = f"{'picture':18} {'pictures':>8} {'old ms':>8} {'new ms':>8} {'new/old':>8} {'old ÷ new':>9}"
    print(f"{header}  same pixels")
    for kind in NEW:
        old, new = statistics.mean(old_ms[kind]), statistics.mean(new_ms[kind])
        print(
            f"{kind:18} {len(old_ms[kind]):8d} {old:8.1f} {new:8.1f} {new / old:8.2f} {old / new:9.2f}"
            f"  {sum(same[kind])}/{len(same[kind])}"
        )
    pairs = len(REQUESTS) * len(LANGS)
    old_pair = sum(sum(times) for times in old_ms.values()) / pairs
    new_pair = sum(sum(times) for times in new_ms.values()) / pairs
    print(
        f"{'a run (2 pictures)':18} {pairs:8d} {old_pair:8.1f} {new_pair:8.1f} {new_pair / old_pair:8.2f}"
        f" {old_pair / new_pair:9.2f}"
    )


if __name__ == "__main__":
    main()
