"""Core `Status`es in Discord: a deferred interaction's placeholder, or a mention's status line, shows
a job's progress (edited at most every EDIT_INTERVAL seconds, within Discord's rate limits, with the
Cancel button) and is finally edited into the answer: one message per request, nothing stale left."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.cogs.buttons import button_for
from bot.cogs.context import NO_MENTIONS, Interaction, private_here
from bot.core.status import JobReport

EDIT_INTERVAL = 1.5  # seconds between two edits of one message (Discord allows about five in five seconds)
# what ProgressEdits measures time with and waits with; tests put their own in
CLOCK: Callable[[], float] = time.monotonic
SLEEP: Callable[[float], Awaitable[None]] = asyncio.sleep


class ProgressEdits:
    """Shows a job's reports through `show`, at most one every `interval` seconds: a report that comes
    sooner is shown when the interval ends (only the newest of those), and nothing after `close()`."""

    def __init__(self, show: Callable[[JobReport], Awaitable[None]], interval: float = EDIT_INTERVAL) -> None:
        self._show = show
        self.interval = interval
        self._clock, self._sleep = CLOCK, SLEEP
        self._shown_at: float | None = None
        self._pending: JobReport | None = None
        self._later: asyncio.Task[None] | None = None
        self._waiting = False  # the delayed edit is still waiting (not editing yet)
        self._closed = False

    async def report(self, report: JobReport) -> None:
        """Show `report` now, or at the end of the current interval."""
        if self._closed:
            return
        self._pending = report
        now = self._clock()
        if self._shown_at is None or now - self._shown_at >= self.interval:
            self._drop_later()
            await self._flush()
        elif self._later is None:
            self._waiting = True
            self._later = asyncio.create_task(self._after(self.interval - (now - self._shown_at)))

    def _drop_later(self) -> None:
        """Forget a delayed edit still waiting: the one shown now is newer."""
        if self._later is not None and self._waiting:
            self._later.cancel()
            self._later = None

    async def _after(self, delay: float) -> None:
        await self._sleep(delay)
        self._waiting = False
        self._later = None
        await self._flush()

    async def _flush(self) -> None:
        report, self._pending = self._pending, None
        if report is None or self._closed:
            return
        self._shown_at = self._clock()
        await self._show(report)

    async def close(self) -> None:
        """Show no more reports: a delayed one is dropped (an edit under way is let finish first)."""
        self._closed = True
        later, self._later = self._later, None
        if later is None:
            return
        if self._waiting:
            later.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await later


def cancel_view(report: JobReport) -> discord.ui.View | None:
    """The report's Cancel button as a view (None when it has none)."""
    if report.cancel is None:
        return None
    view = discord.ui.View(timeout=None)  # a dynamic button: the bot finds it by its custom id
    view.add_item(button_for(report.cancel, int(report.cancel.args[0])))
    return view


def progress_edit(report: JobReport) -> dict[str, Any]:
    """The edit that shows `report` in a placeholder: its text, no mentions, its Cancel button."""
    edit: dict[str, Any] = {"content": report.text, "allowed_mentions": NO_MENTIONS}
    view = cancel_view(report)
    if view is not None:
        edit["view"] = view
    return edit


class Deferring:
    """A core `Status` over an interaction: acknowledges it before slow work (Discord allows 3 seconds),
    then shows the status text or a job's progress in the placeholder, which the final answer replaces.

    `update`: a button that edits its own message defers as an update (no "thinking…" message).
    """

    def __init__(self, interaction: Interaction, *, update: bool = False, private: bool = False) -> None:
        self.interaction = interaction
        self.update = update
        self.private = private
        self._edits = ProgressEdits(self._show)

    def address(self) -> dict[str, str] | None:
        """The placeholder another bot process can edit into the answer (the token is a secret)."""
        if self.update:
            return None  # no placeholder of its own: the answer is a follow-up message
        return {"application_id": str(self.interaction.application_id), "token": self.interaction.token}

    async def _defer(self) -> None:
        response = self.interaction.response
        if not response.is_done():
            if self.update:
                await response.defer()
            else:
                await response.defer(thinking=True, ephemeral=self.private or private_here(self.interaction))

    async def working(self, text: str) -> None:
        """Acknowledge now; show `text` where the answer will appear."""
        await self._defer()
        if text and not self.update:
            await self.interaction.edit_original_response(content=text, allowed_mentions=NO_MENTIONS)

    async def progress(self, report: JobReport) -> None:
        """Acknowledge now; show the job's state (throttled) with its Cancel button in the placeholder."""
        await self._defer()
        if not self.update:
            await self._edits.report(report)

    async def _show(self, report: JobReport) -> None:
        await self.interaction.edit_original_response(**progress_edit(report))

    async def finished(self) -> None:
        """No progress edit after this: the answer (or the refusal) replaces the placeholder next."""
        await self._edits.close()


class MessageStatus:
    """A core `Status` for a mention or DM: one status line, edited while the job waits and runs, and
    finally edited into the answer (one message per request)."""

    def __init__(self, message: discord.Message) -> None:
        self.message = message
        self.line: discord.Message | None = None
        self._edits = ProgressEdits(self._show)

    async def working(self, text: str) -> None:
        """Post (or update) the status line."""
        if text:
            await self._post(text, None)

    async def progress(self, report: JobReport) -> None:
        """Post the status line, then keep it showing the job's state (throttled), with Cancel."""
        await self._edits.report(report)

    async def _show(self, report: JobReport) -> None:
        await self._post(report.text, cancel_view(report))

    async def _post(self, text: str, view: discord.ui.View | None) -> None:
        extra: dict[str, Any] = {} if view is None else {"view": view}
        if self.line is None:
            self.line = await self.message.reply(
                text, mention_author=False, allowed_mentions=NO_MENTIONS, **extra
            )
        else:
            await self.line.edit(content=text, allowed_mentions=NO_MENTIONS, **extra)

    async def finished(self) -> None:
        """No progress edit after this: the answer replaces the status line next."""
        await self._edits.close()
