"""Embeds and replies: plain data from the core becomes what Discord shows. Nothing here talks to the core."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.cogs.common import NO_MENTIONS, clip
from bot.cogs.texts import Bilingual, Both, both_lines, in_lang, say
from bot.log import get_logger

log = get_logger(__name__)

PARENTHESES = re.compile(r"\s*\([^)]*\)")

TEAL = discord.Colour(0x1ABC9C)
GREEN = discord.Colour(0x2ECC71)
RED = discord.Colour(0xE74C3C)
BLUE = discord.Colour(0x3498DB)
GOLD = discord.Colour(0xF1C40F)

# Discord's limits (characters; a message over any of them is rejected with HTTP 400)
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000  # title + description + field names and values + footer + author, per message
CONTENT_MAX = 2000


@dataclass
class Answer:
    """What to send: text, embeds, files as (name, bytes), and buttons."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    view: discord.ui.View | None = None
    ephemeral: bool = False

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for send_message / followup.send / Messageable.send."""
        out: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if self.content is not None:
            out["content"] = clip(self.content, CONTENT_MAX)
        if self.embeds:
            out["embeds"] = self.embeds
        if self.files:
            out["files"] = [discord.File(io.BytesIO(data), filename=name) for name, data in self.files]
        if self.view is not None:
            out["view"] = self.view
        return out

    def attachments(self) -> list[discord.File]:
        """The files as discord.File objects (fresh ones: a File can be sent only once)."""
        return [discord.File(io.BytesIO(data), filename=name) for name, data in self.files]

    def edit_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for edit_message / edit_original_response: replaces embeds, files and view.

        `attachments` is always given, so an edit to a page without a picture removes the old one.
        """
        out: dict[str, Any] = {
            "allowed_mentions": NO_MENTIONS,
            "embeds": self.embeds,
            "attachments": self.attachments(),
            "view": self.view,
        }
        if self.content is not None:
            out["content"] = clip(self.content, CONTENT_MAX)
        return out


def text(value: Any, lang: str) -> str:
    """A core `Text`/`Said` (or plain string) in `lang`; 'both': the whole Hindi text, then the English."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Bilingual):
        return both_lines(value.hi, value.en) if lang == "both" else str(in_lang(value, lang))
    return str(value.get(lang))


def embed(title: str, description: str = "", colour: discord.Colour = TEAL) -> discord.Embed:
    """An embed with Discord's length limits applied."""
    return discord.Embed(
        title=clip(title, TITLE_MAX), description=clip(description, DESCRIPTION_MAX) or None, colour=colour
    )


def add_field(target: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    """Add a field, clipped to Discord's limits (empty values become a dash; a 26th field is dropped)."""
    if len(target.fields) >= FIELDS_MAX:
        log.warning("embed %r already has %d fields; dropped field %r", target.title, FIELDS_MAX, name)
        return
    target.add_field(
        name=clip(name, FIELD_NAME_MAX), value=clip(value or "—", FIELD_VALUE_MAX), inline=inline
    )


def footer(target: discord.Embed, text: str) -> None:
    """Set the footer, clipped to Discord's limit."""
    target.set_footer(text=clip(text, FOOTER_MAX))


def author(target: discord.Embed, name: str) -> None:
    """Set the author line, clipped to Discord's limit."""
    target.set_author(name=clip(name, AUTHOR_MAX))


def embed_size(target: discord.Embed) -> int:
    """The characters Discord counts against EMBED_TOTAL_MAX."""
    size = len(target.title or "") + len(target.description or "")
    size += sum(len(f.name or "") + len(f.value or "") for f in target.fields)
    return size + len(target.footer.text or "") + len(target.author.name or "")


def limit_problems(embeds: Sequence[discord.Embed]) -> list[str]:
    """Every Discord embed limit the embeds of one message break (empty when Discord will accept them)."""
    problems: list[str] = []
    for number, item in enumerate(embeds, start=1):
        checks = [
            ("title", len(item.title or ""), TITLE_MAX),
            ("description", len(item.description or ""), DESCRIPTION_MAX),
            ("footer", len(item.footer.text or ""), FOOTER_MAX),
            ("author", len(item.author.name or ""), AUTHOR_MAX),
            ("fields", len(item.fields), FIELDS_MAX),
        ]
        for position, f in enumerate(item.fields, start=1):
            checks.append((f"field {position} name", len(f.name or ""), FIELD_NAME_MAX))
            checks.append((f"field {position} value", len(f.value or ""), FIELD_VALUE_MAX))
        problems += [
            f"embed {number}: {what} {size} > {limit}" for what, size, limit in checks if size > limit
        ]
    total = sum(embed_size(item) for item in embeds)
    if total > EMBED_TOTAL_MAX:
        problems.append(f"embeds total {total} > {EMBED_TOTAL_MAX}")
    return problems


def term_embed(term: Any, lang: str, lesson: Any = None) -> discord.Embed:
    """A glossary entry: its name in both scripts, the definition, and the lesson that teaches it."""
    english, hindi = term.term.en, term.term.hi
    bare_hindi = PARENTHESES.sub("", hindi).strip() or hindi  # "रेलू (ReLU)" -> "रेलू"
    title = hindi if lang == "hi" else english if bare_hindi == english else f"{english} · {bare_hindi}"
    out = embed(title, text(term.definition, lang), BLUE)
    if lesson is not None:
        footer(out, say("glossary_lesson", lang, order=lesson.order, title=lesson.title))
    return out


def number(value: Any, digits: int = 4) -> str:
    """A float for people: 4 significant digits, '—' for None."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}g}"
    return str(value)


def percent(value: Any) -> str:
    """0.75 → '75 %' ('—' for None, e.g. regression)."""
    return "—" if value is None else f"{100 * float(value):.0f} %"


def lang_name(lang: str) -> Both:
    """The name of language `lang` in Hindi and in English ("हिंदी" / "Hindi"), to compose a text around."""
    return both_languages(f"common.lang_name_{lang}")


def bullet_lines(lines: Sequence[str]) -> str:
    """Lines as a bulleted list."""
    return "\n".join(f"• {line}" for line in lines)


def both_languages(key: str, **values: object) -> Both:
    """Text `key` in Hindi and in English, as a value another text is composed around."""
    return Both(hi=say(key, "hi", **values), en=say(key, "en", **values))
