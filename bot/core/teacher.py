"""The teacher's tools, per server: settings, the class report and its CSV export, assignments, the
server's own quiz questions, resetting a learner, and the live class quiz.

Every use case here is for the server's teachers (Manage Server, or the teacher role the server chose)
and refuses anyone else; the replies are private to the teacher, except the live quiz, which the class
plays in public.
"""

from __future__ import annotations

import asyncio
import csv
import io
import random
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from datetime import datetime, tzinfo
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.classroom.assignments import KINDS, AssignmentInfo, parse_due
from bot.classroom.live import MAX_SECONDS, MIN_SECONDS, LiveAnswer, LiveGame, Standing, pick_questions
from bot.classroom.report import AnswerRow, ClassReport, LearnerRow
from bot.classroom.reset import reset_member
from bot.classroom.settings import ServerSettings
from bot.content.loader import MAX_UPLOAD_BYTES, check_quiz_upload
from bot.content.schema import AnyQuestion, CodeOutput, MultipleChoice, TrueFalse
from bot.core import pictures
from bot.core.learners import Learner
from bot.core.lessons import find_lesson
from bot.core.numbers import percent, place
from bot.core.quiz import lesson_title, option_line, question_body
from bot.core.replies import Action, Card, Field, File, Picture, Reply, notice
from bot.core.tutor import Tutor
from bot.db.off_loop import off_loop
from bot.errors import ContentError, InvalidRequest, NotFound
from bot.i18n import Bilingual, say, tr
from bot.progress.streaks import zone
from bot.quiz.bank import local_id_of, questions_of

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

ROWS_SHOWN = 20  # learners listed in the report's embed; the CSV has everyone
HEATMAP_ROWS = 40  # learners drawn in the heat map (a taller picture is unreadable in Discord)
PROBLEMS_SHOWN = 15  # an upload's problems listed
LIVE_QUESTIONS = 5
LIVE_SECONDS = 30
CSV_ENCODING = "utf-8-sig"  # with a BOM, so spreadsheet programs read Devanagari names as UTF-8
UPLOAD_SUFFIXES = (".yaml", ".yml")
THREAD_NAME_MAX = 100  # Discord's limit


def server_of(learner: Learner) -> ServerSettings:
    """The settings of the server a teacher asks in; refused outside a server and for a non-teacher."""
    if learner.guild_id is None or learner.server is None:
        raise InvalidRequest("teacher_needs_server")
    if not learner.teacher:
        raise InvalidRequest("teacher_only")
    return learner.server


def _private(text: str) -> Reply:
    return notice(text, private=True)


def _when(moment: datetime | None, timezone: str, lang: str) -> str:
    if moment is None:
        return say("teacher.never", lang)
    return moment.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M")


# --------------------------------------------------------------------------------------------- settings
def _switch(on: bool, lang: str) -> str:
    return say("teacher.switch_on" if on else "teacher.switch_off", lang)


def settings_card(settings: ServerSettings, lang: str) -> Card:
    """A server's settings, one field each."""
    one = "hi" if lang == "both" else lang  # a value under a label that already says it twice
    label = {key: tr(f"teacher.{key}").pick(lang, one_line=True) for key in ("language", "replies")}
    language = settings.language or say("teacher.language_auto", one)
    role = f"<@&{settings.teacher_role}>" if settings.teacher_role else say("teacher.teacher_role_none", one)
    fields = (
        Field(label["language"], language),
        Field(label["replies"], say(f"teacher.replies_{settings.replies}", one)),
        Field(tr("teacher.training").pick(lang, one_line=True), _switch(settings.training, one)),
        Field(tr("teacher.leaderboard").pick(lang, one_line=True), _switch(settings.leaderboard, one)),
        Field(tr("teacher.teacher_role").pick(lang, one_line=True), role),
        Field(tr("teacher.timezone").pick(lang, one_line=True), settings.timezone),
    )
    return Card(title=tr("teacher.settings_title").pick(lang, one_line=True), fields=fields)


