"""The console's first line, read while the core is still being built: the prompt shows at once.

It imports nothing of the tutor (only the standard library), so `python -m bot console` shows its prompt
before the settings, SQLAlchemy, the content and the database are ready. A line typed before the core is
ready gets the "Starting…" line (`while_building`) and waits for it.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

PROMPT = "> "  # a quiz can only be resumed once the core is ready: the first prompt is never "quiz> "


class FirstLine:
    """Shows the prompt and reads one line in a thread; `wait()` gives it (None at end of input)."""

    def __init__(self, stream: TextIO, out: TextIO, *, tty: bool) -> None:
        self.stream, self.out, self.tty = stream, out, tty
        self._line: str | None = None
        self._read = threading.Event()
        self._lock = threading.Lock()  # the reader and the builder both may write the "Starting…" line
        self._starting: str | None = None  # the "Starting…" text, once the language is known
        self._ready = False  # the core is built: the line is answered without a word of waiting
        self._told = False
        self._failed: Exception | None = None  # what reading failed with, raised again by `wait`
        # a daemon: a start that fails (content, database) exits without waiting for the learner
        threading.Thread(target=self._read_one, name="console-first-line", daemon=True).start()

    def _read_one(self) -> None:
        try:
            self.out.write(PROMPT)
            self.out.flush()
            # the terminal's own line discipline, not readline: a Ctrl-C during start-up must leave the
            # terminal as it was, and readline would hold it in its mode from another thread
            line = self.stream.readline()
            with self._lock:
                if not line:
                    self.out.write("\n")
                elif not self.tty:  # echo: a piped session reads well
                    self.out.write(line if line.endswith("\n") else line + "\n")
                self._line = line or None
                self._tell_waiting()
        except Exception as exc:  # e.g. the output's reader has gone (`| head`): `wait` raises it
            self._failed = exc
        finally:
            self._read.set()

    def _tell_waiting(self) -> None:
        """Write the "Starting…" line once, when a line has come and the core is not ready (lock held)."""
        if self._line is not None and self._starting and not self._ready and not self._told:
            self.out.write(self._starting + "\n")
            self.out.flush()
            self._told = True

    def while_building(self, text: str) -> None:
        """What a line typed before the core is ready is told (say("console.starting", lang))."""
        with self._lock:
            self._starting = text
            self._tell_waiting()

    def wait(self) -> str | None:
        """The core is ready: the line the learner typed at the first prompt (waiting for it), or None
        at end of input; what reading it failed with is raised here, in the caller's thread."""
        with self._lock:
            self._ready = True
        self._read.wait()
        if self._failed is not None:
            raise self._failed
        return self._line


def read_first_line() -> FirstLine:
    """Start reading the first line from stdin, the prompt on stdout."""
    return FirstLine(sys.stdin, sys.stdout, tty=sys.stdin.isatty() and sys.stdout.isatty())
