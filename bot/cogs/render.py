"""A core `Reply` as a Discord message: content, embeds (one per card), attachments and buttons; and the
three ways to deliver it (a new message, an edit of the clicked message, a reply to a mention).

Discord's length limits are applied here (a message over any of them is rejected with HTTP 400).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import discord

from bot.cogs.buttons import TimedView, button_for
from bot.cogs.context import NO_MENTIONS, Interaction, TutorClient, client_of, private_here
from bot.core.numbers import clip
from bot.core.replies import Card, Reply
from bot.log import get_logger

log = get_logger(__name__)

COLOURS: dict[str, discord.Colour] = {
    "lesson": discord.Colour(0x1ABC9C),
    "quiz": discord.Colour(0x1ABC9C),
    "success": discord.Colour(0x2ECC71),
    "failure": discord.Colour(0xE74C3C),
    "skipped": discord.Colour(0xF1C40F),
    "teaching": discord.Colour(0x3498DB),
    "progress": discord.Colour(0xF1C40F),
    "info": discord.Colour(0x1ABC9C),
}

# Discord's limits (characters)
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000  # title + description + field names and values + footer + author, per message
CONTENT_MAX = 2000
EMBEDS_MAX = 10


def embed(card: Card) -> list[discord.Embed]:
    """A card as an embed (its first picture as the image), plus one embed per further picture."""
    out = discord.Embed(
        title=clip(card.title, TITLE_MAX) or None,
        description=clip(card.body, DESCRIPTION_MAX) or None,
        colour=COLOURS[card.tone],
    )
    if card.heading:
        out.set_author(name=clip(card.heading, AUTHOR_MAX))
    for field in card.fields[:FIELDS_MAX]:
        out.add_field(
            name=clip(field.name, FIELD_NAME_MAX),
            value=clip(field.value or "—", FIELD_VALUE_MAX),
            inline=field.inline,
        )
    if card.footer:
        out.set_footer(text=clip(card.footer, FOOTER_MAX))
    embeds = [out]
    for index, picture in enumerate(card.pictures):
        target = (
            out
            if index == 0
            else discord.Embed(title=clip(picture.title, TITLE_MAX) or None, colour=out.colour)
        )
        target.set_image(url=f"attachment://{picture.filename}")
        if target is not out:
            embeds.append(target)
    return embeds


def embed_size(target: discord.Embed) -> int:
    """The characters Discord counts against EMBED_TOTAL_MAX."""
    size = len(target.title or "") + len(target.description or "")
    size += sum(len(f.name or "") + len(f.value or "") for f in target.fields)
    return size + len(target.footer.text or "") + len(target.author.name or "")


def limit_problems(embeds: Sequence[discord.Embed]) -> list[str]:
    """Every Discord embed limit the embeds of one message break (empty when Discord will accept them)."""
    problems: list[str] = []
    for number, item in enumerate(embeds, start=1):
        checks = [
            ("title", len(item.title or ""), TITLE_MAX),
            ("description", len(item.description or ""), DESCRIPTION_MAX),
            ("footer", len(item.footer.text or ""), FOOTER_MAX),
            ("author", len(item.author.name or ""), AUTHOR_MAX),
            ("fields", len(item.fields), FIELDS_MAX),
        ]
        for position, f in enumerate(item.fields, start=1):
            checks.append((f"field {position} name", len(f.name or ""), FIELD_NAME_MAX))
            checks.append((f"field {position} value", len(f.value or ""), FIELD_VALUE_MAX))
        problems += [
            f"embed {number}: {what} {size} > {limit}" for what, size, limit in checks if size > limit
        ]
    total = sum(embed_size(item) for item in embeds)
    if total > EMBED_TOTAL_MAX:
        problems.append(f"embeds total {total} > {EMBED_TOTAL_MAX}")
    if len(embeds) > EMBEDS_MAX:
        problems.append(f"{len(embeds)} embeds > {EMBEDS_MAX}")
    return problems


@dataclass
class Message:
    """A reply as discord.py's keyword arguments, with the view it carries."""

    reply: Reply
    embeds: list[discord.Embed]
    view: TimedView | None

    def files(self) -> list[discord.File]:
        """Fresh attachments (a discord.File can be sent only once)."""
        shown = [discord.File(io.BytesIO(p.png), filename=p.filename) for p in self.reply.pictures]
        return shown + [discord.File(io.BytesIO(f.data), filename=f.filename) for f in self.reply.files]

    def send_kwargs(self) -> dict[str, Any]:
        """For send_message / followup.send / Messageable.send."""
        out: dict[str, Any] = {"allowed_mentions": NO_MENTIONS, "embeds": self.embeds, "files": self.files()}
        if self.reply.note:
            out["content"] = clip(self.reply.note, CONTENT_MAX)
        if self.view is not None:
            out["view"] = self.view
        return out

    def edit_kwargs(self) -> dict[str, Any]:
        """For edit_message / edit_original_response: replaces content, embeds, attachments and view."""
        return {
            "allowed_mentions": NO_MENTIONS,
            "content": clip(self.reply.note, CONTENT_MAX) or None,
            "embeds": self.embeds,
            "attachments": self.files(),
            "view": self.view,
        }