async def settings(tutor: Tutor, learner: Learner, changes: Mapping[str, object]) -> Reply:
    """The server's settings; with `changes` (language 'auto' = each learner's own), applied first and
    stored (a bad value changes nothing)."""
    current = server_of(learner)
    values = {
        name: (None if name == "language" and value == "auto" else value) for name, value in changes.items()
    }
    if not values:
        return Reply(cards=(settings_card(current, learner.lang),), private=True)
    changed = await tutor.servers.change(current.guild_id, **values)
    known = await tutor.learners.get(learner.id)
    chose = known is not None and known.language is not None
    # a teacher who chose no language of their own reads the server's new one at once, as learners will
    lang = changed.language if "language" in values and changed.language and not chose else learner.lang
    return Reply(
        note=say("teacher.settings_saved", lang), cards=(settings_card(changed, lang),), private=True
    )


# ----------------------------------------------------------------------------------------------- report
def _accuracy(row: LearnerRow) -> str:
    return percent(row.accuracy) if row.accuracy is not None else "—"


def _row_line(tutor: Tutor, report: ClassReport, row: LearnerRow, timezone: str, lang: str) -> str:
    if report.lesson_id is None:
        return say(
            "teacher.report_row",
            lang,
            name=row.name,
            read=len(row.completed),
            lessons=len(tutor.catalog.lessons),
            accuracy=_accuracy(row),
            correct=row.correct,
            answered=row.answered,
            due=row.reviews_due,
            last=_when(row.last_active, timezone, lang),
        )
    mastery = row.mastery.get(report.lesson_id)
    level = mastery.level if mastery is not None else "new"
    return say(
        "teacher.report_lesson_row",
        lang,
        name=row.name,
        pages=row.pages.get(report.lesson_id, 0),
        done=" ✓" if report.lesson_id in row.completed else "",
        level=tr(f"progress.level_{level}"),
        correct=mastery.correct if mastery is not None else 0,
        answered=mastery.answered if mastery is not None else 0,
        accuracy=_accuracy(row),
    )


def _assignment_line(
    tutor: Tutor, report: ClassReport, item: AssignmentInfo, timezone: str, lang: str
) -> str:
    return say(
        "teacher.assignment_row",
        lang,
        kind=tr(f"teacher.kind_{item.kind}"),
        lesson=lesson_title(tutor, item.lesson_id, lang),
        due=_due_text(item.due_at, timezone, lang),
        done=len(report.done.get(item.id, set())),
        members=len(report.rows),
    )


def _due_text(due: datetime | None, timezone: str, lang: str) -> str:
    if due is None:
        return say("teacher.no_due", lang)
    return due.astimezone(zone(timezone)).strftime("%Y-%m-%d")


def heatmap_data(tutor: Tutor, report: ClassReport, lang: str) -> dict[str, object]:
    """What the heat map draws: learners' names, lessons' titles, and mastery scores (None: no answers)."""
    lessons = [lesson for lesson in tutor.catalog.lessons if report.lesson_id in (None, lesson.id)]
    one = "hi" if lang == "both" else lang
    scores = [
        [
            (row.mastery[lesson.id].score if row.mastery[lesson.id].answered else None)
            if lesson.id in row.mastery
            else None
            for lesson in lessons
        ]
        for row in report.rows[:HEATMAP_ROWS]
    ]
    return {
        "learners": [row.name for row in report.rows[:HEATMAP_ROWS]],
        "lessons": [lesson.title.pick(one) for lesson in lessons],
        "scores": scores,
        "title": tr("teacher.heatmap_title").pick(lang, one_line=True),
        "note": tr("teacher.heatmap_note").pick(lang, one_line=True),
    }


