"""Reading the terminal (or a pipe): start the Tutor, warm the workers while watching for early input,
then one line at a time until quit, end of input or Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.console.session import QUIT_WORDS, ConsoleSession
from bot.content.loader import ContentProblems
from bot.core.tutor import Tutor
from bot.db.engine import DatabaseUnavailable
from bot.i18n import Lang, say
from bot.log import setup_logging

with contextlib.suppress(ImportError):  # not every Python has it (Windows)
    # With readline, input() writes its prompt to stdout and edits the line; without it, CPython writes
    # the prompt to stderr, so `run.sh 2>/dev/null` would show no prompt at all.
    import readline  # noqa: F401


def _read_line(stream: TextIO, prompt: str, tty: bool, early: str | None = None) -> str | None:
    """One line from the learner (`early`: one typed during start-up), or None at end of input."""
    if tty:
        if early is not None:
            return early
        try:
            return input(prompt)
        except EOFError:
            sys.stdout.write("\n")  # Ctrl-D: the shell's prompt starts on a line of its own
            return None
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = early if early is not None else stream.readline()
    if not line:
        sys.stdout.write("\n")
        return None
    sys.stdout.write(line if line.endswith("\n") else line + "\n")  # echo: a piped session reads well
    return line


@dataclass
class EarlyInput:
    """A line typed while the workers warm up: a quit word (or end of input) stops the warm-up at once."""

    line: str | None = None
    seen: bool = False

    @property
    def wants_out(self) -> bool:
        """Whether the learner left (quit, or end of input) before the console was ready."""
        return self.seen and (self.line is None or self.line.strip().lower() in QUIT_WORDS)


async def warm_up(tutor: Tutor, stdin: TextIO) -> EarlyInput:
    """Start the training pool while watching stdin for the first line typed meanwhile."""
    loop = asyncio.get_running_loop()
    early = EarlyInput()
    warming = asyncio.ensure_future(tutor.pool.start())
    watching = False

    def typed() -> None:
        loop.remove_reader(stdin.fileno())
        early.line = stdin.readline() or None
        early.seen = True
        if early.wants_out:
            warming.cancel()

    with contextlib.suppress(OSError, ValueError, NotImplementedError, AttributeError):
        loop.add_reader(stdin.fileno(), typed)  # a pipe or a terminal; not every stdin can be watched
        watching = True
    try:
        await warming
    except asyncio.CancelledError:
        if not early.wants_out:
            raise
        _stop_warming_workers()
    finally:
        if watching and not early.seen:
            loop.remove_reader(stdin.fileno())
    return early


def _stop_warming_workers() -> None:
    """Kill this process's training workers that were still warming when the learner quit."""
    for child in multiprocessing.active_children():
        if child.name == "training-worker":
            child.kill()


def run_console(settings: Settings, *, out_dir: Path, lang: Lang | None = None) -> int:
    """Build the Tutor, then read lines until quit, end of input or Ctrl-C; always exit cleanly."""
    tty = sys.stdin.isatty() and sys.stdout.isatty()
    # the log goes to stderr one line a record (a traceback only when TUTOR_LOG_LEVEL=DEBUG); INFO is
    # left out, the conversation is on stdout
    debug = settings.log_level.upper() == "DEBUG"
    setup_logging("DEBUG" if debug else "WARNING", tracebacks=debug)
    print(say("console.starting", lang or settings.default_language), flush=True)
    with asyncio.Runner() as runner:
        try:
            tutor = runner.run(Tutor.create(settings, start_pool=False))
        except KeyboardInterrupt:
            return 130
        except ContentProblems as problems:  # broken YAML: say where, like `content check`
            print("\n".join(str(p) for p in problems.problems), file=sys.stderr)
            return 1
        except DatabaseUnavailable as err:
            print(err, file=sys.stderr)
            return 1
        session = ConsoleSession(tutor, out=sys.stdout, out_dir=out_dir, lang=lang, tty=tty)
        try:
            early = runner.run(warm_up(tutor, sys.stdin))
            if early.wants_out:
                print(say("console.bye", session.lang), flush=True)
                return 0
            runner.run(session.start())
            pending = early.line
            while True:
                line = _read_line(sys.stdin, session.prompt, tty, pending)
                pending = None
                if line is None or not runner.run(session.handle(line)):
                    break
        except KeyboardInterrupt:
            print("\n" + say("console.bye", session.lang), flush=True)
        finally:
            with contextlib.suppress(Exception, KeyboardInterrupt):
                runner.run(tutor.close())
    return 0
