"""Shared drawing rules: a one-line label is broken where a picture needs two lines."""

from __future__ import annotations

from bot.training.worker.draw.style import two_lines


def test_a_label_breaks_at_the_clause_mark_nearest_its_middle() -> None:
    assert two_lines("slope 0.01: small, but never dead") == "slope 0.01: small,\nbut never dead"
    assert two_lines("confidently wrong: BCE punishes hardest") == "confidently wrong:\nBCE punishes hardest"


def test_without_a_clause_mark_a_label_breaks_at_the_middle_space() -> None:
    assert two_lines("5. Repeat for every epoch until the loss is small") == (
        "5. Repeat for every epoch\nuntil the loss is small"
    )
    assert two_lines("one") == "one"