async def report(tutor: Tutor, learner: Learner, lesson: str | None = None) -> Reply:
    """The class at a glance: a line per learner, the most-missed questions, the assignments and who did
    them, and the heat map of mastery (learners × lessons)."""
    current = server_of(learner)
    lang = learner.lang
    lesson_id = find_lesson(tutor, lesson).id if lesson else None
    found = await tutor.classes.report(current.guild_id, lesson_id)
    what = lesson_title(tutor, lesson_id, lang) if lesson_id else tr("teacher.report_course").pick(lang)
    lines = [_row_line(tutor, found, row, current.timezone, lang) for row in found.rows[:ROWS_SHOWN]]
    if len(found.rows) > ROWS_SHOWN:
        lines.append(say("teacher.report_more", lang, count=len(found.rows) - ROWS_SHOWN))
    missed = [
        say(
            "teacher.missed_row",
            lang,
            id=local_id_of(m.question_id),
            lesson=lesson_title(tutor, m.lesson_id, lang),
            wrong=m.wrong,
            answered=m.answered,
        )
        for m in found.missed
    ]
    fields = [
        Field(
            tr("teacher.missed_title").pick(lang, one_line=True),
            "\n".join(missed) or say("teacher.missed_none", lang),
            inline=False,
        )
    ]
    if found.assignments:
        shown = [_assignment_line(tutor, found, a, current.timezone, lang) for a in found.assignments]
        fields.append(
            Field(tr("teacher.assignments_title").pick(lang, one_line=True), "\n".join(shown), inline=False)
        )
    png = (
        await pictures.class_heatmap(tutor, heatmap_data(tutor, found, lang), learner.id)
        if found.rows
        else None
    )
    card = Card(
        title=tr("teacher.report_title", what=what).pick(lang, one_line=True),
        body="\n".join(lines) or say("teacher.report_empty", lang),
        fields=tuple(fields),
        pictures=(Picture("class", png, tr("teacher.heatmap_title").pick(lang, one_line=True)),)
        if png is not None
        else (),
        tone="progress",
    )
    return Reply(cards=(card,), private=True)


# ----------------------------------------------------------------------------------------------- export
def _header(key: str, lang: str, **values: object) -> str:
    return tr(f"teacher.column_{key}", **values).pick(lang, one_line=True)


def class_csv(tutor: Tutor, report: ClassReport, timezone: str, lang: str) -> bytes:
    """One row per learner: the figures of the report, then one column per lesson (mastery %)."""
    one = "hi" if lang == "both" else lang
    lessons = list(tutor.catalog.lessons)
    out = io.StringIO()
    writer = csv.writer(out)
    figures = ("learner_id", "name", "lessons_read", "answered", "correct", "accuracy", "reviews_due", "xp")
    writer.writerow(
        [
            *(_header(key, lang) for key in figures),
            _header("last_active", lang),
            *(_header("mastery", lang, lesson=lesson.title.pick(one)) for lesson in lessons),
        ]
    )
    for row in report.rows:
        accuracy = f"{100 * row.accuracy:.0f}" if row.accuracy is not None else ""
        mastery = [
            f"{100 * m.score:.0f}" if (m := row.mastery.get(lesson.id)) is not None and m.answered else ""
            for lesson in lessons
        ]
        last = (
            row.last_active.astimezone(zone(timezone)).strftime("%Y-%m-%d %H:%M") if row.last_active else ""
        )
        writer.writerow(
            [
                str(row.learner_id),  # as text: a spreadsheet would round a 19-digit number
                row.name,
                len(row.completed),
                row.answered,
                row.correct,
                accuracy,
                row.reviews_due,
                row.xp,
                last,
                *mastery,
            ]
        )
    return out.getvalue().encode(CSV_ENCODING)


ANSWER_COLUMNS = (
    "answered_at",
    "learner_id",
    "name",
    "lesson",
    "question",
    "given",
    "correct",
    "skipped",
    "seconds",
)


