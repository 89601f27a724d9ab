"""/glossary term, with autocomplete over English, Devanagari and romanized spellings."""

from __future__ import annotations

from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.core import glossary
from bot.core.numbers import clip


async def term_autocomplete(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Glossary terms matching what was typed so far, named in the learner's language."""
    lang = (await learner_of(interaction)).lang
    terms = tutor_of(interaction).catalog.search_terms(current, limit=25)
    return [Choice(name=clip(t.term.hi if lang == "hi" else t.term.en, 100), value=t.id) for t in terms]


class Glossary(commands.Cog):
    """Glossary look-ups."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="glossary", description="Look up a term")
    @app_commands.describe(term="The term")
    @app_commands.autocomplete(term=term_autocomplete)
    async def glossary(self, interaction: Interaction, term: Range[str, 1, 100]) -> None:
        learner = await learner_of(interaction)
        await render.send(interaction, glossary.glossary(tutor_of(interaction), learner, term))


async def setup(bot: commands.Bot) -> None:
    """Add the glossary cog."""
    await bot.add_cog(Glossary(bot))
