"""The machinery every feature's buttons share: timed views, the owner check, one error path, and the
registry through which the renderer turns a core `Action` into the button of the cog that owns it.

Each feature cog registers a factory for its action kinds (`register("lesson.next", …)`) next to its
buttons; render.py looks factories up at run time, so it imports no feature cog.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.cogs.context import NO_MENTIONS, Interaction, TutorClient, client_of, learner_of
from bot.core.replies import Action
from bot.i18n import say
from bot.log import get_logger

log = get_logger(__name__)

# Interaction tokens live 15 minutes: a timed-out message must be marked before its token expires.
VIEW_TIMEOUT = 10 * 60.0
OWNER = r"(?P<owner>[0-9]{1,21})"

ButtonFactory = Callable[[Action, int], discord.ui.Item[Any]]
FACTORIES: dict[str, ButtonFactory] = {}
ErrorHandler = Callable[[Interaction, BaseException], Awaitable[None]]
_handlers: list[ErrorHandler] = []


def register(kind: str, factory: ButtonFactory) -> None:
    """Make `factory(action, owner)` the button for actions of `kind`."""
    FACTORIES[kind] = factory


def set_error_handler(handler: ErrorHandler) -> None:
    """The one error handler buttons and modals report to (the command tree's, set by the bot)."""
    _handlers[:] = [handler]


def button_for(action: Action, owner: int) -> discord.ui.Item[Any]:
    """The registered button for `action`."""
    return FACTORIES[action.kind](action, owner)


STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


def button(action: Action, custom_id: str) -> discord.ui.Button[Any]:
    """A Discord button that looks like `action` and carries `custom_id`."""
    return discord.ui.Button(
        label=action.label[:80],
        emoji=action.emoji,
        style=STYLES[action.style],
        custom_id=custom_id,
        disabled=action.disabled,
    )


def menu(action: Action, custom_id: str) -> discord.ui.Select[Any]:
    """A Discord select menu for a menu `action` (its label the placeholder), carrying `custom_id`."""
    return discord.ui.Select(
        custom_id=custom_id,
        placeholder=action.label[:150],
        options=[
            discord.SelectOption(
                label=option.label[:100], value=str(option.value)[:100], default=option.current
            )
            for option in action.options[:25]
        ],
        disabled=action.disabled,
    )


async def guard(interaction: Interaction, work: Awaitable[None]) -> None:
    """Run a button or modal callback, sending any exception through the one error handler."""
    try:
        await work
    except Exception as error:
        if not _handlers:
            raise
        await _handlers[0](interaction, error)


async def owner_only(interaction: Interaction, owner: int) -> bool:
    """True for the learner the buttons belong to; anyone else gets a private note."""
    if interaction.user.id == owner:
        return True
    learner = await learner_of(interaction)
    await interaction.response.send_message(say("common.not_your_button", learner.lang), ephemeral=True)
    return False


class TimedView(discord.ui.View):
    """A view that, when it times out, disables its buttons and says so on its message.

    One live view per (kind, owner): showing a new one stops the old one, so an old message never
    announces a timeout for a conversation that has moved to a newer message.
    """

    def __init__(
        self, client: TutorClient, key: tuple[str, int], note: str, *, timeout: float = VIEW_TIMEOUT
    ):
        super().__init__(timeout=timeout)
        self._client = client
        self.key = key
        self.note = note
        self._edit: Callable[..., Awaitable[Any]] | None = None
        self._content: str | None = None

    def attach(self, edit: Callable[..., Awaitable[Any]], content: str | None = None) -> None:
        """Remember how to edit the message carrying this view, and retire the previous live view."""
        self._edit = edit
        self._content = content
        live = self._client.live_views
        previous = live.get(self.key)
        if previous is not None and previous is not self:
            previous.stop()
        live[self.key] = self

    async def on_timeout(self) -> None:
        live = self._client.live_views
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
        content = f"{self._content}\n{self.note}" if self._content else self.note
        try:
            await self._edit(content=content, view=frozen, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.info("could not mark a timed-out message (deleted or token expired)")


def retire(interaction: Interaction, kind: str) -> None:
    """Stop the clicker's live view of `kind` (a quiz that just ended needs no timeout note)."""
    previous = client_of(interaction).live_views.pop((kind, interaction.user.id), None)
    if previous is not None:
        previous.stop()
