"""One learner's console session: a typed line becomes a core use case, its reply is printed.

`ConsoleSession.handle(line)` does one line: a `/command`, an answer while a quiz runs, or free text
routed by the core. Only the syntax of typed commands lives here; every decision is the core's.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import itertools
import re
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TextIO

from bot.chat import lookup, words
from bot.console import render
from bot.content.pages import display_width
from bot.core import chat, glossary, help, lessons, progress, quiz, running, teaching, training
from bot.core.learners import Learner, choose_language, choose_replies, identify
from bot.core.replies import QuizPlace, Reply, notice
from bot.core.status import JobReport
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, TutorError, Unavailable
from bot.i18n import Lang, say, tr
from bot.log import get_logger
from bot.progress.leaderboard import PERIODS
from bot.quiz.session import MAX_QUESTIONS

log = get_logger(__name__)

LOCAL_LEARNER_ID = 0  # the console's one learner (Discord ids are never 0)
LOCAL_GUILD_ID = 0  # the console's leaderboard "server"
QUIT_WORDS = words.QUIT
SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SPINNER_SECONDS = 0.1
ANSWER_HINTS = {
    "choice": "console.answer_hint_choice",
    "true_false": "console.answer_hint_tf",
    "number": "console.answer_hint_number",
    "text": "console.answer_hint_text",
}


def local_learner_name() -> str:
    """The console learner's display name: the login name ($USER), else 'learner'."""
    with contextlib.suppress(Exception):
        return getpass.getuser() or "learner"
    return "learner"


class TerminalStatus:
    """A core `Status` in the terminal: on a TTY one updating line (a spinner, then the job's progress,
    cleared before the answer); on a pipe a few plain lines (the job, its queue place, every quarter)."""

    def __init__(self, out: TextIO, tty: bool, width: int | None = None) -> None:
        self.out, self.tty = out, tty
        self.width = width  # the terminal's columns (None: ask the terminal)
        self.text = ""
        self._spinner: asyncio.Task[None] | None = None
        self._printed: str | None = None  # the pipe's last state line
        self._quarter = 0  # the pipe's last quarter of the work printed

    def _line(self, text: str) -> str:
        """One line that fits the terminal: 'both' gives two lines, a wrapped line would not update."""
        line = text.replace("\n", " · ").strip()
        columns = (self.width or shutil.get_terminal_size().columns) - 3  # the spinner, a space, the cursor
        if display_width(line) <= columns:
            return line
        while line and display_width(line) > columns - 1:
            line = line[:-1]
        return line + "…"

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def working(self, text: str) -> None:
        """Show what is being done: start the spinner, or print one line."""
        if not text:
            return
        if not self.tty:
            self._print(text.replace("\n", " · ").strip())
            return
        self._spin_with(self._line(text))

    def _spin_with(self, text: str) -> None:
        self.text = text
        if self._spinner is None:
            self._spinner = asyncio.create_task(self._spin())

    async def progress(self, report: JobReport) -> None:
        """A job's state: on a TTY its line (the state and how to cancel first, so a narrow terminal keeps
        them); on a pipe the job once, a new queue or warm-up line, and each quarter of the work."""
        if self.tty:
            hint = f"Ctrl-C: {report.cancel.label}" if report.cancel is not None else ""
            pieces = [report.line, hint, report.title]
            self._spin_with(self._line("\n".join(piece for piece in pieces if piece)))
            return
        if report.stage == "starting":
            self._print(report.title.replace("\n", " · "))
        elif report.stage in ("queued", "warming"):
            if report.line != self._printed:
                self._print(report.line.replace("\n", " · "))
                self._printed = report.line
        elif report.fraction is not None and (quarter := int(report.fraction * 4 + 1e-9)) > self._quarter:
            self._quarter = quarter
            self._print(report.line.replace("\n", " · "))

    async def finished(self) -> None:
        """The job is over: clear its line before the answer."""
        await self.stop()

    async def _spin(self) -> None:
        for frame in itertools.cycle(SPINNER_FRAMES):
            self.out.write(f"\r{frame} {self.text}\033[K")
            self.out.flush()
            await asyncio.sleep(SPINNER_SECONDS)

    async def stop(self) -> None:
        """Clear the spinner's line."""
        if self._spinner is not None:
            self._spinner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._spinner
            self._spinner = None
            self.out.write("\r\033[K")
            self.out.flush()


