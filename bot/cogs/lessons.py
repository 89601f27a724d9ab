"""/lesson: paged embeds with Previous / Next and a language toggle; progress recorded."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.texts import say, short
from bot.cogs.views import LESSON_VIEW_TIMEOUT, LessonButton, TimedView, attach_to_interaction
from bot.content.catalog import normalize
from bot.content.pages import lesson_pages
from bot.content.schema import Lesson
from bot.errors import NotFound

TOGGLE = {"en": "hi", "hi": "en", "both": "en"}


async def lesson_autocomplete(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    """Lessons whose number, id, title or alias contains what the learner typed so far."""
    catalog = tutor_of(interaction).catalog
    query = normalize(current)
    choices = []
    for lesson in catalog.lessons:
        names = [str(lesson.order), lesson.id, lesson.title.en, lesson.title.hi, *lesson.aliases]
        if not query or any(query in normalize(name) for name in names):
            label = f"{lesson.order}. {lesson.title.en}"
            choices.append(Choice(name=render.clip(label, 100), value=lesson.id))
    return choices[:25]


def find_lesson(catalog: Any, topic: str) -> Lesson:
    """The lesson a learner means, or NotFound quoting (a short piece of) what they typed."""
    lesson = catalog.find_lesson(topic)
    if lesson is None:
        shown = render.clip(topic, 60)
        raise NotFound(
            "lesson_not_found",
            say("lesson_not_found", "en", topic=shown),
            say("lesson_not_found", "hi", topic=shown),
        )
    return lesson


def page_answer(lesson: Lesson, page: int, lang: str, owner: int, bot: Any) -> render.Answer:
    """Page `page` of `lesson` in `lang`, with Previous / Next / language buttons."""
    pages = lesson_pages(lesson, lang)
    page = max(0, min(page, len(pages) - 1))
    current = pages[page]
    out = render.embed(current.title, current.body, render.TEAL)
    out.set_author(name=render.clip(f"{lesson.order}. {render.text(lesson.title, lang)}", 256))
    out.set_footer(text=short("page", lang, page=page + 1, pages=len(pages)))
    view = TimedView(bot, ("lesson", owner), lang, timeout=LESSON_VIEW_TIMEOUT)
    last = len(pages) - 1
    view.add_item(
        LessonButton("prev", owner, lesson.id, max(page - 1, 0), lang, shown_lang=lang, disabled=page == 0)
    )
    view.add_item(
        LessonButton(
            "next", owner, lesson.id, min(page + 1, last), lang, shown_lang=lang, disabled=page == last
        )
    )
    view.add_item(LessonButton("lang", owner, lesson.id, page, TOGGLE[lang], shown_lang=lang))
    return render.Answer(embeds=[out], view=view)


def lessons_list(catalog: Any, lang: str) -> discord.Embed:
    """All lessons in teaching order."""
    lines = [f"**{lesson.order}.** {render.text(lesson.title, lang)}" for lesson in catalog.lessons]
    return render.embed(short("lessons_list", lang), "\n".join(lines), render.TEAL)


async def record(interaction: discord.Interaction[Any], lesson: Lesson, page: int, lang: str) -> None:
    """Remember how far the learner read (XP for finishing is the progress service's business)."""
    tutor = tutor_of(interaction)
    total = len(lesson_pages(lesson, lang))
    await tutor.record_lesson_page(
        interaction.user.id, lesson.id, page, total, display_name=interaction.user.display_name
    )


async def turn_page(interaction: discord.Interaction[Any], lesson_id: str, page: int, lang: str) -> None:
    """A pager button: show another page (or the same page in the other language)."""
    tutor = tutor_of(interaction)
    try:
        lesson = tutor.catalog.lesson(lesson_id)
    except NotFound:  # the content was reloaded without this lesson
        from bot.cogs.views import stale

        await stale(interaction)
        return
    answer = page_answer(lesson, page, lang, interaction.user.id, interaction.client)
    await interaction.response.edit_message(embeds=answer.embeds, view=answer.view)
    attach_to_interaction(answer.view, interaction)
    await record(interaction, lesson, page, lang)


class Lessons(commands.Cog):
    """Lessons, page by page."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="lesson", description="Read a lesson page by page")
    @app_commands.describe(topic="Lesson number, id or title")
    @app_commands.autocomplete(topic=lesson_autocomplete)
    async def lesson(
        self, interaction: discord.Interaction[Any], topic: Range[str, 1, 100] | None = None
    ) -> None:
        lang = await lang_of(interaction)
        tutor = tutor_of(interaction)
        if topic is None:
            await interaction.response.send_message(embed=lessons_list(tutor.catalog, lang))
            return
        lesson = find_lesson(tutor.catalog, topic)
        answer = page_answer(lesson, 0, lang, interaction.user.id, interaction.client)
        await interaction.response.send_message(**answer.kwargs())
        attach_to_interaction(answer.view, interaction)
        await record(interaction, lesson, 0, lang)


async def setup(bot: commands.Bot) -> None:
    """Add the lessons cog."""
    await bot.add_cog(Lessons(bot))