def write_answers(
    writer: CsvWriter, rows: Sequence[AnswerRow], names: Mapping[int, str], place: tzinfo
) -> None:
    """CSV lines of answers given in the server, in the server's time."""
    shown: dict[str, str] = {}  # question id -> the id its teacher gave it (a few hundred ids)
    writer.writerows(
        (
            answered_at.astimezone(place).isoformat(" ", "seconds")[:19],  # YYYY-MM-DD HH:MM:SS
            str(learner_id),
            names.get(learner_id, ""),
            lesson_id,
            shown.get(question_id) or shown.setdefault(question_id, local_id_of(question_id)),
            given or "",
            int(correct),
            int(skipped),
            f"{seconds:.1f}",
        )
        for answered_at, learner_id, lesson_id, question_id, given, correct, skipped, seconds in rows
    )


async def answers_csv(tutor: Tutor, guild_id: int, timezone: str, lang: str) -> tuple[bytes, int]:
    """Every answer given in the server, oldest first, as CSV (UTF-8 with BOM), and how many there are;
    converted, written and encoded in a thread, batch by batch."""
    names = await tutor.classes.answerers(guild_id)
    place = zone(timezone)

    def written(batches: Iterator[Sequence[AnswerRow]]) -> tuple[bytes, int]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([_header(key, lang) for key in ANSWER_COLUMNS])
        count = 0
        for batch in batches:
            write_answers(writer, batch, names, place)
            count += len(batch)
        return out.getvalue().encode(CSV_ENCODING), count

    return await tutor.classes.answers(guild_id, written)


async def export(tutor: Tutor, learner: Learner, answers: bool = False) -> Reply:
    """The class report as a CSV attachment (UTF-8 with BOM), and every answer as a second one on request."""
    current = server_of(learner)
    lang = learner.lang
    async with asyncio.TaskGroup() as group:  # the report and the answers are read side by side
        found_read = group.create_task(tutor.classes.report(current.guild_id))
        given_read = (
            group.create_task(answers_csv(tutor, current.guild_id, current.timezone, lang))
            if answers
            else None
        )
    found = found_read.result()
    # writing thousands of rows takes a moment: off the event loop
    files = [File("class.csv", await off_loop(class_csv, tutor, found, current.timezone, lang))]
    extra = ""
    if given_read is not None:
        data, count = given_read.result()
        files.append(File("answers.csv", data))
        extra = say("teacher.export_answers", lang, count=count)
    note = say("teacher.export_note", lang, learners=len(found.rows), answers=extra)
    return Reply(note=note, files=tuple(files), private=True)


# ------------------------------------------------------------------------------------------ assignments
async def assign(tutor: Tutor, learner: Learner, kind: str, lesson: str, due: str | None = None) -> Reply:
    """Assign a lesson (to read) or its quiz (to finish), by a due day (YYYY-MM-DD, the server's time)."""
    current = server_of(learner)
    found = find_lesson(tutor, lesson)
    due_at = parse_due(due, current.timezone, tutor.classes.clock()) if due else None
    item, new = await tutor.assignments.assign(current.guild_id, kind, found.id, due_at, learner.id)
    values = {
        "kind": tr(f"teacher.kind_{item.kind}"),
        "lesson": found.title.pick(learner.lang, one_line=True),
        "due": _due_text(item.due_at, current.timezone, learner.lang),
    }
    # without a due day, a sentence of its own ("due no due date" reads oddly)
    if new:
        key = "teacher.assigned" if item.due_at is not None else "teacher.assigned_no_due"
    else:
        key = "teacher.reassigned" if item.due_at is not None else "teacher.reassigned_no_due"
    return _private(say(key, learner.lang, **values))


async def unassign(tutor: Tutor, learner: Learner, kind: str, lesson: str) -> Reply:
    """Withdraw an assignment."""
    current = server_of(learner)
    if kind not in KINDS:
        raise InvalidRequest("teacher.bad_assignment_kind", kind=kind)
    found = find_lesson(tutor, lesson)
    removed = await tutor.assignments.unassign(current.guild_id, kind, found.id)
    values = {"kind": tr(f"teacher.kind_{kind}"), "lesson": found.title.pick(learner.lang, one_line=True)}
    return _private(say("teacher.unassigned" if removed else "teacher.not_assigned", learner.lang, **values))


