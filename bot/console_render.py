"""Plain-text rendering of the core's data for the console (the Discord layer renders the same as embeds)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.console_text import say
from bot.content.catalog import Catalog
from bot.content.pages import Page, display_width
from bot.content.schema import (
    AnyQuestion,
    CodeOutput,
    FreeText,
    GlossaryTerm,
    MultipleChoice,
    Numeric,
    TrueFalse,
)
from bot.i18n import Bilingual
from bot.progress.leaderboard import Leaderboard
from bot.progress.stats import Stats
from bot.quiz.views import Feedback, QuestionView
from bot.training.results import RunResult

RULE = "─" * 60


@dataclass(frozen=True)
class Both:
    """A text composed in each language (say() fills it in per language in 'both')."""

    hi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`; 'both' gives Hindi, then English (once when equal)."""
        if lang == "both":
            return self.hi if self.hi == self.en else f"{self.hi}\n{self.en}"
        return self.hi if lang == "hi" else self.en


def per_language(key: str, **values: object) -> Both:
    """Console text `key` in Hindi and in English, for a value another text is composed around."""
    return Both(hi=say(key, "hi", **values), en=say(key, "en", **values))


def label(key: str, lang: str) -> str:
    """A short label on one line; in 'both' Hindi / English (once when they are the same)."""
    if lang == "both":
        hindi, english = say(key, "hi"), say(key, "en")
        return hindi if hindi == english else f"{hindi} / {english}"
    return say(key, lang)


def text_of(value: Any, lang: str) -> str:
    """A core `Text`/`Said` (or a plain string) in `lang`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value.get(lang))


def indent(block: str, prefix: str = "    ") -> str:
    """`block` with every line indented (code samples)."""
    return "\n".join(prefix + line for line in block.splitlines())


def hanging(head: str, body: str) -> str:
    """`head` then `body`, its later lines indented under the first ("  C) 0.98" / "     0.942")."""
    lines = body.splitlines() or [""]
    pad = " " * display_width(head)
    return "\n".join([head + lines[0], *(pad + line for line in lines[1:])])


def option_line(option_id: str, text: str) -> str:
    """One answer option, its letter upper-case as the learner types it, continuation lines indented."""
    return hanging(f"  {option_id.upper()}) ", text)


def question(view: QuestionView, lang: str) -> str:
    """A quiz question with its options and a hint on how to answer."""
    q = view.question
    lines = [RULE, say("quiz.question_of", lang, n=view.number, total=view.total), text_of(q.prompt, lang)]
    if isinstance(q, CodeOutput):
        lines += ["", indent(q.code)]
    if isinstance(q, MultipleChoice | CodeOutput):
        lines += [""] + [option_line(o.id, _option_text(o.text, lang)) for o in q.options]
        hint = "answer_hint_choice"
    elif isinstance(q, TrueFalse):
        hint = "answer_hint_tf"
    elif isinstance(q, Numeric):
        hint = "answer_hint_number"
    else:
        assert isinstance(q, FreeText)
        hint = "answer_hint_text"
    lines += ["", say(hint, lang)]
    return "\n".join(lines)


def _option_text(text: Any, lang: str) -> str:
    """An option in `lang`; in 'both' an option that reads the same in each language is shown once."""
    if lang == "both" and not isinstance(text, str) and text.hi == text.en:
        return str(text.en)
    return text_of(text, lang)


def _right_answer(result: Feedback, question: AnyQuestion | None) -> Any:
    """The right answer: an option as it was shown ("C) …"), else the core's wording."""
    if isinstance(question, MultipleChoice | CodeOutput):
        option = next(o for o in question.options if o.id == question.answer)
        return Both(
            hi=hanging(f"{option.id.upper()}) ", _option_text(option.text, "hi")),
            en=hanging(f"{option.id.upper()}) ", _option_text(option.text, "en")),
        )
    return result.correct_answer


def feedback(result: Feedback, lang: str, question: AnyQuestion | None = None) -> str:
    """Right or wrong, why, and the explanation (`question`: the one answered, to name its option)."""
    if result.skipped:
        lines = [say("quiz.skipped", lang)]
    elif result.correct:
        lines = [say("quiz.correct", lang)]
    else:
        lines = [say("quiz.wrong", lang)]
    if not result.correct:
        lines.append(say("quiz.right_answer", lang, answer=_right_answer(result, question)))
        if result.why_wrong is not None:
            lines.append(text_of(result.why_wrong, lang))
    lines.append(text_of(result.explanation, lang))
    if result.xp:
        lines.append(say("quiz.xp_gained", lang, xp=result.xp))
    return "\n".join(line for line in lines if line)


def glossary_term(term: GlossaryTerm, lang: str) -> str:
    """A glossary entry: the term, its definition, and where it is taught."""
    lines = [f"📖 {text_of(term.term, lang)}", text_of(term.definition, lang)]
    if term.lesson:
        lines.append(f"→ /lesson {term.lesson}")
    return "\n".join(lines)


