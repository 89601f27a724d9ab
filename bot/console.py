"""The offline console: the Discord front door's commands typed as text, pictures saved under --out-dir.

`Console.handle(line)` does one line: a `/command`, an answer while a quiz runs, or free text routed by
bot/chat. `run_console` reads stdin (a terminal or a pipe) until quit, end of input or Ctrl-C.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import itertools
import math
import multiprocessing
import re
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot import console_render as render
from bot.app import Tutor
from bot.chat import Intent
from bot.chat.lookup import find_lesson
from bot.config import Settings
from bot.console_text import say
from bot.content.loader import ContentProblems
from bot.content.pages import lesson_pages
from bot.db.engine import DatabaseUnavailable
from bot.errors import InvalidRequest, NotFound, TutorError
from bot.log import get_logger
from bot.progress.leaderboard import PERIODS
from bot.quiz.session import MAX_QUESTIONS
from bot.quiz.views import Feedback, QuestionView
from bot.training.results import CompareOutcome, Picture, TrainOutcome

log = get_logger(__name__)

LOCAL_LEARNER_ID = 0  # the console's one learner (Discord ids are never 0)
LOCAL_GUILD_ID = 0  # the console's leaderboard "server"
QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit", "q", "bye", "बाय"})
SPINNER_FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
SPINNER_SECONDS = 0.1
DEFAULT_QUIZ_COUNT = 5


def local_learner_name() -> str:
    """The console learner's display name: the login name ($USER), else 'learner'."""
    with contextlib.suppress(Exception):
        return getpass.getuser() or "learner"
    return "learner"


@dataclass
class OpenLesson:
    """The lesson the console shows and the page (0-based) it is on."""

    lesson_id: str
    page: int


class Progress:
    """Tells the learner a job is waiting or running: a spinner in a terminal, one plain line in a pipe."""

    def __init__(self, out: TextIO, lang: str, tty: bool) -> None:
        self.out, self.lang, self.tty = out, lang, tty
        self.position: int | None = None
        self._task: asyncio.Task[None] | None = None

    async def queued(self, position: int) -> None:
        """Called by the pool with the job's place in the queue."""
        self.position = position
        if not self.tty:
            self.out.write(say("queued", self.lang, position=position) + "\n")
            self.out.flush()

    async def __aenter__(self) -> Progress:
        if self.tty:
            self._task = asyncio.create_task(self._spin())
        else:
            self.out.write(say("running", self.lang).rstrip() + "\n")
            self.out.flush()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self.out.write("\r\033[K")
            self.out.flush()

    async def _spin(self) -> None:
        for frame in itertools.cycle(SPINNER_FRAMES):
            where = f" ({say('queued', self.lang, position=self.position)})" if self.position else ""
            self.out.write(f"\r{frame} {say('running', self.lang)}{where}\033[K")
            self.out.flush()
            await asyncio.sleep(SPINNER_SECONDS)


