"""Job targets for the executor tests (allowed by passing allowed_prefixes=("tests.", …))."""

from __future__ import annotations

import os
import time
from pathlib import Path


def warm() -> None:
    """A light warm-up, so mechanics tests don't pay for torch in every worker."""


def echo(value: object) -> dict[str, object]:
    """Return the value and the worker's pid."""
    return {"value": value, "pid": os.getpid()}


def wait_for_file(path: str, limit: float = 60.0) -> str:
    """Block in the worker until `path` exists (the test creates it to release the job)."""
    deadline = time.monotonic() + limit
    while not Path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return path


def sleep_forever() -> None:
    """A runaway job: only the pool's wall-time limit stops it."""
    while True:
        time.sleep(1)


def crash() -> None:
    """Die the way a segfault would: no exception, no reply."""
    os._exit(3)


def fail() -> None:
    """An ordinary bug inside a job."""
    raise ZeroDivisionError("division by zero")


def niceness() -> int:
    """The worker's scheduling niceness."""
    return os.nice(0)


def warm_at_gate() -> None:
    """A warm-up that lasts until the file named by $TUTOR_TEST_WARM_GATE exists (tests of start-up)."""
    gate = Path(os.environ["TUTOR_TEST_WARM_GATE"])
    deadline = time.monotonic() + 60
    while not gate.exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def count_with_progress(steps: int) -> int:
    """Report progress after each of `steps` steps, then return `steps`."""
    from bot.training.executor import report_progress
    from bot.training.results import Progress

    for done in range(1, steps + 1):
        report_progress(Progress(done, steps, loss=1.0 / done))
    return steps


def echo_spec(spec: dict[str, object], lang: str) -> dict[str, object]:
    """One batchable job: its spec back, refused when the spec says `bad`, with the worker's pid."""
    if spec.get("bad"):
        raise ValueError("a bad member")
    return {"spec": spec, "lang": lang, "pid": os.getpid()}


def echo_batch(specs: list[dict[str, object]], lang: str) -> list[dict[str, object]]:
    """`echo_spec` for several specs in one call (one bad spec fails the whole call), with progress."""
    from bot.training.executor import report_progress
    from bot.training.results import Progress

    report_progress(Progress(1, 1, loss=float(len(specs))))
    return [echo_spec(spec, lang) | {"batch": len(specs)} for spec in specs]
