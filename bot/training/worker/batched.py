"""Runs of one network shape trained together in one batched job: an optimizer comparison, a
learning-rate sweep, or a class's concurrent "train XOR with Adam" requests (`train_members`).

K copies of the network's weights are stacked along a new first dimension, so one forward pass
(`torch.baddbmm`, a batch of `x @ Wᵀ + b`) and one backward pass (the chain rule written out with
`torch.bmm` and PyTorch's backward kernels, as `models.Chain` does for one network) serve all K runs;
copies with the same optimizer and learning rate sit side by side and take one optimizer step on their
slice of the stacks. Copies may start from different seeds, each on its own seed's data (the same size
for every seed). The result equals K separate `runner.train` runs (tests check 1e-5), and
costs a fraction of their time because PyTorch's per-operation overhead, not arithmetic, dominates
networks this small.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from bot.training.results import OptimizerRun
from bot.training.spec import CompareSpec, TrainSpec, _Common
from bot.training.worker.datasets import Dataset, make_dataset
from bot.training.worker.models import Step, build_model, make_stepper, predict_classes, prepare_targets
from bot.training.worker.runner import (
    CHECK_EVERY,
    EXPLODE_FACTOR,
    ProgressClock,
    TrainedRun,
    finished_run,
    finite_or_none,
    first_bad,
    train,
)

ATEN = torch.ops.aten  # PyTorch's own backward kernels, as autograd runs them
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
        # makes the weight gradient aᵀ·δ contiguous, which the fused optimizer kernels require.
        self.layers: list[tuple[torch.Tensor, torch.Tensor] | nn.Module] = []
        for index, module in enumerate(copies[0]):
            if isinstance(module, nn.Linear):
                same = [copy[index] for copy in copies]  # this layer in every copy (one architecture)
                weights = [m.weight.detach().T for m in same if isinstance(m, nn.Linear)]
                biases = [m.bias.detach().reshape(1, -1) for m in same if isinstance(m, nn.Linear)]
                weight = torch.stack(weights).contiguous()
                bias = torch.stack(biases)
                self.layers.append((weight, bias))
            else:
                self.layers.append(module)  # activations work on any shape
        self.spec = spec
        self.k = k

    def parameters(self) -> list[torch.Tensor]:
        """The stacked weights and biases, in layer order (what the optimizers update)."""
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

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """The outputs (K, N, out) and every layer's input (what `gradients` needs)."""
        h = x.unsqueeze(0).expand(self.k, -1, -1) if x.dim() == 2 else x
        inputs: list[torch.Tensor] = []
        for layer in self.layers:
            inputs.append(h)
            h = torch.baddbmm(layer[1], h, layer[0]) if isinstance(layer, tuple) else layer(h)
        return h, inputs

    def gradients(
        self, out: torch.Tensor, inputs: list[torch.Tensor], d_out: torch.Tensor
    ) -> list[torch.Tensor]:
        """∂L/∂θ of every copy (shaped as `parameters()`) from ∂L/∂out: the chain rule, layer by layer.

        The same formulas as `models.Chain` (∂L/∂Wᵀ = aᵀ·δ, ∂L/∂b = Σδ, δ ← δ·W ⊙ f′(z)), batched.
        """
        delta = d_out
        grads: list[torch.Tensor] = []
        for index in range(len(self.layers) - 1, -1, -1):
            layer, a_in = self.layers[index], inputs[index]
            if isinstance(layer, tuple):
                grads[:0] = [torch.bmm(a_in.transpose(1, 2), delta), delta.sum(dim=1, keepdim=True)]
                if index > 0:
                    delta = torch.bmm(delta, layer[0].transpose(1, 2))  # δ·W: back to the layer's input
            else:
                a_out = inputs[index + 1] if index + 1 < len(inputs) else out
                delta = activation_backward(layer, delta, a_out)
        return grads

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


