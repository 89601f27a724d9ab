"""A lesson as pages of text that both front doors show (a Discord embed, or the console).

Page 1 lists the objectives and sections, then one page per section (longer sections continue on
the next page), and the last page holds the summary and the practice questions with their answers
hidden as Discord spoilers. Every page body is at most PAGE_LIMIT characters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from bot.content.schema import CodeSample, Formula, Lesson, Section, Table, Text
from bot.i18n import say

PAGE_LIMIT = 4000  # Discord allows 4096 characters in an embed description; keep a margin
TITLE_LIMIT = 256  # Discord's limit for an embed title
TABLE_WIDTH = 60  # characters that fit in a code block inside an embed before Discord wraps the line
MIN_COLUMN = 8
MAX_WORD = 16  # a longer word may be cut to keep a table narrow


@dataclass(frozen=True)
class Page:
    """One page of a lesson: `index` counts from 0, `total` is the number of pages."""

    title: str
    body: str
    figure: str | None
    index: int
    total: int
    continued: bool = False  # the second or later page of one section (or of the overview, the summary)

    @property
    def number(self) -> int:
        """The page number as shown to a learner (from 1)."""
        return self.index + 1


def display_width(text: str) -> int:
    """Columns `text` takes in a monospace block: combining marks (e.g. ् ं ु) take none, wide CJK two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in {"Mn", "Me", "Cf"}:
            continue
        width += 2 if unicodedata.east_asian_width(ch) in {"W", "F"} else 1
    return width


def _label(key: str, lang: str) -> str:
    """An interface label; in 'both' mode Hindi and English on one line."""
    if lang == "both":
        hindi, english = say(key, "hi"), say(key, "en")
        return hindi if hindi == english else f"{hindi} / {english}"
    return say(key, lang)


def _text(text: Text, lang: str) -> str:
    return text.pick(lang)


def _bullets(texts: list[Text], lang: str, numbered: bool = False) -> str:
    lines = []
    for position, text in enumerate(texts, start=1):
        mark = f"{position}." if numbered else "•"
        if lang == "both":
            lines.append(f"{mark} {text.hi}\n   {text.en}")
        else:
            lines.append(f"{mark} {text.pick(lang)}")
    return "\n".join(lines)


def _fence(content: str, language: str = "") -> str:
    # a ``` inside the content would end the block early; a zero-width space keeps it literal
    safe = content.replace("```", "``\u200b`")
    return f"```{language}\n{safe}\n```"


def _formulas(formulas: list[Formula], lang: str) -> list[str]:
    lines = "\n".join(formula.text for formula in formulas)
    blocks = [_fence(lines)]
    where = [f"**{formula.name}** — {_text(formula.where, lang)}" for formula in formulas if formula.where]
    if where:
        blocks.append("\n".join(where))
    return blocks


