"""Reading the terminal (or a pipe): start the Tutor while the first line is typed at the prompt (the
training workers warm in the background), then one line at a time until quit, end of input or Ctrl-C (a
Ctrl-C while a job runs cancels the job instead)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.console.first_line import FirstLine
from bot.console.session import QUIT_WORDS, ConsoleSession
from bot.content.loader import ContentProblems
from bot.core.tutor import Tutor, freeze_start_up_objects
from bot.db.engine import DatabaseUnavailable
from bot.i18n import Lang, say
from bot.log import setup_logging

with contextlib.suppress(ImportError):  # not every Python has it (Windows)
    # With readline, input() writes its prompt to stdout and edits the line; without it, CPython writes
    # the prompt to stderr, so `run.sh 2>/dev/null` would show no prompt at all.
    import readline  # noqa: F401


def _read_line(stream: TextIO, prompt: str, tty: bool) -> str | None:
    """One line from the learner, or None at end of input."""
    if tty:
        try:
            return input(prompt)
        except EOFError:
            sys.stdout.write("\n")  # Ctrl-D: the shell's prompt starts on a line of its own
            return None
    sys.stdout.write(prompt)
    sys.stdout.flush()
    line = stream.readline()
    if not line:
        sys.stdout.write("\n")
        return None
    sys.stdout.write(line if line.endswith("\n") else line + "\n")  # echo: a piped session reads well
    return line


async def _handle(session: ConsoleSession, line: str) -> bool:
    """Do one line; a Ctrl-C meanwhile cancels the learner's running job (the answer says so and the
    prompt returns), and without one ends the console as before."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    interrupts: set[asyncio.Future[None]] = set()

    async def interrupt() -> None:
        if not await session.cancel_job() and task is not None:
            task.cancel()

    def interrupted() -> None:
        future = asyncio.ensure_future(interrupt())
        interrupts.add(future)  # held until done: the loop keeps only a weak reference to a task
        future.add_done_callback(interrupts.discard)

    try:
        loop.add_signal_handler(signal.SIGINT, interrupted)
    except (NotImplementedError, RuntimeError, ValueError):  # no signal handlers here (Windows): as before
        return await session.handle(line)
    try:
        return await session.handle(line)
    finally:
        loop.remove_signal_handler(signal.SIGINT)


def run_console(settings: Settings, first_line: FirstLine, *, out_dir: Path, lang: Lang | None = None) -> int:
    """Build the Tutor while `first_line` is typed (its prompt already shown), then answer it (the
    learner is greeted first) and read lines until quit, end of input or Ctrl-C; always exit cleanly."""
    tty = first_line.tty
    # the log goes to stderr one line a record (a traceback only when TUTOR_LOG_LEVEL=DEBUG); INFO is
    # left out, the conversation is on stdout
    debug = settings.log_level.upper() == "DEBUG"
    setup_logging("DEBUG" if debug else "WARNING", tracebacks=debug)
    with asyncio.Runner() as runner:
        try:
            tutor = runner.run(Tutor.create(settings))  # workers warm meanwhile; a run waits for one
        except ContentProblems as problems:  # broken YAML: say where, like `content check`
            print("\n".join(str(p) for p in problems.problems), file=sys.stderr)
            return 1
        except DatabaseUnavailable as err:
            print(err, file=sys.stderr)
            return 1
        freeze_start_up_objects()
        session = ConsoleSession(tutor, out=sys.stdout, out_dir=out_dir, lang=lang, tty=tty)
        try:
            line = first_line.wait()
            if line is not None and line.strip().lower() not in QUIT_WORDS:
                runner.run(session.start())  # the greeting (and a resumed quiz) before the first reply
                resumed = session.quiz is not None and not line.lstrip().startswith("/")
                if not session.started or resumed:
                    # not answered: the database is unavailable (said; the next line tries again), or it
                    # was typed at "> " before the resumed question showed and is not taken as its answer
                    line = ""
            while line is not None and runner.run(_handle(session, line)):
                line = _read_line(sys.stdin, session.prompt, tty)
        except (KeyboardInterrupt, asyncio.CancelledError):  # Ctrl-C at the prompt or outside a job
            print("\n" + say("console.bye", session.lang), flush=True)
        finally:
            with contextlib.suppress(Exception, KeyboardInterrupt):
                runner.run(tutor.close())
    return 0
