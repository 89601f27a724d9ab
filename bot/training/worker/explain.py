"""Why a run turned out as it did, told from measured facts (texts in content/strings/train.yaml).

Plain Python (no torch), so the runner, the jobs and the tests share one wording. Each explanation is
a `RunNote` with a stable `code` the front doors may key on:

- 'diverged': the loss blew up (the learning rate overshoots);
- 'too_slow': the learning rate is below the usual one and the loss barely moved or is still crawling;
- 'too_few_epochs': the loss was still falling fast when training stopped;
- 'saturated' / 'dead_units': most hidden sigmoid/tanh units sit at a flat end of their curve, or most
  ReLU units output 0, at every training point, so no gradient reaches them and the loss is flat;
- 'too_few_hidden': the loss settled short of the goal and the narrowest hidden layer has fewer units
  than the problem needs (one unit draws one straight line);
- 'plateau': the loss is flat short of the goal with none of the causes above (a poor start);
- 'not_separable': a perceptron on a set no straight line can split;
- 'overfitting': the test loss turned and rose while the training loss kept falling.

Only runs that disappoint get a 'too_…'/'saturated'/'plateau' note: a classifier below 90 % accuracy,
a regression that did not cut its loss by 90 %. Overfitting is told whenever the test curve shows it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Bilingual, join, tr
from bot.training.results import RunNote
from bot.training.spec import DEFAULT_EPOCHS, DEFAULT_HIDDEN, MAX_EPOCHS, TrainSpec, default_lr

BARELY_MOVED = 0.05  # the loss fell by less than 5 % of where it started: training hardly happened
COLLAPSE_MARGIN = 0.05  # every predicted probability within 0.05 of "don't know" counts as collapsed
NOT_SEPARABLE = ("xor", "circles", "moons", "spiral")  # sets no straight line can split
GOOD_ACCURACY = 0.9  # below this a classifier disappoints
GOAL_FRACTION = 0.1  # a regression disappoints until its loss is below 10 % of where it started
RECENT_FRACTION = 0.2  # the end of a run whose pace is measured: its last 20 % of epochs
STILL_FALLING = 0.5  # falling at the end at half (or more) of the run's average pace: not finished
FLAT = 0.01  # the loss changed by less than 1 % over the run's second half: it stopped moving
STUCK_SLOPE = 0.05  # a unit whose slope stays below 5 % of its activation's largest, at every point
OVERFIT_RISE = 0.2  # the test loss ended 20 % (or more) above its lowest point
OVERFIT_MIN_RISE = 0.01  # … and by at least this much, so noise in a tiny loss is not "overfitting"
KEPT_FALLING = 0.2  # … while the training loss fell by 20 % (or more) after the test loss's best epoch
# the narrowest one-hidden-layer tanh network (Adam, default settings) that reaches 90 % on most of
# seeds 0-4 (measured: xor 2, circles 3, moons 3, spiral 4); the other sets are linearly separable
HIDDEN_NEEDED: dict[str, int] = {"xor": 2, "circles": 3, "moons": 3, "spiral": 4}


@dataclass(frozen=True)
class RunFacts:
    """What the runner measured about a finished run: plain numbers, no torch."""

    losses: Sequence[float]  # training loss per epoch (up to the divergence, if any)
    test_losses: Sequence[float] | None = None  # the same on held-out points; None without a test set
    diverged_at: int | None = None  # 1-based epoch where the loss blew up
    accuracy: float | None = None  # test accuracy when points were held out, else training; None: regression
    collapsed: bool = False  # the classifier ended at chance probability for every point
    stuck_units: int = 0  # hidden units saturated (sigmoid, tanh) or dead (relu) at every training point
    hidden_units: int = 0  # hidden units in all


def _g(value: float) -> str:
    return f"{value:.3g}" if math.isfinite(value) else "∞/NaN"


def _accuracy(facts: RunFacts) -> Bilingual:
    """The accuracy as a note quotes it (' (accuracy 75 %)'), or nothing for a regression."""
    if facts.accuracy is None:
        return Bilingual.same("")
    return tr("train.note_accuracy", accuracy=f"{facts.accuracy * 100:.0f} %")


def disappointing(spec: TrainSpec, facts: RunFacts) -> bool:
    """Whether the run fell short: a classifier below 90 % accuracy, a regression above 10 % of its start."""
    losses = facts.losses
    if not losses or not all(math.isfinite(x) for x in (losses[0], losses[-1])):
        return False
    if spec.task != "regression":
        return facts.accuracy is not None and facts.accuracy < GOOD_ACCURACY
    return losses[-1] > GOAL_FRACTION * losses[0]


def recent_window(losses: Sequence[float]) -> int:
    """How many of the last epochs count as the run's end (at least 2)."""
    return max(2, round(len(losses) * RECENT_FRACTION))


