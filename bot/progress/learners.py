"""Learners: who they are, their language, Discord locale and time zone, and the servers they learn in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repository
from bot.db.base import utcnow
from bot.db.models import GuildMember, Learner
from bot.errors import InvalidRequest
from bot.log import get_logger

log = get_logger(__name__)

LANGUAGES = ("hi", "en", "both")
# A Discord locale ("hi", "en-US", "es-419"); anything else is not stored.
LOCALE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
MAX_LOCALE = 16
LOCALE_CACHE_SIZE = 10_000  # learners whose stored locale this process remembers


@dataclass(frozen=True)
class LearnerInfo:
    """A learner as the front doors need them."""

    id: int
    display_name: str
    language: str | None  # hi / en / both; None until chosen
    timezone: str
    locale: str | None = None  # the Discord client's locale last seen
    private_replies: bool = False  # their runs and quizzes answered privately


def _info(learner: Learner) -> LearnerInfo:
    return LearnerInfo(
        learner.id,
        learner.display_name,
        learner.language,
        learner.timezone,
        learner.locale,
        bool(learner.private_replies),
    )


def is_hindi(locale: str | None) -> bool:
    """True for a Hindi locale ("hi", "hi-IN"), whatever its case."""
    return locale is not None and locale.split("-", 1)[0].lower() == "hi"


def check_timezone(name: str) -> str:
    """`name` when it is an IANA time zone (e.g. Asia/Kolkata); InvalidRequest otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise InvalidRequest("learner.bad_timezone", timezone=name) from err
    return name


def check_language(language: str) -> str:
    """`language` when it is hi, en or both; InvalidRequest otherwise."""
    if language not in LANGUAGES:
        raise InvalidRequest("learner.bad_language", language=language)
    return language


class LearnerService:
    """Create learners on first sight and keep their preferences."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        # learner id -> the locale stored for them, so an unchanged locale costs no database call.
        # (Another bot process may change it meanwhile; then this one writes again only on a change
        # it sees itself, which is the locale the learner's client sends now.)
        self._locales: dict[int, str] = {}

    async def ensure(
        self, learner_id: int, display_name: str | None = None, guild_id: int | None = None
    ) -> LearnerInfo:
        """The learner, created on first sight (a changed display name is remembered); with a guild,
        also that they learn in it, under this name there (for its leaderboard and class report)."""
        now = self._clock()
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, display_name, now)
            if guild_id is not None:
                await repository.join_guild(db, learner_id, guild_id, now, display_name)
            return _info(learner)

    async def get(self, learner_id: int) -> LearnerInfo | None:
        """The learner, or None when never seen."""
        async with self._sessions() as db:
            learner = await db.get(Learner, learner_id)
            return _info(learner) if learner else None

    async def set_language(
        self, learner_id: int, language: str, display_name: str | None = None
    ) -> LearnerInfo:
        """Remember the preferred language: hi, en or both (the learner is created when new)."""
        check_language(language)
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, display_name, self._clock())
            learner.language = language
            return _info(learner)

    async def set_private_replies(
        self, learner_id: int, private: bool, display_name: str | None = None
    ) -> LearnerInfo:
        """Remember whether the learner's runs and quizzes are answered privately (created when new)."""
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, display_name, self._clock())
            learner.private_replies = private
            return _info(learner)

    async def note_locale(self, learner_id: int, locale: str | None) -> None:
        """Remember the learner's Discord client locale when it changed (cheap: called on every command).

        None (not known, e.g. a message rather than a command) and values that are no locale change nothing.
        """
        if locale is None or self._locales.get(learner_id) == locale:
            return
        if len(locale) > MAX_LOCALE or not LOCALE.fullmatch(locale):
            log.debug("not a locale, not stored: %r", locale)
            return
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, None, self._clock())
            if learner.locale != locale:
                learner.locale = locale
        if len(self._locales) >= LOCALE_CACHE_SIZE:
            self._locales.clear()
        self._locales[learner_id] = locale

    async def language_for(
        self,
        learner_id: int,
        client_locale: str | None = None,
        guild_locale: str | None = None,
        default: str = "en",
        server_language: str | None = None,
    ) -> str:
        """The language to answer in: the learner's stored choice, else the language the server's teachers
        chose (`server_language`), else 'hi' for a Hindi client locale (`client_locale`, or the stored one
        when not given, e.g. on a mention or DM), else 'hi' for a Hindi server locale, else `default`."""
        return self._language(
            await self.get(learner_id), client_locale, guild_locale, default, server_language
        )

    async def choices(
        self,
        learner_id: int,
        client_locale: str | None = None,
        guild_locale: str | None = None,
        default: str = "en",
        server_language: str | None = None,
    ) -> tuple[str, bool]:
        """`language_for`'s language and whether the learner asked for private replies, in one read."""
        learner = await self.get(learner_id)
        language = self._language(learner, client_locale, guild_locale, default, server_language)
        return language, learner is not None and learner.private_replies

    @staticmethod
    def _language(
        learner: LearnerInfo | None,
        client_locale: str | None,
        guild_locale: str | None,
        default: str,
        server_language: str | None,
    ) -> str:
        if learner is not None and learner.language in LANGUAGES:
            return learner.language
        if server_language is not None and server_language in LANGUAGES:
            return server_language
        if client_locale is None and learner is not None:
            client_locale = learner.locale
        if is_hindi(client_locale) or is_hindi(guild_locale):
            return "hi"
        return default

    async def set_timezone(self, learner_id: int, timezone: str) -> LearnerInfo:
        """Remember the learner's IANA time zone (streaks count days in it)."""
        check_timezone(timezone)
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, None, self._clock())
            learner.timezone = timezone
            return _info(learner)

    async def join_guild(self, learner_id: int, guild_id: int, display_name: str | None = None) -> bool:
        """Record that the learner learns in this server (for its leaderboard); True when new."""
        now = self._clock()
        async with self._sessions() as db, db.begin():
            await repository.ensure_learner(db, learner_id, display_name, now)
            return await repository.join_guild(db, learner_id, guild_id, now, display_name)

    async def share_progress(self, learner_id: int, guild_id: int, share: bool) -> None:
        """Let others in server `guild_id` see the learner's progress (or stop letting them)."""
        now = self._clock()
        async with self._sessions() as db, db.begin():
            await repository.ensure_learner(db, learner_id, None, now)
            await repository.join_guild(db, learner_id, guild_id, now)
            await db.execute(
                update(GuildMember)
                .where(GuildMember.guild_id == guild_id, GuildMember.learner_id == learner_id)
                .values(shares_progress=share)
            )

    async def shares_progress(self, learner_id: int, guild_id: int) -> bool:
        """Whether the learner lets others in server `guild_id` see their progress."""
        async with self._sessions() as db:
            member = await db.get(GuildMember, (guild_id, learner_id))
            return bool(member is not None and member.shares_progress)
