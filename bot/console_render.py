"""Plain-text rendering of the core's data for the console (the Discord layer renders the same as embeds)."""

from __future__ import annotations

from typing import Any

from bot.console_text import say
from bot.content.catalog import Catalog
from bot.content.pages import Page, display_width
from bot.content.schema import CodeOutput, FreeText, GlossaryTerm, MultipleChoice, Numeric, TrueFalse
from bot.progress.leaderboard import Leaderboard
from bot.progress.stats import Stats
from bot.quiz.views import Feedback, QuestionView

RULE = "─" * 60


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


def question(view: QuestionView, lang: str) -> str:
    """A quiz question with its options and a hint on how to answer."""
    q = view.question
    lines = [RULE, say("quiz.question_of", lang, n=view.number, total=view.total), text_of(q.prompt, lang)]
    if isinstance(q, CodeOutput):
        lines += ["", indent(q.code)]
    if isinstance(q, MultipleChoice | CodeOutput):
        lines += [""] + [f"  {o.id.upper()}) {text_of(o.text, lang)}" for o in q.options]
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


def feedback(result: Feedback, lang: str) -> str:
    """Right or wrong, why, and the explanation."""
    if result.skipped:
        lines = [say("quiz.skipped", lang)]
    elif result.correct:
        lines = [say("quiz.correct", lang)]
    else:
        lines = [say("quiz.wrong", lang)]
    if not result.correct:
        lines.append(say("quiz.right_answer", lang, answer=text_of(result.correct_answer, lang)))
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


def markdown_to_text(body: str) -> str:
    """Discord markdown as terminal text: fences become indented blocks, bold and spoilers plain."""
    out: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if line.startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            out.append("    " + line.replace("\u200b", ""))
        else:
            out.append(line.replace("**", "").replace("||", ""))
    return "\n".join(out)


def page_text(page: Page) -> str:
    """A lesson page's title and body for the terminal."""
    return f"{page.title}\n\n{markdown_to_text(page.body)}"


def _number(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, int | float) else "—"


def _percent(value: object) -> str:
    return f"{value * 100:.0f} %" if isinstance(value, int | float) else "—"


def train_result(result: dict[str, Any], lang: str) -> str:
    """The figures of one training run (and why it diverged, when it did)."""
    rows = [
        ("final loss" if lang == "en" else "final loss (अंतिम loss)", _number(result.get("final_loss"))),
        ("accuracy" if lang == "en" else "accuracy (सटीकता)", _percent(result.get("accuracy"))),
        ("epochs", str(result.get("epochs_run", "—"))),
        ("seconds", _number(result.get("seconds"))),
    ]
    lines = [table(rows)]
    if result.get("diverged"):
        why = result.get("explanation_hi" if lang == "hi" else "explanation_en") or ""
        lines.append(f"⚠️  diverged: {why}" if lang != "hi" else f"⚠️  diverge हुआ: {why}")
    return "\n".join(lines)


LEVELS: dict[str, tuple[str, str]] = {
    "new": ("new", "नया"),
    "learning": ("learning", "सीख रहे हैं"),
    "good": ("good", "अच्छा"),
    "mastered": ("mastered", "महारत"),
}


def _level(level: str, lang: str) -> str:
    en, hi = LEVELS.get(level, (level, level))
    return hi if lang == "hi" else en if lang == "en" else f"{hi} / {en}"


def progress(stats: Stats, catalog: Catalog, lang: str) -> str:
    """XP, streak, quiz accuracy and mastery per lesson."""
    lines = [RULE, say("progress.title", lang, name=stats.display_name), RULE]
    rows = [
        ("XP", f"{stats.total_xp} (7 d: {stats.week_xp})"),
        ("streak", f"{stats.streak.current} (longest {stats.streak.longest})"),
        ("quiz", f"{stats.correct}/{stats.answered} · {_percent(stats.accuracy)}"),
        ("reviews due", str(stats.reviews_due)),
        ("training runs", str(stats.training_runs)),
    ]
    if lang != "en":
        hindi = ["XP", "streak (लगातार दिन)", "quiz (सही/कुल)", "review बाकी", "training runs"]
        rows = [(label, value) for label, (_, value) in zip(hindi, rows, strict=True)]
    lines.append(table(rows))
    lines.append("")
    mastery_rows = []
    for item in stats.mastery:
        title = text_of(catalog.lesson(item.lesson_id).title, "hi" if lang == "hi" else "en")
        done = " ✓" if item.lesson_id in stats.lessons_completed else ""
        mastery_rows.append(
            (f"{title}{done}", f"{_level(item.level, lang)} ({item.correct}/{item.answered})")
        )
    lines.append(table(mastery_rows))
    return "\n".join(lines)


def leaderboard(board: Leaderboard, lang: str, period: str) -> str:
    """The ranked learners, and your own row when you are not among them."""
    lines = [say("progress.leaderboard_title", lang, period=period)]
    if not board.rows:
        return "\n".join([*lines, say("progress.leaderboard_empty", lang)])
    rows = [(f"{row.rank}. {row.display_name}", f"{row.xp} XP") for row in board.rows]
    if board.you is not None and all(row.learner_id != board.you.learner_id for row in board.rows):
        rows.append((f"{board.you.rank}. {board.you.display_name}", f"{board.you.xp} XP"))
    return "\n".join([*lines, table(rows)])


def job_text(data: dict[str, Any], lang: str) -> str:
    """The text a worker job returned, in `lang` (jobs give text_en / text_hi)."""
    en = str(data.get("text_en") or data.get("text") or "")
    hi = str(data.get("text_hi") or en)
    if lang == "hi":
        return hi
    if lang == "both":
        return f"{hi}\n\n{en}" if hi != en else en
    return en
