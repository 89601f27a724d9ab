"""The learning-rate sweep: the notes' table (too small → slow, right → fast & stable, too large →
overshooting / unstable) made live — one problem trained at several rates from the same start.

All rates train together in one batched job (see compare.py). Each run gets a verdict measured from its
own loss curve, so the labels on the picture say what actually happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from bot.errors import InvalidRequest
from bot.training.compare import CompareRun, train_together
from bot.training.spec import MAX_LR, TrainSpec

# per optimizer: a too-small rate, the default, and one or two too-large ones (measured on XOR)
DEFAULT_RATES: dict[str, tuple[float, ...]] = {
    "sgd": (0.01, 0.5, 5.0, 10.0),
    "momentum": (0.002, 0.1, 5.0),
    "rmsprop": (0.0002, 0.01, 0.1, 0.3),
    "adam": (0.001, 0.05, 1.0, 3.0),
}
MAX_RATES = 5
OVERSHOOT_RISE = 1.05  # the loss climbing 5 % above where it started means a step overshot
UNSTABLE_SHARE = 0.1  # rising on more than 10 % of epochs means it bounces around the minimum
SLOW_FACTOR = 3.0  # needing 3× the epochs of the best stable rate counts as slow


@dataclass
class SweepRun:
    """One learning rate's run and what it shows: 'slow', 'good', 'overshooting' or 'diverged'."""

    run: CompareRun
    verdict: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the run's numbers plus its verdict."""
        return {**self.run.to_dict(), "verdict": self.verdict}


def verdict(run: CompareRun, best_epochs: int | None) -> str:
    """What a run's loss curve shows, relative to the fastest stable run (`best_epochs` to the target)."""
    if run.diverged:
        return "diverged"
    losses = run.train_losses
    rises = sum(1 for before, after in pairwise(losses) if after > before)
    climbed = max(losses[1:], default=losses[0]) > OVERSHOOT_RISE * losses[0]
    if climbed or rises > UNSTABLE_SHARE * len(losses):
        return "overshooting"
    if run.epochs_to_target is None:
        return "slow"
    if best_epochs is not None and run.epochs_to_target > SLOW_FACTOR * best_epochs:
        return "slow"
    return "good"


def _is_stable(run: CompareRun) -> bool:
    return verdict(run, None) in ("good", "slow")


def check_rates(rates: Sequence[float]) -> tuple[float, ...]:
    """Rates sorted ascending; refused unless 2 to 5 distinct values in (0, MAX_LR]."""
    unique = tuple(sorted({float(r) for r in rates}))
    if not 2 <= len(unique) <= MAX_RATES or not all(0 < r <= MAX_LR * 10 for r in unique):
        raise InvalidRequest(
            "sweep_rates",
            f"A sweep needs 2 to {MAX_RATES} different learning rates above 0 and at most {MAX_LR * 10:g}.",
            f"Sweep के लिए 0 से बड़े और {MAX_LR * 10:g} तक के 2 से {MAX_RATES} अलग learning rates चाहिए।",
        )
    return unique


def sweep(spec: TrainSpec, rates: Sequence[float] | None = None) -> list[SweepRun]:
    """Train `spec` at each rate (default: DEFAULT_RATES for its optimizer) and label every curve."""
    chosen = check_rates(DEFAULT_RATES[spec.optimizer] if rates is None else rates)
    result = train_together(spec, [(spec.optimizer, lr) for lr in chosen])
    stable = [r.epochs_to_target for r in result.runs if _is_stable(r) and r.epochs_to_target is not None]
    best = min(stable) if stable else None
    return [SweepRun(run, verdict(run, best)) for run in result.runs]


def sweep_lines(runs: Sequence[SweepRun], lang: str) -> list[str]:
    """One line per rate: what it did, in the learner's language."""
    text = {
        "slow": ("too small: the loss falls slowly", "बहुत छोटा: loss धीरे-धीरे घटता है"),
        "good": ("about right: fast and stable", "सही: तेज़ और stable convergence"),
        "overshooting": (
            "too large: steps overshoot the minimum and the loss jumps up",
            "बहुत बड़ा: steps minimum के पार overshoot करते हैं, loss ऊपर उछलता है",
        ),
        "diverged": ("too large: the loss blew up (diverged)", "बहुत बड़ा: loss फट गया (diverged)"),
    }
    lines = []
    for item in runs:
        en, hi = text[item.verdict]
        run = item.run
        what = hi if lang == "hi" else en
        tail = f"epoch {run.diverged_at}" if run.diverged else f"final loss {run.final_loss:.3g}"
        lines.append(f"lr = {run.lr:g}: {what} ({tail})")
    return lines
