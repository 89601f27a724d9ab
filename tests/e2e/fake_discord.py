"""A tiny fake Discord on 127.0.0.1: just enough REST and gateway for the real bot process to run.

It speaks the wire protocol discord.py speaks (JSON over HTTP, JSON text frames over a WebSocket),
records every request, and lets a test push INTERACTION_CREATE events and wait for the bot's answers.

It shards as Discord does: /gateway/bot recommends `shard_count` shards, each gateway connection names
its shard [id, count] in IDENTIFY (a connection that names none is shard [0, 1]), and an event of a
server goes only to the connection whose shard is (guild_id >> 22) % count; an event of no server (a
DM) goes to shard 0.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APPLICATION_ID = 900_000_000_000_000_001
BOT_USER_ID = 900_000_000_000_000_001
OWNER_ID = 900_000_000_000_000_002
_ids = itertools.count(910_000_000_000_000_000)


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly application/json (no charset)
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def snowflake() -> str:
    """A fresh, increasing snowflake id."""
    return str(next(_ids))


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    """A Discord user object."""
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def dm_interaction(
    kind: int, token: str, data: dict[str, Any], user: dict[str, Any], dm_channel: int, **extra: Any
) -> dict[str, Any]:
    """An INTERACTION_CREATE payload from `user` in a DM (channel `dm_channel`) with the bot; `extra`
    keys replace the payload's (a server's guild_id and channel_id make it a server's)."""
    return {
        "id": snowflake(),
        "application_id": str(APPLICATION_ID),
        "type": kind,
        "token": token,
        "version": 1,
        "data": data,
        "channel_id": str(dm_channel),
        "channel": {"id": str(dm_channel), "type": 1},
        "user": user,
        "locale": "en-US",
        "app_permissions": "0",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "context": 1,
        "attachment_size_limit": 26214400,
        **extra,
    }


@dataclass
class _Shard:
    """One identified gateway connection: the shard it named and the sequence of what it was sent."""

    socket: web.WebSocketResponse
    id: int
    count: int
    sequence: int = 0


@dataclass
class Recorded:
    """One request the bot made: method, path, JSON body (or payload_json) and uploaded files."""

    method: str
    path: str
    body: Any
    files: dict[str, bytes] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


