"""Why a run turned out as it did, told from measured facts (texts in content/strings/train.yaml).

Plain Python (no torch), so the runner, the jobs and the tests share one wording. Each explanation is
a `RunNote` with a stable `code` ('diverged', 'too_slow', 'not_separable') the front doors may key on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.i18n import join, tr
from bot.training.results import RunNote
from bot.training.spec import TrainSpec, default_lr

BARELY_MOVED = 0.05  # the loss fell by less than 5 % of where it started: training hardly happened
COLLAPSE_MARGIN = 0.05  # every predicted probability within 0.05 of "don't know" counts as collapsed
NOT_SEPARABLE = ("xor", "circles", "moons", "spiral")  # sets no straight line can split


def diverged(spec: TrainSpec, epoch: int, start: float, peak: float) -> RunNote:
    """Why the loss blew up (the learning rate overshoots), with a rate to try."""
    usual = default_lr(spec.optimizer, spec.dataset)
    suggested = usual if usual < spec.lr else spec.lr / 10
    text = tr(
        "train.note_diverged",
        epoch=epoch,
        start=f"{start:.3g}",
        peak=f"{peak:.3g}" if math.isfinite(peak) else "∞/NaN",
        lr=f"{spec.lr:g}",
        optimizer=spec.optimizer,
        suggested=f"{suggested:g}",
        table=tr("train.lr_table"),
    )
    return RunNote("diverged", text)


def too_slow(spec: TrainSpec, losses: Sequence[float]) -> RunNote | None:
    """A note when the loss barely moved and the learning rate is below the usual one, else None."""
    usual = default_lr(spec.optimizer, spec.dataset)
    start, final = losses[0], losses[-1]
    if spec.lr >= usual or not (math.isfinite(start) and math.isfinite(final)) or start <= 0:
        return None
    fell = (start - final) / start
    if fell >= BARELY_MOVED:
        return None
    text = tr(
        "train.note_too_slow",
        epochs=len(losses),
        start=f"{start:.3g}",
        final=f"{final:.3g}",
        fell=f"{max(fell, 0.0) * 100:.2g} %",
        lr=f"{spec.lr:g}",
        usual=f"{usual:g}",
        table=tr("train.lr_table"),
    )
    return RunNote("too_slow", text)


def collapsed(probabilities: Sequence[float], n_classes: int) -> bool:
    """Whether every predicted class probability sits at chance (1 / classes, give or take 0.05)."""
    chance = 1.0 / max(n_classes, 2)
    return bool(probabilities) and all(abs(p - chance) < COLLAPSE_MARGIN for p in probabilities)


def not_separable(spec: TrainSpec, accuracy: float | None, is_collapsed: bool) -> RunNote | None:
    """For a perceptron on a set no straight line can split: why it fails, and what fixes it."""
    if spec.model != "perceptron" or spec.dataset not in NOT_SEPARABLE or accuracy is None:
        return None
    acc = f"{accuracy * 100:.0f} %"
    parts = [tr("train.note_not_separable", reason=tr(f"train.not_separable_{spec.dataset}"), accuracy=acc)]
    if is_collapsed:
        parts.append(tr("train.note_collapsed", accuracy=acc))
    parts.append(tr("train.note_add_hidden", dataset=spec.dataset))
    return RunNote("not_separable", join(parts, " "))


def explain_run(
    spec: TrainSpec, losses: Sequence[float], diverged_at: int | None, accuracy: float | None, flat: bool
) -> tuple[RunNote, ...]:
    """Every explanation the run calls for: divergence, a rate too small to move, a line that cannot work."""
    notes: list[RunNote] = []
    if diverged_at is not None:
        notes.append(diverged(spec, diverged_at, losses[0], losses[-1]))
    else:
        slow = too_slow(spec, losses)
        if slow is not None:
            notes.append(slow)
    separable = not_separable(spec, accuracy, flat)
    if separable is not None:
        notes.append(separable)
    return tuple(notes)
