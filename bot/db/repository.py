"""Small data-access helpers shared by the quiz, review and progress services.

Every helper takes an open `AsyncSession` and leaves committing to the caller, so a service can record
an answer, its XP and its review card in one transaction (`async with sessions() as db, db.begin():`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import CursorResult, Result, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import Base, utcnow
from bot.db.models import DEFAULT_TIMEZONE, GuildMember, Learner, XpEvent
from bot.errors import NotFound

DEFAULT_DISPLAY_NAME = "learner"
MAX_DISPLAY_NAME = 100


def rows_changed(result: Result[Any]) -> int:
    """How many rows an INSERT, UPDATE or DELETE changed."""
    assert isinstance(result, CursorResult)  # statements without RETURNING give a cursor result
    return result.rowcount


async def insert_ignore(
    session: AsyncSession, model: type[Base], values: dict[str, Any], conflict: Sequence[str]
) -> bool:
    """INSERT a row unless one with the same `conflict` columns exists; True when inserted.

    Uses ON CONFLICT DO NOTHING, so two concurrent inserts never raise an IntegrityError.
    """
    statement = _insert_ignore(model.__table__, session.get_bind().dialect.name, tuple(conflict))
    return bool(rows_changed(await session.execute(statement, values)))


@lru_cache(maxsize=64)
def _insert_ignore(table: Any, dialect: str, conflict: tuple[str, ...]) -> Any:
    """The INSERT … ON CONFLICT DO NOTHING of a table, built once (its values come as parameters)."""
    if dialect != "postgresql":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    # imported here: only a PostgreSQL database pays for its dialect (~0.1 s of every console start)
    from sqlalchemy.dialects import postgresql

    return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(conflict))


async def ensure_learner(
    session: AsyncSession, learner_id: int, display_name: str | None = None, now: datetime | None = None
) -> Learner:
    """The learner with this Discord id, created on first sight; a new display name is remembered."""
    learner = await session.get(Learner, learner_id)
    if learner is None:
        values: dict[str, Any] = {
            "id": learner_id,
            "display_name": (display_name or DEFAULT_DISPLAY_NAME)[:MAX_DISPLAY_NAME],
            "language": None,
            "timezone": DEFAULT_TIMEZONE,
            "created_at": now or utcnow(),
        }
        await insert_ignore(session, Learner, values, ["id"])
        learner = await session.get(Learner, learner_id, populate_existing=True)
        assert learner is not None  # inserted above, or by a concurrent task
    elif display_name and learner.display_name != display_name[:MAX_DISPLAY_NAME]:
        learner.display_name = display_name[:MAX_DISPLAY_NAME]
    return learner


async def require_learner(session: AsyncSession, learner_id: int) -> Learner:
    """The learner with this id, or a NotFound domain error."""
    learner = await session.get(Learner, learner_id)
    if learner is None:
        raise NotFound("learner.not_found", learner_id=learner_id)
    return learner


async def join_guild(
    session: AsyncSession, learner_id: int, guild_id: int, now: datetime, display_name: str | None = None
) -> bool:
    """Record that the learner learns in this guild (and their name there, when given); True when new."""
    name = display_name[:MAX_DISPLAY_NAME] if display_name else None
    values = {"guild_id": guild_id, "learner_id": learner_id, "joined_at": now, "display_name": name}
    if await insert_ignore(session, GuildMember, values, ["guild_id", "learner_id"]):
        return True
    if name is not None:
        await session.execute(
            update(GuildMember)
            .where(
                GuildMember.guild_id == guild_id,
                GuildMember.learner_id == learner_id,
                GuildMember.display_name.is_distinct_from(name),
            )
            .values(display_name=name)
        )
    return False


async def add_xp(
    session: AsyncSession,
    learner_id: int,
    kind: str,
    amount: int,
    now: datetime,
    ref: str | None = None,
    dedupe: str | None = None,
    guild_id: int | None = None,
) -> int:
    """Record an XP event earned in `guild_id` (None: a DM); with `dedupe`, only the first event with that
    key counts. Returns XP added."""
    values = {
        "learner_id": learner_id,
        "guild_id": guild_id,
        "kind": kind,
        "amount": amount,
        "ref": ref,
        "dedupe": dedupe,
        "created_at": now,
    }
    # A NULL dedupe never conflicts (NULLs are distinct in a unique constraint on both backends).
    inserted = await insert_ignore(session, XpEvent, values, ["learner_id", "dedupe"])
    return amount if inserted else 0


async def learner_ids_in(session: AsyncSession, guild_id: int) -> list[int]:
    """Ids of the learners who learn in this guild."""
    rows = await session.scalars(select(GuildMember.learner_id).where(GuildMember.guild_id == guild_id))
    return list(rows)