def table(rows: list[tuple[str, str]]) -> str:
    """Two aligned columns."""
    width = max((display_width(left) for left, _ in rows), default=0)
    return "\n".join(f"  {left}{' ' * (width - display_width(left))}  {right}" for left, right in rows)


BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
ANSI_BOLD, ANSI_RESET = "\033[1m", "\033[0m"


def _inline(text: str, lang: str, tty: bool) -> str:
    """Bold, inline code and spoilers of Discord markdown as terminal text."""

    def spoiler(match: re.Match[str]) -> str:
        shown = match.group(1).strip()
        answer = label("lesson.answer", lang)
        return shown if shown.startswith(answer) else f"{answer}: {shown}"

    text = SPOILER.sub(spoiler, text)
    text = INLINE_CODE.sub(r"\1", text)
    return BOLD.sub(rf"{ANSI_BOLD}\1{ANSI_RESET}" if tty else r"\1", text)


def markdown_to_text(body: str, lang: str = "en", tty: bool = False) -> str:
    """Discord markdown as terminal text: fences become indented blocks; bold is ANSI bold on a terminal
    and plain otherwise; `code` loses its backticks; a ||spoiler|| is shown after the "Answer:" label."""
    out: list[str] = []
    prose: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if line.startswith("```"):
            if not fenced and prose:
                out.append(_inline("\n".join(prose), lang, tty))
                prose = []
            fenced = not fenced
            continue
        if fenced:
            out.append("    " + line.replace("\u200b", ""))
        else:
            prose.append(line)
    if prose:
        out.append(_inline("\n".join(prose), lang, tty))
    return "\n".join(out)


def page_text(page: Page, lang: str = "en", tty: bool = False) -> str:
    """A lesson page's title and body for the terminal."""
    return f"{page.title}\n\n{markdown_to_text(page.body, lang, tty)}"


def _number(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, int | float) else "—"


def _percent(value: object) -> str:
    return f"{value * 100:.0f} %" if isinstance(value, int | float) else "—"


def train_result(result: RunResult, lang: str) -> str:
    """The figures of one training run, and what it teaches when it diverged, crawled or could not fit."""
    rows = [
        (label("train.final_loss", lang), _number(result.final_loss)),
        (label("train.accuracy", lang), _percent(result.accuracy)),
        (label("train.epochs", lang), str(result.epochs_run)),
        (label("train.seconds", lang), f"{_number(result.seconds)} s"),
    ]
    lines = [table(rows)]
    if result.explanation is not None:
        key = "diverged" if result.diverged else "note"  # a name test_i18n can read
        lines.append(say(key, lang, why=result.explanation))
    return "\n".join(lines)


def progress(stats: Stats, catalog: Catalog, lang: str) -> str:
    """XP, streak, quiz accuracy and mastery per lesson."""
    lines = [RULE, say("progress.title", lang, name=stats.display_name), RULE]
    rows = [
        (label("progress.xp", lang), short_value("xp_value", lang, total=stats.total_xp, week=stats.week_xp)),
        (
            label("progress.streak", lang),
            short_value("streak_value", lang, current=stats.streak.current, longest=stats.streak.longest),
        ),
        (label("progress.accuracy", lang), f"{stats.correct}/{stats.answered} · {_percent(stats.accuracy)}"),
        (label("reviews_due", lang), str(stats.reviews_due)),
        (label("training_runs", lang), str(stats.training_runs)),
    ]
    lines.append(table(rows))
    lines.append("")
    mastery_rows = []
    for item in stats.mastery:
        title = text_of(catalog.lesson(item.lesson_id).title, "hi" if lang == "hi" else "en")
        done = " ✓" if item.lesson_id in stats.lessons_completed else ""
        level = label(f"level_{item.level}", lang)
        mastery_rows.append((f"{title}{done}", f"{level} ({item.correct}/{item.answered})"))
    lines.append(table(mastery_rows))
    return "\n".join(lines)


def short_value(key: str, lang: str, **values: object) -> str:
    """A table value on one line: Hindi for 'both' (the row's label already says it in English too)."""
    return say(key, "hi" if lang == "both" else lang, **values)


def leaderboard(board: Leaderboard, lang: str, period: Both) -> str:
    """The ranked learners, and your own row when you are not among them (`period` in both languages)."""
    lines = [say("progress.leaderboard_title", lang, period=period)]
    if not board.rows:
        return "\n".join([*lines, say("progress.leaderboard_empty", lang)])
    rows = [(f"{row.rank}. {row.display_name}", f"{row.xp} XP") for row in board.rows]
    if board.you is not None and all(row.learner_id != board.you.learner_id for row in board.rows):
        rows.append((f"{board.you.rank}. {board.you.display_name}", f"{board.you.xp} XP"))
    return "\n".join([*lines, table(rows)])


def job_text(text: Bilingual, lang: str) -> str:
    """A worker job's text block (a table, a walkthrough) in `lang`; 'both': Hindi, a blank line, English."""
    en, hi = text.en, text.hi
    if lang == "hi":
        return hi
    if lang == "both":
        return f"{hi}\n\n{en}" if hi != en else en
    return en
