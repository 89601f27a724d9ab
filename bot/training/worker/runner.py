"""Train a spec: forward pass, loss, backward pass, optimizer step — repeated for epochs, full batch.

Deterministic for a seed. Losses stay on the tensor side during the loop (no `.item()` per epoch) and
are read back in chunks, which is also when divergence is checked. Inside a worker the loop reports its
progress (`executor.report_progress`) at most every REPORT_EVERY seconds and once when training ends.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import torch
from torch import nn

from bot.training.executor import report_progress
from bot.training.results import Confusion, Progress, RunResult
from bot.training.spec import TrainSpec, longer_run
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
        self.offset = 0  # epochs of the job done before this loop's (a job that trains twice)
        self.next_at = time.perf_counter() + REPORT_EVERY

    def due(self) -> bool:
        """Whether the next report is due."""
        return time.perf_counter() >= self.next_at

    def report(self, done: int, loss: float | None) -> None:
        """Report `done` of the total epochs and the latest loss (None: no one loss stands for the job)."""
        report_progress(Progress(self.offset + done, self.total, loss))
        self.next_at = time.perf_counter() + REPORT_EVERY


@dataclass(frozen=True)
class TrainedRun:
    """A finished run with what stays in the worker: the trained network and its data (for pictures)."""

    spec: TrainSpec
    result: RunResult  # the plain part, sent back to the main process
    model: nn.Module
    data: Dataset
    loop: RunLoop | None = field(default=None, compare=False)  # how to train it further

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


def confusion_matrix(spec: TrainSpec, model: nn.Module, data: Dataset) -> Confusion | None:
    """Counts of (true, predicted) class on the held-out points, or on the training points when none
    were held out (the gates); None for regression."""
    if spec.task == "regression":
        return None
    on = "test" if data.has_test else "train"
    x, y = (data.x_test, data.y_test) if data.has_test else (data.x_train, data.y_train)
    with torch.no_grad():
        predicted = predict_classes(spec, model(x))
    k = max(data.n_classes, 2)
    counts = torch.bincount(y * k + predicted, minlength=k * k).reshape(k, k)
    return Confusion(on, tuple(tuple(int(n) for n in row) for row in counts.tolist()))


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
        confusion=confusion_matrix(spec, net, data),
    )
    return TrainedRun(spec, result, net, data)


class RunLoop:
    """A run in progress: the network, its optimizer state and the losses so far, advanced epoch by epoch.

    `advance(n)` trains n more epochs from exactly where the loop stands (weights and optimizer state),
    so advancing N then M gives the losses of one loop advanced N + M.
    """

    def __init__(self, spec: TrainSpec, model: nn.Sequential | None = None, total: int | None = None) -> None:
        self.started = time.perf_counter()
        # networks this small gain nothing from intra-op threads, and on a busy machine extra threads
        # make every op wait for a core (a 0.1 s run became 10 s under load)
        if torch.get_num_threads() != 1:
            torch.set_num_threads(1)
        self.spec = spec
        self.data = make_dataset(spec.dataset, spec.seed, spec.data)
        self.net = build_model(spec) if model is None else model
        self.chain = Chain(spec, self.net)
        self.x, self.y = self.data.x_train, prepare_targets(spec, self.data.y_train)
        self.x_test, self.y_test = self.data.x_test, prepare_targets(spec, self.data.y_test)
        self.step = make_stepper(spec.optimizer, self.chain.params, spec.lr)
        self.clock = ProgressClock(spec.epochs if total is None else total)
        self.losses: list[torch.Tensor] = []
        self.test_losses: list[torch.Tensor] = []
        self.limit = float("inf")
        self.diverged_at: int | None = None

    @property
    def done(self) -> int:
        """Epochs trained so far."""
        return len(self.losses)

    def loss_now(self) -> float:
        """The training loss of the weights as they stand (after `done` updates)."""
        with torch.no_grad():
            return float(self.chain.loss_value(self.chain.forward(self.x)[0], self.y))

    def advance(self, epochs: int) -> None:
        """Train `epochs` more epochs (none once the run has diverged)."""
        chain, x, y, losses = self.chain, self.x, self.y, self.losses
        first, end = self.done, self.done + epochs
        if self.diverged_at is not None:
            return
        with torch.no_grad():  # the chain rule is written out: no graph to record
            for epoch in range(first, end):
                out, inputs = chain.forward(x)  # forward pass
                loss, d_out = chain.loss_and_grad(out, y)  # loss and ∂L/∂output
                grads = chain.gradients(out, inputs, d_out)  # backward pass: ∂L/∂w for every weight
                if self.data.has_test:
                    self.test_losses.append(chain.loss_value(chain.forward(self.x_test)[0], self.y_test))
                self.step(grads)  # optimizer step
                losses.append(loss)
                if epoch == 0:
                    start_loss = float(loss)
                    self.limit = EXPLODE_FACTOR * start_loss if start_loss == start_loss else float("-inf")
                if (epoch + 1) % CHECK_EVERY == 0 or epoch + 1 == end:
                    chunk_start = len(losses) - ((epoch % CHECK_EVERY) + 1)
                    bad = first_bad(torch.stack(losses[chunk_start:]), self.limit)
                    if bad is not None:
                        self.diverged_at = chunk_start + bad + 1
                        break
                if self.clock.due():
                    self.clock.report(epoch + 1, finite_or_none(float(loss)))

    def finish(self, spec: TrainSpec | None = None) -> TrainedRun:
        """The run as it stands, under `spec` (default: the loop's own)."""
        cut = len(self.losses) if self.diverged_at is None else self.diverged_at
        train_curve = torch.stack(self.losses[:cut]).tolist()
        test_curve = torch.stack(self.test_losses[:cut]).tolist() if self.test_losses else None
        self.clock.report(len(train_curve), finite_or_none(train_curve[-1]))
        run = finished_run(
            spec or self.spec, self.net, self.data, train_curve, test_curve, self.diverged_at, self.started
        )
        return replace(run, loop=self)


def train(spec: TrainSpec, model: nn.Sequential | None = None) -> TrainedRun:
    """Train `spec` full-batch (from `model`'s weights if given, else `build_model(spec)`)."""
    loop = RunLoop(spec, model)
    loop.advance(spec.epochs)
    return loop.finish()


def keep_training(run: TrainedRun, more: int) -> TrainedRun:
    """`run` trained `more` epochs further from its exact weights and optimizer state: the same losses as
    one run of its epochs + `more` (which must stay within the epochs limit)."""
    longer = longer_run(run.spec, more)
    loop = run.loop if run.loop is not None else RunLoop(run.spec)
    if loop.done == 0:  # a run trained elsewhere (a batch): replay it from its seed first
        loop.advance(run.spec.epochs)
    loop.clock.total = longer.epochs
    loop.advance(more)
    return loop.finish(longer)