class ConsoleSession:
    """One learner's console over a `Tutor`."""

    def __init__(
        self,
        tutor: Tutor,
        *,
        out: TextIO,
        out_dir: Path,
        lang: Lang | None = None,
        learner_name: str | None = None,
        tty: bool = False,
    ) -> None:
        self.tutor = tutor
        self.out = out
        self.out_dir = Path(out_dir)
        self.tty = tty
        self.fixed_lang = lang  # --lang: this session speaks it whatever was stored
        self.name = learner_name or local_learner_name()
        self.learner = Learner(
            LOCAL_LEARNER_ID, self.name, lang or tutor.settings.default_language, LOCAL_GUILD_ID
        )
        self.quiz: QuizPlace | None = None
        self.started = False  # the learner is recorded and greeted
        self.answers: list[str] = []  # the practice answers of the page shown last, until asked for
        self._saved = 0
        self._commands: dict[str, Callable[[str, TerminalStatus], Awaitable[Reply]]] = {
            "help": self._help,
            "madad": self._help,
            "lesson": self._lesson,
            "lessons": self._lessons,
            "answer": self._answer,
            "section": self._section,
            "next": lambda _, s: lessons.turn_page(self.tutor, self.learner, 1, s),
            "prev": lambda _, s: lessons.turn_page(self.tutor, self.learner, -1, s),
            "quiz": self._quiz,
            "skip": self._skip,
            "stop": lambda _, s: quiz.stop_quiz(
                self.tutor, self.learner, self.quiz.session_id if self.quiz else None
            ),
            "review": lambda _, s: quiz.review(self.tutor, self.learner),
            "train": self._train,
            "compare": lambda rest, s: training.compare_text(self.tutor, self.learner, rest, s),
            "sweep": lambda rest, s: training.sweep_text(self.tutor, self.learner, rest, s),
            "code": lambda _, s: training.export(self.tutor, self.learner, None),
            "replay": lambda rest, s: training.replay_text(self.tutor, self.learner, rest, s),
            "animate": lambda rest, s: training.animate(self.tutor, self.learner, rest, s),
            "units": lambda rest, s: training.units(self.tutor, self.learner, rest, s),
            "backprop": lambda rest, s: teaching.backprop(
                self.tutor, self.learner, teaching.backprop_options(rest, strict=True), s
            ),
            "activation": lambda rest, s: teaching.activation(self.tutor, self.learner, rest or None, s),
            "progress": lambda _, s: progress.progress(self.tutor, self.learner, s),
            "leaderboard": self._leaderboard,
            "language": self._language,
            "replies": self._replies,
            "glossary": self._glossary,
            "ask": self._free_text,
        }

    # ---- output -------------------------------------------------------------------------------

    @property
    def lang(self) -> Lang:
        """The language this session speaks now."""
        return self.learner.lang

    def write(self, text: str = "") -> None:
        """Print one block of text."""
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, reply: Reply) -> None:
        """Print a reply, save its pictures and files, and follow where it leaves the learner."""
        answers: list[str] = []
        self.write(render.reply_text(reply, self.lang, self.tty, answers))
        if answers or reply.lesson is not None:  # a new page's answers replace the last page's
            self.answers = answers
        label = tr("console.picture_label")
        for picture in reply.pictures:
            self._saved += 1
            path = render.save_picture(self.out_dir, self._saved, picture.name, picture.png)
            self.write(tr("console.picture", label=label, path=path).pick(self.lang, one_line=True))
        for file in reply.files:
            self._saved += 1
            stem, _, suffix = file.filename.rpartition(".")
            path = render.save_picture(self.out_dir, self._saved, stem, file.data, f".{suffix}")
            self.write(tr("console.picture", label=file.filename, path=path).pick(self.lang, one_line=True))
        if reply.quiz is not None:
            self.quiz = reply.quiz
            self.write(say(ANSWER_HINTS[reply.quiz.answer_kind], self.lang))
        elif reply.quiz_over:
            self.quiz = None

    @property
    def prompt(self) -> str:
        """What the console shows before reading a line."""
        return "quiz> " if self.quiz is not None else "> "

    # ---- the loop -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Greet the learner in their language and resume an unfinished quiz; when the database is
        unavailable, say so in one line and try again before the next command."""
        try:
            self.learner = await identify(self.tutor, LOCAL_LEARNER_ID, self.name, guild_id=LOCAL_GUILD_ID)
        except Unavailable as err:
            self.write(f"⚠️  {err.message(self.lang)}")
            return
        self.started = True
        if self.fixed_lang is not None:
            self.learner = self.learner.speaking(self.fixed_lang)
        # the language's name filled in per language: in 'both' each line names it in its own words
        self.write(say("console.welcome", self.lang, language=tr(f"common.lang_name_{self.lang}")))
        resumed = await quiz.resume_quiz(self.tutor, self.learner)
        if resumed is not None:
            self.show(resumed)

    async def cancel_job(self) -> bool:
        """Ctrl-C: cancel the learner's running job through the core (True), or False when none runs."""
        try:
            await running.cancel_run(self.tutor, self.learner, self.learner.id)
        except InvalidRequest:
            return False
        return True

    async def handle(self, line: str) -> bool:
        """Do one line; False when the learner wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.lower() in QUIT_WORDS:
            self.write(say("console.bye", self.lang))
            return False
        if not self.started:  # the database was unavailable at start: the learner is not recorded yet
            await self.start()
            if not self.started:
                return True
        status = TerminalStatus(self.out, self.tty)
        try:
            reply = await self._reply(line, status)
        except TutorError as err:
            await status.stop()
            self.write(f"⚠️  {err.message(self.lang)}")
            return True
        except BrokenPipeError:  # the output's reader has gone (`| head`): nothing left to tell
            raise
        except Exception as exc:  # a console must survive anything; the log keeps the details
            await status.stop()
            log.exception("console command failed: %s", line)
            self.write(say("console.error", self.lang, kind=type(exc).__name__))
            return True
        await status.stop()
        self.show(reply)
        return True

    async def _reply(self, line: str, status: TerminalStatus) -> Reply:
        if line.startswith("/"):
            name, _, rest = line[1:].partition(" ")
            handler = self._commands.get(name.lower())
            if handler is None:
                raise InvalidRequest("unknown_command", name=name[:30])
            return await handler(rest.strip(), status)
        if self.quiz is not None:
            return await quiz.answer(self.tutor, self.learner, self.quiz.session_id, self.quiz.number, line)
        return await self._free_text(line, status)

    # ---- commands whose typed syntax needs reading ---------------------------------------------

    async def _free_text(self, text: str, status: TerminalStatus) -> Reply:
        self.learner, reply = await chat.answer_text(self.tutor, self.learner, text, status, "console")
        return reply

    async def _train(self, rest: str, status: TerminalStatus) -> Reply:
        """/train <request> [--data FILE.csv]: the file is the learner's own points (size checked first)."""
        text, flag, path = rest.partition("--data")
        if not flag:
            return await training.train_text(self.tutor, self.learner, rest, status)
        file = Path(path.strip())
        try:
            size = file.stat().st_size
        except OSError:
            raise InvalidRequest("data_no_file", name=str(file)[:60].replace("`", "'")) from None
        attached = [(file.name, size, lambda: asyncio.to_thread(file.read_bytes))]
        return await training.train_file(self.tutor, self.learner, text, attached, status)

    async def _help(self, _: str, status: TerminalStatus) -> Reply:
        return help.help_reply(self.learner, "console")

    async def _lesson(self, rest: str, status: TerminalStatus) -> Reply:
        return await lessons.open_lesson(self.tutor, self.learner, rest or None, status)

    async def _lessons(self, _: str, status: TerminalStatus) -> Reply:
        return lessons.lesson_list(self.tutor, self.learner)

    async def _section(self, rest: str, status: TerminalStatus) -> Reply:
        """/section n: part n of the lesson being read (1 the overview, the summary last)."""
        if not rest.isdigit():
            raise InvalidRequest("need_section")
        return await lessons.jump_to_section(self.tutor, self.learner, int(rest), status)

    async def _answer(self, rest: str, status: TerminalStatus) -> Reply:
        """/answer [n]: a practice answer of the page shown last (all of them without a number)."""
        if not self.answers:
            raise InvalidRequest("no_hidden_answer")
        if not rest:
            return notice("\n".join(self.answers))
        if not rest.isdigit() or not 1 <= int(rest) <= len(self.answers):
            raise InvalidRequest("no_such_answer", asked=rest[:10], count=len(self.answers))
        return notice(self.answers[int(rest) - 1])

    async def _skip(self, _: str, status: TerminalStatus) -> Reply:
        if self.quiz is None:
            raise InvalidRequest("quiz_not_running")
        return await quiz.skip(self.tutor, self.learner, self.quiz.session_id, self.quiz.number)

    async def _quiz(self, rest: str, status: TerminalStatus) -> Reply:
        """/quiz [topic] [count]: a count outside 1..MAX_QUESTIONS (or not a number) is refused."""
        words = rest.split()
        count: int | None = None
        if words and _looks_numeric(words[-1]):
            last = words.pop()
            count = int(last) if last.isdigit() else 0  # "-3", "2.5": refused by the core with the range
        elif (
            len(words) > 1
            and lookup.find_lesson(self.tutor.catalog, " ".join(words[:-1])) is not None
            and not self._names_part_of_a_lesson(words[-1])
        ):
            count = 0  # "/quiz activation abc": a lesson, then a count that is not a number
        if count is not None and not 1 <= count <= MAX_QUESTIONS:
            raise InvalidRequest("quiz_bad_count", max=MAX_QUESTIONS)
        return await quiz.start_quiz(self.tutor, self.learner, " ".join(words) or None, count)

    def _names_part_of_a_lesson(self, word: str) -> bool:
        """Whether `word` is a word of a lesson's id, title or alias, or names a glossary term."""
        catalog = self.tutor.catalog
        names = [name for x in catalog.lessons for name in (x.id, x.title.en, x.title.hi, *x.aliases)]
        vocabulary = {part for name in names for part in re.split(r"[\s()/-]+", name.casefold()) if part}
        return word.casefold() in vocabulary or catalog.find_term(word) is not None

    async def _leaderboard(self, rest: str, status: TerminalStatus) -> Reply:
        period = chat.intent_of(self.tutor, f"leaderboard {rest}").period if rest else "week"
        if period not in PERIODS:
            raise InvalidRequest("leaderboard_bad_period", period=rest[:30])
        return await progress.leaderboard(self.tutor, self.learner, period or "week")

    async def _language(self, rest: str, status: TerminalStatus) -> Reply:
        choice = chat.intent_of(self.tutor, f"language {rest}").lang if rest else None
        if choice is None:
            raise InvalidRequest("language_usage")
        self.learner, reply = await choose_language(self.tutor, self.learner, choice)
        self.fixed_lang = None
        return reply

    async def _replies(self, rest: str, status: TerminalStatus) -> Reply:
        self.learner, reply = await choose_replies(self.tutor, self.learner, rest.strip().lower())
        return reply

    async def _glossary(self, rest: str, status: TerminalStatus) -> Reply:
        if not rest:
            raise InvalidRequest("need_term")
        return glossary.glossary(self.tutor, self.learner, rest)


def _looks_numeric(word: str) -> bool:
    """Whether `word` was meant as a number of questions ("5", "0", "-3", "2.5")."""
    return re.fullmatch(r"[+-]?\d+(?:\.\d*)?", word) is not None
