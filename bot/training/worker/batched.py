"""Runs of one network shape trained together in one batched job: an optimizer comparison, a
learning-rate sweep, or a class's concurrent "train XOR with Adam" requests (`train_members`).

K copies of the network's weights are stacked along a new first dimension, so one forward pass
(`torch.baddbmm`, a batch of `x @ Wᵀ + b`) and one backward pass serve all K runs; each optimizer then
updates only its own slice. Copies may start from different seeds, each on its own seed's data (the
same size for every seed). The result equals K separate `runner.train` runs (tests check 1e-5), and
costs a fraction of their time because PyTorch's per-operation overhead, not arithmetic, dominates
networks this small.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from bot.training.results import OptimizerRun
from bot.training.spec import CompareSpec, TrainSpec, _Common
from bot.training.worker.datasets import Dataset, make_dataset
from bot.training.worker.models import build_model, make_stepper, predict_classes, prepare_targets
from bot.training.worker.runner import (
    CHECK_EVERY,
    EXPLODE_FACTOR,
    ProgressClock,
    TrainedRun,
    finished_run,
    finite_or_none,
    first_bad,
)

TARGET_FRACTION = 0.1  # "epochs to reach the target" = epochs to cut the starting loss by 90 %


class BatchedNet:
    """K copies of `build_model(spec)` run as one network; copy i starts from `seeds[i]`'s weights."""

    def __init__(self, spec: _Common, k: int, seeds: Sequence[int] | None = None) -> None:
        chosen = [spec.seed] * k if seeds is None else list(seeds)
        if len(chosen) != k:
            raise ValueError(f"{k} copies need {k} seeds, got {len(chosen)}")
        templates = {seed: build_model(spec, seed) for seed in dict.fromkeys(chosen)}
        copies = [templates[seed] for seed in chosen]
        # each entry: a (Wᵀ (K, in, out), bias (K, 1, out)) pair, or an element-wise module. Storing Wᵀ
        # makes autograd's weight gradient contiguous, which the fused optimizer kernels require.
        self.layers: list[tuple[torch.Tensor, torch.Tensor] | nn.Module] = []
        for index, module in enumerate(copies[0]):
            if isinstance(module, nn.Linear):
                same = [copy[index] for copy in copies]  # this layer in every copy (one architecture)
                weights = [m.weight.detach().T for m in same if isinstance(m, nn.Linear)]
                biases = [m.bias.detach().reshape(1, -1) for m in same if isinstance(m, nn.Linear)]
                weight = torch.stack(weights).contiguous().requires_grad_()
                bias = torch.stack(biases).requires_grad_()
                self.layers.append((weight, bias))
            else:
                self.layers.append(module)  # activations work on any shape
        self.spec = spec
        self.k = k

    def parameters(self) -> list[torch.Tensor]:
        """The stacked weights and biases, in layer order (what autograd differentiates)."""
        return [t for layer in self.layers if isinstance(layer, tuple) for t in layer]

    def slice_parameters(self, index: int) -> list[torch.Tensor]:
        """Copy `index`'s weights as views into the stacks, for its optimizer to update in place."""
        return [p.detach()[index] for p in self.parameters()]

    def member(self, index: int) -> nn.Sequential:
        """Copy `index` as the plain `nn.Sequential` its separate run trains (for accuracy and pictures)."""
        model = build_model(self.spec)
        linears = [m for m in model if isinstance(m, nn.Linear)]
        with torch.no_grad():
            for linear, (weight_t, bias) in zip(linears, self.stacks(), strict=True):
                linear.weight.copy_(weight_t[index].T)
                linear.bias.copy_(bias[index, 0])
        return model

    def stacks(self) -> list[tuple[torch.Tensor, torch.Tensor]]:
        """The (Wᵀ, bias) stacks of every linear layer, in order."""
        return [layer for layer in self.layers if isinstance(layer, tuple)]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """All K copies' outputs (K, N, out), from inputs shared (N, in) or one set per copy (K, N, in)."""
        h = x.unsqueeze(0).expand(self.k, -1, -1) if x.dim() == 2 else x
        for layer in self.layers:
            if isinstance(layer, tuple):
                weight_t, bias = layer
                h = torch.baddbmm(bias, h, weight_t)  # x @ Wᵀ + b, once per copy
            else:
                h = layer(h)
        return h

    def __repr__(self) -> str:
        shapes = [tuple(layer[0].shape) for layer in self.stacks()]
        return f"BatchedNet(k={self.k}, weights={shapes})"


