"""`python -m bot` as a shell pipeline's first program: a reader that stops early (`| head`) ends it
quietly, with no BrokenPipe traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.__main__ import SIGPIPE_EXIT
from bot.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow


def run_with_reader_gone(args: list[str], cwd: Path, given: str = "") -> tuple[int, str]:
    """Run `python -m bot <args>` whose stdout's reader has already left; (exit code, stderr)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN")}
    env.update({"PYTHONPATH": str(PROJECT_ROOT), "MPLBACKEND": "Agg", "TUTOR_TRAINING_WORKERS": "1"})
    read, write = os.pipe()
    os.close(read)  # `| head` that has read what it wanted and left, before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=env,
            input=given.encode(),
            stdout=write,
            stderr=subprocess.PIPE,
            timeout=300,
            check=False,
        )
    finally:
        os.close(write)
    return done.returncode, done.stderr.decode()


def test_content_check_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    code, stderr = run_with_reader_gone(["content", "check"], tmp_path)
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert code == SIGPIPE_EXIT


def test_the_console_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    args = ["console", "--out-dir", str(tmp_path / "out"), "--lang", "en", "--db", db]
    code, stderr = run_with_reader_gone(args, tmp_path, "/help\n/lesson 1\nquit\n")
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert code == SIGPIPE_EXIT
