"""Train a spec: forward pass, loss, backward pass, optimizer step — repeated for epochs, full batch.

Deterministic for a seed. Losses stay on the tensor side during the loop (no `.item()` per epoch) and
are read back in chunks, which is also when divergence is checked. Inside a worker the loop reports its
progress (`executor.report_progress`) at most every REPORT_EVERY seconds and once when training ends.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import torch
from torch import nn

from bot.training.executor import report_progress
from bot.training.results import Progress, RunResult
from bot.training.spec import TrainSpec
from bot.training.worker import explain
from bot.training.worker.datasets import Dataset, make_dataset
from bot.training.worker.models import (
    Chain,
    build_model,
    class_scores,
    make_stepper,
    predict_classes,
    prepare_targets,
)

CHECK_EVERY = 25  # epochs between divergence checks (one host sync each)
EXPLODE_FACTOR = 10.0  # loss above 10 × its starting value counts as exploding
REPORT_EVERY = 0.25  # seconds of wall time between progress reports


class ProgressClock:
    """Reports a loop's progress when REPORT_EVERY seconds have passed: one clock read per epoch."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.next_at = time.perf_counter() + REPORT_EVERY

    def due(self) -> bool:
        """Whether the next report is due."""
        return time.perf_counter() >= self.next_at

    def report(self, done: int, loss: float | None) -> None:
        """Report `done` of the total epochs and the latest loss (None: no one loss stands for the job)."""
        report_progress(Progress(done, self.total, loss))
        self.next_at = time.perf_counter() + REPORT_EVERY


@dataclass(frozen=True)
class TrainedRun:
    """A finished run with what stays in the worker: the trained network and its data (for pictures)."""

    spec: TrainSpec
    result: RunResult  # the plain part, sent back to the main process
    model: nn.Module
    data: Dataset

    def __repr__(self) -> str:
        return f"TrainedRun({self.spec.describe()!r}, final_loss={self.result.final_loss:.4g})"


def finite_or_none(loss: float) -> float | None:
    """A loss to show in progress: None once it is infinite or NaN."""
    return loss if math.isfinite(loss) else None


def first_bad(chunk: torch.Tensor, limit: float) -> int | None:
    """Index of the first non-finite or exploding loss in `chunk`, or None."""
    bad = ~torch.isfinite(chunk) | (chunk > limit)
    if not bool(bad.any()):
        return None
    return int(bad.nonzero()[0, 0])


def _collapsed(spec: TrainSpec, model: nn.Module, x: torch.Tensor) -> bool:
    """Whether the trained classifier says 'don't know' (chance probability) for every training point."""
    if spec.task == "regression" or x.shape[0] == 0:
        return False
    with torch.no_grad():
        scores = class_scores(spec, model(x))
    n_classes = scores.shape[1] if scores.ndim == 2 else 2
    return explain.collapsed(scores.reshape(-1).tolist(), n_classes)


def stuck_units(spec: TrainSpec, model: nn.Module, x: torch.Tensor) -> tuple[int, int]:
    """(stuck, all) hidden units: saturated sigmoid/tanh or dead relu units at every point of `x`.

    A unit is stuck when its activation's slope stays below `explain.STUCK_SLOPE` of the largest that
    activation has (σ′ ≤ 0.25, tanh′ ≤ 1, relu′ = 1) for every point: backprop multiplies its gradient
    by that slope, so almost nothing reaches its weights. Leaky ReLU never stops passing gradient.
    """
    if not isinstance(model, nn.Sequential) or x.shape[0] == 0:
        return 0, 0
    last_linear = max((i for i, m in enumerate(model) if isinstance(m, nn.Linear)), default=-1)
    stuck = total = 0
    h = x
    with torch.no_grad():
        for index, module in enumerate(model):
            z, h = h, module(h)
            if index > last_linear or isinstance(module, nn.Linear):
                continue
            total += h.shape[1]
            if isinstance(module, nn.Sigmoid):
                slope = h * (1 - h) / 0.25
            elif isinstance(module, nn.Tanh):
                slope = 1 - h**2
            elif isinstance(module, nn.ReLU):
                slope = (z > 0).to(h.dtype)
            else:
                continue
            stuck += int((slope.amax(dim=0) < explain.STUCK_SLOPE).sum())
    return stuck, total


