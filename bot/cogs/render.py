"""Embeds and replies: plain data from the core becomes what Discord shows. Nothing here talks to the core."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.cogs.common import NO_MENTIONS, clip
from bot.cogs.texts import say, short

TEAL = discord.Colour(0x1ABC9C)
GREEN = discord.Colour(0x2ECC71)
RED = discord.Colour(0xE74C3C)
BLUE = discord.Colour(0x3498DB)
GOLD = discord.Colour(0xF1C40F)

# Discord's limits (characters)
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
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


def text(value: Any, lang: str) -> str:
    """A core `Text` (or plain string) in `lang`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return str(value.get(lang))


def embed(title: str, description: str = "", colour: discord.Colour = TEAL) -> discord.Embed:
    """An embed with Discord's length limits applied."""
    return discord.Embed(
        title=clip(title, TITLE_MAX), description=clip(description, DESCRIPTION_MAX) or None, colour=colour
    )


def add_field(target: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    """Add a field, clipped to Discord's limits (empty values become a dash)."""
    target.add_field(
        name=clip(name, FIELD_NAME_MAX), value=clip(value or "—", FIELD_VALUE_MAX), inline=inline
    )


def term_embed(term: Any, lang: str) -> discord.Embed:
    """A glossary entry: the term in both scripts and its definition."""
    title = f"{term.term.en} · {term.term.hi}"
    out = embed(title, text(term.definition, lang), BLUE)
    if term.aliases:
        out.set_footer(text=clip(", ".join(term.aliases), 200))
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


def lang_name(lang: str, shown_in: str) -> str:
    """The name of language `lang`, in the learner's language."""
    return short(f"lang_name_{lang}", shown_in)


def bullet_lines(lines: Sequence[str]) -> str:
    """Lines as a bulleted list."""
    return "\n".join(f"• {line}" for line in lines)


def expired_note(lang: str, key: str = "expired") -> str:
    """The note a timed-out message gets."""
    return say(key, lang)
