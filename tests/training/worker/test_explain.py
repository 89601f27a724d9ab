"""Explanations from curves alone: pace, flatness, overfitting and when a run disappoints."""

from __future__ import annotations

import math

from bot.training.spec import make_spec
from bot.training.worker import explain
from bot.training.worker.explain import RunFacts


def test_pace_is_high_while_falling_and_zero_on_a_plateau() -> None:
    falling = [1.0 - 0.01 * i for i in range(50)]
    assert explain.pace(falling) >= explain.STILL_FALLING
    settled = [1.0 / (1 + i) for i in range(100)] + [0.01] * 100
    assert explain.pace(settled) == 0.0
    assert explain.pace([1.0, 0.5]) == 0.0  # too short to have an end


def test_flat_means_the_second_half_moved_less_than_one_percent() -> None:
    assert explain.is_flat([0.9, 0.5, 0.477, 0.4771, 0.4770, 0.4770])
    assert not explain.is_flat([0.9, 0.7, 0.6, 0.5, 0.4, 0.3])
    assert explain.flat_since([0.9, 0.5, 0.4771, 0.4770, 0.4770]) == 3


def test_a_bounce_of_the_test_loss_without_the_training_loss_falling_is_not_overfitting() -> None:
    train = [1.0, 0.5, 0.30, 0.29, 0.29]
    test = [1.0, 0.5, 0.30, 0.35, 0.40]
    assert explain.overfitting(RunFacts(train, test)) is None
    falling = [1.0, 0.5, 0.30, 0.2, 0.1]
    note = explain.overfitting(RunFacts(falling, test))
    assert note is not None and note.code == "overfitting" and "epoch 3" in note.text.en


def test_a_tiny_rise_in_a_tiny_loss_is_not_overfitting() -> None:
    train = [1.0, 0.1, 0.01, 0.001, 0.0001]
    test = [1.0, 0.1, 0.001, 0.0015, 0.002]  # doubled, but by 0.001
    assert explain.overfitting(RunFacts(train, test)) is None


def test_a_diverged_or_non_finite_test_curve_is_not_read_as_overfitting() -> None:
    train, test = [1.0, 0.5, 0.2, 0.1], [1.0, 0.5, 0.6, math.nan]
    assert explain.overfitting(RunFacts(train, test)) is None
    assert explain.overfitting(RunFacts(train, [1.0, 0.5, 0.9, 0.9], diverged_at=4)) is None


def test_what_disappoints_a_classifier_and_a_regression() -> None:
    xor, line = make_spec("xor"), make_spec("linear")
    assert explain.disappointing(xor, RunFacts([0.7, 0.5], accuracy=0.75))
    assert not explain.disappointing(xor, RunFacts([0.7, 0.5], accuracy=0.95))
    assert explain.disappointing(line, RunFacts([4.0, 1.0]))
    assert not explain.disappointing(line, RunFacts([4.0, 0.04]))


def test_every_note_is_written_in_both_languages_with_every_value_filled_in() -> None:
    spec = make_spec("xor", hidden=1, activation="sigmoid", lr=1)
    facts = RunFacts([0.7] + [0.477] * 99, accuracy=0.75, stuck_units=1, hidden_units=1)
    notes = [
        explain.crawling(spec, facts),
        explain.too_few_epochs(spec, facts),
        explain.stuck(spec, facts),
        explain.stuck(spec.replace(activation="relu"), facts),
        explain.too_few_hidden(spec, facts),
        explain.plateau(spec, facts),
    ]
    for note in notes:
        for text in (note.text.en, note.text.hi):
            assert text and "{" not in text and "}" not in text, text
        assert "75 %" in note.text.en and "75 %" in note.text.hi
