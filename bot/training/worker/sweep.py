"""The learning-rate sweep: lesson 5's table (too small → slow, right → fast & stable, too large →
overshooting / unstable) made live — one problem trained at several rates from the same start.

All rates train together in one batched job (see batched.py). Each run gets a verdict measured from its
own loss curve, so the labels on the picture say what actually happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from bot.errors import InvalidRequest
from bot.i18n import Bilingual, join, tr
from bot.training.results import OptimizerRun, SweepRun
from bot.training.spec import MAX_LR, TrainSpec
from bot.training.worker.batched import train_together

# per optimizer, measured on XOR (tests/training/worker check it): a too-small rate (slow), the default
# (fast and stable, lowest final loss) and a too-large one (diverges). Between the default and the
# diverging rate XOR's loss ends *lower* (bigger steps grow the logits), so no rate there would show
# overshooting.
DEFAULT_RATES: dict[str, tuple[float, ...]] = {
    "sgd": (0.01, 0.5, 10.0),
    "momentum": (0.002, 0.1, 5.0),
    "rmsprop": (0.0002, 0.01, 0.3),
    "adam": (0.001, 0.05, 3.0),
}
# the notes' y = 2x, where a too-large rate really bounces around the minimum and ends higher
DATASET_RATES: dict[str, dict[str, tuple[float, ...]]] = {
    "linear": {"sgd": (0.01, 0.1, 0.3), "momentum": (0.001, 0.01, 0.5), "rmsprop": (0.0003, 0.003, 0.1)},
}
MAX_RATES = 5
OVERSHOOT_RISE = 1.05  # the loss climbing 5 % above where it started means a step overshot
RISE = 1e-3  # an epoch counts as rising when the loss grows by more than 0.1 % (not float jitter)
UNSTABLE_SHARE = 0.1  # rising on more than 10 % of epochs means it bounces around the minimum
GOOD_MARGIN = 1.5  # ending within 1.5× of the lowest smooth run counts as reaching the same place
SLOW_FACTOR = 3.0  # needing 3× the epochs of the best run to reach the target counts as slow


def bounces(losses: Sequence[float]) -> bool:
    """Whether the loss climbed above its start or kept rising and falling: steps overshoot the minimum."""
    rises = sum(1 for before, after in pairwise(losses) if after > before * (1 + RISE))
    climbed = max(losses[1:], default=losses[0]) > OVERSHOOT_RISE * losses[0]
    return climbed or rises > UNSTABLE_SHARE * len(losses)


def verdicts(runs: Sequence[OptimizerRun]) -> list[str]:
    """What each run's loss curve shows, measured against the others.

    diverged: the loss blew up. overshooting: it bounced (climbed or kept rising), or a larger rate than
    the best ended clearly higher. good: smooth and ending within GOOD_MARGIN of the lowest smooth run,
    not SLOW_FACTOR× slower to the target. slow: a smaller rate than the best that ended higher or later.
    """
    smooth = [r for r in runs if not r.diverged and not bounces(r.train_losses)]
    best = min(smooth, key=lambda r: r.final_loss) if smooth else None
    out = []
    for run in runs:
        if run.diverged:
            out.append("diverged")
        elif best is None or bounces(run.train_losses):
            out.append("overshooting")
        elif run is best or _as_good(run, best):
            out.append("good")
        else:
            out.append("slow" if run.lr < best.lr else "overshooting")
    return out


def _as_good(run: OptimizerRun, best: OptimizerRun) -> bool:
    if run.final_loss > GOOD_MARGIN * best.final_loss:
        return False
    if best.epochs_to_target is None:
        return True
    return run.epochs_to_target is not None and run.epochs_to_target <= SLOW_FACTOR * best.epochs_to_target


def default_rates(spec: TrainSpec) -> tuple[float, ...]:
    """The rates a sweep of `spec` tries when the learner names none."""
    return DATASET_RATES.get(spec.dataset, {}).get(spec.optimizer, DEFAULT_RATES[spec.optimizer])


def check_rates(rates: Sequence[float]) -> tuple[float, ...]:
    """Rates sorted ascending; refused unless 2 to 5 distinct values in (0, 10 × MAX_LR]."""
    unique = tuple(sorted({float(r) for r in rates}))
    if not 2 <= len(unique) <= MAX_RATES or not all(0 < r <= MAX_LR * 10 for r in unique):
        raise InvalidRequest("sweep_rates", max=MAX_RATES, top=MAX_LR * 10)
    return unique


def sweep(spec: TrainSpec, rates: Sequence[float] | None = None) -> list[SweepRun]:
    """Train `spec` at each rate (default: `default_rates(spec)`) and label every curve by what it did."""
    chosen = check_rates(default_rates(spec) if rates is None else rates)
    result = train_together(spec, [(spec.optimizer, lr) for lr in chosen])
    return [SweepRun(run, v) for run, v in zip(result.runs, verdicts(result.runs), strict=True)]


def sweep_lines(runs: Sequence[SweepRun]) -> list[Bilingual]:
    """One line per rate: what it did, and its final loss (or where it blew up)."""
    lines = []
    for item in runs:
        run = item.run
        tail = f"epoch {run.diverged_at}" if run.diverged else f"final loss {run.final_loss:.3g}"
        verdict = tr(f"train.sweep_{item.verdict}")
        lines.append(join([f"lr = {run.lr:g}: ", verdict, f" ({tail})"], sep=""))
    return lines
