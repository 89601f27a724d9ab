"""A learner's stats summary with a chart-ready 30-day series (accuracy and XP per local day)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.progress.mastery import Mastery
from bot.progress.streaks import Streak, local_day

SERIES_DAYS = 30


@dataclass(frozen=True)
class DayPoint:
    """One local day of activity."""

    day: date
    answered: int
    correct: int
    xp: int

    @property
    def accuracy(self) -> float | None:
        """Share right that day; None on a day without answers (a gap in the chart, not a zero)."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class Stats:
    """Everything the progress command shows."""

    learner_id: int
    display_name: str
    total_xp: int
    week_xp: int
    streak: Streak
    answered: int
    correct: int
    lessons_completed: list[str]
    mastery: list[Mastery]
    reviews_due: int
    training_runs: int
    series: list[DayPoint] = field(default_factory=list)  # oldest first, ending today (local)

    @property
    def accuracy(self) -> float | None:
        """Share of all answers that were right."""
        return self.correct / self.answered if self.answered else None

    def chart_data(self) -> dict[str, list[str] | list[float | None] | list[int]]:
        """The 30-day series as plain lists, ready for a plotting worker."""
        return {
            "days": [point.day.isoformat() for point in self.series],
            "accuracy": [point.accuracy for point in self.series],
            "xp": [point.xp for point in self.series],
        }


def daily_series(
    answers: Iterable[tuple[datetime, bool]],
    xp_events: Iterable[tuple[datetime, int]],
    now: datetime,
    tz: ZoneInfo,
    days: int = SERIES_DAYS,
) -> list[DayPoint]:
    """Per local day for the last `days` days (today included): answers, right answers, XP."""
    today = local_day(now, tz)
    first = today - timedelta(days=days - 1)
    answered: dict[date, int] = defaultdict(int)
    correct: dict[date, int] = defaultdict(int)
    earned: dict[date, int] = defaultdict(int)
    for moment, right in answers:
        day = local_day(moment, tz)
        answered[day] += 1
        correct[day] += int(right)
    for moment, amount in xp_events:
        earned[local_day(moment, tz)] += amount
    return [
        DayPoint(day, answered[day], correct[day], earned[day])
        for day in (first + timedelta(days=offset) for offset in range(days))
    ]
