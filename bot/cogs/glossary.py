"""/glossary term, with autocomplete over English, Devanagari and romanized spellings."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.texts import say
from bot.errors import NotFound


async def term_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    """Glossary terms matching what the learner typed so far."""
    terms = tutor_of(interaction).catalog.search_terms(current, limit=25)
    return [Choice(name=render.clip(f"{t.term.en} · {t.term.hi}", 100), value=t.id) for t in terms]


def term_answer(catalog: Any, query: str, lang: str) -> render.Answer:
    """The glossary entry for `query` (an id from autocomplete or free text); NotFound otherwise."""
    term = next((t for t in catalog.terms if t.id == query), None) or catalog.find_term(query)
    if term is None:
        shown = render.clip(query, 60)
        raise NotFound(
            "term_not_found",
            say("glossary.not_found", "en", term=shown),
            say("glossary.not_found", "hi", term=shown),
        )
    lesson = next((x for x in catalog.lessons if x.id == term.lesson), None)
    return render.Answer(embeds=[render.term_embed(term, lang, lesson)])


class GlossaryCog(commands.Cog, name="Glossary"):
    """Glossary look-ups."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="glossary", description="Look up a term")
    @app_commands.describe(term="The term")
    @app_commands.autocomplete(term=term_autocomplete)
    async def glossary(self, interaction: discord.Interaction[Any], term: Range[str, 1, 100]) -> None:
        lang = await lang_of(interaction)
        answer = term_answer(tutor_of(interaction).catalog, term, lang)
        await interaction.response.send_message(**answer.kwargs())


async def setup(bot: commands.Bot) -> None:
    """Add the glossary cog."""
    await bot.add_cog(GlossaryCog(bot))
