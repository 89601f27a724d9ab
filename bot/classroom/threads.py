"""Each learner's own thread in a channel, for servers whose replies go to "a thread per learner":
which thread the bot opened for whom, so it is opened once and reused (also after a restart)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.base import utcnow
from bot.db.models import LearnerThread


class ThreadBook:
    """Remembers the thread opened for a learner in a channel."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._sessions = sessions
        self._clock = clock

    async def thread_of(self, channel_id: int, learner_id: int) -> int | None:
        """The id of the learner's thread in this channel, if one was opened."""
        async with self._sessions() as db:
            row = await db.get(LearnerThread, (channel_id, learner_id))
            return row.thread_id if row is not None else None

    async def remember(self, guild_id: int, channel_id: int, learner_id: int, thread_id: int) -> None:
        """Record the thread just opened for the learner in this channel (replacing one that is gone)."""
        async with self._sessions() as db, db.begin():
            await db.execute(
                delete(LearnerThread).where(
                    LearnerThread.channel_id == channel_id, LearnerThread.learner_id == learner_id
                )
            )
            db.add(
                LearnerThread(
                    channel_id=channel_id,
                    learner_id=learner_id,
                    guild_id=guild_id,
                    thread_id=thread_id,
                    created_at=self._clock(),
                )
            )
