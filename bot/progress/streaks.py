"""Daily streaks, counted in the learner's own time zone (23:30 and 00:30 local are two days)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.db.models import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class Streak:
    """Consecutive days with any activity."""

    current: int  # ends today, or yesterday when today has no activity yet
    longest: int
    active_today: bool


def zone(name: str | None) -> ZoneInfo:
    """The IANA time zone `name`, falling back to the default for unknown names."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar day of `moment` in `tz`."""
    return moment.astimezone(tz).date()


def streak_from_days(days: Iterable[date], today: date) -> Streak:
    """The streak given the local days with activity."""
    active = set(days)
    longest = run = 0
    previous: date | None = None
    for day in sorted(active):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    cursor = today if today in active else today - timedelta(days=1)
    while cursor in active:
        current += 1
        cursor -= timedelta(days=1)
    return Streak(current=current, longest=longest, active_today=today in active)


def streak_from_times(times: Iterable[datetime], now: datetime, tz_name: str | None) -> Streak:
    """The streak given activity timestamps (UTC) and the learner's time zone."""
    tz = zone(tz_name)
    return streak_from_days((local_day(t, tz) for t in times), local_day(now, tz))
