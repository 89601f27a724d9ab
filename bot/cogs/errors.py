"""The one error handler: domain errors reach the learner in their language, surprises get a reference id."""

from __future__ import annotations

import uuid
from typing import Any

import discord
from discord import app_commands

from bot.cogs.common import NO_MENTIONS, lang_of
from bot.cogs.texts import say
from bot.errors import TutorError
from bot.log import get_logger

log = get_logger(__name__)


def _unwrap(error: BaseException) -> BaseException:
    """The exception the learner's request actually raised (app_commands wraps it)."""
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.__cause__ or getattr(error, "original", None)
        if inner is None or inner is error:
            break
        error = inner
    return error


async def _language(interaction: discord.Interaction[Any]) -> str:
    try:
        return await lang_of(interaction)
    except Exception:  # the database itself may be what failed; English still reaches the learner
        log.exception("could not read the learner's language")
        return "en"


def message_for(error: BaseException, lang: str, command: str) -> str:
    """What the learner reads for `error` (unexpected errors are logged with a fresh reference id)."""
    if isinstance(error, TutorError):
        return error.message(lang)
    if isinstance(error, app_commands.CommandOnCooldown):
        return say("train.cooldown", lang, seconds=max(1.0, error.retry_after))
    if isinstance(error, app_commands.MissingPermissions):
        return say("error.permission", lang)
    if isinstance(error, app_commands.CheckFailure):
        return say("error.owner_only", lang)
    ref = uuid.uuid4().hex[:8]
    log.error("unexpected error ref=%s in %s", ref, command, exc_info=error)
    return say("error.unexpected", lang, ref=ref)


async def handle_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Tell the learner what went wrong, ephemerally, in their language; log anything unexpected."""
    error = _unwrap(error)
    command = interaction.command.qualified_name if interaction.command else str(interaction.data)
    text = message_for(error, await _language(interaction), command)
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return
        if interaction.response.type is discord.InteractionResponseType.deferred_channel_message:
            # a public "thinking…" placeholder would stay forever; replace it with a private note
            await interaction.delete_original_response()
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not deliver an error message for %s", command, exc_info=True)


class TutorTree(app_commands.CommandTree[Any]):
    """The command tree whose on_error is the one handler; it also notes who learns in which server."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        if interaction.guild_id is not None:
            await interaction.client.note_member(interaction.guild_id, interaction.user)
        return True

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        await handle_error(interaction, error)
