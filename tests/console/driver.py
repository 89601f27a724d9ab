"""Drive `python -m bot console` through pipes: send a line, read everything up to the next prompt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from bot.paths import PROJECT_ROOT

STARTUP_LIMIT = 300.0  # guards against a hang only; nothing asserts on time
STEP_LIMIT = 180.0


class ConsoleProcess:
    """A console subprocess whose stdout is collected by a thread; prompts mark the end of a reply."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        full_env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN")}
        full_env.update({"PYTHONPATH": str(PROJECT_ROOT), "MPLBACKEND": "Agg", "TUTOR_TRAINING_WORKERS": "1"})
        full_env.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=full_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # a learner's Ctrl-C: SIGINT as a terminal sends it (background test runners may ignore it)
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        self._buffer = ""
        self._mark = 0
        self._closed = False
        self._changed = threading.Condition()
        self._stderr: list[bytes] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self._stderr_pump = threading.Thread(target=self._pump_stderr, daemon=True)
        self._stderr_pump.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        decoder_buffer = b""
        while chunk := os.read(self.proc.stdout.fileno(), 65536):
            decoder_buffer += chunk
            try:
                text = decoder_buffer.decode("utf-8")
            except UnicodeDecodeError:
                continue  # a multi-byte character split across reads
            decoder_buffer = b""
            with self._changed:
                self._buffer += text
                self._changed.notify_all()
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def _pump_stderr(self) -> None:
        assert self.proc.stderr is not None
        # os.read returns what is there: a buffered read(4096) waits for 4 KB or for the end of the pipe,
        # which the training workers (they inherit stderr) may hold open after the console has exited
        while chunk := os.read(self.proc.stderr.fileno(), 4096):
            self._stderr.append(chunk)

    @property
    def stderr(self) -> str:
        """Everything the process wrote to stderr so far."""
        return b"".join(self._stderr).decode("utf-8", "replace")

    def until_prompt(self, limit: float = STEP_LIMIT) -> str:
        """The output since the last call, up to and including the next prompt."""
        with self._changed:
            ok = self._changed.wait_for(
                lambda: self._closed or self._buffer[self._mark :].endswith(("> ", "quiz> ")), limit
            )
            if not ok:
                raise AssertionError(
                    f"no prompt; output so far:\n{self._buffer[self._mark :]}\n{self.stderr}"
                )
            if self._closed and not self._buffer[self._mark :].endswith("> "):
                raise AssertionError(f"console ended:\n{self._buffer[self._mark :]}\n{self.stderr}")
            out = self._buffer[self._mark :]
            self._mark = len(self._buffer)
            return out

    def send(self, line: str) -> str:
        """Type `line`; return the reply (up to the next prompt)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode("utf-8"))
        self.proc.stdin.flush()
        return self.until_prompt()

    def finish(self, line: str | None = "quit") -> tuple[int, str]:
        """Send `line` (or close stdin), wait for the exit; the exit code and the remaining output."""
        assert self.proc.stdin is not None
        if line is not None:
            self.proc.stdin.write((line + "\n").encode("utf-8"))
        self.proc.stdin.close()
        code = self.proc.wait(timeout=STEP_LIMIT)
        self._stderr_pump.join(timeout=5)  # what the console wrote before it exited is all read
        with self._changed:
            self._changed.wait_for(lambda: self._closed, STEP_LIMIT)
            return code, self._buffer[self._mark :]

    def interrupt(self) -> tuple[int, str]:
        """Press Ctrl-C; the exit code and the remaining output."""
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=STEP_LIMIT)
        self._stderr_pump.join(timeout=5)
        with self._changed:
            self._changed.wait_for(lambda: self._closed, STEP_LIMIT)
            return code, self._buffer[self._mark :]
