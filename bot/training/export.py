"""A run as code: a spec → a plain, self-contained PyTorch script that reproduces it ("show code").

The script builds the same data (the same NumPy generator calls as worker/datasets.py), the same
network (`torch.manual_seed(seed)` then the same layers as worker/models.py), the textbook `torch.optim`
optimizer with the same settings, and the same full-batch loop — so it prints the same final loss as
the bot's run, in a fixed format (`final_loss=<value>`, or `final_loss[<optimizer>]=<value>` for an
optimizer comparison, `final_loss[<value>]=<value>` for one setting compared: 'relu', '2-8', '0.01').

Runs in the main process: this module only writes text and imports neither torch nor matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise
from typing import Any

from bot.training.custom_data import HOLD_OUT_FROM, CustomData
from bot.training.spec import (
    LEAKY_SLOPE,
    CompareSpec,
    TrainSpec,
    VarySpec,
    n_inputs,
    n_outputs,
    spec_from_dict,
    vary_spec_from_dict,
)

# the settings of worker/models.py and worker/runner.py (a test checks they agree; no torch here)
MOMENTUM = 0.9
ADAM_BETAS = (0.9, 0.999)
RMSPROP_ALPHA = 0.99
EPS = 1e-8
EXPLODE_FACTOR = 10.0
N_POINTS = 200
TEST_FRACTION = 0.25

ACTIVATION_CODE = {
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "leaky_relu": f"nn.LeakyReLU({LEAKY_SLOPE})",
}
LOSS_CODE = {
    "mse": "nn.MSELoss()",
    "mae": "nn.L1Loss()",
    "bce": "nn.BCEWithLogitsLoss()  # sigmoid + binary cross-entropy in one stable step",
    "ce": "nn.CrossEntropyLoss()",
}
OPTIMIZER_CODE = {
    "sgd": "torch.optim.SGD(params, lr=lr)",
    "momentum": f"torch.optim.SGD(params, lr=lr, momentum={MOMENTUM})",
    "rmsprop": f"torch.optim.RMSprop(params, lr=lr, alpha={RMSPROP_ALPHA}, eps={EPS})",
    "adam": f"torch.optim.Adam(params, lr=lr, betas={ADAM_BETAS}, eps={EPS})",
}

GATES = {"xor": "[0, 1, 1, 0]", "and": "[0, 0, 0, 1]", "or": "[0, 1, 1, 1]"}
DATA_CODE = {
    "linear": """\
# the notes' example y = 2x: 40 noisy samples on [-2, 2]
x = rng.uniform(-2.0, 2.0, size=(40, 1))
y = 2.0 * x + rng.normal(0.0, 0.2, size=x.shape)""",
    "circles": f"""\
# two rings: radius 1 (class 0) and radius 0.5 (class 1), with noise
n, half = {N_POINTS}, {N_POINTS // 2}
angle = rng.uniform(0.0, 2 * math.pi, size=n)
radius = np.where(np.arange(n) < half, 1.0, 0.5)
x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1) + rng.normal(0, 0.1, (n, 2))
y = (np.arange(n) >= half).astype(int)""",
    "moons": f"""\
