"""Deliveries another bot process left behind (bot/training/handover.py): once connected, this process
takes each one whose owner is gone, follows its job to the end through the core
(`bot.core.training.resume_delivery`) and edits the learner's original placeholder into the answer,
through the interaction's webhook (the token the delivery carries; Discord honours it 15 minutes).

A train run resumes; any other job's learner reads that its result is lost. A reply meant for the
learner's own thread is shown in place (the thread needs the interaction's channel and permissions,
which a delivery does not carry).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from typing import Any, cast

import discord
from discord.webhook.async_ import async_context, handle_message_parameters

from bot.cogs import render
from bot.cogs.context import NO_MENTIONS, TutorClient
from bot.cogs.errors import message_for
from bot.cogs.status import ProgressEdits, progress_edit
from bot.core import training
from bot.core.status import JobReport
from bot.log import get_logger
from bot.training.delivery import BEAT_SECONDS, DEAD_SECONDS, Delivery

log = get_logger(__name__)


class OriginalResponse:
    """An interaction's original response, edited through its webhook by a process that never saw it."""

    def __init__(self, client: TutorClient, delivery: Delivery) -> None:
        self.token = delivery.address["token"]
        self.webhook = discord.Webhook.partial(
            int(delivery.address["application_id"]),
            self.token,
            client=cast(discord.Client, client),  # the bot's HTTP session and its Discord address
        )

    async def edit(self, **fields: Any) -> None:
        """Edit the original response (what `Interaction.edit_original_response` sends)."""
        with handle_message_parameters(previous_allowed_mentions=NO_MENTIONS, **fields) as params:
            await async_context.get().edit_original_interaction_response(
                self.webhook.id,
                self.token,
                session=self.webhook.session,
                proxy=self.webhook.proxy,
                proxy_auth=self.webhook.proxy_auth,
                payload=params.payload,
                multipart=params.multipart,
                files=params.files,
            )


class ResumedStatus:
    """A core `Status` over an original response already deferred by another process: progress edits."""

    def __init__(self, original: OriginalResponse) -> None:
        self.original = original
        self._edits = ProgressEdits(self._show)

    async def working(self, text: str) -> None:
        """Show `text` in the placeholder."""
        if text:
            await self.original.edit(content=text, allowed_mentions=NO_MENTIONS)

    async def progress(self, report: JobReport) -> None:
        """Show the job's state (throttled) with its Cancel button."""
        await self._edits.report(report)

    async def _show(self, report: JobReport) -> None:
        await self.original.edit(**progress_edit(report))

    async def finished(self) -> None:
        """No progress edit after this."""
        await self._edits.close()


async def deliver(client: TutorClient, delivery: Delivery) -> None:
    """Finish one taken-over delivery and edit its placeholder into the answer; then forget it."""
    handover = client.tutor.handover
    assert handover is not None
    original = OriginalResponse(client, delivery)
    try:
        reply = await training.resume_delivery(client.tutor, delivery, ResumedStatus(original))
        shown = render.message(replace(reply, own_thread=None), client)
        await original.edit(**shown.edit_kwargs())
        if shown.view is not None:
            shown.view.attach(original.edit, reply.note or None)
        log.info("delivered job %s taken over from a stopped bot process", delivery.job_id)
    except asyncio.CancelledError:
        raise  # this process stops too: the delivery stays for the next one
    except Exception as error:
        text = message_for(error, delivery.lang, f"resumed job {delivery.job_id}")
        with contextlib.suppress(discord.HTTPException):
            await original.edit(content=text, embeds=[], view=None, allowed_mentions=NO_MENTIONS)
    with contextlib.suppress(Exception):  # Redis away: the record expires on its own
        await handover.done(delivery)


async def resume_deliveries(client: TutorClient) -> None:
    """Take every delivery whose bot process is gone and finish them all, side by side. An owner that
    died just before this start still looks alive for DEAD_SECONDS: the look is repeated that long."""
    handover = client.tutor.handover
    if handover is None:
        return
    loop = asyncio.get_running_loop()
    until = loop.time() + DEAD_SECONDS + 2 * BEAT_SECONDS
    delivering: list[asyncio.Task[None]] = []
    while True:
        try:
            taken = await handover.claim_orphans()
        except Exception:  # Redis away (redis is imported only with the queue): they wait for the next start
            log.warning("could not look for deliveries left by stopped bot processes", exc_info=True)
            taken = []
        if taken:
            log.info("taking over %d deliveries of stopped bot processes", len(taken))
        delivering += [asyncio.create_task(deliver(client, d), name=f"resume-{d.job_id}") for d in taken]
        if loop.time() >= until:
            break
        await asyncio.sleep(BEAT_SECONDS)
    await asyncio.gather(*delivering)
