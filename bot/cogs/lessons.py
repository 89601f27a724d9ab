"""/lesson and the lesson pager's buttons and menu, over bot.core.lessons.

Custom ids (they carry what they show, so they keep working after a restart):
- `lp:<prev|next|lang|open>:<owner>:<lesson>:<page>:<lang>`  Previous / Next / language / next lesson
- `ls:<owner>:<lesson>:<lang>`                              the section menu (the value: a page)
"""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.cogs import render
from bot.cogs.buttons import OWNER, button, guard, menu, owner_only, register
from bot.cogs.context import Interaction, learner_of, tutor_of
from bot.cogs.status import Deferring
from bot.content.catalog import normalize
from bot.core import lessons
from bot.core.learners import as_lang
from bot.core.numbers import clip
from bot.core.replies import Action


async def lesson_autocomplete(interaction: Interaction, current: str) -> list[Choice[str]]:
    """Lessons whose number, id or title (either language) or alias contains what was typed so far,
    labelled in the learner's language."""
    tutor = tutor_of(interaction)
    lang = (await learner_of(interaction)).lang
    query = normalize(current)
    choices = []
    for lesson in tutor.catalog.lessons:
        names = [str(lesson.order), lesson.id, lesson.title.en, lesson.title.hi, *lesson.aliases]
        if not query or any(query in normalize(name) for name in names):
            label = f"{lesson.order}. {lesson.title.pick(lang, one_line=True)}"
            choices.append(Choice(name=clip(label, 100), value=lesson.id))
    return choices[:25]


class LessonButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"lp:(?P<action>prev|next|lang|open):"
    + OWNER
    + r":(?P<lesson>[a-z0-9_-]+):(?P<page>\d+):(?P<lang>hi|en|both)",
):
    """Previous / Next / language toggle / next lesson: shows page `page` of `lesson` in `lang`."""

    def __init__(
        self, action: str, owner: int, lesson: str, page: int, lang: str, item: discord.ui.Button[Any]
    ) -> None:
        super().__init__(item)
        self.action, self.owner, self.lesson, self.page, self.lang = action, owner, lesson, page, lang

    @classmethod
    def of_action(cls, action: Action, owner: int) -> LessonButton:
        """The button for a core "lesson.*" action."""
        lesson, page, lang = str(action.args[0]), int(action.args[1]), str(action.args[2])
        role = action.kind.partition(".")[2]
        return cls(
            role, owner, lesson, page, lang, button(action, f"lp:{role}:{owner}:{lesson}:{page}:{lang}")
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LessonButton:
        assert isinstance(item, discord.ui.Button)
        return cls(
            match["action"], int(match["owner"]), match["lesson"], int(match["page"]), match["lang"], item
        )

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._turn(interaction))

    async def _turn(self, interaction: Interaction) -> None:
        learner = (await learner_of(interaction)).speaking(as_lang(self.lang))
        status = Deferring(interaction, update=True)
        reply = await lessons.show_page(tutor_of(interaction), learner, self.lesson, self.page, status)
        await render.edit(interaction, reply)


class SectionMenu(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"ls:" + OWNER + r":(?P<lesson>[a-z0-9_-]+):(?P<lang>hi|en|both)",
):
    """The menu of a lesson's parts: shows the first page of the part chosen."""

    def __init__(self, owner: int, lesson: str, lang: str, item: discord.ui.Select[Any]) -> None:
        super().__init__(item)
        self.owner, self.lesson, self.lang = owner, lesson, lang

    @classmethod
    def of_action(cls, action: Action, owner: int) -> SectionMenu:
        """The menu for a core "lesson.section" action."""
        lesson, lang = str(action.args[0]), str(action.args[1])
        return cls(owner, lesson, lang, menu(action, f"ls:{owner}:{lesson}:{lang}"))

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> SectionMenu:
        assert isinstance(item, discord.ui.Select)
        return cls(int(match["owner"]), match["lesson"], match["lang"], item)

    async def interaction_check(self, interaction: Interaction, /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: Interaction) -> None:
        await guard(interaction, self._jump(interaction))

    async def _jump(self, interaction: Interaction) -> None:
        learner = (await learner_of(interaction)).speaking(as_lang(self.lang))
        page = int(self.item.values[0]) if self.item.values else 0
        status = Deferring(interaction, update=True)
        reply = await lessons.show_page(tutor_of(interaction), learner, self.lesson, page, status)
        await render.edit(interaction, reply)


for _kind in ("lesson.prev", "lesson.next", "lesson.lang", "lesson.open"):
    register(_kind, LessonButton.of_action)
register("lesson.section", SectionMenu.of_action)


class Lessons(commands.Cog):
    """Lessons, page by page."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="lesson", description="Read a lesson page by page")
    @app_commands.describe(topic="Lesson number, id or title")
    @app_commands.autocomplete(topic=lesson_autocomplete)
    async def lesson(self, interaction: Interaction, topic: Range[str, 1, 100] | None = None) -> None:
        learner = await learner_of(interaction)
        reply = await lessons.open_lesson(tutor_of(interaction), learner, topic, Deferring(interaction))
        await render.send(interaction, reply)


async def setup(bot: commands.Bot) -> None:
    """Add the lessons cog and its persistent buttons."""
    bot.add_dynamic_items(LessonButton, SectionMenu)
    await bot.add_cog(Lessons(bot))
