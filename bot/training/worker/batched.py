"""Several optimizers from the same initial weights on one dataset, trained together in one batched job.

K copies of the network's weights are stacked along a new first dimension, so one forward pass
(`torch.baddbmm`, a batch of `x @ Wᵀ + b`) and one backward pass serve all K runs; each optimizer then
updates only its own slice. The result equals K separate `runner.train` runs (a test checks 1e-5), and
costs a fraction of their time because PyTorch's per-operation overhead, not arithmetic, dominates
networks this small. The optimizer comparison and the learning-rate sweep both train this way.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from bot.training.results import OptimizerRun
from bot.training.spec import CompareSpec, _Common
from bot.training.worker.datasets import make_dataset
from bot.training.worker.models import build_model, make_stepper, predict_classes, prepare_targets
from bot.training.worker.runner import CHECK_EVERY, EXPLODE_FACTOR, first_bad

TARGET_FRACTION = 0.1  # "epochs to reach the target" = epochs to cut the starting loss by 90 %


class BatchedNet:
    """K copies of `build_model(spec)` — the same initial weights in every copy — run as one network."""

    def __init__(self, spec: _Common, k: int) -> None:
        template = build_model(spec)
        # each entry: a (Wᵀ (K, in, out), bias (K, 1, out)) pair, or an element-wise module. Storing Wᵀ
        # makes autograd's weight gradient contiguous, which the fused optimizer kernels require.
        self.layers: list[tuple[torch.Tensor, torch.Tensor] | nn.Module] = []
        for module in template:
            if isinstance(module, nn.Linear):
                weight = module.weight.detach().T.unsqueeze(0).repeat(k, 1, 1).requires_grad_()
                bias = module.bias.detach().reshape(1, 1, -1).repeat(k, 1, 1).requires_grad_()
                self.layers.append((weight, bias))
            else:
                self.layers.append(module)  # activations work on any shape
        self.k = k

    def parameters(self) -> list[torch.Tensor]:
        """The stacked weights and biases, in layer order (what autograd differentiates)."""
        return [t for layer in self.layers if isinstance(layer, tuple) for t in layer]

    def slice_parameters(self, index: int) -> list[torch.Tensor]:
        """Copy `index`'s weights as views into the stacks, for its optimizer to update in place."""
        return [p.detach()[index] for p in self.parameters()]

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        """Outputs of all K copies for the same inputs: (N, in) → (K, N, out)."""
        h = x.unsqueeze(0).expand(self.k, -1, -1)
        for layer in self.layers:
            if isinstance(layer, tuple):
                weight_t, bias = layer
                h = torch.baddbmm(bias, h, weight_t)  # x @ Wᵀ + b, once per copy
            else:
                h = layer(h)
        return h

    def __repr__(self) -> str:
        shapes = [tuple(layer[0].shape) for layer in self.layers if isinstance(layer, tuple)]
        return f"BatchedNet(k={self.k}, weights={shapes})"


def batched_loss(spec: _Common, output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """The spec's loss for each of the K copies: (K, N, out) outputs → (K,) mean losses."""
    k = output.shape[0]
    if spec.loss == "ce":
        per_point = F.cross_entropy(output.reshape(-1, output.shape[-1]), target.repeat(k), reduction="none")
        return per_point.reshape(k, -1).mean(dim=1)
    wide = target.unsqueeze(0).expand_as(output)
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


def train_together(
    spec: _Common, settings: Sequence[tuple[str, float]], target_loss: float | None = None
) -> TrainedTogether:
    """Train one copy of `spec`'s network per (optimizer, lr) in `settings`, all from the same start."""
    started = time.perf_counter()
    data = make_dataset(spec.dataset, spec.seed)
    k = len(settings)
    net = BatchedNet(spec, k)
    params = net.parameters()
    x, y = data.x_train, prepare_targets(spec, data.y_train)
    x_test, y_test = data.x_test, prepare_targets(spec, data.y_test)
    steps = [make_stepper(name, net.slice_parameters(i), lr) for i, (name, lr) in enumerate(settings)]
    live = list(range(k))  # copies still training; a diverged copy is frozen where it blew up
    diverged_at: list[int | None] = [None] * k
    losses: list[torch.Tensor] = []
    test_losses: list[torch.Tensor] = []
    limit = torch.full((k,), float("inf"))
    for epoch in range(spec.epochs):
        loss = batched_loss(spec, net(x), y)  # forward pass for all K copies
        # one backward pass: the sum's gradient for each slice is that copy's own gradient
        grads = torch.autograd.grad(loss.sum(), params)
        if data.has_test:
            with torch.no_grad():
                test_losses.append(batched_loss(spec, net(x_test), y_test))
        # one unbind per parameter gives every copy its gradient slice; contiguous() is a no-op unless
        # autograd chose other strides (the fused optimizer kernels need contiguous tensors)
        per_copy = list(zip(*(g.contiguous().unbind(0) for g in grads), strict=True))
        for i in live:
            steps[i](per_copy[i])
        losses.append(loss.detach())
        if epoch == 0:
            limit = EXPLODE_FACTOR * loss.detach()
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
    curves = torch.stack(losses).T.tolist()
    test_curves = torch.stack(test_losses).T.tolist() if test_losses else None
    start = curves[0][0]
    target = TARGET_FRACTION * start if target_loss is None else target_loss
    with torch.no_grad():
        out_train, out_test = net(x), net(x_test)
    runs = []
    for i, (name, lr) in enumerate(settings):
        cut = len(curves[i]) if diverged_at[i] is None else diverged_at[i]
        curve = curves[i][:cut]
        runs.append(
            OptimizerRun(
                optimizer=name,
                lr=lr,
                train_losses=tuple(curve),
                test_losses=None if test_curves is None else tuple(test_curves[i][:cut]),
                train_accuracy=_accuracy(spec, out_train[i], data.y_train),
                test_accuracy=_accuracy(spec, out_test[i], data.y_test),
                diverged=diverged_at[i] is not None,
                diverged_at=diverged_at[i],
                epochs_to_target=epochs_to_reach(curve, target),
            )
        )
    return TrainedTogether(tuple(runs), target, start, time.perf_counter() - started)


def compare(spec: CompareSpec, target_loss: float | None = None) -> TrainedTogether:
    """Train every optimizer of `spec` at the spec's learning rate from the same start, in one batch."""
    return train_together(spec, [(name, spec.lr) for name in spec.optimizers], target_loss)