async def assignments_card(tutor: Tutor, learner: Learner) -> Card | None:
    """What the learner's server assigned, each marked done, to do or overdue; None when nothing is."""
    if learner.guild_id is None:
        return None
    found = await tutor.assignments.for_learner(learner.guild_id, learner.id)
    if not found:
        return None
    timezone = learner.server.timezone if learner.server is not None else "UTC"
    now = tutor.classes.clock()
    lang = learner.lang
    lines = []
    for item, done in found:
        state = (
            "assignment_done" if done else "assignment_overdue" if item.overdue(now) else "assignment_open"
        )
        mark = "✅" if done else "⏰" if item.overdue(now) else "📌"
        title = lesson_title(tutor, item.lesson_id, lang)
        lines.append(
            f"{mark} {say(f'teacher.kind_{item.kind}', lang)} **{title}**"
            f" · {_due_text(item.due_at, timezone, lang)} · {say(f'teacher.{state}', lang)}"
        )
    return Card(title=tr("teacher.your_assignments").pick(lang, one_line=True), body="\n".join(lines))


# -------------------------------------------------------------------------------------------- questions
async def upload(
    tutor: Tutor, learner: Learner, filename: str, size: int, read: Callable[[], Awaitable[bytes]]
) -> Reply:
    """Keep a teacher's YAML file of quiz questions for this server, once it passes every check of
    content/quizzes/ (problems listed as `file:line: problem`, nothing stored). `read` fetches the file,
    only when its `size` is within the limit."""
    current = server_of(learner)
    name = PurePath(filename).name[:60] or "upload.yaml"
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise InvalidRequest("upload_not_yaml")
    if size > MAX_UPLOAD_BYTES:
        checked, problems = None, [ContentError(name, 1, f"larger than {MAX_UPLOAD_BYTES // 1024} KB")]
    else:
        # checking is CPU work (YAML, schema, formulas): off the event loop
        checked, problems = await asyncio.to_thread(check_quiz_upload, await read(), name, tutor.catalog)
    if checked is None or problems:
        listing = "\n```\n" + "\n".join(str(p) for p in problems[:PROBLEMS_SHOWN]) + "\n```"
        head = tr("teacher.upload_refused", file=name, count=len(problems))
        raise InvalidRequest("upload_problems", text=Bilingual(en=head.en + listing, hi=head.hi + listing))
    stored = await tutor.uploads.store(current.guild_id, checked, name, learner.id)
    text = say(
        "teacher.uploaded",
        learner.lang,
        file=name,
        added=stored.added,
        replaced=stored.replaced,
        lesson=lesson_title(tutor, stored.lesson_id, learner.lang),
        total=stored.total,
    )
    return _private(text)


async def questions(tutor: Tutor, learner: Learner) -> Reply:
    """The server's own questions, by lesson."""
    current = server_of(learner)
    items = tutor.bank.listing(current.guild_id)
    if not items:
        return _private(say("teacher.questions_none", learner.lang))
    one = "hi" if learner.lang == "both" else learner.lang
    lines = [
        f"`{item.local_id}` ({lesson_title(tutor, item.lesson_id, one)}): {item.question.prompt.pick(one)}"[
            :160
        ]
        for item in items
    ]
    card = Card(
        title=tr("teacher.questions_title", count=len(items)).pick(learner.lang, one_line=True),
        body="\n".join(lines),
    )
    return Reply(cards=(card,), private=True)


async def remove_question(tutor: Tutor, learner: Learner, local_id: str) -> Reply:
    """Remove one of the server's own questions (and the review cards learners had for it)."""
    current = server_of(learner)
    item = await tutor.uploads.remove(current.guild_id, local_id.strip()[:60])
    lesson = lesson_title(tutor, item.lesson_id, learner.lang)
    return _private(say("teacher.question_removed", learner.lang, id=item.local_id, lesson=lesson))


