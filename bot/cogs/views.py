"""Buttons and modals. Every button is a DynamicItem whose custom id carries what it needs (owner, ids),
so buttons keep working after a restart; a button whose state has moved on says it is stale.

Custom ids (≤ 100 characters):
- `lp:<action>:<owner>:<lesson>:<page>:<lang>`   lesson pager (prev / next / language toggle)
- `qz:<owner>:<session>:<position>:<choice>`     quiz answer (a-d, t, f, skip)
- `qm:<owner>:<session>:<position>`              quiz typed answer (opens a modal)
- `tr:<action>:<owner>:<spec code>`              training result (code / compare)
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.cogs.common import NO_MENTIONS, lang_of
from bot.cogs.errors import handle_error
from bot.cogs.texts import say, short
from bot.log import get_logger

log = get_logger(__name__)

OWNER = r"(?P<owner>[0-9]{1,21})"
# Interaction tokens live 15 minutes: a timed-out message must be marked before its token expires.
LESSON_VIEW_TIMEOUT = 10 * 60.0
QUIZ_VIEW_TIMEOUT = 10 * 60.0
TRAIN_VIEW_TIMEOUT = 10 * 60.0


async def guard(interaction: discord.Interaction[Any], work: Awaitable[None]) -> None:
    """Run a button or modal callback, sending any exception through the one error handler."""
    try:
        await work
    except Exception as error:
        await handle_error(interaction, error)


async def owner_only(interaction: discord.Interaction[Any], owner: int) -> bool:
    """True for the learner the buttons belong to; anyone else gets an ephemeral note."""
    if interaction.user.id == owner:
        return True
    lang = await lang_of(interaction)
    await interaction.response.send_message(say("common.not_your_button", lang), ephemeral=True)
    return False


async def stale(interaction: discord.Interaction[Any]) -> None:
    """Tell the clicker that this button belongs to a state that has moved on."""
    lang = await lang_of(interaction)
    await interaction.response.send_message(say("common.stale_button", lang), ephemeral=True)


class TimedView(discord.ui.View):
    """A view that, when it times out, disables its buttons and says so on the message.

    One live view per (kind, owner): showing a new one stops the old one, so an old message never
    announces a timeout for a conversation that has moved to a newer message.
    """

    def __init__(
        self, bot: Any, key: tuple[str, int], lang: str, *, timeout: float, note: str = "common.timed_out"
    ):
        super().__init__(timeout=timeout)
        self._bot = bot
        self.key = key
        self.lang = lang
        self.note = note
        self._edit: Callable[..., Awaitable[Any]] | None = None
        self._content: str | None = None

    def attach(self, edit: Callable[..., Awaitable[Any]], content: str | None = None) -> None:
        """Remember how to edit the message carrying this view, and retire the previous live view."""
        self._edit = edit
        self._content = content
        live: dict[tuple[str, int], TimedView] = self._bot.live_views
        previous = live.get(self.key)
        if previous is not None and previous is not self:
            previous.stop()
        live[self.key] = self

    async def on_timeout(self) -> None:
        live: dict[tuple[str, int], TimedView] = self._bot.live_views
        if live.get(self.key) is self:
            del live[self.key]
        if self._edit is None:
            return
        frozen = discord.ui.View(timeout=None)  # the same buttons, disabled, with no timer of their own
        for item in list(self.children):
            target = item.item if isinstance(item, discord.ui.DynamicItem) else item
            if isinstance(target, discord.ui.Button | discord.ui.Select):
                target.disabled = True
            self.remove_item(item)
            frozen.add_item(item)
        note = say(self.note, self.lang)
        content = f"{self._content}\n{note}" if self._content else note
        try:
            await self._edit(content=content, view=frozen, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.info("could not mark a timed-out message (deleted or token expired)")


def attach_to_interaction(view: discord.ui.View | None, interaction: discord.Interaction[Any]) -> None:
    """After answering `interaction` with `view`, let the view edit that message when it times out."""
    if isinstance(view, TimedView):
        view.attach(interaction.edit_original_response)


def attach_to_message(view: discord.ui.View | None, message: discord.Message) -> None:
    """After sending `message` with `view`, let the view edit it when it times out."""
    if isinstance(view, TimedView):
        view.attach(message.edit, message.content or None)


# --------------------------------------------------------------------------- lessons
class LessonButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"lp:(?P<action>prev|next|lang):"
    + OWNER
    + r":(?P<lesson>[a-z0-9_-]+):(?P<page>\d+):(?P<lang>hi|en|both)",
):
    """Previous / Next / language toggle of a lesson; shows page `page` of `lesson` in `lang`."""

    def __init__(
        self,
        action: str,
        owner: int,
        lesson: str,
        page: int,
        lang: str,
        *,
        shown_lang: str,
        disabled: bool = False,
    ) -> None:
        label_key = {"prev": "common.previous", "next": "common.next", "lang": "toggle_lang"}[action]
        label = short(label_key, shown_lang)
        emoji = {"prev": "◀️", "next": "▶️", "lang": "🌐"}[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=discord.ButtonStyle.secondary if action == "lang" else discord.ButtonStyle.primary,
                custom_id=f"lp:{action}:{owner}:{lesson}:{page}:{lang}",
                disabled=disabled,
            )
        )
        self.owner, self.lesson, self.page, self.lang = owner, lesson, page, lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> LessonButton:
        lang = match["lang"]
        return cls(
            match["action"], int(match["owner"]), match["lesson"], int(match["page"]), lang, shown_lang=lang
        )

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.cogs import lessons

        await guard(interaction, lessons.turn_page(interaction, self.lesson, self.page, self.lang))


# --------------------------------------------------------------------------- quiz
class QuizChoice(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"qz:" + OWNER + r":(?P<session>\d+):(?P<position>\d+):(?P<choice>[a-d]|t|f|skip)",
):
    """One answer button of a quiz question (or Skip)."""

    def __init__(
        self,
        owner: int,
        session: int,
        position: int,
        choice: str,
        label: str,
        style: discord.ButtonStyle = discord.ButtonStyle.primary,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80], style=style, custom_id=f"qz:{owner}:{session}:{position}:{choice}"
            )
        )
        self.owner, self.session, self.position, self.choice = owner, session, position, choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizChoice:
        label = getattr(item, "label", None) or match["choice"]
        return cls(int(match["owner"]), int(match["session"]), int(match["position"]), match["choice"], label)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.cogs import quiz

        await guard(interaction, quiz.on_choice(interaction, self.session, self.position, self.choice))


class QuizTypedAnswer(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"qm:" + OWNER + r":(?P<session>\d+):(?P<position>\d+)",
):
    """'Answer' button of a numeric or free-text question: opens a modal."""

    def __init__(self, owner: int, session: int, position: int, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80],
                emoji="✍️",
                style=discord.ButtonStyle.success,
                custom_id=f"qm:{owner}:{session}:{position}",
            )
        )
        self.owner, self.session, self.position = owner, session, position

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> QuizTypedAnswer:
        label = getattr(item, "label", None) or "Answer"
        return cls(int(match["owner"]), int(match["session"]), int(match["position"]), label)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.cogs import quiz

        await guard(interaction, quiz.open_answer_modal(interaction, self.session, self.position))


class AnswerModal(discord.ui.Modal):
    """A typed answer (a number or a few words) to the quiz question at `position`."""

    def __init__(self, session: int, position: int, lang: str, prompt: str) -> None:
        super().__init__(
            title=short("quiz.your_answer", lang),
            timeout=QUIZ_VIEW_TIMEOUT,
            custom_id=f"qa:{session}:{position}",
        )
        self.session, self.position = session, position
        self.answer: discord.ui.TextInput[AnswerModal] = discord.ui.TextInput(
            label=prompt[:45] or short("quiz.your_answer", lang), max_length=200, required=True
        )
        self.add_item(self.answer)

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        from bot.cogs import quiz

        await guard(interaction, quiz.on_typed(interaction, self.session, self.position, self.answer.value))


# --------------------------------------------------------------------------- training
class TrainButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"tr:(?P<action>code|cmp):" + OWNER + r":(?P<spec>[a-z0-9_.,=;-]+)",
):
    """'Show code' (the exported script as a file) and 'Compare optimizers' under a training result."""

    def __init__(self, action: str, owner: int, spec: str, *, lang: str) -> None:
        label_key, emoji = ("train.show_code", "📜") if action == "code" else ("train.compare_button", "📊")
        super().__init__(
            discord.ui.Button(
                label=short(label_key, lang),
                emoji=emoji,
                style=discord.ButtonStyle.secondary,
                custom_id=f"tr:{action}:{owner}:{spec}",
            )
        )
        self.action, self.owner, self.spec = action, owner, spec

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> TrainButton:
        lang = await lang_of(interaction)
        return cls(match["action"], int(match["owner"]), match["spec"], lang=lang)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await owner_only(interaction, self.owner)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.cogs import training

        if self.action == "code":
            await guard(interaction, training.show_code(interaction, self.spec))
        else:
            await guard(interaction, training.compare_from_button(interaction, self.spec))


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    LessonButton,
    QuizChoice,
    QuizTypedAnswer,
    TrainButton,
)