def _cell(cell: Text | str, lang: str) -> str:
    if isinstance(cell, str):
        value = cell
    elif lang == "both":
        value = cell.en if cell.en == cell.hi else f"{cell.en} / {cell.hi}"
    else:
        value = cell.pick(lang)
    return " ".join(value.split())


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` display columns, broken at spaces where possible."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if display_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:  # a word wider than the column is cut
            if display_width(current + ch) > width:
                lines.append(current)
                current = ""
            current += ch
    lines.append(current)
    return lines


def _column_widths(rows: list[list[str]]) -> list[int]:
    """Natural widths, narrowed (widest column first) until the table fits TABLE_WIDTH.

    A column is not narrowed below its longest word (up to MAX_WORD), so words are not cut.
    """
    columns = range(len(rows[0]))
    widths = [max(display_width(row[col]) for row in rows) for col in columns]
    floors = [
        max(
            MIN_COLUMN,
            min(MAX_WORD, max(display_width(word) for row in rows for word in row[col].split() or [""])),
        )
        for col in columns
    ]
    budget = TABLE_WIDTH - 3 * (len(widths) - 1)
    while sum(widths) > budget:
        shrinkable = [col for col in columns if widths[col] > floors[col]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda col: widths[col])
        widths[widest] -= 1
    return widths


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def render_table(table: Table, lang: str) -> str:
    """The table as aligned monospace text (no code fence); long cells wrap inside their column."""
    rows = [[_cell(cell, lang) for cell in table.headers]]
    rows += [[_cell(cell, lang) for cell in row] for row in table.rows]
    widths = _column_widths(rows)
    wrapped = [[_wrap(cell, widths[col]) for col, cell in enumerate(row)] for row in rows]
    spaced = any(len(cell) > 1 for row in wrapped[1:] for cell in row)
    out: list[str] = []
    for position, row in enumerate(wrapped):
        height = max(len(cell) for cell in row)
        for line in range(height):
            parts = [
                _pad(cell[line] if line < len(cell) else "", widths[col]) for col, cell in enumerate(row)
            ]
            out.append(" | ".join(parts).rstrip())
        if position == 0:
            out.append("-+-".join("-" * width for width in widths))
        elif spaced and position < len(wrapped) - 1:
            out.append("")  # a blank line between rows that wrap keeps them apart
    return "\n".join(out)


def _code(code: CodeSample, lang: str) -> list[str]:
    blocks = [_fence(code.source.rstrip("\n"), "py")]
    if code.output:
        blocks.append(f"**{_label('lesson.output', lang)}**\n{_fence(code.output)}")
    if code.explain:
        blocks.append(_text(code.explain, lang))
    return blocks


def _section_blocks(section: Section, lang: str) -> list[str]:
    blocks = [section.body.hi, section.body.en] if lang == "both" else [section.body.pick(lang)]
    if section.formulas:
        blocks += _formulas(section.formulas, lang)
    if section.table:
        blocks.append(_fence(render_table(section.table, lang)))
    if section.code:
        blocks += _code(section.code, lang)
    return blocks


def _split_block(block: str) -> Iterator[str]:
    """A block too long for one page, as pieces that each fit (code fences re-opened per piece)."""
    if len(block) <= PAGE_LIMIT:
        yield block
        return
    lines = block.split("\n")
    fenced = lines[0].startswith("```") and lines[-1] == "```" and len(lines) > 2
    opener, inner = (lines[0], lines[1:-1]) if fenced else ("", lines)
    room = PAGE_LIMIT - (len(opener) + 5 if fenced else 0)
    pieces: list[str] = []
    current: list[str] = []
    for line in inner:
        for chunk in [line[i : i + room] for i in range(0, len(line), room)] or [""]:
            if current and len("\n".join([*current, chunk])) > room:
                pieces.append("\n".join(current))
                current = []
            current.append(chunk)
    pieces.append("\n".join(current))
    for piece in pieces:
        yield f"{opener}\n{piece}\n```" if fenced else piece


def _pack(blocks: list[str]) -> list[str]:
    """Blocks joined by blank lines into as few bodies as fit PAGE_LIMIT, in order."""
    bodies: list[str] = []
    current = ""
    for piece in (piece for block in blocks for piece in _split_block(block)):
        candidate = f"{current}\n\n{piece}" if current else piece
        if current and len(candidate) > PAGE_LIMIT:
            bodies.append(current)
            current = piece
        else:
            current = candidate
    bodies.append(current)
    return bodies


def _title(text: str) -> str:
    return text if len(text) <= TITLE_LIMIT else text[: TITLE_LIMIT - 1] + "…"


def lesson_pages(lesson: Lesson, lang: str) -> list[Page]:
    """The pages of `lesson` in `lang` ('hi', 'en' or 'both'), in reading order."""
    lesson_title = lesson.title.pick(lang).replace("\n", " / ")
    drafts: list[tuple[str, list[str], str | None]] = []
    contents = _bullets([section.title for section in lesson.sections], lang, numbered=True)
    drafts.append(
        (
            f"{lesson.order}. {lesson_title}",
            [
                f"**{_label('lesson.objectives', lang)}**\n{_bullets(lesson.objectives, lang)}",
                f"**{_label('lesson.sections', lang)}**\n{contents}",
            ],
            None,
        )
    )
    for number, section in enumerate(lesson.sections, start=1):
        heading = f"{lesson.order}.{number} {section.title.pick(lang).replace(chr(10), ' / ')}"
        drafts.append((heading, _section_blocks(section, lang), section.figure))
    practice = []
    for position, item in enumerate(lesson.practice, start=1):
        answer = f"{_label('lesson.answer', lang)}: {_text(item.answer, lang)}"
        practice.append(f"**{position}.** {_text(item.question, lang)}\n||{answer}||")
    drafts.append(
        (
            f"{lesson.order}. {lesson_title} — {_label('lesson.summary', lang)}",
            [
                f"**{_label('lesson.summary', lang)}**\n{_bullets(lesson.summary, lang)}",
                f"**{_label('lesson.practice', lang)}**",
                *practice,
            ],
            None,
        )
    )
    flat: list[tuple[str, str, str | None, bool]] = []
    for title, blocks, figure in drafts:
        for part, body in enumerate(_pack(blocks)):
            suffix = f" ({_label('lesson.continued', lang)})" if part else ""
            flat.append((_title(title + suffix), body, figure if part == 0 else None, part > 0))
    return [
        Page(title=title, body=body, figure=figure, index=index, total=len(flat), continued=continued)
        for index, (title, body, figure, continued) in enumerate(flat)
    ]
