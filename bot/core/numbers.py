"""Numbers as learners read them, the same in every reply."""

from __future__ import annotations


def number(value: float | None, digits: int = 4) -> str:
    """A float for people: 4 significant digits, '—' for None."""
    return "—" if value is None else f"{value:.{digits}g}"


def percent(value: float | None) -> str:
    """0.75 → '75 %' ('—' when there is nothing to count, e.g. regression)."""
    return "—" if value is None else f"{100 * value:.0f} %"


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def place(rank: int) -> str:
    """A place on a board: a medal for the first three, else '4.'."""
    return MEDALS.get(rank, f"{rank}.")