# ------------------------------------------------------------------------------------------------ reset
async def reset(tutor: Tutor, learner: Learner, member_id: int, name: str) -> Reply:
    """Ask the teacher to confirm clearing one learner's progress in this server (a button)."""
    server_of(learner)
    button = Action(
        "teacher.reset", tr("teacher.reset_button").pick(learner.lang, one_line=True), (member_id,), "danger"
    )
    return Reply(
        note=say("teacher.reset_confirm", learner.lang, name=name),
        actions=(button,),
        owner=learner.id,
        private=True,
    )


async def confirm_reset(tutor: Tutor, learner: Learner, member_id: int) -> Reply:
    """Clear one learner's answers, XP and training runs in this server (what they did elsewhere stays)."""
    current = server_of(learner)
    known = await tutor.learners.get(member_id)
    name = known.display_name if known is not None and known.display_name else str(member_id)
    cleared = await reset_member(tutor.sessions, current.guild_id, member_id)
    text = say(
        "teacher.reset_done",
        learner.lang,
        name=name,
        answers=cleared.answers,
        xp=cleared.xp,
        runs=cleared.training_runs,
        lessons=cleared.lessons,
        cards=cleared.review_cards,
    )
    return _private(text)


# --------------------------------------------------------------------------------------------- live quiz
def _game(tutor: Tutor, game_id: int) -> LiveGame:
    game = tutor.games.get(game_id)
    if game is None:
        raise NotFound("live_unknown")
    return game


def _teacher_of(learner: Learner, game: LiveGame) -> None:
    if learner.id != game.teacher_id and not (learner.teacher and learner.guild_id == game.guild_id):
        raise InvalidRequest("teacher_only")


def _pacing(game: LiveGame) -> tuple[Action, ...]:
    lang = game.lang
    return (
        Action(
            "teacher.live_next", tr("teacher.live_next").pick(lang, one_line=True), (game.id,), "success", "⏭️"
        ),
        Action(
            "teacher.live_end",
            tr("teacher.live_end").pick(lang, one_line=True),
            (game.id,),
            "secondary",
            "🏁",
        ),
    )


def _choices(question: AnyQuestion, lang: str) -> list[tuple[str, str]]:
    """(answer sent to the grader, button label) of a button-answerable question."""
    if isinstance(question, MultipleChoice | CodeOutput):
        return [(o.id, o.id.upper()) for o in question.options]
    return [
        ("t", tr("quiz.true").pick(lang, one_line=True)),
        ("f", tr("quiz.false").pick(lang, one_line=True)),
    ]


def _right_answer(question: AnyQuestion, lang: str) -> str:
    if isinstance(question, MultipleChoice | CodeOutput):
        option = next(o for o in question.options if o.id == question.answer)
        return option_line(option.id, option.text, lang)
    assert isinstance(question, TrueFalse)
    return say("quiz.true" if question.answer else "quiz.false", lang)


def _scoreboard(game: LiveGame, title_key: str, number: int) -> Card:
    lang = game.lang
    standings: list[Standing] = game.scoreboard()
    asked = game.index + 1
    lines = [
        f"{place(s.rank)} " + say("teacher.live_score", lang, name=s.name, score=s.score, asked=asked)
        for s in standings
    ]
    return Card(
        title=tr(title_key, number=number).pick(lang, one_line=True),
        body="\n".join(lines) or say("teacher.live_nobody", lang),
        tone="progress",
    )


def _question_card(tutor: Tutor, game: LiveGame) -> Card:
    lang = game.lang
    question = game.current
    body = question_body(question, lang)
    title = tr(
        "teacher.live_title",
        lesson=lesson_title(tutor, game.lesson_id, lang),
        number=game.index + 1,
        total=game.total,
    )
    return Card(
        title=title.pick(lang, one_line=True),
        body=body,
        footer=say("teacher.live_time", lang, seconds=game.seconds),
        tone="quiz",
    )


