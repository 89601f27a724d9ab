"""Leaderboards per Discord server (guild): XP earned in that server this week, this month or of all time.

A week starts on Monday at midnight and a month on its first day at midnight, both in the server's time
zone (a class in India sees its board turn over at midnight IST, not UTC). Only XP earned in the
server counts, and the names are the ones the learners have there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import DEFAULT_TIMEZONE, GuildMember, Learner, XpEvent
from bot.errors import InvalidRequest
from bot.progress.streaks import zone

Period = Literal["week", "month", "all"]
PERIODS: tuple[str, ...] = ("week", "month", "all")


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
    since: datetime | None = None  # where the period began (None: all time)


def rank(totals: Sequence[tuple[int, str, int]]) -> list[LeaderRow]:
    """Rows in order of XP (then id), with competition ranking: 100, 80, 80, 50 → 1, 2, 2, 4."""
    ordered = sorted(totals, key=lambda row: (-row[2], row[0]))
    rows: list[LeaderRow] = []
    for index, (learner_id, name, xp) in enumerate(ordered):
        place = rows[-1].rank if rows and rows[-1].xp == xp else index + 1
        rows.append(LeaderRow(place, learner_id, name, xp))
    return rows


def period_start(period: str, now: datetime, timezone: str = DEFAULT_TIMEZONE) -> datetime | None:
    """When `period` began at `now` in `timezone`: Monday 00:00 ('week'), the 1st 00:00 ('month'), None
    ('all'); InvalidRequest for any other period."""
    if period not in PERIODS:
        raise InvalidRequest("progress.bad_period", period=period)
    if period == "all":
        return None
    # ZoneInfo arithmetic is on the wall clock: the offset is that of the local midnight reached
    local = now.astimezone(zone(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight - timedelta(days=local.weekday()) if period == "week" else midnight.replace(day=1)


async def leaderboard(
    db: AsyncSession,
    guild_id: int,
    period: str,
    now: datetime,
    limit: int = 10,
    learner_id: int | None = None,
    timezone: str = DEFAULT_TIMEZONE,
) -> Leaderboard:
    """The guild's leaderboard for `period` ('week', 'month' or 'all'), from XP earned in the guild."""
    since = period_start(period, now, timezone)
    joined = and_(XpEvent.learner_id == Learner.id, XpEvent.guild_id == guild_id)
    if since is not None:
        joined = and_(joined, XpEvent.created_at >= since)
    total = func.coalesce(func.sum(XpEvent.amount), 0)
    name = func.coalesce(GuildMember.display_name, Learner.display_name)
    query = (
        select(Learner.id, name, total)
        .join(GuildMember, GuildMember.learner_id == Learner.id)
        .outerjoin(XpEvent, joined)
        .where(GuildMember.guild_id == guild_id)
        .group_by(Learner.id, name)
    )
    rows = rank([(int(i), str(n), int(x)) for i, n, x in (await db.execute(query)).all()])
    you = next((row for row in rows if row.learner_id == learner_id), None)
    return Leaderboard(guild_id=guild_id, period=period, rows=rows[:limit], you=you, since=since)
