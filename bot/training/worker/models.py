"""Networks, losses and optimizer steps for a spec — built deterministically from the spec's seed.

`make_stepper` performs exactly the update of the textbook `torch.optim` optimizer a learner would write
(`torch.optim.Adam(params, lr)`, …, the settings below), but with the fused/foreach kernels directly,
skipping `optimizer.step()`'s Python bookkeeping (most of the per-epoch cost on problems this small).
Tests check the losses agree with a plain `torch.optim` loop to 1e-5.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from bot.training.spec import LEAKY_SLOPE, _Common, n_inputs, n_outputs

MOMENTUM = 0.9  # the β of SGD with momentum
ADAM_BETAS = (0.9, 0.999)  # PyTorch's defaults
RMSPROP_ALPHA = 0.99  # PyTorch's default smoothing of the squared gradient
EPS = 1e-8

Step = Callable[[Sequence[torch.Tensor]], None]


def activation_module(name: str) -> nn.Module:
    """The nn module for an activation name."""
    makers: dict[str, Callable[[], nn.Module]] = {
        "sigmoid": nn.Sigmoid,
        "tanh": nn.Tanh,
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
    }
    return makers[name]()


def build_model(spec: _Common, seed: int | None = None) -> nn.Sequential:
    """The network for `spec`, weights drawn from `seed` (default: the spec's): same seed, same start."""
    torch.manual_seed(spec.seed if seed is None else seed)
    sizes = [n_inputs(spec.dataset), *spec.hidden, n_outputs(spec.dataset, spec.loss)]
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(activation_module(spec.activation))
    if spec.task == "binary" and spec.loss in ("mse", "mae"):
        layers.append(nn.Sigmoid())  # MSE/MAE compare a probability with the 0/1 target
    return nn.Sequential(*layers)


def criterion(spec: _Common) -> nn.Module:
    """The loss module: BCE works on logits (stable), CE on class scores, MSE/MAE on outputs."""
    return {
        "mse": nn.MSELoss,
        "mae": nn.L1Loss,
        "bce": nn.BCEWithLogitsLoss,
        "ce": nn.CrossEntropyLoss,
    }[spec.loss]()


def prepare_targets(spec: _Common, y: torch.Tensor) -> torch.Tensor:
    """Targets in the shape the loss wants: class indices for CE, a float column otherwise."""
    if spec.loss == "ce" or spec.task == "regression":
        return y
    return y.to(torch.float32).reshape(-1, 1)


def predict_classes(spec: _Common, output: torch.Tensor) -> torch.Tensor:
    """Class indices from the network's output (classification specs only)."""
    if spec.loss == "ce":
        return output.argmax(dim=1)
    threshold = 0.0 if spec.loss == "bce" else 0.5  # logit 0 = probability 0.5
    return (output[:, 0] > threshold).to(torch.long)


def class_scores(spec: _Common, output: torch.Tensor) -> torch.Tensor:
    """Probabilities per point: P(class 1) for two classes, softmax over classes for CE."""
    if spec.loss == "ce":
        return torch.softmax(output, dim=1)
    if spec.loss == "bce":
        return torch.sigmoid(output[:, 0])
    return output[:, 0]


def make_stepper(name: str, params: Sequence[torch.Tensor], lr: float) -> Step:
    """A function `step(grads)` that updates `params` in place exactly as `torch.optim` would for `name`."""
    ps = list(params)
    if name == "sgd":
        return _sgd(ps, lr)
    if name == "momentum":
        return _momentum(ps, lr)
    if name == "rmsprop":
        return _rmsprop(ps, lr)
    if name == "adam":
        return _adam(ps, lr)
    raise ValueError(f"unknown optimizer {name!r}")


def _sgd(ps: list[torch.Tensor], lr: float) -> Step:
    @torch.no_grad()
    def step(grads: Sequence[torch.Tensor]) -> None:
        torch._foreach_add_(ps, list(grads), alpha=-lr)  # w ← w − η·g

    return step


def _momentum(ps: list[torch.Tensor], lr: float) -> Step:
    velocity: list[torch.Tensor] = []

    @torch.no_grad()
    def step(grads: Sequence[torch.Tensor]) -> None:
        if not velocity:
            velocity.extend(g.clone() for g in grads)  # PyTorch starts the buffer at the first gradient
        else:
            torch._foreach_mul_(velocity, MOMENTUM)  # v ← β·v + g
            torch._foreach_add_(velocity, list(grads))
        torch._foreach_add_(ps, velocity, alpha=-lr)  # w ← w − η·v

    return step


def _rmsprop(ps: list[torch.Tensor], lr: float) -> Step:
    square_avg = [torch.zeros_like(p) for p in ps]

    @torch.no_grad()
    def step(grads: Sequence[torch.Tensor]) -> None:
        gs = list(grads)
        torch._foreach_mul_(square_avg, RMSPROP_ALPHA)  # s ← α·s + (1−α)·g²
        torch._foreach_addcmul_(square_avg, gs, gs, value=1 - RMSPROP_ALPHA)
        denom = torch._foreach_sqrt(square_avg)
        torch._foreach_add_(denom, EPS)
        torch._foreach_addcdiv_(ps, gs, denom, value=-lr)  # w ← w − η·g / (√s + ε)

    return step


def _adam(ps: list[torch.Tensor], lr: float) -> Step:
    if not hasattr(torch, "_fused_adam_"):
        return _via_torch_optim(torch.optim.Adam(ps, lr=lr, betas=ADAM_BETAS, eps=EPS), ps)
    exp_avg = [torch.zeros_like(p) for p in ps]  # m: running mean of g
    exp_avg_sq = [torch.zeros_like(p) for p in ps]  # v: running mean of g²
    steps = [torch.zeros((), dtype=torch.float32) for _ in ps]
    beta1, beta2 = ADAM_BETAS

    @torch.no_grad()
    def step(grads: Sequence[torch.Tensor]) -> None:
        torch._foreach_add_(steps, 1)
        # the kernel behind torch.optim.Adam(fused=True): bias-corrected m / (√v + ε)
        torch._fused_adam_(
            ps,
            list(grads),
            exp_avg,
            exp_avg_sq,
            [],
            steps,
            lr=lr,
            beta1=beta1,
            beta2=beta2,
            weight_decay=0.0,
            eps=EPS,
            amsgrad=False,
            maximize=False,
        )

    return step


def _via_torch_optim(opt: torch.optim.Optimizer, ps: list[torch.Tensor]) -> Step:
    def step(grads: Sequence[torch.Tensor]) -> None:
        for p, g in zip(ps, grads, strict=True):
            p.grad = g
        opt.step()

    return step


ATEN = torch.ops.aten  # PyTorch's own backward kernels, so the chain rule below rounds as autograd does


class Chain:
    """`build_model`'s network trained without autograd: its forward pass and the chain rule written out.

    The same kernels `loss.backward()` runs (∂L/∂W = δᵀ·a, ∂L/∂b = Σδ, δ ← δ·W ⊙ f′(z), lesson 6),
    without recording a graph: on networks this small the graph's bookkeeping, not arithmetic, is most
    of an epoch. Tests check the losses against a plain `torch.optim` loop.
    """

    def __init__(self, spec: _Common, model: nn.Sequential) -> None:
        modules = list(model)
        self.sigmoid_output = spec.task == "binary" and spec.loss in ("mse", "mae")
        hidden = modules[:-1] if self.sigmoid_output else modules
        self.linears = [m for m in hidden if isinstance(m, nn.Linear)]
        self.activation = spec.activation
        self.loss = spec.loss
        self.params = [t for m in self.linears for t in (m.weight, m.bias)]  # model.parameters()' order
        self.one = torch.ones(())

    def _act(self, z: torch.Tensor) -> torch.Tensor:
        if self.activation == "tanh":
            return torch.tanh(z)
        if self.activation == "sigmoid":
            return torch.sigmoid(z)
        if self.activation == "relu":
            return torch.relu(z)
        return F.leaky_relu(z, LEAKY_SLOPE)

    def _act_backward(self, grad: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
        """grad ⊙ f′(z) from the activation's output a = f(z), as autograd computes it."""
        if self.activation == "tanh":
            return ATEN.tanh_backward(grad, a)  # grad · (1 − a²)
        if self.activation == "sigmoid":
            return ATEN.sigmoid_backward(grad, a)  # grad · a(1 − a)
        if self.activation == "relu":
            return ATEN.threshold_backward(grad, a, 0)  # grad where a > 0
        return ATEN.leaky_relu_backward(grad, a, LEAKY_SLOPE, False)  # a > 0 exactly where z > 0

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """The network's output for `x` and each linear layer's input (what the backward pass needs)."""
        inputs: list[torch.Tensor] = []
        h = x
        last = len(self.linears) - 1
        for index, linear in enumerate(self.linears):
            inputs.append(h)
            h = torch.addmm(linear.bias, h, linear.weight.t())  # what nn.Linear runs: a·Wᵀ + b
            if index < last:
                h = self._act(h)
        if self.sigmoid_output:
            h = torch.sigmoid(h)
        return h, inputs

    def loss_value(self, out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The spec's mean loss, as `criterion(spec)` computes it."""
        if self.loss == "ce":
            return F.cross_entropy(out, y)
        if self.loss == "bce":
            return F.binary_cross_entropy_with_logits(out, y)
        return F.l1_loss(out, y) if self.loss == "mae" else F.mse_loss(out, y)

    def loss_and_grad(self, out: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The mean loss and ∂loss/∂out, with the formulas autograd's backward uses."""
        if self.loss == "ce":
            log_p = torch.log_softmax(out, dim=1)
            loss, total = ATEN.nll_loss_forward(log_p, y, None, 1, -100)  # 1: mean over points
            d_log_p = ATEN.nll_loss_backward(self.one, log_p, y, None, 1, -100, total)
            return loss, ATEN._log_softmax_backward_data(d_log_p, log_p, 1, log_p.dtype)
        if self.loss == "bce":
            loss = F.binary_cross_entropy_with_logits(out, y)
            return loss, (torch.sigmoid(out) - y).div_(out.numel())  # (σ(z) − y) / n
        if self.loss == "mae":
            return F.l1_loss(out, y), torch.sign(out - y).div_(out.numel())
        return F.mse_loss(out, y), ATEN.mse_loss_backward(self.one, out, y, 1)

    def gradients(
        self, out: torch.Tensor, inputs: list[torch.Tensor], d_out: torch.Tensor
    ) -> list[torch.Tensor]:
        """∂L/∂θ for every parameter (in `params` order) from ∂L/∂out: the chain rule, layer by layer."""
        delta = ATEN.sigmoid_backward(d_out, out) if self.sigmoid_output else d_out
        grads: list[torch.Tensor] = []
        for index in range(len(self.linears) - 1, -1, -1):
            a = inputs[index]
            grads[:0] = [delta.t().mm(a), delta.sum(0)]  # ∂L/∂W = δᵀ·a, ∂L/∂b = Σ δ
            if index > 0:
                delta = self._act_backward(delta.mm(self.linears[index].weight), a)  # δ for the layer below
        return grads
