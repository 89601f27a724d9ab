"""/lesson: paged embeds with Previous / Next and a language toggle; progress recorded."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, cast

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.chat import lookup
from bot.cogs import render
from bot.cogs.common import lang_of, tutor_of
from bot.cogs.texts import say, short
from bot.cogs.views import LESSON_VIEW_TIMEOUT, LessonButton, TimedView, attach_to_interaction
from bot.content.catalog import normalize
from bot.content.pages import lesson_pages
from bot.content.schema import Lesson
from bot.errors import NotFound, TutorError
from bot.log import get_logger

log = get_logger(__name__)

TOGGLE = {"en": "hi", "hi": "en", "both": "en"}
FIGURE_CACHE_SIZE = 32  # ten figures in up to three languages, with room to spare


class FigureCache:
    """Drawn lesson figures by (name, lang); the least recently shown is dropped first."""

    def __init__(self, size: int = FIGURE_CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def get(self, name: str, lang: str) -> bytes | None:
        """The PNG drawn earlier, or None."""
        png = self._items.get((name, lang))
        if png is not None:
            self._items.move_to_end((name, lang))
        return png

    def put(self, name: str, lang: str, png: bytes) -> None:
        """Remember a drawn PNG, forgetting the oldest beyond `size`."""
        self._items[(name, lang)] = png
        self._items.move_to_end((name, lang))
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


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
    """The lesson a learner means, or NotFound quoting (a short piece of) what they typed, with the list."""
    lesson = lookup.find_lesson(catalog, topic)  # the whole phrase, its parts, or a term's lesson
    if lesson is None:
        shown = render.clip(topic, 60)
        names = ", ".join(f"{x.order} {x.id}" for x in catalog.lessons)  # what the learner can type
        raise NotFound(
            "lesson_not_found",
            say("lesson.not_found_list", "en", topic=shown, lessons=names),
            say("lesson.not_found_list", "hi", topic=shown, lessons=names),
        )
    return lesson


def page_answer(
    lesson: Lesson, page: int, lang: str, owner: int, bot: Any, *, png: bytes | None = None
) -> render.Answer:
    """Page `page` of `lesson` in `lang` with Previous / Next / language buttons.

    A page with a figure shows `png` as its image; without `png` it says the picture is missing.
    """
    pages = lesson_pages(lesson, lang)
    page = max(0, min(page, len(pages) - 1))
    current = pages[page]
    out = render.embed(current.title, current.body, render.TEAL)
    title = lesson.title
    heading = f"{lesson.order}. {f'{title.hi} / {title.en}' if lang == 'both' else title.get(lang)}"
    if current.title != heading:  # the first page's title is the lesson's own: not twice
        render.author(out, heading)
    footer = short("common.page", lang, page=page + 1, pages=len(pages))
    files: list[tuple[str, bytes]] = []
    if current.figure is not None and png is not None:
        filename = f"{current.figure}.png"
        files.append((filename, png))
        out.set_image(url=f"attachment://{filename}")
    elif current.figure is not None:
        footer = f"{footer}\n{short('figure_unavailable', lang)}"
    render.footer(out, footer)
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
    return render.Answer(embeds=[out], files=files, view=view)


def lessons_list(catalog: Any, lang: str) -> discord.Embed:
    """All lessons in teaching order."""
    lines = [f"**{lesson.order}.** {render.text(lesson.title, lang)}" for lesson in catalog.lessons]
    return render.embed(short("lesson.list_title", lang), "\n".join(lines), render.TEAL)


async def record(tutor: Any, user: discord.abc.User, lesson: Lesson, page: int, lang: str) -> None:
    """Remember how far the learner read (XP for finishing is the progress service's business)."""
    total = len(lesson_pages(lesson, lang))
    await tutor.record_lesson_page(user.id, lesson.id, page, total, display_name=user.display_name)


def figure_cache(bot: Any) -> FigureCache:
    """The figure cache of the Lessons cog loaded in `bot`."""
    # By attribute, not isinstance: load_extension imports this module afresh, so the loaded cog's class
    # need not be the `Lessons` a caller of this function sees.
    figures = getattr(bot.get_cog("Lessons"), "figures", None)
    if figures is None:
        raise RuntimeError("the Lessons cog is not loaded")
    return cast(FigureCache, figures)


class PoolBusy(Exception):
    """A figure would have to queue behind training jobs: not worth the wait, the page shows without it."""


async def give_up_when_queued(position: int) -> None:
    """The pool's on_queued callback for figures: raising here leaves the queue before the job is sent."""
    raise PoolBusy(position)


async def draw_figure(bot: Any, learner: int, name: str, lang: str) -> bytes | None:
    """Figure `name` in `lang` drawn by the pool (and cached), or None when the pool cannot draw it now."""
    try:
        drawn = await bot.tutor.jobs.lesson_figure(name, lang, learner=learner, on_queued=give_up_when_queued)
    except PoolBusy:
        log.info("lesson figure %s skipped: every worker is busy", name)
        return None
    except TutorError as error:  # queue full, the learner's own job running, timeout, crashed worker
        log.info("lesson figure %s not drawn: %s", name, error.code)
        return None
    png = drawn.pictures[0].png
    figure_cache(bot).put(name, lang, png)
    return png


async def lesson_message(
    bot: Any,
    learner: int,
    lesson: Lesson,
    page: int,
    lang: str,
    before_drawing: Callable[[], Awaitable[None]],
) -> render.Answer:
    """Page `page` with its figure (cached, else drawn after `before_drawing`, e.g. a defer)."""
    pages = lesson_pages(lesson, lang)
    page = max(0, min(page, len(pages) - 1))
    figure = pages[page].figure
    png = figure_cache(bot).get(figure, lang) if figure else None
    if figure and png is None:
        await before_drawing()  # drawing can outlast Discord's 3-second window
        png = await draw_figure(bot, learner, figure, lang)
    return page_answer(lesson, page, lang, learner, bot, png=png)


async def resume_point(tutor: Any, learner: int, lang: str) -> tuple[Lesson, int, str] | None:
    """The lesson the learner read last, the furthest page reached, and a line saying so; None if none."""
    last = await tutor.last_lesson(learner)
    known = {lesson.id for lesson in tutor.catalog.lessons}
    if last is None or last[0] not in known:  # never read, or a reload removed the lesson
        return None
    lesson = tutor.catalog.lesson(last[0])
    page = max(0, min(last[1], len(lesson_pages(lesson, lang)) - 1))
    note = say("lesson_resume", lang, order=lesson.order, title=lesson.title, page=page + 1)
    return lesson, page, note


async def show_page(
    interaction: discord.Interaction[Any],
    lesson: Lesson,
    page: int,
    lang: str,
    *,
    edit: bool,
    note: str | None = None,
) -> None:
    """Answer with page `page`: a new message, or (`edit`) the pager's own message; figure attached.

    `note` is a line above the page ("resuming where you stopped"); turning a page clears it.
    """

    async def defer() -> None:
        await interaction.response.defer(thinking=not edit)

    bot, user = interaction.client, interaction.user
    answer = await lesson_message(bot, user.id, lesson, page, lang, defer)
    answer.content = note if note is not None else ("" if edit else None)
    if interaction.response.is_done():
        await interaction.edit_original_response(**answer.edit_kwargs())
    elif edit:
        await interaction.response.edit_message(**answer.edit_kwargs())
    else:
        await interaction.response.send_message(**answer.kwargs())
    attach_to_interaction(answer.view, interaction)
    pages = len(lesson_pages(lesson, lang))
    await record(tutor_of(interaction), user, lesson, max(0, min(page, pages - 1)), lang)


async def turn_page(interaction: discord.Interaction[Any], lesson_id: str, page: int, lang: str) -> None:
    """A pager button: show another page (or the same page in the other language)."""
    tutor = tutor_of(interaction)
    try:
        lesson = tutor.catalog.lesson(lesson_id)
    except NotFound:  # the content was reloaded without this lesson
        from bot.cogs.views import stale

        await stale(interaction)
        return
    await show_page(interaction, lesson, page, lang, edit=True)


class Lessons(commands.Cog):
    """Lessons, page by page."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.figures = FigureCache()

    @app_commands.command(name="lesson", description="Read a lesson page by page")
    @app_commands.describe(topic="Lesson number, id or title")
    @app_commands.autocomplete(topic=lesson_autocomplete)
    async def lesson(
        self, interaction: discord.Interaction[Any], topic: Range[str, 1, 100] | None = None
    ) -> None:
        lang = await lang_of(interaction)
        tutor = tutor_of(interaction)
        if topic is not None:
            await show_page(interaction, find_lesson(tutor.catalog, topic), 0, lang, edit=False)
            return
        resumed = await resume_point(tutor, interaction.user.id, lang)
        if resumed is None:  # nothing read yet: the lessons to choose from
            await interaction.response.send_message(embed=lessons_list(tutor.catalog, lang))
            return
        lesson, page, note = resumed
        await show_page(interaction, lesson, page, lang, edit=False, note=note)


async def setup(bot: commands.Bot) -> None:
    """Add the lessons cog."""
    await bot.add_cog(Lessons(bot))