async def live_start(tutor: Tutor, learner: Learner, lesson: str, seconds: int | None = None) -> Reply:
    """A live class quiz on a lesson: up to LIVE_QUESTIONS button-answerable questions (the server's own
    included), each open `seconds`; the teacher presses Next to ask each one. A teacher runs one live
    quiz at a time: starting another forgets one never ended (its answers stay recorded)."""
    current = server_of(learner)
    wait = LIVE_SECONDS if seconds is None else seconds
    if not MIN_SECONDS <= wait <= MAX_SECONDS:
        raise InvalidRequest("live_bad_seconds", min=MIN_SECONDS, max=MAX_SECONDS)
    found = find_lesson(tutor, lesson)
    pool = [(found.id, q) for q in questions_of(tutor.bank, found.id)]
    pool += tutor.bank.of_server(current.guild_id, found.id)
    chosen = pick_questions(pool, LIVE_QUESTIONS, random.shuffle)
    if not chosen:
        raise InvalidRequest("live_too_few", lesson=found.title.pick(learner.lang, one_line=True))
    game = LiveGame(
        guild_id=current.guild_id,
        teacher_id=learner.id,
        lesson_id=found.id,
        questions=[pool[i] for i in chosen],
        seconds=wait,
        lang=learner.lang,
    )
    for old in [g for g in tutor.games.values() if g.teacher_id == learner.id]:
        del tutor.games[old.id]
    tutor.games[game.id] = game
    text = say(
        "teacher.live_started", game.lang, total=game.total, lesson=found.title.pick(game.lang, one_line=True)
    )
    thread = tr("teacher.live_thread", lesson=found.title.pick(game.lang, one_line=True))
    return Reply(
        cards=(Card(title=text, tone="quiz"),),
        actions=_pacing(game),
        owner=learner.id,
        shared=True,
        thread=thread.pick(game.lang, one_line=True)[:THREAD_NAME_MAX],
    )


async def live_next(tutor: Tutor, learner: Learner, game_id: int) -> Reply:
    """Close the open question (its scoreboard) and ask the next one; after the last, the final board."""
    game = _game(tutor, game_id)
    _teacher_of(learner, game)
    if game.index >= game.total - 1:  # the last question was asked: its board is the final one
        return await live_end(tutor, learner, game_id)
    cards: list[Card] = []
    if game.index >= 0:
        game.close()
        cards.append(_scoreboard(game, "teacher.live_scoreboard", game.index + 1))
    game.ask_next(tutor.live.clock())
    cards.append(_question_card(tutor, game))
    answers = tuple(
        Action("teacher.live_answer", label, (game.id, game.index, choice))
        for choice, label in _choices(game.current, game.lang)
    )
    return Reply(cards=tuple(cards), actions=answers + _pacing(game), owner=game.teacher_id, shared=True)


async def live_answer(tutor: Tutor, learner: Learner, game_id: int, index: int, choice: str) -> Reply:
    """A learner's answer to the open live question: graded, counted in their progress and review, and
    the feedback shown to them alone."""
    game = _game(tutor, game_id)
    answer: LiveAnswer = await tutor.live.answer(game, learner.id, learner.name, index, choice)
    question = game.questions[index][1]
    key = "teacher.live_right" if answer.correct else "teacher.live_wrong"
    return _private(say(key, learner.lang, answer=_right_answer(question, learner.lang)))


async def live_end(tutor: Tutor, learner: Learner, game_id: int) -> Reply:
    """End the live quiz: the final scoreboard; every learner's session of it is finished."""
    game = _game(tutor, game_id)
    _teacher_of(learner, game)
    game.close()
    await tutor.live.finish(game)
    del tutor.games[game.id]
    return Reply(cards=(_scoreboard(game, "teacher.live_final", game.index + 1),), shared=True)
