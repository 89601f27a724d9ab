"""A core `Reply` as a Discord message: content, embeds (one per card), attachments and buttons; and the
three ways to deliver it (a new message, an edit of the clicked message, a reply to a mention).

Discord's length limits are applied here (a message over any of them is rejected with HTTP 400): a body
longer than an embed's description continues in the next embed (broken at a line, a ``` fence closed and
reopened), and embeds that together exceed a message's limits continue in follow-up messages, so a long
reply (a 'both' backprop walkthrough) is split into pages, never cut. The first page carries the note and
the buttons.

A command named in a reply ("/quiz neuron") becomes Discord's clickable mention `</quiz:id>` once the
commands are synced: Discord shows it in the reader's language (a Hindi client reads /क्विज़), and the
console keeps the plain name it can type.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any

import discord

from bot.cogs.buttons import TimedView, button_for
from bot.cogs.context import NO_MENTIONS, Interaction, TutorClient, client_of, private_here
from bot.cogs.mentions import mention_commands
from bot.core import threads
from bot.core.numbers import clip
from bot.core.replies import Card, Field, OwnThread, Picture, Reply
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


FENCE = "```"


def _with_mentions(card: Card, ids: dict[str, int]) -> Card:
    """The card with its commands mentioned where Discord renders mentions (body and field values)."""
    if not ids:
        return card
    fields = tuple(Field(f.name, mention_commands(f.value, ids), f.inline) for f in card.fields)
    return replace(card, body=mention_commands(card.body, ids), fields=fields)


def _wrap(line: str, width: int) -> list[str]:
    """A line longer than `width` in pieces broken at a space where there is one (rare: one huge line)."""
    pieces: list[str] = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width)
        cut = cut if cut > 0 else width
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*pieces, line]


def split_body(text: str, limit: int = DESCRIPTION_MAX) -> list[str]:
    """`text` as pieces of at most `limit` characters that together say all of it: broken at line ends,
    a ``` fence open at a break closed there and reopened in the next piece."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    opener: str | None = None  # the fence line open so far
    for line in text.split("\n"):
        for part in _wrap(line, limit - 2 * len(FENCE) - 8):
            fence_after = (None if opener else part) if part.startswith(FENCE) else opener
            closing = len(FENCE) + 1 if fence_after is not None else 0
            if current and size + 1 + len(part) + closing > limit:
                pieces.append("\n".join(current) + (f"\n{FENCE}" if opener is not None else ""))
                current = [opener] if opener is not None else []
                size = len(opener) if opener is not None else 0
            size += len(part) + (1 if current else 0)
            current.append(part)
            opener = fence_after
    pieces.append("\n".join(current))
    return [piece for piece in pieces if piece.strip()] or [""]


def embed(card: Card) -> list[discord.Embed]:
    """A card as embeds: its body over as many as it needs (the title on the first, the fields and the
    footer after the last), then one embed per further picture (the first picture is the card's image)."""
    colour = COLOURS[card.tone]
    parts = split_body(card.body)
    out = discord.Embed(
        title=clip(card.title, TITLE_MAX) or None, description=parts[0] or None, colour=colour
    )
    if card.heading:
        out.set_author(name=clip(card.heading, AUTHOR_MAX))
    texts = [out, *(discord.Embed(description=part, colour=colour) for part in parts[1:])]
    for field in card.fields[:FIELDS_MAX]:
        texts[-1].add_field(
            name=clip(field.name, FIELD_NAME_MAX),
            value=clip(field.value or "—", FIELD_VALUE_MAX),
            inline=field.inline,
        )
    if card.footer:
        texts[-1].set_footer(text=clip(card.footer, FOOTER_MAX))
    embeds = texts
    for index, picture in enumerate(card.pictures):
        target = (
            out if index == 0 else discord.Embed(title=clip(picture.title, TITLE_MAX) or None, colour=colour)
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
    """A reply (or one page of it) as discord.py's keyword arguments, with the view it carries.

    `rest` are the follow-up messages of a reply too long for one message (empty for most replies);
    `aside` is the message of its private cards, for the asker alone (a quiz answer's feedback).
    """

    reply: Reply
    embeds: list[discord.Embed]
    view: TimedView | None
    pictures: tuple[Picture, ...] = ()  # the images these embeds show
    first: bool = True  # the first page carries the note and the reply's files
    rest: list[Message] = dataclass_field(default_factory=list)
    aside: Message | None = None

    def files(self) -> list[discord.File]:
        """Fresh attachments (a discord.File can be sent only once)."""
        shown = [discord.File(io.BytesIO(p.png), filename=p.filename) for p in self.pictures]
        handed = self.reply.files if self.first else ()
        return shown + [discord.File(io.BytesIO(f.data), filename=f.filename) for f in handed]

    def send_kwargs(self) -> dict[str, Any]:
        """For send_message / followup.send / Messageable.send."""
        out: dict[str, Any] = {"allowed_mentions": NO_MENTIONS, "embeds": self.embeds, "files": self.files()}
        if self.reply.note and self.first:
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


def _pages(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped into messages, in order, each within Discord's per-message limits."""
    pages: list[list[discord.Embed]] = [[]]
    size = 0
    for item in embeds:
        grown = size + embed_size(item)
        if pages[-1] and (grown > EMBED_TOTAL_MAX or len(pages[-1]) == EMBEDS_MAX):
            pages.append([])
            grown = embed_size(item)
        pages[-1].append(item)
        size = grown
    return pages


def _shown_in(embeds: list[discord.Embed], pictures: tuple[Picture, ...]) -> tuple[Picture, ...]:
    urls = {item.image.url for item in embeds}
    return tuple(p for p in pictures if f"attachment://{p.filename}" in urls)


def message(reply: Reply, client: TutorClient) -> Message:
    """The Discord form of `reply`: an embed per card (more for a long body), its actions as timed
    buttons of their cogs; what does not fit one message continues in `rest`; its private cards are a
    message of their own in `aside`."""
    shown = _layout(replace(reply, private_cards=()), client)
    if reply.private_cards:
        shown.aside = _layout(Reply(cards=reply.private_cards, private=True), client)
    return shown


def _layout(reply: Reply, client: TutorClient) -> Message:
    ids = client.command_ids
    reply = replace(
        reply,
        note=mention_commands(reply.note, ids),
        cards=tuple(_with_mentions(c, ids) for c in reply.cards),
    )
    embeds = [item for card in reply.cards for item in embed(card)]
    view: TimedView | None = None
    if reply.actions and reply.owner is not None:
        kind = reply.actions[0].kind.partition(".")[0]
        view = TimedView(client, (kind, reply.owner), reply.expiry_note)
        for action in reply.actions:
            view.add_item(button_for(action, reply.owner))
    first, *more = _pages(embeds)
    rest = [Message(reply, page, None, _shown_in(page, reply.pictures), first=False) for page in more]
    return Message(reply, first, view, _shown_in(first, reply.pictures), rest=rest)


def _private(interaction: Interaction, reply: Reply) -> bool:
    """Whether `reply` is seen by the asker alone: it says so, or the server asks for private replies."""
    return reply.private or (private_here(interaction) and not reply.shared)


def _as_shown(interaction: Interaction, reply: Reply) -> Reply:
    """`reply` with its private cards in place (one message) when no one else would see them: the whole
    reply is private anyway, or it is in a DM."""
    if not reply.private_cards:
        return reply
    if _private(interaction, reply):
        return reply.for_asker_alone()
    if interaction.guild_id is None:  # a DM: only the asker reads it, so nothing needs hiding
        return replace(reply, private_cards=(), cards=reply.all_cards)
    return reply


async def _send_aside(interaction: Interaction, shown: Message) -> None:
    """The private cards of a public reply, to the asker alone after it (the answer stays hidden)."""
    if shown.aside is None:
        return
    for page in (shown.aside, *shown.aside.rest):
        await interaction.followup.send(**page.send_kwargs(), ephemeral=True)


async def _send_rest(interaction: Interaction, shown: Message) -> None:
    """The follow-up pages of a long reply, after its first message (as private as the first)."""
    for page in shown.rest:
        await interaction.followup.send(**page.send_kwargs(), ephemeral=_private(interaction, shown.reply))


async def _own_thread(
    client: TutorClient, channel: discord.TextChannel, user: discord.abc.User, name: str
) -> discord.Thread:
    """The asker's thread in `channel`: the one opened for them before while it is there and open, else
    a new public thread (remembered, and the asker added so it shows in their list)."""
    known = await threads.thread_of(client.tutor, channel.id, user.id)
    if known is not None:
        found: object = channel.guild.get_thread(known)
        if found is None:
            try:
                found = await channel.guild.fetch_channel(known)
            except (discord.NotFound, discord.Forbidden):  # deleted, or no longer ours to see
                found = None
        if isinstance(found, discord.Thread) and not found.locked:
            return found  # an archived thread reopens with the next message
    thread = await channel.create_thread(name=name, type=discord.ChannelType.public_thread)
    await threads.opened_thread(client.tutor, channel.guild.id, channel.id, user.id, thread.id)
    await thread.add_user(user)
    return thread


async def _to_own_thread(
    client: TutorClient,
    channel: object,
    user: discord.abc.User,
    allowed: discord.Permissions,
    reply: Reply,
    place: OwnThread,
) -> Reply:
    """Post `reply` in the asker's own thread and return the pointer to answer with where they asked;
    where there can be no thread (a DM, a thread already) the reply itself, and where the bot may not
    open one (`allowed`: its permissions in the channel) the reply with the reason above it (never a
    silent change of where it goes)."""
    kept = replace(reply, own_thread=None)
    if not isinstance(channel, discord.TextChannel):
        return kept
    if not (allowed.create_public_threads and allowed.send_messages_in_threads):
        return kept.with_note("\n".join(line for line in (place.refused, kept.note) if line))
    thread = await _own_thread(client, channel, user, place.name)
    await post(thread, kept, client)
    return Reply(note=place.moved.replace("{thread}", thread.mention), private=True)


async def send(interaction: Interaction, reply: Reply) -> None:
    """Answer a slash command or a button with a new message (or the deferred placeholder, replaced);
    a reply for the learner's own thread goes there, and the answer here says where."""
    if reply.own_thread is not None:
        reply = await _to_own_thread(
            client_of(interaction),
            interaction.channel,
            interaction.user,
            interaction.app_permissions,
            reply,
            reply.own_thread,
        )
    reply = _as_shown(interaction, reply)
    shown = message(reply, client_of(interaction))
    response = interaction.response
    private = _private(interaction, reply)
    if not response.is_done():
        await response.send_message(**shown.send_kwargs(), ephemeral=private)
    elif response.type is discord.InteractionResponseType.deferred_message_update:
        sent = await interaction.followup.send(**shown.send_kwargs(), ephemeral=private, wait=True)
        if shown.view is not None:
            shown.view.attach(sent.edit, sent.content or None)
        await _send_rest(interaction, shown)
        await _send_aside(interaction, shown)
        return
    else:
        await interaction.edit_original_response(**shown.edit_kwargs())
    if shown.view is not None:
        shown.view.attach(interaction.edit_original_response, reply.note or None)
    await _send_rest(interaction, shown)
    await _send_aside(interaction, shown)


async def edit(interaction: Interaction, reply: Reply) -> None:
    """Answer a button by replacing the message it sits on (a page turn, the next quiz question); the
    reply's private cards (the feedback on a quiz answer) go to the clicker alone, unless it is private."""
    reply = _as_shown(interaction, reply)
    shown = message(reply, client_of(interaction))
    if interaction.response.is_done():
        await interaction.edit_original_response(**shown.edit_kwargs())
    else:
        await interaction.response.edit_message(**shown.edit_kwargs())
    if shown.view is not None:
        shown.view.attach(interaction.edit_original_response, reply.note or None)
    await _send_rest(interaction, shown)
    await _send_aside(interaction, shown)


async def post(channel: discord.abc.Messageable, reply: Reply, client: TutorClient) -> None:
    """Post `reply` as a new message of the bot in `channel` (a thread the bot opened)."""
    shown = message(reply, client)
    sent = await channel.send(**shown.send_kwargs())
    if shown.view is not None:
        shown.view.attach(sent.edit, sent.content or None)
    for page in shown.rest:
        await channel.send(**page.send_kwargs())


async def answer_message(
    message_in: discord.Message, reply: Reply, client: TutorClient, status: discord.Message | None = None
) -> None:
    """Answer a mention or DM: edit the status line posted meanwhile into the answer, else reply (a
    reply for the learner's own thread goes there, and the answer here says where)."""
    channel = message_in.channel
    if reply.own_thread is not None:
        me = channel.guild.me if isinstance(channel, discord.TextChannel) else None
        allowed = channel.permissions_for(me) if me is not None else discord.Permissions.none()
        reply = await _to_own_thread(client, channel, message_in.author, allowed, reply, reply.own_thread)
    shown = message(reply, client)
    if status is not None:
        sent = await status.edit(**shown.edit_kwargs())
    else:
        sent = await message_in.reply(mention_author=False, **shown.send_kwargs())
    if shown.view is not None:
        shown.view.attach(sent.edit, sent.content or None)
    for page in shown.rest:
        await message_in.channel.send(**page.send_kwargs())
