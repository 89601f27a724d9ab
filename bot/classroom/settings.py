"""Per-server settings: what a server's teachers chose, stored in the database and cached in memory.

A server is served by one bot process (shards split servers), so the cache is only ever stale for
writes this process made itself, and those replace the cached value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import DEFAULT_TIMEZONE, GuildSettings
from bot.errors import InvalidRequest
from bot.progress.learners import LANGUAGES, check_timezone

Replies = Literal["public", "private", "thread"]
REPLIES: tuple[Replies, ...] = ("public", "private", "thread")
CACHE_SIZE = 50_000  # servers whose settings this process remembers


@dataclass(frozen=True)
class ServerSettings:
    """A server's choices; `ServerSettings(guild_id)` is what a server that chose nothing gets."""

    guild_id: int
    language: str | None = None  # hi / en / both for learners who chose none; None: their client's
    # public; private (only the asker sees them); thread: a learner's long work (training runs, quizzes)
    # in a thread of their own in the channel, the rest public
    replies: Replies = "public"
    training: bool = True  # /train, /compare, /sweep allowed
    leaderboard: bool = True
    teacher_role: int | None = None  # members with this role are teachers, besides Manage Server
    timezone: str = DEFAULT_TIMEZONE  # leaderboards' weeks and months, due dates, the report's times

    def is_teacher(self, manage_server: bool, role_ids: frozenset[int]) -> bool:
        """Whether a member with these permissions and roles is one of this server's teachers."""
        return manage_server or (self.teacher_role is not None and self.teacher_role in role_ids)


CHANGEABLE = tuple(f.name for f in fields(ServerSettings) if f.name != "guild_id")


def checked(settings: ServerSettings, changes: dict[str, Any]) -> ServerSettings:
    """`settings` with `changes` applied; InvalidRequest (nothing changed) for an unknown setting or value."""
    for name, value in changes.items():
        if name not in CHANGEABLE:
            raise InvalidRequest("teacher.unknown_setting", name=name)
        if name == "language" and value is not None and value not in LANGUAGES:
            raise InvalidRequest("learner.bad_language", language=value)
        if name == "replies" and value not in REPLIES:
            raise InvalidRequest("teacher.bad_replies", value=value)
        if name == "timezone":
            check_timezone(str(value))
        if name in ("training", "leaderboard") and not isinstance(value, bool):
            raise InvalidRequest("teacher.bad_switch", name=name)
    return replace(settings, **changes)


def _of(row: GuildSettings) -> ServerSettings:
    replies = row.replies if row.replies in REPLIES else "public"
    return ServerSettings(
        guild_id=row.guild_id,
        language=row.language,
        replies=replies,
        training=row.training,
        leaderboard=row.leaderboard,
        teacher_role=row.teacher_role_id,
        timezone=row.timezone,
    )


class SettingsService:
    """Read (cached) and change a server's settings."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._cache: dict[int, ServerSettings] = {}

    async def get(self, guild_id: int) -> ServerSettings:
        """The server's settings (the defaults when it chose nothing); read from the database once."""
        cached = self._cache.get(guild_id)
        if cached is not None:
            return cached
        async with self._sessions() as db:
            row = await db.get(GuildSettings, guild_id)
            found = _of(row) if row is not None else ServerSettings(guild_id)
        self._remember(found)
        return found

    def cached(self, guild_id: int | None) -> ServerSettings | None:
        """The server's settings if this process has read them (every request reads them first)."""
        return self._cache.get(guild_id) if guild_id is not None else None

    async def change(self, guild_id: int, **changes: Any) -> ServerSettings:
        """Apply `changes` (checked first: a bad value changes nothing) and store the result."""
        new = checked(await self.get(guild_id), changes)
        async with self._sessions() as db, db.begin():
            row = await db.get(GuildSettings, guild_id)
            if row is None:
                row = GuildSettings(guild_id=guild_id)
                db.add(row)
            row.language = new.language
            row.replies = new.replies
            row.training = new.training
            row.leaderboard = new.leaderboard
            row.teacher_role_id = new.teacher_role
            row.timezone = new.timezone
            row.updated_at = self._clock()
        self._remember(new)
        return new

    def _remember(self, settings: ServerSettings) -> None:
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[settings.guild_id] = settings
