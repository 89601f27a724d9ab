"""Train a spec: forward pass, loss, backward pass, optimizer step — repeated for epochs, full batch.

Deterministic for a seed. Losses stay on the tensor side during the loop (no `.item()` per epoch) and
are read back in chunks, which is also when divergence is checked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from bot.training import explain
from bot.training.datasets import Dataset, make_dataset
from bot.training.models import (
    build_model,
    class_scores,
    criterion,
    make_stepper,
    predict_classes,
    prepare_targets,
)
from bot.training.spec import TrainSpec

CHECK_EVERY = 25  # epochs between divergence checks (one host sync each)
EXPLODE_FACTOR = 10.0  # loss above 10 × its starting value counts as exploding


class LossRecord:
    """What every trained run reports from its curves: the last loss and the accuracy that counts."""

    train_losses: list[float]
    train_accuracy: float | None
    test_accuracy: float | None

    @property
    def final_loss(self) -> float:
        """The last recorded training loss."""
        return self.train_losses[-1]

    @property
    def accuracy(self) -> float | None:
        """Test accuracy when points were held out, else training accuracy; None for regression."""
        return self.test_accuracy if self.test_accuracy is not None else self.train_accuracy


@dataclass
class TrainResult(LossRecord):
    """What one run produced: the loss per epoch, accuracy, and whether (and why) it diverged."""

    spec: TrainSpec
    train_losses: list[float]  # loss on the training set, before each epoch's update
    test_losses: list[float] | None  # same on held-out points; None when nothing was held out
    train_accuracy: float | None  # fraction correct after training; None for regression
    test_accuracy: float | None
    diverged: bool
    diverged_at: int | None  # 1-based epoch where the loss blew up
    seconds: float
    explanation_en: str | None = None  # every note below as one text (why it diverged, crawled, failed)
    explanation_hi: str | None = None
    notes: list[explain.Note] = field(default_factory=list)  # each explanation with its code
    collapsed: bool = False  # a classifier that ended at chance probability for every point
    model: nn.Module | None = field(default=None, repr=False, compare=False)  # stays in the worker
    data: Dataset | None = field(default=None, repr=False, compare=False)

    @property
    def epochs_run(self) -> int:
        """Epochs actually trained (fewer than asked when the run diverged)."""
        return len(self.train_losses)

    def to_dict(self) -> dict[str, Any]:
        """The CLI contract's result keys plus the curves and the explanation, as plain data."""
        return {
            "final_loss": self.final_loss,
            "accuracy": self.accuracy,
            "diverged": self.diverged,
            "epochs_run": self.epochs_run,
            "seconds": self.seconds,
            "train_accuracy": self.train_accuracy,
            "test_accuracy": self.test_accuracy,
            "diverged_at": self.diverged_at,
            "explanation_en": self.explanation_en,
            "explanation_hi": self.explanation_hi,
            "notes": [note.to_dict() for note in self.notes],
            "collapsed": self.collapsed,
            "train_losses": self.train_losses,
            "test_losses": self.test_losses,
        }


def _first_bad(chunk: torch.Tensor, limit: float) -> int | None:
    """Index of the first non-finite or exploding loss in `chunk`, or None."""
    bad = ~torch.isfinite(chunk) | (chunk > limit)
    if not bool(bad.any()):
        return None
    return int(bad.nonzero()[0, 0])


def explain_divergence(spec: TrainSpec, epoch: int, start: float, peak: float) -> tuple[str, str]:
    """Why the loss blew up (the learning rate overshoots), in English and Hindi, with a rate to try."""
    note = explain.diverged(spec, epoch, start, peak)
    return note.en, note.hi


def _collapsed(spec: TrainSpec, model: nn.Module, x: torch.Tensor) -> bool:
    """Whether the trained classifier says 'don't know' (chance probability) for every training point."""
    if spec.task == "regression" or x.shape[0] == 0:
        return False
    with torch.no_grad():
        scores = class_scores(spec, model(x))
    n_classes = scores.shape[1] if scores.ndim == 2 else 2
    return explain.collapsed(scores.reshape(-1).tolist(), n_classes)


