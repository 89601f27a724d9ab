"""Leaderboards per Discord server (guild): XP this week (the last 7 days) or of all time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import GuildMember, Learner, XpEvent
from bot.errors import InvalidRequest

Period = Literal["week", "all"]
PERIODS: tuple[str, ...] = ("week", "all")


@dataclass(frozen=True)
class LeaderRow:
    """One place on a leaderboard (equal XP shares a rank)."""

    rank: int
    learner_id: int
    display_name: str
    xp: int


@dataclass(frozen=True)
class Leaderboard:
    """The top learners of a guild, and the asking learner's own row when given."""

    guild_id: int
    period: str
    rows: list[LeaderRow]
    you: LeaderRow | None


def rank(totals: Sequence[tuple[int, str, int]]) -> list[LeaderRow]:
    """Rows in order of XP (then id), with competition ranking: 100, 80, 80, 50 → 1, 2, 2, 4."""
    ordered = sorted(totals, key=lambda row: (-row[2], row[0]))
    rows: list[LeaderRow] = []
    for index, (learner_id, name, xp) in enumerate(ordered):
        place = rows[-1].rank if rows and rows[-1].xp == xp else index + 1
        rows.append(LeaderRow(place, learner_id, name, xp))
    return rows


async def leaderboard(
    db: AsyncSession,
    guild_id: int,
    period: str,
    now: datetime,
    limit: int = 10,
    learner_id: int | None = None,
) -> Leaderboard:
    """The guild's leaderboard for `period` ('week' or 'all')."""
    if period not in PERIODS:
        raise InvalidRequest("progress.bad_period", period=period)
    joined = XpEvent.learner_id == Learner.id
    if period == "week":
        joined = and_(joined, XpEvent.created_at >= now - timedelta(days=7))
    total = func.coalesce(func.sum(XpEvent.amount), 0)
    query = (
        select(Learner.id, Learner.display_name, total)
        .join(GuildMember, GuildMember.learner_id == Learner.id)
        .outerjoin(XpEvent, joined)
        .where(GuildMember.guild_id == guild_id)
        .group_by(Learner.id, Learner.display_name)
    )
    rows = rank([(int(i), str(n), int(x)) for i, n, x in (await db.execute(query)).all()])
    you = next((row for row in rows if row.learner_id == learner_id), None)
    return Leaderboard(guild_id=guild_id, period=period, rows=rows[:limit], you=you)
