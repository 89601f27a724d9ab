"""Learners: who they are, their language and time zone, and the servers they learn in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import repository
from bot.db.base import utcnow
from bot.db.models import Learner
from bot.errors import InvalidRequest

LANGUAGES = ("hi", "en", "both")


@dataclass(frozen=True)
class LearnerInfo:
    """A learner as the front doors need them."""

    id: int
    display_name: str
    language: str | None  # hi / en / both; None until chosen
    timezone: str


def _info(learner: Learner) -> LearnerInfo:
    return LearnerInfo(learner.id, learner.display_name, learner.language, learner.timezone)


def check_timezone(name: str) -> str:
    """`name` when it is an IANA time zone (e.g. Asia/Kolkata); InvalidRequest otherwise."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise InvalidRequest(
            "learner.bad_timezone",
            f"{name!r} is not a time zone I know. Try a name like Asia/Kolkata or Europe/London.",
            f"{name!r} कोई जाना-पहचाना time zone नहीं है। Asia/Kolkata या Europe/London जैसा नाम लिखें।",
            timezone=name,
        ) from err
    return name


class LearnerService:
    """Create learners on first sight and keep their preferences."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def ensure(self, learner_id: int, display_name: str | None = None) -> LearnerInfo:
        """The learner, created on first sight (a changed display name is remembered)."""
        async with self._sessions() as db, db.begin():
            return _info(await repository.ensure_learner(db, learner_id, display_name, self._clock()))

    async def get(self, learner_id: int) -> LearnerInfo | None:
        """The learner, or None when never seen."""
        async with self._sessions() as db:
            learner = await db.get(Learner, learner_id)
            return _info(learner) if learner else None

    async def set_language(self, learner_id: int, language: str) -> LearnerInfo:
        """Remember the preferred language: hi, en or both."""
        if language not in LANGUAGES:
            raise InvalidRequest(
                "learner.bad_language",
                "Choose hi, en or both.",
                "hi, en या both में से चुनें।",
                language=language,
            )
        async with self._sessions() as db, db.begin():
            learner = await repository.ensure_learner(db, learner_id, None, self._clock())
            learner.language = language
            return _info(learner)

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
            return await repository.join_guild(db, learner_id, guild_id, now)
