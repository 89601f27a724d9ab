"""The real `python -m bot` process against the fake Discord, and the members who talk to it in a server.

`BotProcess` starts the bot once (a test module shares it across its scenarios: a start costs the
worker pool's warm-up); `Member` sends slash commands and button clicks as INTERACTION_CREATE events
and reads back what the bot answered (`Answer`: the message as Discord would show it, and whether only
the member sees it).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.fake_discord import APPLICATION_ID, FakeDiscord, Recorded, snowflake, user_payload

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).resolve().parent / "site"
EPHEMERAL = 64
MANAGE_SERVER = "32"  # the Manage Server permission bit (0x20)
DEFERRED = 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE


class BotProcess:
    """`python -m bot` with a fake token and a temporary database, logged in to a fresh FakeDiscord (or,
    one of several processes splitting the shards, to a shared one: `fake`, with `env` naming its shards
    and the shared database)."""

    def __init__(
        self,
        folder: Path,
        *,
        fake: FakeDiscord | None = None,
        token: str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.folder = folder
        self.owns_fake = fake is None  # a shared fake is started and closed by its test
        self.fake = fake or FakeDiscord()
        self.token = token or f"FAKE.{secrets.token_urlsafe(24)}.e2e"
        self.extra_env = env or {}
        self.output = bytearray()
        self._process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def first_shard(self) -> int:
        """The first shard this process runs (the one its start waits for)."""
        named = self.extra_env.get("TUTOR_SHARD_IDS")
        return int(named.split(",")[0]) if named else 0

    async def start(self) -> None:
        """Start the fake Discord (when it is this process's own) and the bot; return once the bot's
        first shard has identified on the gateway."""
        if self.owns_fake:
            await self.fake.start()
        env = {
            **os.environ,
            "DISCORD_TOKEN": self.token,
            "TUTOR_DATABASE_URL": f"sqlite+aiosqlite:///{self.folder / 'tutor.db'}",
            "TUTOR_HEARTBEAT_FILE": str(self.folder / "heartbeat.json"),
            "TUTOR_TRAINING_WORKERS": "1",
            "TUTOR_TRAIN_COOLDOWN_SECONDS": "0",
            "TUTOR_TEST_DISCORD_API": self.fake.api_base,
            "TUTOR_TEST_DISCORD_GATEWAY": self.fake.gateway_url,
            "PYTHONPATH": os.pathsep.join([str(SITE), str(ROOT)]),
            "MPLBACKEND": "Agg",
            **self.extra_env,
        }
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=self.folder,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        self._reader = asyncio.create_task(self._drain())
        await self.fake.wait_identified(self.first_shard, timeout=240)

    async def _drain(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        while chunk := await self._process.stdout.read(65536):
            self.output.extend(chunk)

    async def stop(self) -> str:
        """Stop the bot (SIGTERM, then kill) and its own fake Discord; the bot's log."""
        process = self._process
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), timeout=30)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._reader is not None:
            await self._reader
        if self.owns_fake:
            await self.fake.close()
        return self.output.decode("utf-8", "replace")


@dataclass(frozen=True)
class Answer:
    """What the bot answered to one interaction: the message's data and who sees it."""

    data: dict[str, Any]
    private: bool
    files: dict[str, bytes] = field(default_factory=dict)
    kind: int = 4  # the interaction callback's type (4: a new message, 7: the clicked message updated)

    @property
    def text(self) -> str:
        """The message's content and every embed's title, description and fields, in reading order."""
        parts = [self.data.get("content") or ""]
        for embed in self.data.get("embeds") or []:
            parts += [embed.get("title") or "", embed.get("description") or ""]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
            parts.append((embed.get("footer") or {}).get("text") or "")
        return "\n".join(part for part in parts if part)

    def buttons(self) -> list[dict[str, Any]]:
        """The buttons of the message, row by row."""
        return [item for row in self.data.get("components") or [] for item in row["components"]]

    def button(self, prefix: str) -> dict[str, Any]:
        """The first button whose custom id starts with `prefix`."""
        return next(b for b in self.buttons() if b.get("custom_id", "").startswith(prefix))


@dataclass
class Server:
    """A Discord server with one text channel, as the fake presents it in interactions."""

    fake: FakeDiscord
    guild_id: int = field(default_factory=lambda: int(snowflake()))
    channel_id: int = field(default_factory=lambda: int(snowflake()))
    bot_permissions: str = "0"  # what the bot may do in the channel (an interaction's app_permissions)

    def __post_init__(self) -> None:
        self.fake.channel_guilds[str(self.channel_id)] = str(self.guild_id)

    def channel(self) -> dict[str, Any]:
        """The channel object an interaction from #learn carries."""
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "learn",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
        }

    def member(
        self,
        name: str,
        *,
        nick: str | None = None,
        teacher: bool = False,
        locale: str = "en-US",
        user_id: int | None = None,
    ) -> Member:
        """A member of this server (a teacher has Manage Server); `user_id` makes them a Discord user
        already met in another server."""
        user = int(snowflake()) if user_id is None else user_id
        return Member(self, user, name, nick, MANAGE_SERVER if teacher else "0", locale)