def _accuracy(spec: TrainSpec, model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float | None:
    if spec.task == "regression" or x.shape[0] == 0:
        return None
    with torch.no_grad():
        predicted = predict_classes(spec, model(x))
    return int((predicted == y).sum()) / int(y.shape[0])


def finished_run(
    spec: TrainSpec,
    net: nn.Module,
    data: Dataset,
    train_curve: list[float],
    test_curve: list[float] | None,
    diverged_at: int | None,
    started: float,
) -> TrainedRun:
    """A trained network's run: accuracies, collapse, stuck units and the explanation of its curves."""
    train_accuracy = _accuracy(spec, net, data.x_train, data.y_train)
    test_accuracy = _accuracy(spec, net, data.x_test, data.y_test)
    flat = _collapsed(spec, net, data.x_train)
    accuracy = test_accuracy if test_accuracy is not None else train_accuracy
    stuck, units = stuck_units(spec, net, data.x_train)
    facts = explain.RunFacts(train_curve, test_curve, diverged_at, accuracy, flat, stuck, units)
    notes = explain.explain_run(spec, facts)
    seconds = time.perf_counter() - started
    result = RunResult(
        train_losses=tuple(train_curve),
        test_losses=None if test_curve is None else tuple(test_curve),
        train_accuracy=train_accuracy,
        test_accuracy=test_accuracy,
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        seconds=seconds,
        train_seconds=seconds,
        notes=notes,
        collapsed=flat,
    )
    return TrainedRun(spec, result, net, data)


def train(spec: TrainSpec, model: nn.Sequential | None = None) -> TrainedRun:
    """Train `spec` full-batch (from `model`'s weights if given, else `build_model(spec)`)."""
    started = time.perf_counter()
    # networks this small gain nothing from intra-op threads, and on a busy machine extra threads
    # make every op wait for a core (a 0.1 s run became 10 s under load)
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    data = make_dataset(spec.dataset, spec.seed)
    net = build_model(spec) if model is None else model
    chain = Chain(spec, net)
    x, y = data.x_train, prepare_targets(spec, data.y_train)
    x_test, y_test = data.x_test, prepare_targets(spec, data.y_test)
    step = make_stepper(spec.optimizer, chain.params, spec.lr)
    clock = ProgressClock(spec.epochs)

    losses: list[torch.Tensor] = []
    test_losses: list[torch.Tensor] = []
    limit = float("inf")
    diverged_at: int | None = None
    with torch.no_grad():  # the chain rule is written out: no graph to record
        for epoch in range(spec.epochs):
            out, inputs = chain.forward(x)  # forward pass
            loss, d_out = chain.loss_and_grad(out, y)  # loss and ∂L/∂output
            grads = chain.gradients(out, inputs, d_out)  # backward pass: ∂L/∂w for every weight
            if data.has_test:
                test_losses.append(chain.loss_value(chain.forward(x_test)[0], y_test))
            step(grads)  # optimizer step
            losses.append(loss)
            if epoch == 0:
                start_loss = float(loss)
                limit = EXPLODE_FACTOR * start_loss if start_loss == start_loss else float("-inf")
            if (epoch + 1) % CHECK_EVERY == 0 or epoch + 1 == spec.epochs:
                chunk_start = len(losses) - ((epoch % CHECK_EVERY) + 1)
                bad = first_bad(torch.stack(losses[chunk_start:]), limit)
                if bad is not None:
                    diverged_at = chunk_start + bad + 1
                    break
            if clock.due():
                clock.report(epoch + 1, finite_or_none(float(loss)))

    cut = len(losses) if diverged_at is None else diverged_at
    train_curve = torch.stack(losses[:cut]).tolist()
    test_curve = torch.stack(test_losses[:cut]).tolist() if test_losses else None
    clock.report(len(train_curve), finite_or_none(train_curve[-1]))
    return finished_run(spec, net, data, train_curve, test_curve, diverged_at, started)
