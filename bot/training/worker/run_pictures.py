"""The pictures of one trained run: its loss curve, and its decision boundary or fitted line.

The trained network is evaluated here (torch) on a grid or a line; the drawing modules only get numbers.
"""

from __future__ import annotations

import numpy as np
import torch

from bot.i18n import Bilingual, tr
from bot.training.results import Picture
from bot.training.spec import MAX_UNIT_PANELS, check_shows_units
from bot.training.worker.draw.decision_boundary import GuideLine, decision_boundary_png, grid_extent, is_flat
from bot.training.worker.draw.fitted_line import fitted_line_png
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.hidden_units import hidden_units_png
from bot.training.worker.draw.loss_curve import loss_curve_png
from bot.training.worker.draw.style import percent
from bot.training.worker.models import class_scores
from bot.training.worker.runner import TrainedRun

GRID = 150  # decision-boundary resolution per side
UNIT_GRID = 80  # per side of each hidden unit's small panel


def loss_title(run: TrainedRun, lang: str) -> Bilingual:
    """'XOR · adam lr=0.05' over 'loss 6.7e-05 · training accuracy 100%'; divergence words in `lang`."""
    spec, result = run.spec, run.result
    model = " · perceptron" if spec.model == "perceptron" else ""
    head = f"{spec.dataset.upper()}{model} · {spec.optimizer} lr={spec.lr:g}"
    if result.diverged:
        # only the divergence words are in two languages: label them alone, so the head is never repeated
        return Bilingual.same(
            f"{head} · " + label(tr("picture.run_diverged_at", epoch=result.diverged_at), lang)
        )
    tail = f"loss {result.final_loss:.3g}"  # numbers and terms, the same in both languages
    if result.accuracy is not None:
        measured = "test" if result.test_accuracy is not None else "training"  # as the boundary says
        tail += f" · {measured} accuracy {percent(result.accuracy)}"
    return Bilingual.same(f"{head}\n{tail}")  # two lines: the longest run's one line left the picture


def boundary_scores(run: TrainedRun, extent: tuple[float, float, float, float]) -> np.ndarray:
    """The trained network's class probabilities over a GRID×GRID window (for the boundary picture)."""
    xs = torch.linspace(extent[0], extent[1], GRID)
    ys = torch.linspace(extent[2], extent[3], GRID)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    with torch.no_grad():
        scores = class_scores(run.spec, run.model(grid)).numpy()
    if scores.ndim == 2 and scores.shape[1] == 2:
        scores = scores[:, 1]  # two-class CE: P(class 1) like the other losses
    if scores.ndim == 2:
        return scores.reshape(GRID, GRID, scores.shape[1])  # (H, W, K) for three or more classes
    return scores.reshape(GRID, GRID)


def xor_best_line() -> GuideLine:
    """The best a straight line can do on XOR: x₁ + x₂ = 0.5 cuts (0,0) off and gets 3 of 4 right."""
    return GuideLine(1.0, 1.0, -0.5, tr("picture.xor_best_line"), colour="#555555", style=":")


def _boundary_picture(run: TrainedRun, points: np.ndarray, is_test: np.ndarray, lang: str) -> bytes:
    """The decision boundary; a perceptron's is 'its straight line', and XOR's best line when it gave up."""
    data = run.data
    extent = grid_extent(points)
    labels = torch.cat([data.y_train, data.y_test]).numpy()
    scores = boundary_scores(run, extent)
    held_out = run.result.test_accuracy is not None  # the accuracy that counts, named for what it measures
    key = "picture.boundary_title_test_accuracy" if held_out else "picture.boundary_title_train_accuracy"
    title = tr(key, accuracy=percent(run.result.accuracy))
    if run.spec.model != "perceptron":
        return decision_boundary_png(points, labels, is_test, extent, scores, lang=lang, title=title)
    # a perceptron's p = 0.5 contour is its one straight line w₁x₁ + w₂x₂ + b = 0
    flat = is_flat(scores)
    return decision_boundary_png(
        points,
        labels,
        is_test,
        extent,
        scores,
        lang=lang,
        title=title,
        boundary=tr("picture.perceptron_line"),
        flat_note=tr("picture.perceptron_flat") if flat else None,
        lines=[xor_best_line()] if flat and run.spec.dataset == "xor" else [],
    )


def run_pictures(run: TrainedRun, lang: str) -> tuple[Picture, ...]:
    """The loss curve plus the decision boundary (classification) or fitted line (regression)."""
    result = run.result
    curve = loss_curve_png(
        result.train_losses,
        result.test_losses,
        lang=lang,
        diverged_at=result.diverged_at,
        stalled=any(note.code == "too_slow" for note in result.notes),
        title=loss_title(run, lang),
    )
    data = run.data
    points = torch.cat([data.x_train, data.x_test]).numpy()
    is_test = np.arange(len(points)) >= data.x_train.shape[0]
    if run.spec.task != "regression":
        second = Picture.named("decision_boundary", _boundary_picture(run, points, is_test, lang))
    else:
        line_x = np.linspace(points.min() - 0.2, points.max() + 0.2, 100, dtype=np.float32)
        with torch.no_grad():
            line_y = run.model(torch.from_numpy(line_x).reshape(-1, 1)).numpy()[:, 0]
        targets = torch.cat([data.y_train, data.y_test]).numpy()[:, 0]
        png = fitted_line_png(points[:, 0], targets, is_test, line_x, line_y, lang=lang)
        second = Picture.named("fitted_line", png)
    return (Picture.named("loss_curve", curve), second)


def first_layer_grids(
    run: TrainedRun, extent: tuple[float, float, float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """The first hidden layer over a UNIT_GRID×UNIT_GRID window: (outputs, weighted inputs), each
    (units, H, W), for the first MAX_UNIT_PANELS units."""
    model = run.model
    if not isinstance(model, torch.nn.Sequential) or not isinstance(model[0], torch.nn.Linear):
        raise TypeError("hidden-unit pictures need a Sequential network that starts with a Linear layer")
    xs = torch.linspace(extent[0], extent[1], UNIT_GRID)
    ys = torch.linspace(extent[2], extent[3], UNIT_GRID)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    with torch.no_grad():
        weighted = model[0](grid)[:, :MAX_UNIT_PANELS]  # w·x + b of each unit
        outputs = model[1](weighted)  # the unit's activation (elementwise, so a slice is the same)
    shape = (-1, UNIT_GRID, UNIT_GRID)
    return outputs.T.reshape(shape).numpy(), weighted.T.reshape(shape).numpy()


def units_picture(run: TrainedRun, lang: str) -> Picture:
    """Each unit of the first hidden layer (at most MAX_UNIT_PANELS): its output over the input plane,
    the data faint and its own boundary; refused for regression and for a perceptron."""
    check_shows_units(run.spec)  # the worker never trusts that the main side checked
    data = run.data
    points = torch.cat([data.x_train, data.x_test]).numpy()
    labels = torch.cat([data.y_train, data.y_test]).numpy()
    extent = grid_extent(points)
    outputs, weighted = first_layer_grids(run, extent)
    png = hidden_units_png(
        outputs,
        weighted,
        extent,
        points,
        labels,
        activation=run.spec.activation,
        total=run.spec.hidden[0],
        lang=lang,
    )
    return Picture.named("hidden_units", png)
