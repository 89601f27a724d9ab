"""Start-up of the offline console: start → prompt, and start → the first lesson answered.

Each run starts the real `python -m bot console` on pipes (a database already at head, as every start
but the first finds it; training workers as configured), waits for the first prompt, types `/lesson 1`
at once and waits for the page, then quits. Times are from just before the process is spawned. One
run on a fresh database comes first (it migrates) and is reported apart; the figures are the median of
`--runs` runs after it.

Run: `.venv/bin/python benchmarks/bench_start.py [--runs 5] [--run]` (`--run`: `python -m bot` with no
token instead, what `scripts/run.sh` starts: it reads the settings before the prompt, for the token).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 300.0  # seconds: a guard against a hang only


def _read_until(proc: subprocess.Popen[bytes], seen: bytearray, wanted: bytes, start: int) -> float:
    """Read stdout until `wanted` appears after offset `start`; the monotonic time it did."""
    assert proc.stdout is not None
    deadline = time.monotonic() + LIMIT
    while wanted not in seen[start:]:
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk or time.monotonic() > deadline:
            raise RuntimeError(f"no {wanted!r} in: {seen[-500:].decode(errors='replace')}")
        seen += chunk
    return time.monotonic()


def one_run(db: Path, plain_run: bool) -> tuple[float, float]:
    """(start → prompt, start → first lesson answered) in seconds, for one start of the console."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN")}
    env.update(
        {"DATABASE_URL": f"sqlite+aiosqlite:///{db}", "MPLBACKEND": "Agg", "TUTOR_DEFAULT_LANGUAGE": "en"}
    )
    command = [sys.executable, "-m", "bot", *([] if plain_run else ["console", "--lang", "en"])]
    began = time.monotonic()
    proc = subprocess.Popen(
        command, cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdin is not None
    seen = bytearray()
    prompted = _read_until(proc, seen, b"> ", 0)
    mark = len(seen)
    proc.stdin.write(b"/lesson 1\n")
    proc.stdin.flush()
    answered = _read_until(proc, seen, b"Page 1/", mark)
    proc.stdin.write(b"quit\n")
    proc.stdin.flush()
    proc.wait(timeout=LIMIT)
    return prompted - began, answered - began


def main() -> None:
    """Print the start-up figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--run", action="store_true", help="start `python -m bot` with no token")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "tutor.db"
        fresh = one_run(db, args.run)
        runs = [one_run(db, args.run) for _ in range(args.runs)]
    load = os.getloadavg()[0]
    how = "python -m bot (no token)" if args.run else "python -m bot console"
    print(f"{how}, load average {load:.1f} at the end")
    print(f"fresh database (migrates): prompt {fresh[0]:.2f} s, first lesson {fresh[1]:.2f} s")
    prompts, lessons = [r[0] for r in runs], [r[1] for r in runs]
    print(
        f"database at head, median of {len(runs)}: prompt {statistics.median(prompts):.2f} s "
        f"(range {min(prompts):.2f}–{max(prompts):.2f}), first lesson {statistics.median(lessons):.2f} s "
        f"(range {min(lessons):.2f}–{max(lessons):.2f})"
    )


if __name__ == "__main__":
    main()
