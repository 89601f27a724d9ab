"""Small data-access helpers shared by the quiz, review and progress services.

Every helper takes an open session (or transaction) and leaves committing to the caller, so a service
can record an answer, its XP and its review card in one transaction. The `_tx` variants take a
`bot.db.prepared.Tx` (units of work run by `bot.db.runner.Runner`); the others an `AsyncSession`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from bot.db.base import Base, utcnow
from bot.db.models import DEFAULT_TIMEZONE, GuildMember, Learner, XpEvent
from bot.db.prepared import Statement, Tx
from bot.errors import NotFound

DEFAULT_DISPLAY_NAME = "learner"


def insert_ignore_sync(
    session: Session, model: type[Base], values: dict[str, Any], conflict: Sequence[str]
) -> bool:
    """INSERT a row unless one with the same `conflict` columns exists; True when inserted.

    Uses ON CONFLICT DO NOTHING, so two concurrent inserts never raise an IntegrityError.
    """
    connection = session.connection()
    statement = _insert_ignore_statement(model.__table__, connection.dialect.name, tuple(conflict))
    return bool(connection.execute(statement, values).rowcount)


@lru_cache(maxsize=64)
def _insert_ignore_statement(table: Any, dialect: str, conflict: tuple[str, ...]) -> Any:
    make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return make_insert(table).on_conflict_do_nothing(index_elements=list(conflict))


def insert_ignore_statement(table: Table, columns: Sequence[str], conflict: Sequence[str]) -> Statement:
    """A prepared INSERT of `columns` (parameters named like them) that does nothing on a `conflict`."""

    def build(dialect: str) -> Executable:
        make_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values: dict[str, Any] = {name: bindparam(name) for name in columns}
        return make_insert(table).values(values).on_conflict_do_nothing(index_elements=list(conflict))

    return Statement(build)


async def insert_ignore(
    session: AsyncSession, model: type[Base], values: dict[str, Any], conflict: Sequence[str]
) -> bool:
    """`insert_ignore_sync` on an async session."""
    return await session.run_sync(insert_ignore_sync, model, values, conflict)


async def ensure_learner(
    session: AsyncSession, learner_id: int, display_name: str | None = None, now: datetime | None = None
) -> Learner:
    """The learner with this Discord id, created on first sight; a new display name is remembered."""
    learner = await session.get(Learner, learner_id)
    if learner is None:
        values: dict[str, Any] = {
            "id": learner_id,
            "display_name": (display_name or DEFAULT_DISPLAY_NAME)[:100],
            "language": None,
            "timezone": DEFAULT_TIMEZONE,
            "created_at": now or utcnow(),
        }
        await insert_ignore(session, Learner, values, ["id"])
        learner = await session.get(Learner, learner_id, populate_existing=True)
        assert learner is not None  # inserted above, or by a concurrent task
    elif display_name and learner.display_name != display_name[:100]:
        learner.display_name = display_name[:100]
    return learner


async def require_learner(session: AsyncSession, learner_id: int) -> Learner:
    """The learner with this id, or a NotFound domain error."""
    learner = await session.get(Learner, learner_id)
    if learner is None:
        raise NotFound(
            "learner.not_found",
            "I don't know you yet: open a lesson or start a quiz first.",
            "मैं आपको अभी नहीं जानता: पहले कोई lesson खोलें या quiz शुरू करें।",
            learner_id=learner_id,
        )
    return learner


async def join_guild(session: AsyncSession, learner_id: int, guild_id: int, now: datetime) -> bool:
    """Record that the learner learns in this guild; True when new."""
    return await insert_ignore(
        session,
        GuildMember,
        {"guild_id": guild_id, "learner_id": learner_id, "joined_at": now},
        ["guild_id", "learner_id"],
    )


_XP_COLUMNS = ("learner_id", "kind", "amount", "ref", "dedupe", "created_at")
_XP_INSERT = insert_ignore_statement(XpEvent.__table__, _XP_COLUMNS, ["learner_id", "dedupe"])  # type: ignore[arg-type]
_LEARNERS: Table = Learner.__table__  # type: ignore[assignment]
_LEARNER_INSERT = insert_ignore_statement(
    _LEARNERS, ("id", "display_name", "language", "timezone", "created_at"), ["id"]
)
_LEARNER_RENAME = Statement(
    update(_LEARNERS)
    .where(_LEARNERS.c.id == bindparam("p_id"), _LEARNERS.c.display_name != bindparam("p_name"))
    .values(display_name=bindparam("p_name"))
)


def _xp_values(
    learner_id: int, kind: str, amount: int, now: datetime, ref: str | None, dedupe: str | None
) -> dict[str, object]:
    """The columns of one XP event, shared by the unit-of-work and the async-session paths."""
    return {
        "learner_id": learner_id,
        "kind": kind,
        "amount": amount,
        "ref": ref,
        "dedupe": dedupe,
        "created_at": now,
    }


def add_xp_tx(
    tx: Tx,
    learner_id: int,
    kind: str,
    amount: int,
    now: datetime,
    ref: str | None = None,
    dedupe: str | None = None,
) -> int:
    """Record an XP event; with `dedupe`, only the first event with that key counts. Returns XP added."""
    values = _xp_values(learner_id, kind, amount, now, ref, dedupe)
    # A NULL dedupe never conflicts (NULLs are distinct in a unique constraint on both backends).
    return amount if tx.run(_XP_INSERT, values) else 0


def ensure_learner_tx(tx: Tx, learner_id: int, display_name: str | None, now: datetime) -> None:
    """`ensure_learner` inside a unit of work: create on first sight, remember a new display name."""
    name = (display_name or DEFAULT_DISPLAY_NAME)[:100]
    values = {
        "id": learner_id,
        "display_name": name,
        "language": None,
        "timezone": DEFAULT_TIMEZONE,
        "created_at": now,
    }
    if not tx.run(_LEARNER_INSERT, values) and display_name:
        tx.run(_LEARNER_RENAME, {"p_id": learner_id, "p_name": name})


async def add_xp(
    session: AsyncSession,
    learner_id: int,
    kind: str,
    amount: int,
    now: datetime,
    ref: str | None = None,
    dedupe: str | None = None,
) -> int:
    """Record an XP event on an async session; with `dedupe`, only the first counts. Returns XP added."""
    values = _xp_values(learner_id, kind, amount, now, ref, dedupe)
    inserted = await insert_ignore(session, XpEvent, values, ["learner_id", "dedupe"])
    return amount if inserted else 0


async def learner_ids_in(session: AsyncSession, guild_id: int) -> list[int]:
    """Ids of the learners who learn in this guild."""
    rows = await session.scalars(select(GuildMember.learner_id).where(GuildMember.guild_id == guild_id))
    return list(rows)
