"""The toy problems, generated from a seed: logic gates, the notes' y = 2x line, and 2-D point clouds."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from bot.training.custom_data import HOLD_OUT_FROM, CustomData
from bot.training.spec import DATASETS

N_POINTS = 200  # per 2-D classification set (spiral: 100 per class)
TEST_FRACTION = 0.25
GATES: dict[str, list[int]] = {"xor": [0, 1, 1, 0], "and": [0, 0, 0, 1], "or": [0, 1, 1, 1]}


@dataclass(frozen=True)
class Dataset:
    """Train and test tensors; y holds class indices (long) or, for regression, values of shape (N, 1)."""

    name: str
    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor  # empty (0 rows) when the set is too small to hold any back (the gates)
    y_test: torch.Tensor
    n_classes: int  # 0 for regression

    @property
    def has_test(self) -> bool:
        """Whether some points were held out for testing."""
        return self.x_test.shape[0] > 0

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, train={self.x_train.shape[0]}, test={self.x_test.shape[0]})"


def _gate(name: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    return x, np.array(GATES[name])


def _linear(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    # the notes' example: y = 2x, here with 40 noisy samples on [-2, 2]
    x = rng.uniform(-2.0, 2.0, size=(40, 1))
    return x, 2.0 * x + rng.normal(0.0, 0.2, size=x.shape)


def _circles(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = N_POINTS // 2
    angle = rng.uniform(0.0, 2 * math.pi, size=N_POINTS)
    radius = np.where(np.arange(N_POINTS) < half, 1.0, 0.5)
    x = np.stack([radius * np.cos(angle), radius * np.sin(angle)], axis=1) + rng.normal(0, 0.1, (N_POINTS, 2))
    return x, (np.arange(N_POINTS) >= half).astype(int)


def _moons(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = N_POINTS // 2
    t = rng.uniform(0.0, math.pi, size=N_POINTS)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    first = np.arange(N_POINTS) < half
    x = np.where(first[:, None], upper, lower) + rng.normal(0, 0.15, (N_POINTS, 2))
    x -= np.array([0.5, 0.25])  # centre the two moons on the origin
    return x, (~first).astype(int)


def _spiral(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    per_class, classes = 100, 3
    xs, ys = [], []
    for c in range(classes):
        r = np.linspace(0.05, 1.0, per_class)
        t = np.linspace(c * 4.0, (c + 1) * 4.0, per_class) + rng.normal(0, 0.2, per_class)
        xs.append(np.stack([r * np.sin(t), r * np.cos(t)], axis=1))
        ys.append(np.full(per_class, c))
    return np.concatenate(xs), np.concatenate(ys)


def _gauss(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    half = N_POINTS // 2
    labels = (np.arange(N_POINTS) >= half).astype(int)
    centres = np.where(labels[:, None] == 0, -1.0, 1.0) * np.array([1.0, 1.0])
    return centres + rng.normal(0.0, 0.8, (N_POINTS, 2)), labels


def make_dataset(name: str, seed: int, data: CustomData | None = None) -> Dataset:
    """The named dataset, the same for the same seed, split into train and test (the gates are not split).

    With `data` (a learner's own points, `name` their custom dataset) the points are used as given; a set
    of HOLD_OUT_FROM points or more holds a quarter back, chosen by the seed."""
    if data is not None:
        return _own(name, seed, data)
    kind, classes = DATASETS[name]
    rng = np.random.default_rng(seed)
    if name in GATES:
        x, y = _gate(name)
        train_idx, test_idx = np.arange(4), np.arange(0)
    else:
        makers = {"linear": _linear, "circles": _circles, "moons": _moons, "spiral": _spiral, "gauss": _gauss}
        x, y = makers[name](rng)
        order = rng.permutation(len(x))
        n_test = round(len(x) * TEST_FRACTION)
        test_idx, train_idx = order[:n_test], order[n_test:]
    xt = torch.tensor(x, dtype=torch.float32)
    if kind == "regression":
        yt = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    else:
        yt = torch.tensor(y, dtype=torch.long)
    tr, te = torch.from_numpy(train_idx), torch.from_numpy(test_idx)
    return Dataset(name, xt[tr], yt[tr], xt[te], yt[te], classes if kind != "regression" else 0)


def _own(name: str, seed: int, data: CustomData) -> Dataset:
    """A learner's points as tensors, split like a built-in set (export.py writes the same steps)."""
    x = np.array(data.inputs, dtype=np.float64)
    if len(data) >= HOLD_OUT_FROM:
        order = np.random.default_rng(seed).permutation(len(data))
        n_test = round(len(data) * TEST_FRACTION)
        test_idx, train_idx = order[:n_test], order[n_test:]
    else:  # too few to hold any back: train and measure on every point, as for the gates
        train_idx, test_idx = np.arange(len(data)), np.arange(0)
    xt = torch.tensor(x, dtype=torch.float32)
    if data.task == "regression":
        yt = torch.tensor(data.targets, dtype=torch.float32).reshape(-1, 1)
    else:
        yt = torch.tensor([int(t) for t in data.targets], dtype=torch.long)
    tr, te = torch.from_numpy(train_idx), torch.from_numpy(test_idx)
    return Dataset(name, xt[tr], yt[tr], xt[te], yt[te], data.n_classes)