def activation_backward(module: nn.Module, grad: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """grad ⊙ f′(z) from the activation's output `out` = f(z), with PyTorch's backward kernels."""
    if isinstance(module, nn.Tanh):
        return ATEN.tanh_backward(grad, out)
    if isinstance(module, nn.Sigmoid):
        return ATEN.sigmoid_backward(grad, out)
    if isinstance(module, nn.ReLU):
        return ATEN.threshold_backward(grad, out, 0)
    if isinstance(module, nn.LeakyReLU):
        return ATEN.leaky_relu_backward(grad, out, module.negative_slope, False)  # out > 0 where z > 0
    raise TypeError(f"no backward pass for {module!r}")


def wide_targets(spec: _Common, target: torch.Tensor, k: int, n_outputs: int) -> torch.Tensor:
    """Targets shaped like the K copies' outputs (K, N, out): one-hot class columns for cross-entropy."""
    if spec.loss == "ce":
        target = F.one_hot(target, n_outputs).to(torch.float32)
    return target.expand(k, -1, -1) if target.dim() == 2 else target


def loss_and_grad(spec: _Common, out: torch.Tensor, wide: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Each copy's mean loss (K,) and ∂(sum of the copies' losses)/∂out: each copy's own gradient."""
    count = out.shape[1] if spec.loss == "ce" else out.shape[1] * out.shape[2]  # each mean's divisor
    if spec.loss == "ce":
        log_p = torch.log_softmax(out, dim=-1)
        loss = -(log_p * wide).sum(dim=-1).mean(dim=-1)
        return loss, (log_p.exp() - wide).div_(count)  # (softmax − one-hot) / n
    if spec.loss == "bce":
        loss = F.binary_cross_entropy_with_logits(out, wide, reduction="none").mean(dim=(1, 2))
        return loss, (torch.sigmoid(out) - wide).div_(count)  # (σ(z) − y) / n
    diff = out - wide
    if spec.loss == "mae":
        return diff.abs().mean(dim=(1, 2)), torch.sign(diff).div_(count)
    return (diff * diff).mean(dim=(1, 2)), diff * (2.0 / count)


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
    k = len(members)
    # copies with the same optimizer and rate sit side by side, so one step updates them all
    order = sorted(range(k), key=lambda i: (members[i].optimizer, members[i].lr))
    ranked = [members[i] for i in order]
    seeds = dict.fromkeys(m.seed for m in members)
    sets = {seed: make_dataset(spec.dataset, seed, spec.data) for seed in seeds}
    data = [sets[m.seed] for m in ranked]
    net = BatchedNet(spec, k, [m.seed for m in ranked])
    params = net.parameters()
    x, y = _inputs(spec, data, test=False)
    x_test, y_test = _inputs(spec, data, test=True)
    wide = wide_targets(spec, y, k, net.stacks()[-1][0].shape[2])
    has_test = data[0].has_test
    groups: list[tuple[int, int, Step]] = []
    for _, same in itertools.groupby(range(k), key=lambda j: (ranked[j].optimizer, ranked[j].lr)):
        first, *rest = same
        last = (rest[-1] if rest else first) + 1
        step = make_stepper(ranked[first].optimizer, [p[first:last] for p in params], ranked[first].lr)
        groups.append((first, last, step))
    live = list(range(k))  # copies still training; a diverged copy is frozen where it blew up
    frozen: dict[int, list[torch.Tensor]] = {}  # its weights at that check, put back after every step
    diverged_at: list[int | None] = [None] * k
    losses: list[torch.Tensor] = []
    test_losses: list[torch.Tensor] = []
    limit = torch.full((k,), float("inf"))
    clock = ProgressClock(spec.epochs)
    with torch.no_grad():  # the chain rule is written out: no graph to record
        for epoch in range(spec.epochs):
            out, inputs = net.forward(x)  # forward pass for all K copies
            loss, d_out = loss_and_grad(spec, out, wide)
            grads = net.gradients(out, inputs, d_out)  # backward pass: each copy's own gradient
            if has_test:
                test_losses.append(batched_loss(spec, net(x_test), y_test))
            for first, last, step in groups:
                step([g[first:last] for g in grads])
            for i, weights in frozen.items():
                for p, w in zip(params, weights, strict=True):
                    p[i] = w
            losses.append(loss)
            if epoch == 0:
                # a NaN start is bad from the first epoch on, as in runner.train
                limit = torch.nan_to_num(EXPLODE_FACTOR * loss, nan=float("-inf"))
            if (epoch + 1) % CHECK_EVERY == 0 or epoch + 1 == spec.epochs:
                chunk_start = len(losses) - ((epoch % CHECK_EVERY) + 1)
                chunk = torch.stack(losses[chunk_start:])
                for i in list(live):
                    bad = first_bad(chunk[:, i], float(limit[i]))
                    if bad is not None:
                        diverged_at[i] = chunk_start + bad + 1
                        live.remove(i)
                        frozen[i] = [p[i].clone() for p in params]
                if not live:
                    break
            if clock.due():
                clock.report(epoch + 1, finite_or_none(float(loss[0])) if k == 1 else None)
        back = [order.index(i) for i in range(k)]  # each member's place in the stacks
        for p in params:
            p.copy_(p[back])  # the members' own order again
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
    return Fitted(
        net,
        [data[j] for j in back],
        [curves[j] for j in back],
        None if test_curves is None else [test_curves[j] for j in back],
        [diverged_at[j] for j in back],
    )


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


BATCH_FIELDS = ("dataset", "data", "model", "hidden", "activation", "loss", "epochs")  # what a batch shares


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
    if len(specs) == 1:
        return [train(first)]  # a batch of one is the run itself, bit for bit
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