def pace(losses: Sequence[float]) -> float:
    """How fast the loss fell over the run's end, as a share of its average fall per epoch (0 if it rose)."""
    n = len(losses)
    window = recent_window(losses)
    if n <= window:
        return 0.0
    overall = (losses[0] - losses[-1]) / (n - 1)
    recent = (losses[-1 - window] - losses[-1]) / window
    if overall <= 0 or recent <= 0:
        return 0.0
    return recent / overall


def is_flat(losses: Sequence[float]) -> bool:
    """Whether the loss stopped moving: it changed by less than 1 % over the run's second half."""
    if len(losses) < 4:
        return False
    middle, final = losses[len(losses) // 2], losses[-1]
    return abs(middle - final) <= FLAT * max(abs(final), 1e-12)


def flat_since(losses: Sequence[float]) -> int:
    """The 1-based epoch from which the loss stayed within 1 % of its final value."""
    final = losses[-1]
    since = len(losses)
    for index in range(len(losses) - 1, -1, -1):
        if abs(losses[index] - final) > FLAT * max(abs(final), 1e-12):
            break
        since = index + 1
    return since


def diverged(spec: TrainSpec, epoch: int, start: float, peak: float) -> RunNote:
    """Why the loss blew up (the learning rate overshoots), with a rate to try."""
    usual = default_lr(spec.optimizer, spec.dataset)
    suggested = usual if usual < spec.lr else spec.lr / 10
    text = tr(
        "train.note_diverged",
        epoch=epoch,
        start=_g(start),
        peak=_g(peak),
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
        start=_g(start),
        final=_g(final),
        fell=f"{max(fell, 0.0) * 100:.2g} %",
        lr=f"{spec.lr:g}",
        usual=f"{usual:g}",
        table=tr("train.lr_table"),
    )
    return RunNote("too_slow", text)


def crawling(spec: TrainSpec, facts: RunFacts) -> RunNote:
    """The loss still falls, slowly, because the learning rate is below the usual one."""
    losses = facts.losses
    text = tr(
        "train.note_crawling",
        epochs=len(losses),
        start=_g(losses[0]),
        final=_g(losses[-1]),
        accuracy=_accuracy(facts),
        lr=f"{spec.lr:g}",
        usual=f"{default_lr(spec.optimizer, spec.dataset):g}",
        optimizer=spec.optimizer,
        table=tr("train.lr_table"),
    )
    return RunNote("too_slow", text)


def too_few_epochs(spec: TrainSpec, facts: RunFacts) -> RunNote:
    """The loss was still falling fast when the epochs ran out."""
    losses = facts.losses
    window = recent_window(losses)
    suggested = min(MAX_EPOCHS, max(DEFAULT_EPOCHS, 4 * spec.epochs))
    text = tr(
        "train.note_too_few_epochs",
        epochs=len(losses),
        start=_g(losses[0]),
        final=_g(losses[-1]),
        window=window,
        recent=_g(losses[-1 - window] - losses[-1]),
        accuracy=_accuracy(facts),
        suggested=suggested,
    )
    return RunNote("too_few_epochs", text)


def stuck(spec: TrainSpec, facts: RunFacts) -> RunNote:
    """Most hidden units saturated (sigmoid, tanh) or dead (relu): no gradient reaches their weights."""
    usual = default_lr(spec.optimizer, spec.dataset)
    dead = spec.activation == "relu"
    if spec.lr > usual:
        cure = tr("train.cure_lower_lr", lr=f"{spec.lr:g}", usual=f"{usual:g}")
    else:
        cure = tr("train.cure_leaky_relu" if dead else "train.cure_relu")
    text = tr(
        "train.note_dead_units" if dead else "train.note_saturated",
        final=_g(facts.losses[-1]),
        accuracy=_accuracy(facts),
        stuck=facts.stuck_units,
        units=facts.hidden_units,
        activation=spec.activation,
        cure=cure,
    )
    return RunNote("dead_units" if dead else "saturated", text)


def too_few_hidden(spec: TrainSpec, facts: RunFacts) -> RunNote:
    """The narrowest hidden layer has fewer units than the problem needs."""
    width = min(spec.hidden)
    text = tr(
        "train.note_too_few_hidden",
        final=_g(facts.losses[-1]),
        accuracy=_accuracy(facts),
        width=width,
        reason=tr(f"train.hidden_needed_{spec.dataset}"),
        suggested=max(DEFAULT_HIDDEN[0], 2 * HIDDEN_NEEDED[spec.dataset]),
    )
    return RunNote("too_few_hidden", text)


def plateau(spec: TrainSpec, facts: RunFacts) -> RunNote:
    """The loss is flat short of the goal with no saturated unit and enough of them: a poor start."""
    text = tr(
        "train.note_plateau",
        final=_g(facts.losses[-1]),
        since=flat_since(facts.losses),
        accuracy=_accuracy(facts),
        seed=spec.seed + 1,
    )
    return RunNote("plateau", text)


def overfitting(facts: RunFacts) -> RunNote | None:
    """A note when the test loss turned and rose while the training loss kept falling, else None."""
    test, train = facts.test_losses, facts.losses
    if facts.diverged_at is not None or not test or len(test) != len(train) or len(test) < 3:
        return None
    if not all(math.isfinite(x) for x in test):
        return None
    best = min(range(len(test)), key=test.__getitem__)
    low, final = test[best], test[-1]
    rise = final - low
    if best == len(test) - 1 or rise < OVERFIT_RISE * low or rise < OVERFIT_MIN_RISE:
        return None
    if not train[-1] <= (1 - KEPT_FALLING) * train[best]:
        return None  # the training loss did not keep falling: a bounce, not overfitting
    text = tr(
        "train.note_overfitting",
        best=best + 1,
        best_test=_g(low),
        final_test=_g(final),
        train_at_best=_g(train[best]),
        final_train=_g(train[-1]),
    )
    return RunNote("overfitting", text)


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


def _shortfall(spec: TrainSpec, facts: RunFacts) -> RunNote | None:
    """Why a network with hidden layers fell short: too few epochs or too small a rate (still falling),
    stuck units, too few units, or a plateau; None when it did not fall short."""
    if not disappointing(spec, facts):
        return None
    losses = facts.losses
    if pace(losses) >= STILL_FALLING:
        small = spec.lr < default_lr(spec.optimizer, spec.dataset)
        return crawling(spec, facts) if small else too_few_epochs(spec, facts)
    if facts.hidden_units and is_flat(losses) and 2 * facts.stuck_units >= facts.hidden_units:
        return stuck(spec, facts)
    if spec.hidden and min(spec.hidden) < HIDDEN_NEEDED.get(spec.dataset, 1):
        return too_few_hidden(spec, facts)
    if is_flat(losses):
        return plateau(spec, facts)
    return None


def explain_run(spec: TrainSpec, facts: RunFacts) -> tuple[RunNote, ...]:
    """Every explanation the run calls for, most fundamental first."""
    losses = facts.losses
    notes: list[RunNote | None] = []
    if facts.diverged_at is not None:
        notes.append(diverged(spec, facts.diverged_at, losses[0], losses[-1]))
    else:
        slow = too_slow(spec, losses)
        notes.append(slow)
        if slow is None and spec.model == "mlp":
            stuck_note = _shortfall(spec, facts)
            notes.append(stuck_note)
            if stuck_note is not None and stuck_note.code in ("saturated", "dead_units"):
                # stuck units and a layer too narrow are both true of "one dead ReLU on XOR"
                narrow = min(spec.hidden) < HIDDEN_NEEDED.get(spec.dataset, 1)
                notes.append(too_few_hidden(spec, facts) if narrow else None)
    notes.append(not_separable(spec, facts.accuracy, facts.collapsed))
    notes.append(overfitting(facts))
    return tuple(note for note in notes if note is not None)