def batched_loss(spec: _Common, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The spec's loss for each of the K copies: (K, N, out) outputs → (K,) mean losses.

    `target` is shared by every copy (the shape `prepare_targets` gives) or stacked, one per copy.
    """
    k = output.shape[0]
    if spec.loss == "ce":
        labels = target.reshape(-1) if target.dim() == 2 else target.repeat(k)
        per_point = F.cross_entropy(output.reshape(-1, output.shape[-1]), labels, reduction="none")
        return per_point.reshape(k, -1).mean(dim=1)
    wide = target.expand_as(output)
    if spec.loss == "bce":
        per_point = F.binary_cross_entropy_with_logits(output, wide, reduction="none")
    elif spec.loss == "mae":
        per_point = (output - wide).abs()
    else:
        per_point = (output - wide) ** 2
    return per_point.reshape(k, -1).mean(dim=1)


@dataclass(frozen=True)
class TrainedTogether:
    """Every copy's run, the shared target loss, the starting loss and the wall time of the whole batch."""

    runs: tuple[OptimizerRun, ...]
    target_loss: float
    start_loss: float
    seconds: float


def _accuracy(spec: _Common, output: torch.Tensor, y: torch.Tensor) -> float | None:
    if spec.task == "regression" or output.shape[0] == 0:
        return None
    return float((predict_classes(spec, output) == y).to(torch.float32).mean())


def epochs_to_reach(losses: Sequence[float], target: float) -> int | None:
    """The 1-based epoch whose loss first is at or below `target`, or None."""
    return next((i + 1 for i, loss in enumerate(losses) if loss <= target), None)


@dataclass(frozen=True)
class Member:
    """One run of a batch: what may differ between runs trained together."""

    optimizer: str
    lr: float
    seed: int  # the run's initial weights and its data


@dataclass(frozen=True)
class Fitted:
    """A trained batch: the stacked network, each copy's data, curves and divergence epoch."""

    net: BatchedNet
    data: list[Dataset]
    train_curves: list[list[float]]
    test_curves: list[list[float]] | None
    diverged_at: list[int | None]


def _inputs(spec: _Common, data: Sequence[Dataset], test: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """The (inputs, targets) every copy trains on: shared when all copies have one dataset, else stacked."""
    xs = [d.x_test if test else d.x_train for d in data]
    ys = [prepare_targets(spec, d.y_test if test else d.y_train) for d in data]
    if all(d is data[0] for d in data):
        return xs[0], ys[0]
    return torch.stack(xs), torch.stack(ys)


def fit(spec: _Common, members: Sequence[Member]) -> Fitted:
    """Train one copy of `spec`'s network per member, each from its seed's weights on its seed's data.

    Each copy's curve (and divergence) is what `runner.train` gives it alone: a copy whose loss blows up
    is frozen at the check that caught it, as the lone run stops there, and the others go on. Progress is
    reported as the batch's epochs; the loss only for a lone copy (no one loss stands for several runs).
    """
    sets = {seed: make_dataset(spec.dataset, seed) for seed in dict.fromkeys(m.seed for m in members)}
    data = [sets[m.seed] for m in members]
    k = len(members)
    net = BatchedNet(spec, k, [m.seed for m in members])
    params = net.parameters()
    x, y = _inputs(spec, data, test=False)
    x_test, y_test = _inputs(spec, data, test=True)
    has_test = data[0].has_test
    steps = [make_stepper(m.optimizer, net.slice_parameters(i), m.lr) for i, m in enumerate(members)]
    live = list(range(k))  # copies still training; a diverged copy is frozen where it blew up
    diverged_at: list[int | None] = [None] * k
    losses: list[torch.Tensor] = []
    test_losses: list[torch.Tensor] = []
    limit = torch.full((k,), float("inf"))
    clock = ProgressClock(spec.epochs)
    for epoch in range(spec.epochs):
        loss = batched_loss(spec, net(x), y)  # forward pass for all K copies
        # one backward pass: the sum's gradient for each slice is that copy's own gradient
        grads = torch.autograd.grad(loss.sum(), params)
        if has_test:
            with torch.no_grad():
                test_losses.append(batched_loss(spec, net(x_test), y_test))
        # one unbind per parameter gives every copy its gradient slice; contiguous() is a no-op unless
        # autograd chose other strides (the fused optimizer kernels need contiguous tensors)
        per_copy = list(zip(*(g.contiguous().unbind(0) for g in grads), strict=True))
        for i in live:
            steps[i](per_copy[i])
        losses.append(loss.detach())
        if epoch == 0:
            # a NaN start is bad from the first epoch on, as in runner.train
            limit = torch.nan_to_num(EXPLODE_FACTOR * loss.detach(), nan=float("-inf"))
        if (epoch + 1) % CHECK_EVERY == 0 or epoch + 1 == spec.epochs:
            chunk_start = len(losses) - ((epoch % CHECK_EVERY) + 1)
            chunk = torch.stack(losses[chunk_start:])
            for i in list(live):
                bad = first_bad(chunk[:, i], float(limit[i]))
                if bad is not None:
                    diverged_at[i] = chunk_start + bad + 1
                    live.remove(i)
            if not live:
                break
        if clock.due():
            clock.report(epoch + 1, finite_or_none(float(losses[-1][0])) if k == 1 else None)
    curves = torch.stack(losses).T.tolist()
    test_curves = torch.stack(test_losses).T.tolist() if test_losses else None
    for i, at in enumerate(diverged_at):
        if at is not None:
            curves[i] = curves[i][:at]
            if test_curves is not None:
                test_curves[i] = test_curves[i][:at]
    if k == 1:
        clock.report(len(curves[0]), finite_or_none(curves[0][-1]))
    else:
        clock.report(len(losses), None)
    return Fitted(net, data, curves, test_curves, diverged_at)


def train_together(
    spec: _Common, settings: Sequence[tuple[str, float]], target_loss: float | None = None
) -> TrainedTogether:
    """Train one copy of `spec`'s network per (optimizer, lr) in `settings`, all from the same start."""
    started = time.perf_counter()
    done = fit(spec, [Member(name, lr, spec.seed) for name, lr in settings])
    data = done.data[0]
    start = done.train_curves[0][0]
    target = TARGET_FRACTION * start if target_loss is None else target_loss
    with torch.no_grad():
        out_train, out_test = done.net(data.x_train), done.net(data.x_test)
    runs = []
    for i, (name, lr) in enumerate(settings):
        curve = done.train_curves[i]
        runs.append(
            OptimizerRun(
                optimizer=name,
                lr=lr,
                train_losses=tuple(curve),
                test_losses=None if done.test_curves is None else tuple(done.test_curves[i]),
                train_accuracy=_accuracy(spec, out_train[i], data.y_train),
                test_accuracy=_accuracy(spec, out_test[i], data.y_test),
                diverged=done.diverged_at[i] is not None,
                diverged_at=done.diverged_at[i],
                epochs_to_target=epochs_to_reach(curve, target),
            )
        )
    return TrainedTogether(tuple(runs), target, start, time.perf_counter() - started)


BATCH_FIELDS = ("dataset", "model", "hidden", "activation", "loss", "epochs")  # what runs of a batch share


def train_members(specs: Sequence[TrainSpec]) -> list[TrainedRun]:
    """Train specs that differ only in optimizer, lr and seed as one batch; each run as if trained alone."""
    if not specs:
        raise ValueError("a batch needs at least one run")
    first = specs[0]
    for spec in specs[1:]:
        differ = [name for name in BATCH_FIELDS if getattr(spec, name) != getattr(first, name)]
        if differ:
            raise ValueError(
                f"runs trained together must share {', '.join(BATCH_FIELDS)}; these differ: {differ}"
            )
    started = time.perf_counter()
    done = fit(first, [Member(s.optimizer, s.lr, s.seed) for s in specs])
    return [
        finished_run(
            spec,
            done.net.member(i),
            done.data[i],
            done.train_curves[i],
            None if done.test_curves is None else done.test_curves[i],
            done.diverged_at[i],
            started,
        )
        for i, spec in enumerate(specs)
    ]


def compare(spec: CompareSpec, target_loss: float | None = None) -> TrainedTogether:
    """Train every optimizer of `spec` at the spec's learning rate from the same start, in one batch."""
    return train_together(spec, [(name, spec.lr) for name in spec.optimizers], target_loss)
