"""Streaks count local days: 23:30 and 00:30 in the learner's time zone are two days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.progress.streaks import streak_from_days, streak_from_times

KOLKATA = "Asia/Kolkata"  # UTC+05:30


def _utc(local_iso: str, offset_minutes: int) -> datetime:
    return datetime.fromisoformat(local_iso).replace(tzinfo=UTC) - timedelta(minutes=offset_minutes)


def test_2330_and_0030_local_are_two_days() -> None:
    late = _utc("2025-03-10T23:30", 330)
    early = _utc("2025-03-11T00:30", 330)
    assert late.date() == early.date()  # the same day in UTC ...
    streak = streak_from_times([late, early], early, KOLKATA)
    assert streak.current == 2 and streak.active_today  # ... but two days in Kolkata


def test_same_utc_moments_are_one_day_where_the_clock_is_behind() -> None:
    late = _utc("2025-03-10T23:30", 330)
    early = _utc("2025-03-11T00:30", 330)
    # 18:00 and 19:00 UTC are the same day in London.
    assert streak_from_times([late, early], early, "Europe/London").current == 1


def test_streak_survives_until_the_end_of_today() -> None:
    today = date(2025, 3, 12)
    days = [date(2025, 3, 10), date(2025, 3, 11)]
    streak = streak_from_days(days, today)
    assert (streak.current, streak.active_today) == (2, False)
    assert streak_from_days(days, today + timedelta(days=1)).current == 0


def test_longest_streak_remembers_the_past() -> None:
    days = [date(2025, 1, d) for d in (1, 2, 3, 4, 10, 11)]
    streak = streak_from_days(days, date(2025, 1, 11))
    assert (streak.current, streak.longest) == (2, 4)


def test_unknown_time_zone_falls_back_to_the_default() -> None:
    moment = _utc("2025-03-10T23:30", 330)
    assert streak_from_times([moment], moment, "Mars/Olympus") == streak_from_times([moment], moment, KOLKATA)
