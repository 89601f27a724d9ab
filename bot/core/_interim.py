"""Database look-ups the services will provide (the one-write-path work adds them); removed at merge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import Learner, LessonProgress, ReviewCard

_LOCALES: dict[int, str] = {}


async def note_locale(
    sessions: async_sessionmaker[AsyncSession], learner_id: int, locale: str | None
) -> None:
    """Remember the learner's client locale (in memory until the column exists)."""
    if locale:
        _LOCALES[learner_id] = locale


async def language_for(
    sessions: async_sessionmaker[AsyncSession],
    learner_id: int,
    client_locale: str | None,
    guild_locale: str | None,
    default: str,
) -> str:
    """Stored choice, else a Hindi client locale (given or remembered), else a Hindi guild, else default."""
    async with sessions() as db:
        learner = await db.get(Learner, learner_id)
    if learner is not None and learner.language in ("hi", "en", "both"):
        return learner.language
    locale = client_locale or _LOCALES.get(learner_id)
    if locale and locale.lower().startswith("hi"):
        return "hi"
    if guild_locale and guild_locale.lower().startswith("hi"):
        return "hi"
    return default


async def last_read(sessions: async_sessionmaker[AsyncSession], learner_id: int) -> tuple[str, int] | None:
    """The lesson read most recently and a page in it (the furthest, until last_page exists)."""
    async with sessions() as db:
        row = (
            await db.execute(
                select(LessonProgress.lesson_id, LessonProgress.page)
                .where(LessonProgress.learner_id == learner_id)
                .order_by(LessonProgress.updated_at.desc())
                .limit(1)
            )
        ).first()
    return (str(row[0]), int(row[1])) if row is not None else None


async def outlook(sessions: async_sessionmaker[AsyncSession], learner_id: int) -> tuple[int, datetime | None]:
    """Cards scheduled and the earliest due."""
    async with sessions() as db:
        row = (
            await db.execute(
                select(func.count(), func.min(ReviewCard.due)).where(ReviewCard.learner_id == learner_id)
            )
        ).one()
    return int(row[0] or 0), row[1]