class Console:
    """One learner's console session over a `Tutor`."""

    def __init__(
        self,
        tutor: Tutor,
        *,
        out: TextIO,
        out_dir: Path,
        lang: str | None = None,
        learner_id: int = LOCAL_LEARNER_ID,
        learner_name: str | None = None,
        tty: bool = False,
    ) -> None:
        self.tutor = tutor
        self.out = out
        self.out_dir = Path(out_dir)
        self.lang = lang or tutor.settings.default_language
        self._lang_given = lang is not None
        self.learner_id = learner_id
        self.learner_name = learner_name or local_learner_name()
        self.tty = tty
        self.lesson: OpenLesson | None = None
        self.quiz_id: int | None = None
        self._saved = 0
        self._commands: dict[str, Callable[[str], Awaitable[None]]] = {
            "help": self.cmd_help,
            "madad": self.cmd_help,
            "lesson": self.cmd_lesson,
            "next": self.cmd_next,
            "prev": self.cmd_prev,
            "quiz": self.cmd_quiz,
            "skip": self.cmd_skip,
            "stop": self.cmd_stop,
            "review": self.cmd_review,
            "train": self.cmd_train,
            "compare": self.cmd_compare,
            "backprop": self.cmd_backprop,
            "activation": self.cmd_activation,
            "progress": self.cmd_progress,
            "leaderboard": self.cmd_leaderboard,
            "language": self.cmd_language,
            "glossary": self.cmd_glossary,
            "ask": self.cmd_ask,
        }

    # ---- output -------------------------------------------------------------------------------

    def write(self, text: str = "") -> None:
        """Print one block of text."""
        self.out.write(text + "\n")
        self.out.flush()

    def t(self, key: str, **values: object) -> str:
        """A console string in the current language."""
        return say(key, self.lang, **values)

    def language_name(self, choice: str) -> render.Both:
        """The name of a language choice in each language (each line of 'both' names it in its own)."""
        return render.per_language(f"common.lang_name_{choice}")

    def save_picture(self, name: str, png: bytes) -> Path:
        """Write a PNG under out_dir with a unique name and print its path."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._saved += 1
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "picture"
        path = self.out_dir / f"{stamp}-{self._saved:03d}-{slug}.png"
        path.write_bytes(png)
        self.write(self.t("picture", label=render.label("picture_label", self.lang), path=path))
        return path

    def save_pictures(self, pictures: Sequence[Picture]) -> list[Path]:
        """Save every picture of a job's result and print their paths."""
        return [self.save_picture(picture.name, picture.png) for picture in pictures]

    @property
    def prompt(self) -> str:
        """What the console shows before reading a line."""
        return "quiz> " if self.quiz_id is not None else "> "

    # ---- the loop -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Greet the learner in their language and resume an unfinished quiz."""
        await self.tutor.ensure_learner(self.learner_id, self.learner_name, LOCAL_GUILD_ID)
        if not self._lang_given:
            self.lang = await self.tutor.language_for(self.learner_id, None)
        self.write(self.t("welcome", language=self.language_name(self.lang)))
        active = await self.tutor.quiz.active_session(self.learner_id)
        if active is not None:
            self.quiz_id = active.session_id
            self.show_question(active)

    async def handle(self, line: str) -> bool:
        """Do one line; False when the learner wants to leave."""
        line = line.strip()
        if not line:
            return True
        if line.lower() in QUIT_WORDS:
            self.write(self.t("bye"))
            return False
        try:
            if line.startswith("/"):
                await self.command(line)
            elif self.quiz_id is not None:
                await self.answer(line)
            else:
                await self.dispatch(self.tutor.route(line))
        except TutorError as err:
            self.write(f"⚠️  {err.message(self.lang)}")
        except Exception as exc:  # a console must survive anything; the log keeps the details
            log.exception("console command failed: %s", line)
            self.write(self.t("error", kind=type(exc).__name__))
        return True

    async def command(self, line: str) -> None:
        """Run `/name rest`."""
        name, _, rest = line[1:].partition(" ")
        handler = self._commands.get(name.lower())
        if handler is None:
            self.write(self.t("unknown_command", name=name))
            return
        await handler(rest.strip())

    async def dispatch(self, intent: Intent) -> None:
        """Do what a routed free-text line asks (with a one-reply language when the text names one)."""
        saved = self.lang
        if intent.lang and intent.kind != "language":
            self.lang = intent.lang
        try:
            await self._dispatch(intent)
        finally:
            if intent.kind != "language":
                self.lang = saved

    async def _dispatch(self, intent: Intent) -> None:
        kind = intent.kind
        if kind == "lesson":
            if intent.nav == "next":
                await self.cmd_next("")
            elif intent.nav == "prev":
                await self.cmd_prev("")
            else:
                await self.cmd_lesson(intent.topic or "")
        elif kind == "glossary":
            await self.cmd_glossary(intent.term or "", lesson_fallback=True)
        elif kind == "quiz":
            await self.start_quiz(intent.topic, intent.count)
        elif kind in ("train", "compare"):
            await self.train(intent.raw, compare=kind == "compare")
        elif kind == "activation":
            await self.cmd_activation(intent.term or "")
        elif kind == "leaderboard":
            await self.cmd_leaderboard(intent.period or "")
        elif kind == "language":
            await self.cmd_language(intent.lang or "")
        elif kind == "thanks":
            self.write(self.t("thanks"))
        elif kind == "unknown":
            self.write(self.t("common.not_understood"))
        else:  # help, review, progress, backprop take no arguments
            await self._commands[kind]("")

    # ---- commands ---------------------------------------------------------------------------

    async def cmd_help(self, _: str) -> None:
        """/help"""
        self.write(self.t("help"))

    async def cmd_ask(self, rest: str) -> None:
        """/ask <free text>"""
        await self.dispatch(self.tutor.route(rest))

    async def cmd_language(self, rest: str) -> None:
        """/language hi|en|both"""
        choice = self.tutor.route(f"language {rest}").lang if rest else None
        if choice is None:
            self.write(self.t("lang_usage"))
            return
        await self.tutor.set_language(self.learner_id, choice, self.learner_name)
        self.lang = choice
        self.write(self.t("common.language_set", name=self.language_name(choice)))

    # ---- lessons and the glossary ------------------------------------------------------------

    async def cmd_lesson(self, rest: str) -> None:
        """/lesson [topic or number]: open a lesson at its first page.

        With no topic: the open lesson, else the one the learner read last at the furthest page reached
        (said so), else the first lesson.
        """
        catalog = self.tutor.catalog
        if rest:
            lesson = find_lesson(catalog, rest)
            if lesson is None:
                self.write(self.t("lesson.not_found_list", topic=rest, lessons=self._lesson_names()))
                return
            self.lesson = OpenLesson(lesson.id, 0)
        elif self.lesson is None:
            self.lesson = await self._resumed_lesson()
        await self.show_page()

    async def _resumed_lesson(self) -> OpenLesson:
        """Where the learner stopped reading (from the database), or the first lesson's first page."""
        catalog = self.tutor.catalog
        last = await self.tutor.last_lesson(self.learner_id)
        if last is None or last[0] not in {lesson.id for lesson in catalog.lessons}:
            return OpenLesson(catalog.lessons[0].id, 0)
        lesson = catalog.lesson(last[0])
        page = min(last[1], len(lesson_pages(lesson, self.lang)) - 1)
        self.write(self.t("lesson_resume", order=lesson.order, title=lesson.title, page=page + 1))
        return OpenLesson(lesson.id, page)

    def _lesson_names(self) -> str:
        return ", ".join(f"{x.order} {x.id}" for x in self.tutor.catalog.lessons)

    async def cmd_next(self, _: str) -> None:
        """/next: the next page of the open lesson."""
        await self._turn(+1)

    async def cmd_prev(self, _: str) -> None:
        """/prev: the previous page of the open lesson."""
        await self._turn(-1)

    async def _turn(self, step: int) -> None:
        if self.lesson is None:
            self.write(self.t("no_open_lesson"))
            return
        pages = lesson_pages(self.tutor.catalog.lesson(self.lesson.lesson_id), self.lang)
        target = self.lesson.page + step
        if target >= len(pages):
            self.write(self.t("lesson_end", lesson=self.lesson.lesson_id))
            return
        if target < 0:
            self.write(self.t("lesson_start"))
            return
        self.lesson.page = target
        await self.show_page()

    async def show_page(self) -> None:
        """Print the open page, draw its figure, and record the reading."""
        assert self.lesson is not None
        lesson = self.tutor.catalog.lesson(self.lesson.lesson_id)
        pages = lesson_pages(lesson, self.lang)
        page = pages[self.lesson.page]
        head = self.t(
            "lesson_page",
            order=lesson.order,
            title=lesson.title,  # per language: 'both' gives a whole Hindi line, then an English one
            page=self.lesson.page + 1,
            pages=len(pages),
        )
        self.write(f"{render.RULE}\n{head}\n{render.RULE}\n{render.page_text(page, self.lang, self.tty)}")
        await self.tutor.record_lesson_page(
            self.learner_id, lesson.id, self.lesson.page, len(pages), display_name=self.learner_name
        )
        if page.figure:
            drawn = await self.tutor.jobs.lesson_figure(page.figure, self.lang, learner=self.learner_id)
            self.save_pictures(drawn.pictures)
        self.write(self.t("lesson_nav"))

    async def cmd_glossary(self, rest: str, lesson_fallback: bool = False) -> None:
        """/glossary <term>: the definition (free text falls back to the lesson of that name)."""
        if not rest:
            self.write(self.t("need_term"))
            return
        term = self.tutor.catalog.find_term(rest)
        if term is not None:
            self.write(render.glossary_term(term, self.lang))
            return
        if lesson_fallback and find_lesson(self.tutor.catalog, rest) is not None:
            await self.cmd_lesson(rest)
            return
        self.write(self.t("glossary.not_found", term=rest))

    # ---- quizzes and review -------------------------------------------------------------------

    async def cmd_quiz(self, rest: str) -> None:
        """/quiz [topic] [count]: a count outside 1..MAX_QUESTIONS (or not a number) is refused."""
        words = rest.split()
        count: int | None = None
        if words and _looks_numeric(words[-1]):
            last = words.pop()
            count = int(last) if last.isdigit() else 0  # "-3", "2.5": refused below with the range
        elif (
            len(words) > 1
            and find_lesson(self.tutor.catalog, " ".join(words[:-1])) is not None
            and not self._names_part_of_a_lesson(words[-1])
        ):
            count = 0  # "/quiz activation abc": a lesson, then a count that is not a number
        if count is not None and not 1 <= count <= MAX_QUESTIONS:
            self.write(self.t("quiz_bad_count", max=MAX_QUESTIONS))
            return
        await self.start_quiz(" ".join(words) or None, count)

    def _names_part_of_a_lesson(self, word: str) -> bool:
        """Whether `word` is a word of a lesson's id, title or alias, or names a glossary term."""
        catalog = self.tutor.catalog
        names = [
            name
            for lesson in catalog.lessons
            for name in (lesson.id, lesson.title.en, lesson.title.hi, *lesson.aliases)
        ]
        vocabulary = {part for name in names for part in re.split(r"[\s()/-]+", name.casefold()) if part}
        return word.casefold() in vocabulary or catalog.find_term(word) is not None

    async def start_quiz(self, topic: str | None, count: int | None) -> None:
        """Start a quiz on a lesson (or mixed, without a topic) and show its first question."""
        lesson_id = None
        if topic:
            lesson = find_lesson(self.tutor.catalog, topic)
            if lesson is None:
                self.write(self.t("lesson.not_found_list", topic=topic, lessons=self._lesson_names()))
                return
            lesson_id = lesson.id
        view = await self.tutor.quiz.start(
            self.learner_id,
            lesson_id,
            DEFAULT_QUIZ_COUNT if count is None else count,
            display_name=self.learner_name,
        )
        self.quiz_id = view.session_id
        self.show_question(view)

    async def cmd_review(self, _: str) -> None:
        """/review: a quiz over the questions that are due."""
        try:
            view = await self.tutor.quiz.start_review(self.learner_id, display_name=self.learner_name)
        except NotFound:
            await self._review_outlook()
            return
        self.quiz_id = view.session_id
        self.write(self.t("review.due", count=view.total))
        self.show_question(view)

    async def _review_outlook(self) -> None:
        """Nothing is due: say how many cards wait and when the next one comes (or that there are none)."""
        count, due = await self.tutor.review_outlook(self.learner_id)
        if not count or due is None:
            self.write(self.t("review.empty"))
            return
        when = due if due.tzinfo else due.replace(tzinfo=UTC)
        seconds = max(0.0, (when - datetime.now(UTC)).total_seconds())
        if seconds < 3600:
            wait = render.per_language("wait_minutes", n=max(1, math.ceil(seconds / 60)))
        elif seconds < 2 * 86400:
            wait = render.per_language("wait_hours", n=round(seconds / 3600))
        else:
            wait = render.per_language("wait_days", n=round(seconds / 86400))
        at = when.astimezone().strftime("%Y-%m-%d %H:%M")
        self.write(self.t("review_scheduled", count=count, wait=wait, at=at))

    def show_question(self, view: QuestionView) -> None:
        """Print a quiz question."""
        self.write(render.question(view, self.lang))

    async def answer(self, given: str) -> None:
        """Grade a line typed during a quiz."""
        assert self.quiz_id is not None
        await self._after(await self.tutor.quiz.answer(self.quiz_id, self.learner_id, given))

    async def cmd_skip(self, _: str) -> None:
        """/skip: skip the current question."""
        if self.quiz_id is None:
            self.write(self.t("quiz.not_running"))
            return
        await self._after(await self.tutor.quiz.skip(self.quiz_id, self.learner_id))

    async def cmd_stop(self, _: str) -> None:
        """/stop: end the quiz now."""
        if self.quiz_id is None:
            self.write(self.t("quiz.not_running"))
            return
        summary = await self.tutor.quiz.finish(self.quiz_id, self.learner_id)
        self.quiz_id = None
        self.write(self.t("quiz.stopped", score=summary.correct, answered=summary.answered))

    async def _after(self, result: Feedback) -> None:
        try:
            answered = self.tutor.catalog.question(result.question_id)
        except NotFound:  # the content was reloaded without it: the core's wording of the answer
            answered = None
        self.write(render.feedback(result, self.lang, answered))
        if result.next is not None:
            self.show_question(result.next)
            return
        summary = await self.tutor.quiz.summary(result.session_id, self.learner_id)
        self.quiz_id = None
        self.write(self.t("quiz.finished_xp", score=summary.correct, total=summary.total, xp=summary.xp))

    # ---- training and pictures --------------------------------------------------------------

    async def cmd_train(self, rest: str) -> None:
        """/train <request>, e.g. /train xor adam lr 0.1 epochs 300"""
        await self.train(rest, compare=False)

    async def cmd_compare(self, rest: str) -> None:
        """/compare <request>, e.g. /compare xor sgd adam"""
        await self.train(rest, compare=True)

    async def train(self, text: str, *, compare: bool) -> None:
        """Parse a free-text request, run it in the pool with a progress indicator, save its pictures."""
        from bot.training.parse import parse_request
        from bot.training.spec import CompareSpec

        if not text.strip():
            self.write(self.t("need_request"))
            return
        spec = parse_request(f"compare {text}" if compare and "compare" not in text.lower() else text)
        self.write(f"⚙️  {spec.describe()}")
        progress = Progress(self.out, self.lang, self.tty)
        jobs, learner = self.tutor.jobs, self.learner_id
        outcome: TrainOutcome | CompareOutcome
        async with progress:
            if isinstance(spec, CompareSpec):
                outcome = await jobs.compare(spec, self.lang, learner=learner, on_queued=progress.queued)
            else:
                outcome = await jobs.train(spec, self.lang, learner=learner, on_queued=progress.queued)
        if isinstance(outcome, CompareOutcome):
            self.write(render.job_text(outcome.table, self.lang))
            kind, result = "compare", outcome.contract()
        else:
            self.write(render.train_result(outcome.result, self.lang))
            kind, result = "train", outcome.result.contract(self.lang)
        self.save_pictures(outcome.pictures)
        await self.tutor.progress.record_training_run(self.learner_id, kind, spec.to_dict(), summary(result))

    async def cmd_backprop(self, _: str) -> None:
        """/backprop: the walkthrough with real numbers, and its picture."""
        walk = await self.tutor.jobs.backprop({}, self.lang, learner=self.learner_id)
        self.write(render.job_text(walk.text, self.lang))
        self.save_pictures(walk.pictures)

    async def cmd_activation(self, rest: str) -> None:
        """/activation [name]: the picture of one activation function (or all of them)."""
        name = self.tutor.route(f"show {rest}").term if rest else None
        if rest and name is None:
            raise InvalidRequest(
                "unknown_activation",
                say("unknown_activation", "en", name=rest),
                say("unknown_activation", "hi", name=rest),
            )
        drawing = await self.tutor.jobs.activation(name, self.lang, learner=self.learner_id)
        self.save_pictures(drawing.pictures)

    # ---- progress -----------------------------------------------------------------------------

    async def cmd_progress(self, _: str) -> None:
        """/progress: XP, streak, mastery per lesson, and the 30-day chart."""
        stats = await self.tutor.progress.stats(self.learner_id)
        self.write(render.progress(stats, self.tutor.catalog, self.lang))
        chart = await self.tutor.jobs.progress_chart(stats.chart_data(), self.lang, learner=self.learner_id)
        self.save_pictures(chart.pictures)

    async def cmd_leaderboard(self, rest: str) -> None:
        """/leaderboard [week|all]: the learners of this console's database by XP."""
        period = self.tutor.route(f"leaderboard {rest}").period if rest else "week"
        if period not in PERIODS:
            self.write(self.t("leaderboard_usage", period=rest))
            return
        board = await self.tutor.progress.leaderboard(LOCAL_GUILD_ID, period, learner_id=self.learner_id)
        self.write(render.leaderboard(board, self.lang, render.per_language(f"progress.period_{period}")))