def explain_run(
    spec: TrainSpec, losses: list[float], diverged_at: int | None, accuracy: float | None, flat: bool
) -> list[explain.Note]:
    """Every explanation the run calls for: divergence, a rate too small to move, a line that cannot work."""
    notes: list[explain.Note] = []
    if diverged_at is not None:
        notes.append(explain.diverged(spec, diverged_at, losses[0], losses[-1]))
    else:
        slow = explain.too_slow(spec, losses)
        if slow is not None:
            notes.append(slow)
    separable = explain.not_separable(spec, accuracy, flat)
    if separable is not None:
        notes.append(separable)
    return notes


def _accuracy(spec: TrainSpec, model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float | None:
    if spec.task == "regression" or x.shape[0] == 0:
        return None
    with torch.no_grad():
        predicted = predict_classes(spec, model(x))
    return int((predicted == y).sum()) / int(y.shape[0])


def train(spec: TrainSpec, model: nn.Module | None = None) -> TrainResult:
    """Train `spec` full-batch (from `model`'s weights if given, else `build_model(spec)`)."""
    started = time.perf_counter()
    # networks this small gain nothing from intra-op threads, and on a busy machine extra threads
    # make every op wait for a core (a 0.1 s run became 10 s under load)
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    data = make_dataset(spec.dataset, spec.seed)
    net = build_model(spec) if model is None else model
    loss_fn = criterion(spec)
    x, y = data.x_train, prepare_targets(spec, data.y_train)
    x_test, y_test = data.x_test, prepare_targets(spec, data.y_test)
    params = [p for p in net.parameters() if p.requires_grad]
    step = make_stepper(spec.optimizer, params, spec.lr)

    losses: list[torch.Tensor] = []
    test_losses: list[torch.Tensor] = []
    limit = float("inf")
    diverged_at: int | None = None
    start_loss = 0.0
    for epoch in range(spec.epochs):
        loss = loss_fn(net(x), y)  # forward pass + loss
        grads = torch.autograd.grad(loss, params)  # backward pass: ∂L/∂w for every weight
        if data.has_test:
            with torch.no_grad():
                test_losses.append(loss_fn(net(x_test), y_test))
        step(grads)  # optimizer step
        losses.append(loss.detach())
        if epoch == 0:
            start_loss = float(loss.detach())
            limit = EXPLODE_FACTOR * start_loss if start_loss == start_loss else float("-inf")
        if (epoch + 1) % CHECK_EVERY == 0 or epoch + 1 == spec.epochs:
            chunk_start = len(losses) - ((epoch % CHECK_EVERY) + 1)
            bad = _first_bad(torch.stack(losses[chunk_start:]), limit)
            if bad is not None:
                diverged_at = chunk_start + bad + 1
                break

    cut = len(losses) if diverged_at is None else diverged_at
    train_curve = torch.stack(losses[:cut]).tolist()
    test_curve = torch.stack(test_losses[:cut]).tolist() if test_losses else None
    train_accuracy = _accuracy(spec, net, data.x_train, data.y_train)
    test_accuracy = _accuracy(spec, net, x_test, data.y_test)
    flat = _collapsed(spec, net, data.x_train)
    accuracy = test_accuracy if test_accuracy is not None else train_accuracy
    notes = explain_run(spec, train_curve, diverged_at, accuracy, flat)
    return TrainResult(
        spec=spec,
        train_losses=train_curve,
        test_losses=test_curve,
        train_accuracy=train_accuracy,
        test_accuracy=test_accuracy,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        seconds=time.perf_counter() - started,
        explanation_en=explain.joined(notes, "en"),
        explanation_hi=explain.joined(notes, "hi"),
        notes=notes,
        collapsed=flat,
        model=net,
        data=data,
    )