def message(reply: Reply, client: TutorClient) -> Message:
    """The Discord form of `reply`: an embed per card, and its actions as timed buttons of their cogs."""
    embeds = [item for card in reply.cards for item in embed(card)][:EMBEDS_MAX]
    view: TimedView | None = None
    if reply.actions and reply.owner is not None:
        kind = reply.actions[0].kind.partition(".")[0]
        view = TimedView(client, (kind, reply.owner), reply.expiry_note)
        for action in reply.actions:
            view.add_item(button_for(action, reply.owner))
    return Message(reply, embeds, view)


async def send(interaction: Interaction, reply: Reply) -> None:
    """Answer a slash command or a button with a new message (or the deferred placeholder, replaced)."""
    shown = message(reply, client_of(interaction))
    response = interaction.response
    private = reply.private or (private_here(interaction) and not reply.shared)
    if not response.is_done():
        await response.send_message(**shown.send_kwargs(), ephemeral=private)
    elif response.type is discord.InteractionResponseType.deferred_message_update:
        sent = await interaction.followup.send(**shown.send_kwargs(), ephemeral=private, wait=True)
        if shown.view is not None:
            shown.view.attach(sent.edit, sent.content or None)
        return
    else:
        await interaction.edit_original_response(**shown.edit_kwargs())
    if shown.view is not None:
        shown.view.attach(interaction.edit_original_response, reply.note or None)


async def edit(interaction: Interaction, reply: Reply) -> None:
    """Answer a button by replacing the message it sits on (a page turn, the next quiz question)."""
    shown = message(reply, client_of(interaction))
    if interaction.response.is_done():
        await interaction.edit_original_response(**shown.edit_kwargs())
    else:
        await interaction.response.edit_message(**shown.edit_kwargs())
    if shown.view is not None:
        shown.view.attach(interaction.edit_original_response, reply.note or None)


async def post(channel: discord.abc.Messageable, reply: Reply, client: TutorClient) -> None:
    """Post `reply` as a new message of the bot in `channel` (a thread the bot opened)."""
    shown = message(reply, client)
    sent = await channel.send(**shown.send_kwargs())
    if shown.view is not None:
        shown.view.attach(sent.edit, sent.content or None)


async def answer_message(
    message_in: discord.Message, reply: Reply, client: TutorClient, status: discord.Message | None = None
) -> None:
    """Answer a mention or DM: edit the status line posted meanwhile into the answer, else reply."""
    shown = message(reply, client)
    if status is not None:
        sent = await status.edit(**shown.edit_kwargs())
    else:
        sent = await message_in.reply(mention_author=False, **shown.send_kwargs())
    if shown.view is not None:
        shown.view.attach(sent.edit, sent.content or None)