@dataclass
class Member:
    """A member of a server who uses the bot there."""

    server: Server
    id: int
    name: str
    nick: str | None
    permissions: str
    locale: str

    def payload(self) -> dict[str, Any]:
        """The member object of an interaction (or of resolved data, with its user)."""
        return {
            "user": user_payload(self.id, self.name),
            "nick": self.nick,
            "roles": [],
            "permissions": self.permissions,
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
        }

    def _interaction(
        self, kind: int, data: dict[str, Any], channel: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        token = f"tok-{snowflake()}"
        return {
            "id": snowflake(),
            "application_id": str(APPLICATION_ID),
            "type": kind,
            "token": token,
            "version": 1,
            "data": data,
            "guild_id": str(self.server.guild_id),
            "guild_locale": "en-US",
            "channel_id": channel["id"],
            "channel": channel,
            "member": self.payload(),
            "locale": self.locale,
            "app_permissions": self.server.bot_permissions,
            "entitlements": [],
            "authorizing_integration_owners": {},
            "context": 0,
            "attachment_size_limit": 26214400,
            **extra,
        }

    async def slash(self, command: str, **options: Any) -> Answer:
        """Run `/command` (or `/group sub`) with `options` in the server's channel; what the bot answered.
        A `Member` option value is that member; `bytes` with a name, `(filename, data)`, an attachment."""
        fake = self.server.fake
        group, _, sub = command.partition(" ")
        synced = next(c for c in fake.commands["global"] if c["name"] == group)
        declared = synced.get("options", [])
        if sub:
            declared = next(o for o in declared if o["name"] == sub).get("options", [])
        types = {o["name"]: o["type"] for o in declared}
        resolved: dict[str, dict[str, Any]] = {}
        given = []
        for name, value in options.items():
            if isinstance(value, Member):
                member = value.payload()
                resolved.setdefault("users", {})[str(value.id)] = member.pop("user")
                resolved.setdefault("members", {})[str(value.id)] = member
                value = str(value.id)
            elif isinstance(value, tuple):
                attachment = fake.attachment(*value)
                resolved.setdefault("attachments", {})[attachment["id"]] = attachment
                value = attachment["id"]
            given.append({"name": name, "type": types[name], "value": value})
        data: dict[str, Any] = {"id": synced["id"], "name": group, "type": 1, "options": given}
        if sub:
            data["options"] = [{"name": sub, "type": 1, "options": given}]
        if resolved:
            data["resolved"] = resolved
        payload = self._interaction(2, data, self.server.channel())
        await fake.dispatch("INTERACTION_CREATE", payload)
        return await answer_to(fake, payload["token"])

    async def click(self, message: Answer, custom_id: str, channel: dict[str, Any] | None = None) -> Answer:
        """Press the button `custom_id` of `message` (in the server's channel, or in `channel`)."""
        fake = self.server.fake
        where = channel or self.server.channel()
        shown = fake._message(message.data)
        shown["channel_id"] = where["id"]
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._interaction(3, data, where, message=shown)
        await fake.dispatch("INTERACTION_CREATE", payload)
        return await answer_to(fake, payload["token"])


def _callback(token: str) -> Any:
    return lambda r: r.path.endswith(f"/{token}/callback")


def _final_edit(token: str) -> Any:
    """The deferred placeholder edited into the answer (a status line first has no embeds nor files)."""
    return lambda r: (
        r.method == "PATCH"
        and r.path == f"/webhooks/{APPLICATION_ID}/{token}/messages/@original"
        and bool(r.body.get("embeds") or r.files or (r.body.get("content") or "").strip())
    )


async def answer_to(fake: FakeDiscord, token: str, timeout: float = 60) -> Answer:
    """What the bot answered to the interaction `token`: its message, or the deferred placeholder's edit."""
    callback: Recorded = await fake.wait_for(_callback(token), timeout=timeout)
    kind = callback.body["type"]
    data = callback.body.get("data") or {}
    private = bool(data.get("flags", 0) & EPHEMERAL)
    if kind != DEFERRED:
        return Answer(data, private, callback.files, kind)
    edited = await fake.wait_for(_final_edit(token), timeout=timeout)
    return Answer(edited.body, private, edited.files, kind)


async def posted_in(fake: FakeDiscord, channel_id: str, after: int = 0, timeout: float = 30) -> Answer:
    """The first message the bot posted in channel `channel_id` (a thread) after the `after`-th one."""

    def nth(record: Recorded) -> bool:
        return record.method == "POST" and record.path == f"/channels/{channel_id}/messages"

    await fake.wait_for(lambda r: sum(1 for x in fake.requests if nth(x)) > after, timeout=timeout)
    record = [r for r in fake.requests if nth(r)][after]
    return Answer(record.body, False, record.files)