# two interleaving half-moons
n, half = {N_POINTS}, {N_POINTS // 2}
t = rng.uniform(0.0, math.pi, size=n)
upper = np.stack([np.cos(t), np.sin(t)], axis=1)
lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
first = np.arange(n) < half
x = np.where(first[:, None], upper, lower) + rng.normal(0, 0.15, (n, 2))
x -= np.array([0.5, 0.25])  # centre the moons on the origin
y = (~first).astype(int)""",
    "spiral": """\
# three interleaved spiral arms, 100 points each
xs, ys = [], []
for c in range(3):
    r = np.linspace(0.05, 1.0, 100)
    t = np.linspace(c * 4.0, (c + 1) * 4.0, 100) + rng.normal(0, 0.2, 100)
    xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
    ys.append(np.full(100, c))
x, y = np.concatenate(xs), np.concatenate(ys)""",
    "gauss": f"""\
# two Gaussian blobs around (-1, -1) and (1, 1)
n, half = {N_POINTS}, {N_POINTS // 2}
y = (np.arange(n) >= half).astype(int)
centres = np.where(y[:, None] == 0, -1.0, 1.0) * np.array([1.0, 1.0])
x = centres + rng.normal(0.0, 0.8, (n, 2))""",
}


def _own_data_code(data: CustomData) -> str:
    """A learner's points written inline, split as worker/datasets.py splits them."""
    rows = "".join(f"    ({', '.join(repr(v) for v in row)}),\n" for row in data.rows)
    columns = "(x, y)" if data.task == "regression" else "(x1, x2, label)"
    label = "p[-1]" if data.task == "regression" else "int(p[-1])"
    if len(data) >= HOLD_OUT_FROM:
        split = (
            "# hold a quarter of the points back for testing\n"
            "order = rng.permutation(len(x))\n"
            f"n_test = round(len(x) * {TEST_FRACTION})\n"
            "test_idx, train_idx = order[:n_test], order[n_test:]"
        )
    else:
        split = (
            f"# fewer than {HOLD_OUT_FROM} points: all of them are for training\n"
            "train_idx, test_idx = np.arange(len(x)), np.arange(0)"
        )
    return (
        f"# your own {len(data)} points, one {columns} per row\n"
        f"points = [\n{rows}]\n"
        "x = np.array([p[:-1] for p in points], dtype=np.float64)\n"
        f"y = np.array([{label} for p in points])\n"
        f"{split}"
    )


def _data_code(dataset: str, task: str, loss: str, data: CustomData | None = None) -> str:
    if data is not None:
        make = _own_data_code(data)
    elif dataset in GATES:
        make = (
            f"# the {dataset.upper()} truth table: all four points are for training\n"
            "x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])\n"
            f"y = np.array({GATES[dataset]})\n"
            "train_idx, test_idx = np.arange(4), np.arange(0)"
        )
    else:
        make = (
            DATA_CODE[dataset] + "\n# hold a quarter of the points back for testing\n"
            "order = rng.permutation(len(x))\n"
            f"n_test = round(len(x) * {TEST_FRACTION})\n"
            "test_idx, train_idx = order[:n_test], order[n_test:]"
        )
    if task == "regression":
        target = "y_all = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)"
        shape = "y_train = y_all[train_idx]"
    elif loss == "ce":
        target = "y_all = torch.tensor(y, dtype=torch.long)"
        shape = "y_train = y_all[train_idx]  # class indices"
    else:
        target = "y_all = torch.tensor(y, dtype=torch.long)"
        shape = "y_train = y_all[train_idx].to(torch.float32).reshape(-1, 1)  # a 0/1 column"
    return (
        "rng = np.random.default_rng(SEED)\n"
        f"{make}\n"
        "x_all = torch.tensor(x, dtype=torch.float32)\n"
        f"{target}\n"
        "train_idx, test_idx = torch.from_numpy(train_idx), torch.from_numpy(test_idx)\n"
        "x_train, x_test = x_all[train_idx], x_all[test_idx]\n"
        f"{shape}\n"
        "labels_train, labels_test = y_all[train_idx], y_all[test_idx]"
    )


def _model_code(spec: TrainSpec | CompareSpec) -> str:
    sizes = [n_inputs(spec.dataset), *spec.hidden, n_outputs(spec.dataset, spec.loss)]
    layers = []
    for i, (n_in, n_out) in enumerate(pairwise(sizes)):
        layers.append(f"nn.Linear({n_in}, {n_out})")
        if i < len(sizes) - 2:
            layers.append(ACTIVATION_CODE[spec.activation])
    if spec.task == "binary" and spec.loss in ("mse", "mae"):
        layers.append("nn.Sigmoid()  # MSE/MAE compare a probability with the 0/1 target")
    # a comment, if any, goes after the comma
    body = "".join(
        "        " + layer.replace("  #", ",  #", 1) + ("\n" if "#" in layer else ",\n") for layer in layers
    )
    return (
        "    torch.manual_seed(SEED)  # the same seed gives the same initial weights\n"
        f"    return nn.Sequential(\n{body}    )"
    )


def _accuracy_code(spec: TrainSpec | CompareSpec) -> str:
    if spec.task == "regression":
        return "    return None  # regression: no classes to count"
    if spec.loss == "ce":
        rule = "out.argmax(dim=1)"
    elif spec.loss == "bce":
        rule = "(out[:, 0] > 0.0).long()  # logit 0 = probability 0.5"
    else:
        rule = "(out[:, 0] > 0.5).long()"
    return (
        "    x, labels = (x_test, labels_test) if len(x_test) else (x_train, labels_train)\n"
        "    with torch.no_grad():\n"
        "        out = model(x)\n"
        f"    predicted = {rule}\n"
        "    return round((predicted == labels).float().mean().item(), 4)"
    )


def _parsed(
    spec: TrainSpec | CompareSpec | VarySpec | Mapping[str, Any],
) -> TrainSpec | CompareSpec | VarySpec:
    if not isinstance(spec, Mapping):
        return spec
    return vary_spec_from_dict(spec) if "vary" in spec else spec_from_dict(spec)


def _setting_parts(spec: VarySpec) -> tuple[str, str]:
    """The model makers (one per value when the network differs) and the loop over the values."""
    runs = spec.run_specs()
    if spec.vary == "lr":
        makers = f"def make_model():\n{_model_code(spec.base)}"
        loop = [f"({spec.value_label(v)!r}, make_model, {v!r})" for v in spec.values]
    else:
        makers = "\n\n\n".join(f"def make_model_{i}():\n{_model_code(run)}" for i, run in enumerate(runs))
        loop = [f"({spec.value_label(v)!r}, make_model_{i}, LR)" for i, v in enumerate(spec.values)]
    rows = "".join(f"    {entry},\n" for entry in loop)
    main = (
        f"# one {spec.vary} per run; the same data and seed for each\n"
        f"for value, make, lr in [\n{rows}]:\n"
        f'    final, acc = train("{spec.base.optimizer}", lr, make)\n'
        '    print(f"final_loss[{value}]={final:.10g}  accuracy={acc}")'
    )
    return makers, main


def export_script(spec: TrainSpec | CompareSpec | VarySpec | Mapping[str, Any]) -> str:
    """A plain PyTorch script that reproduces `spec`'s run (or each run of a comparison)."""
    parsed = _parsed(spec)
    net = parsed.base if isinstance(parsed, VarySpec) else parsed  # data, loss and seed of every run
    if isinstance(parsed, CompareSpec):
        names: tuple[str, ...] = parsed.optimizers
    else:
        names = (net.optimizer,) if isinstance(net, TrainSpec) else ()
    optimizer_branches = "\n".join(
        f'    {"if" if i == 0 else "elif"} name == "{name}":\n        return {OPTIMIZER_CODE[name]}'
        for i, name in enumerate(names)
    )
    makers = f"def make_model():\n{_model_code(net)}"
    if isinstance(parsed, VarySpec):
        makers, main = _setting_parts(parsed)
    elif isinstance(parsed, CompareSpec):
        main = (
            "# every optimizer starts from the same initial weights (the same seed)\n"
            f"for name in {list(names)!r}:\n"
            "    final, acc = train(name)\n"
            '    print(f"final_loss[{name}]={final:.10g}  accuracy={acc}")'
        )
    else:
        main = f'final, acc = train("{names[0]}")\nprint(f"final_loss={{final:.10g}}  accuracy={{acc}}")'
    return f'''"""{parsed.describe()}

Reproduces a run of the deep-learning tutor. Needs: pip install torch numpy
"""

import math

import numpy as np
import torch
from torch import nn

SEED = {net.seed}
EPOCHS = {net.epochs}
LR = {net.lr!r}

# --- data: {net.dataset} ---
{_data_code(net.dataset, net.task, net.loss, net.data)}


{makers}


def make_optimizer(name, params, lr):
{optimizer_branches}
    raise ValueError(name)


def accuracy(model):
{_accuracy_code(net)}


def train(name, lr=LR, make=None):
    model = make() if make else make_model()  # make: another network's maker, to compare it
    loss_fn = {LOSS_CODE[net.loss]}
    optimizer = make_optimizer(name, model.parameters(), lr)
    start = None
    for epoch in range(1, EPOCHS + 1):
        loss = loss_fn(model(x_train), y_train)  # forward pass + loss
        optimizer.zero_grad()
        loss.backward()  # backward pass: dL/dw for every weight
        optimizer.step()  # w <- w - lr * (the optimizer's step)
        value = loss.item()
        start = value if start is None else start
        if not math.isfinite(value) or value > {EXPLODE_FACTOR} * start:
            print(f"{{name}}: diverged at epoch {{epoch}}: the learning rate is too large (overshooting)")
            break
        if epoch % max(1, EPOCHS // 5) == 0:
            print(f"{{name}}: epoch {{epoch}}  loss {{value:.4f}}")
    return value, accuracy(model)


{main}
'''
