"""The real console on a terminal (a pty): a run shows one updating line, not a flood, cleared before its
answer; Ctrl-C while a job runs cancels the job and the prompt returns; the next run is served."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

LIMIT = 180.0  # seconds: guards against a hang only; nothing asserts on time
LONG_RUN = b"/train spiral adam hidden 64,64 epochs 5000\n"  # seconds of work: still running at Ctrl-C


class Terminal:
    """`python -m bot console` whose controlling terminal is a pty (so Ctrl-C is the terminal's)."""

    def __init__(self, tmp_path: Path) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 200, 0, 0))  # 200 columns
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
            "TUTOR_TRAINING_WORKERS": "1",
            "TUTOR_TRAIN_COOLDOWN_SECONDS": "0",  # the second run comes at once
            "MPLBACKEND": "Agg",
        }
        env.pop("DISCORD_TOKEN", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--lang", "en", "--out-dir", str(tmp_path / "out")],
            stdin=follower,
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
            start_new_session=True,  # a session of its own, whose terminal the pty becomes
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(follower)
        self.seen = b""

    def until(self, wanted: bytes) -> bytes:
        """Everything read from now until `wanted` has appeared (AssertionError if it never does)."""
        start = len(self.seen)
        end = time.monotonic() + LIMIT
        while wanted not in self.seen[start:] and time.monotonic() < end:
            ready, _, _ = select.select([self.leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(self.leader, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                self.seen += chunk
        got = self.seen[start:]
        assert wanted in got, got[-800:]
        return got

    def type(self, data: bytes) -> None:
        os.write(self.leader, data)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        os.close(self.leader)


@pytest.fixture
def terminal(tmp_path: Path) -> Terminal:
    term = Terminal(tmp_path)
    yield term  # type: ignore[misc]
    term.close()


def test_ctrl_c_cancels_the_running_job_and_the_prompt_returns(terminal: Terminal) -> None:
    terminal.until(b"> ")
    terminal.type(LONG_RUN)
    running = terminal.until(b"Ctrl-C: Cancel")  # the job's line says how to stop it
    terminal.type(b"\x03")  # Ctrl-C, as the terminal sends it to the console's process group
    after = terminal.until(b"> ")
    assert b"Run cancelled" in after
    assert b"Bye" not in after and terminal.process.poll() is None  # the console goes on
    drawn = running + after.split(b"Run cancelled")[0]
    echoed = drawn.split(b"epochs 5000", 1)[1]
    # a line typed before the core is ready is first answered by "Starting…" and the banner, once each
    echoed = re.sub(
        rb"\r\nStarting\xe2\x80\xa6 \(loading content\)\r\n[^\r\n]*offline console[^\r\n]*", b"", echoed
    )
    assert echoed.count(b"\n") <= 2  # the echo, the ^C: the job's line is redrawn in place
    assert echoed.count(b"\r") >= 2 and b"\x1b[K" in echoed

    terminal.type(b"/train xor adam epochs 50\n")  # the cancelled job's worker was replaced
    trained = terminal.until(b"> ")
    assert b"Final loss" in trained
    before_answer = trained.split("─".encode())[0].split(b"epochs 50", 1)[1]
    assert before_answer.count(b"\n") <= 1 and before_answer.endswith(b"\r\x1b[K")  # cleared, no flood
    terminal.type(b"quit\n")
    assert terminal.process.wait(timeout=60) == 0