class FakeDiscord:
    """The fake API and gateway; `await start()`, then point the bot at `api_base` and `gateway_url`."""

    def __init__(self, shard_count: int = 1) -> None:
        self.shard_count = shard_count  # what /gateway/bot recommends
        self.requests: list[Recorded] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.identified = asyncio.Event()  # some shard identified
        self.identify_payload: dict[str, Any] | None = None  # the latest IDENTIFY
        self.identify_payloads: dict[int, dict[str, Any]] = {}  # shard id -> its IDENTIFY
        self.delivered: list[tuple[int, str, dict[str, Any]]] = []  # (shard id, event, data) sent
        self.heartbeats = 0
        # called with each request as it is recorded: a benchmark waiting on many answers reads each once
        self.listeners: list[Callable[[Recorded], None]] = []
        self._changed = asyncio.Condition()
        self._shards: dict[int, _Shard] = {}  # shard id -> its identified connection
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.uploads: dict[str, bytes] = {}  # attachment id -> the file a learner attached
        self.threads: list[dict[str, Any]] = []  # threads the bot opened
        self.channel_guilds: dict[str, str] = {}  # channel id -> its server's id (for threads in it)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        app.router.add_get("/cdn/{id}/{filename}", self._cdn)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert isinstance(server, asyncio.Server)
        self.port = server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Close the socket and stop listening."""
        for shard in list(self._shards.values()):
            if not shard.socket.closed:
                await shard.socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ------------------------------------------------------------------ gateway
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            frame = json.loads(message.data)
            if frame["op"] == 1:
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif frame["op"] == 2:
                shard_id, count = frame["d"].get("shard") or (0, 1)
                if not 0 <= shard_id < count:
                    await ws.close(code=4010, message=b"Invalid shard")  # as Discord closes it
                    break
                shard = self._shards[shard_id] = _Shard(ws, shard_id, count)
                self.identify_payload = self.identify_payloads[shard_id] = frame["d"]
                await self._send(shard, "READY", self._ready(shard))
                self.identified.set()
                async with self._changed:
                    self._changed.notify_all()
        return ws

    async def wait_identified(self, shard_id: int, *, timeout: float) -> dict[str, Any]:
        """The IDENTIFY of shard `shard_id`, waiting for it up to `timeout` seconds."""

        async def identified() -> dict[str, Any]:
            async with self._changed:
                await self._changed.wait_for(lambda: shard_id in self.identify_payloads)
            return self.identify_payloads[shard_id]

        return await asyncio.wait_for(identified(), timeout)

    def _ready(self, shard: _Shard) -> dict[str, Any]:
        return {
            "v": 10,
            "user": user_payload(BOT_USER_ID, "TutorBot", bot=True),
            "guilds": [],
            "session_id": f"fake-session-{shard.id}",
            "resume_gateway_url": self.gateway_url,
            "shard": [shard.id, shard.count],
            "application": {"id": str(APPLICATION_ID), "flags": 0},
        }

    def shard_of(self, data: dict[str, Any]) -> _Shard:
        """The connected shard that receives an event about `data`: its server's, or shard 0 (a DM)."""
        guild_id = data.get("guild_id")
        for shard in self._shards.values():
            if guild_id is None and shard.id == 0:
                return shard
            if guild_id is not None and (int(guild_id) >> 22) % shard.count == shard.id:
                return shard
        raise AssertionError(f"no connected shard receives events of guild {guild_id} (DMs: shard 0)")

    async def dispatch(self, event: str, data: dict[str, Any], *, shard: int | None = None) -> None:
        """Send one DISPATCH frame to the connected shard the event belongs to (or to `shard`: another
        process of the bot, as a button press reaches one after a restart moved the job elsewhere)."""
        await self._send(self.shard_of(data) if shard is None else self._shards[shard], event, data)

    async def _send(self, shard: _Shard, event: str, data: dict[str, Any]) -> None:
        shard.sequence += 1
        frame = {"op": 0, "t": event, "s": shard.sequence, "d": data}
        self.delivered.append((shard.id, event, data))
        await shard.socket.send_str(json.dumps(frame))

    # ------------------------------------------------------------------ REST
    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: dict[str, bytes] = {}
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                name = getattr(part, "name", None) or ""
                data = await part.read()  # type: ignore[union-attr]
                if name == "payload_json":
                    body = json.loads(data)
                else:
                    filename = getattr(part, "filename", None) or name
                    files[filename] = bytes(data)
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        record = Recorded(request.method, path, body, files, dict(request.headers))
        async with self._changed:
            self.requests.append(record)
            self._changed.notify_all()
        for listener in self.listeners:
            listener(record)
        return self._answer(request.method, path, body)

    async def _cdn(self, request: web.Request) -> web.Response:
        data = self.uploads.get(request.match_info["id"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    def attachment(self, filename: str, data: bytes) -> dict[str, Any]:
        """An attachment object for an interaction's resolved data, its bytes served from the fake CDN."""
        attachment_id = snowflake()
        self.uploads[attachment_id] = data
        url = f"http://127.0.0.1:{self.port}/cdn/{attachment_id}/{filename}"
        return {"id": attachment_id, "filename": filename, "size": len(data), "url": url, "proxy_url": url}

    def _thread(self, parent_id: str, body: dict[str, Any]) -> dict[str, Any]:
        thread = {
            "id": snowflake(),
            "type": body.get("type", 11),
            "guild_id": self.channel_guilds.get(parent_id, "1"),
            "parent_id": parent_id,
            "owner_id": str(BOT_USER_ID),
            "name": body["name"],
            "message_count": 0,
            "member_count": 1,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": body.get("auto_archive_duration", 1440),
                "archive_timestamp": "2026-01-01T00:00:00+00:00",
                "locked": False,
            },
        }
        self.threads.append(thread)
        return thread

    def _answer(self, method: str, path: str, body: Any) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        if path == "/users/@me":
            return _json(user_payload(BOT_USER_ID, "TutorBot", bot=True))
        if path == "/oauth2/applications/@me":
            return _json(self._application())
        if path in ("/gateway", "/gateway/bot"):
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": self.shard_count,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 1000,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if parts[0] == "applications" and parts[-1] == "commands" and method == "GET":
            return _json(self.commands.get("global" if len(parts) == 3 else parts[3], []))
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            scope = "global" if len(parts) == 3 else parts[3]
            synced = [{**cmd, "id": snowflake(), "application_id": str(APPLICATION_ID)} for cmd in body]
            for cmd in synced:
                cmd.setdefault("version", "1")
                cmd.setdefault("type", 1)
                cmd.setdefault("default_member_permissions", None)
            self.commands[scope] = synced
            return _json(synced)
        if parts[0] == "interactions" and parts[-1] == "callback":
            return _json({"interaction": {"id": parts[1], "type": 2}})
        if parts[0] == "webhooks" and method in ("POST", "PATCH", "GET"):
            return _json(self._message(body or {}))
        if parts[0] == "channels" and parts[-1] == "threads" and method == "POST":
            return _json(self._thread(parts[1], body or {}), status=201)
        if parts[0] == "channels" and len(parts) == 2 and method == "GET":
            known = [t for t in self.threads if t["id"] == parts[1]]
            if known:
                return _json(known[0])
        if parts[0] == "channels" and len(parts) == 4 and parts[2] == "thread-members" and method == "PUT":
            return web.Response(status=204)
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            return _json(self._message({**(body or {}), "channel_id": parts[1]}))
        if parts[0] == "channels" and len(parts) == 4 and parts[2] == "messages" and method == "PATCH":
            return _json(self._message({**(body or {}), "channel_id": parts[1]}))
        if parts[0] == "webhooks" and method == "DELETE":
            return web.Response(status=204)
        return _json({"message": f"fake Discord has no {method} {path}", "code": 0}, status=404)

    def _application(self) -> dict[str, Any]:
        return {
            "id": str(APPLICATION_ID),
            "name": "TutorBot",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_payload(OWNER_ID, "owner"),
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def _message(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": snowflake(),
            "channel_id": body.get("channel_id", "1"),
            "author": user_payload(BOT_USER_ID, "TutorBot", bot=True),
            "content": body.get("content") or "",
            "timestamp": "2026-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", 0),
        }

    # ------------------------------------------------------------------ waiting
    async def wait_for(self, predicate: Any, *, timeout: float) -> Recorded:
        """The first recorded request matching `predicate`, waiting for it up to `timeout` seconds."""

        async def scan() -> Recorded:
            async with self._changed:
                while True:
                    for record in self.requests:
                        if predicate(record):
                            return record
                    await self._changed.wait()

        return await asyncio.wait_for(scan(), timeout)
