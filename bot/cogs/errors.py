"""The one error handler: refusals reach the learner in their language, surprises get a reference id.

After a defer, the answer is an edit of the placeholder ("thinking…"), never delete-then-follow-up:
a follow-up to a deleted original fails on Discord (discord-api-docs #2739, #3087) and the learner would
see nothing.
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.cogs.context import NO_MENTIONS, Interaction, client_of, learner_of
from bot.cogs.mentions import mention_commands
from bot.errors import TutorError, Unavailable
from bot.i18n import say
from bot.log import get_logger

if TYPE_CHECKING:  # prometheus_client is imported only when metrics are served
    from bot.metrics import Outcome

log = get_logger(__name__)


class NotOwner(app_commands.CheckFailure):
    """The command is for the bot's owner only."""


# Discord's own names for the permissions (as its settings show them), where they differ from the flag's
PERMISSION_NAMES = {
    "manage_guild": "Manage Server",
    "manage_emojis_and_stickers": "Manage Expressions",
    "moderate_members": "Timeout Members",
    "view_channel": "View Channels",
    "read_messages": "View Channels",
    "use_application_commands": "Use Application Commands",
}


def permission_names(flags: list[str]) -> str:
    """Permission flags ("manage_guild") as Discord names them ("Manage Server"), joined."""
    return ", ".join(PERMISSION_NAMES.get(flag, flag.replace("_", " ").title()) for flag in flags)


def _unwrap(error: BaseException) -> BaseException:
    """The exception the learner's request actually raised (app_commands wraps it)."""
    while isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        inner = error.__cause__ or getattr(error, "original", None)
        if inner is None or inner is error:
            break
        error = inner
    return error


async def _language(interaction: Interaction) -> str:
    try:
        return (await learner_of(interaction)).lang
    except Unavailable:  # the database is what failed (and logged it): both languages reach the learner
        return "both"
    except Exception:  # something else failed; English still reaches the learner
        log.exception("could not read the learner's language")
        return "en"


# where the handler leaves its verdict for the tree, which counts the command once it is handled
OUTCOME = "tutor.outcome"


def refusal_code(error: BaseException) -> str | None:
    """The code of a refusal the learner can act on; None for an unexpected error (a failure)."""
    # the same kinds as `message_for` tells apart: one that only got words there would count as failed
    if isinstance(error, TutorError):
        return error.code
    if isinstance(error, NotOwner):
        return "owner_only"
    if isinstance(error, app_commands.MissingPermissions):
        return "permission"
    if isinstance(error, app_commands.BotMissingPermissions):
        return "bot_permission"
    if isinstance(error, app_commands.NoPrivateMessage):
        return "server_only"
    return None


def message_for(error: BaseException, lang: str, where: str) -> str:
    """What the learner reads for `error` (unexpected errors are logged with a fresh reference id)."""
    if isinstance(error, TutorError):
        return error.message(lang)
    if isinstance(error, NotOwner):
        return say("error.owner_only", lang)
    if isinstance(error, app_commands.MissingPermissions):
        return say("error.permission", lang, permissions=permission_names(error.missing_permissions))
    if isinstance(error, app_commands.BotMissingPermissions):
        return say("error.bot_permission", lang, permissions=permission_names(error.missing_permissions))
    if isinstance(error, app_commands.NoPrivateMessage):
        return say("error.server_only", lang)
    ref = uuid.uuid4().hex[:8]
    log.error("unexpected error ref=%s in %s", ref, where, exc_info=error)
    return say("error.unexpected", lang, ref=ref)


async def handle_error(interaction: Interaction, error: BaseException) -> None:
    """Tell the learner what went wrong in their language: privately when nothing was shown yet, in the
    placeholder when the request was deferred; log anything unexpected."""
    error = _unwrap(error)
    where = interaction.command.qualified_name if interaction.command else str(interaction.data)
    code = refusal_code(error)
    interaction.extras[OUTCOME] = "failed" if code is None else "refused"
    metrics = client_of(interaction).metrics
    if metrics is not None and code is not None:
        metrics.refused(code)
    text = message_for(error, await _language(interaction), where)
    text = mention_commands(text, client_of(interaction).command_ids)
    response = interaction.response
    try:
        if not response.is_done():
            await response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        elif response.type is discord.InteractionResponseType.deferred_message_update:
            # a button that defers as an update keeps its message: the note goes to the clicker alone
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.edit_original_response(
                content=text, embeds=[], attachments=[], view=None, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException:
        log.warning("could not deliver an error message for %s", where, exc_info=True)


class TutorTree(app_commands.CommandTree[discord.Client]):
    """The command tree whose on_error is the one handler, and where every slash command is counted."""

    async def on_error(self, interaction: Interaction, error: app_commands.AppCommandError) -> None:
        await handle_error(interaction, error)

    async def _call(self, interaction: Interaction) -> None:
        # discord.py's one entry for slash commands and context menus (autocomplete too, not counted);
        # an error inside a command reaches `on_error` before this returns, so its verdict is known here
        metrics = client_of(interaction).metrics
        if metrics is None or interaction.type is not discord.InteractionType.application_command:
            await super()._call(interaction)
            return
        started = time.perf_counter()
        outcome: Outcome = "failed"  # unless it ends normally: raised before the command ran, or cancelled
        try:
            await super()._call(interaction)
            outcome = interaction.extras.get(OUTCOME, "failed" if interaction.command_failed else "ok")
        finally:
            command = interaction.command.qualified_name if interaction.command else "unknown"
            metrics.command_done(command, outcome, time.perf_counter() - started)