def _looks_numeric(word: str) -> bool:
    """Whether `word` was meant as a number of questions ("5", "0", "-3", "2.5")."""
    return re.fullmatch(r"[+-]?\d+(?:\.\d*)?", word) is not None


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """A run's result without its per-epoch loss lists (what the database keeps of it)."""
    slim = {k: v for k, v in result.items() if not k.endswith("_losses") and k != "runs"}
    runs = result.get("runs")
    if isinstance(runs, dict):
        slim["runs"] = {name: summary(run) for name, run in runs.items()}
    return slim


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


def run_console(settings: Settings, *, out_dir: Path, lang: str | None = None) -> int:
    """Build the Tutor, then read lines until quit, end of input or Ctrl-C; always exit cleanly."""
    tty = sys.stdin.isatty() and sys.stdout.isatty()
    print(say("starting", lang or settings.default_language), flush=True)
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
        console = Console(tutor, out=sys.stdout, out_dir=out_dir, lang=lang, tty=tty)
        try:
            early = runner.run(warm_up(tutor, sys.stdin))
            if early.wants_out:
                print(console.t("bye"), flush=True)
                return 0
            runner.run(console.start())
            pending = early.line
            while True:
                line = _read_line(sys.stdin, console.prompt, tty, pending)
                pending = None
                if line is None or not runner.run(console.handle(line)):
                    break
        except KeyboardInterrupt:
            print("\n" + console.t("bye"), flush=True)
        finally:
            with contextlib.suppress(Exception, KeyboardInterrupt):
                runner.run(tutor.close())
    return 0
