"""A core `Reply` as terminal text: cards as ruled blocks, Discord markdown as plain (or ANSI bold)
text, pictures written under the output folder with their paths printed, buttons as the commands that
do the same. A ||spoiler|| (a practice answer) is either shown after its "Answer:" label or, when the
caller collects them, kept back behind a numbered "/answer n" line until the learner asks."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from bot.content.pages import display_width
from bot.core.replies import Action, Card, Reply
from bot.i18n import tr

RULE = "─" * 60
BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
INLINE_CODE = re.compile(r"`([^`\n]+)`")
TIMESTAMP = re.compile(r"<t:(\d+):[a-zA-Z]>")
ANSI_BOLD, ANSI_RESET = "\033[1m", "\033[0m"
# what the console types for a button of each kind
TYPED = {"lesson.prev": "/prev", "lesson.next": "/next", "train.code": "/code"}


def _inline(text: str, lang: str, tty: bool, answers: list[str] | None = None) -> str:
    """Bold, inline code, spoilers and timestamps of Discord markdown as terminal text (spoilers kept
    back in `answers` when it is given)."""

    def spoiler(match: re.Match[str]) -> str:
        shown = match.group(1).strip()
        word = tr("lesson.answer")
        # the label as lesson pages write it: in 'both' "Hindi / English" on one line
        answer = f"{word.hi} / {word.en}" if lang == "both" else word.pick(lang)
        labelled = shown if shown.startswith((answer, word.hi, word.en)) else f"{answer}: {shown}"
        if answers is None:
            return labelled
        answers.append(labelled)
        return tr("console.answer_hidden", answer=word, number=len(answers)).pick(lang)

    def local_time(match: re.Match[str]) -> str:
        return datetime.fromtimestamp(int(match.group(1))).astimezone().strftime("%Y-%m-%d %H:%M")

    text = TIMESTAMP.sub(local_time, text)
    text = SPOILER.sub(spoiler, text)
    text = INLINE_CODE.sub(r"\1", text)
    return BOLD.sub(rf"{ANSI_BOLD}\1{ANSI_RESET}" if tty else r"\1", text)


def markdown_to_text(body: str, lang: str = "en", tty: bool = False, answers: list[str] | None = None) -> str:
    """Discord markdown as terminal text: fences become indented blocks; bold is ANSI bold on a terminal
    and plain otherwise; `code` loses its backticks; a ||spoiler|| is shown after the "Answer:" label,
    or, when `answers` is given, added to it and replaced by the line saying how to see it."""
    out: list[str] = []
    prose: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if line.startswith("```"):
            if not fenced and prose:
                out.append(_inline("\n".join(prose), lang, tty, answers))
                prose = []
            fenced = not fenced
            continue
        if fenced:
            out.append("    " + line.replace("\u200b", ""))
        else:
            prose.append(line.replace("\u2003", " "))
    if prose:
        out.append(_inline("\n".join(prose), lang, tty, answers))
    return "\n".join(out)


def table(rows: list[tuple[str, str]]) -> str:
    """Two aligned columns (labels and values)."""
    width = max((display_width(left) for left, _ in rows), default=0)
    return "\n".join(f"  {left}{' ' * (width - display_width(left))}  {right}" for left, right in rows)


def card_text(card: Card, lang: str, tty: bool, answers: list[str] | None = None) -> str:
    """One card as a ruled block of text (its spoilers kept back in `answers` when given)."""
    lines: list[str] = [RULE]
    if card.heading:
        lines.append(card.heading)
    if card.title:
        lines.append(_inline(card.title, lang, tty))
    if card.heading or card.title:
        lines.append(RULE)
    if card.body:
        lines.append(markdown_to_text(card.body, lang, tty, answers))
    inline = [(f.name, f.value) for f in card.fields if f.inline]
    if inline:
        lines.append(table(inline))
    for field in card.fields:
        if not field.inline:
            lines.append(f"{field.name}:")
            lines += [f"  {line}" for line in field.value.split("\n")]
    if card.footer:
        lines.append(_inline(card.footer, lang, tty))
    return "\n".join(line for line in lines if line)


def _typed(action: Action) -> str | None:
    """The console command that does what `action` does in Discord (None: the console has none)."""
    if action.kind in TYPED:
        return TYPED[action.kind]
    if action.kind == "lesson.open":
        return f"/lesson {action.args[0]}"
    if action.kind == "quiz.start":
        return f"/quiz {action.args[0]}"
    if action.kind == "train.animate":
        return f"/animate {action.args[0]}"
    if action.kind == "train.units":
        return f"/units {action.args[0]}"
    if action.kind == "train.more":
        return f"/replay {action.args[0]} more {action.args[1]}"
    if action.kind == "lesson.section" and action.options:
        return f"/section 1-{len(action.options)}"
    return None


def actions_text(actions: tuple[Action, ...], lang: str) -> str:
    """The buttons a reply carries, as the commands that do the same in the console ("/next")."""
    typed = [
        f"{command} ({action.label})"
        for action in actions
        if not action.disabled and (command := _typed(action)) is not None
    ]
    return " · ".join(typed)


def reply_text(reply: Reply, lang: str, tty: bool, answers: list[str] | None = None) -> str:
    """Everything of a reply a terminal can show (pictures are saved separately); with `answers`, its
    practice answers are kept back there, each replaced by the line saying how to see it."""
    blocks = [_inline(reply.note, lang, tty)] if reply.note else []
    blocks += [
        card_text(card, lang, tty, answers) for card in reply.all_cards
    ]  # the console is the learner's alone
    if reply.actions and (hint := actions_text(reply.actions, lang)):
        blocks.append(hint)
    return "\n".join(blocks)


def save_picture(folder: Path, number: int, name: str, data: bytes, suffix: str = ".png") -> Path:
    """Write a picture (or file) under `folder` with a unique, readable name; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.lower()).strip("-") or "picture"
    path = folder / f"{stamp}-{number:03d}-{slug}{suffix}"
    path.write_bytes(data)
    return path
