"""The console's prompt reaches a terminal even when stderr is hidden (`run.sh 2>/dev/null`)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROMPT_LIMIT = 120.0  # seconds: migrating, loading content and warming two workers on a busy machine


def _until(fd: int, wanted: bytes, limit: float) -> bytes:
    seen = b""
    end = time.monotonic() + limit
    while wanted not in seen and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.slow
def test_the_prompt_appears_on_a_terminal_with_stderr_hidden(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        "TUTOR_TRAINING_WORKERS": "1",
        "MPLBACKEND": "Agg",
    }
    env.pop("DISCORD_TOKEN", None)
    with open(os.devnull, "wb") as hidden:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--out-dir", str(tmp_path / "out")],
            stdin=follower,
            stdout=follower,
            stderr=hidden,
            env=env,
            cwd=tmp_path,
        )
    os.close(follower)
    try:
        seen = _until(leader, b"> ", PROMPT_LIMIT)
        assert b"> " in seen, seen[-500:]
        os.write(leader, b"quit\n")
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
