"""Functions the worker processes run: plain data in, plain data (and PNG bytes) out.

The pool names them as "bot.training.jobs:train_job"; visuals' jobs live in visual_jobs.py.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import torch

from bot.training import explain, plots
from bot.training.fonts import label
from bot.training.models import build_model, class_scores, criterion, make_stepper
from bot.training.runner import TrainResult, train
from bot.training.spec import TrainSpec, make_spec, spec_from_dict

GRID = 150  # decision-boundary resolution per side


def _loss_title(result: TrainResult, lang: str) -> str:
    """'XOR · adam lr=0.05 · loss 6.7e-05' with the one changing word in the learner's language."""
    spec = result.spec
    model = " · perceptron" if spec.model == "perceptron" else ""
    head = f"{spec.dataset.upper()}{model} · {spec.optimizer} lr={spec.lr:g}"
    if result.diverged:
        n = result.diverged_at
        return f"{head} · " + label(f"diverged at epoch {n}", f"epoch {n} पर diverge हुआ", lang)
    tail = f"loss {result.final_loss:.3g}"
    if result.accuracy is not None:
        tail += f" · accuracy {plots.percent(result.accuracy)}"
    return f"{head} · {tail}"


def boundary_scores(result: TrainResult, extent: tuple[float, float, float, float]) -> np.ndarray:
    """The trained network's class probabilities over a GRID×GRID window (for the boundary picture)."""
    assert result.model is not None
    xs = torch.linspace(extent[0], extent[1], GRID)
    ys = torch.linspace(extent[2], extent[3], GRID)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    with torch.no_grad():
        scores = class_scores(result.spec, result.model(grid)).numpy()
    if scores.ndim == 2 and scores.shape[1] == 2:
        scores = scores[:, 1]  # two-class CE: P(class 1) like the other losses
    if scores.ndim == 2:
        return scores.reshape(GRID, GRID, scores.shape[1])  # (H, W, K) for three or more classes
    return scores.reshape(GRID, GRID)


# the best a straight line can do on XOR: x₁ + x₂ = 0.5 cuts (0,0) off and gets 3 of 4 right
XOR_BEST_LINE = plots.GuideLine(
    1.0,
    1.0,
    -0.5,
    "best line: 3 of 4 right",
    "सबसे अच्छी line: 4 में 3 सही",
    colour="#555555",
    style=":",
)


def _boundary_options(result: TrainResult, scores: np.ndarray) -> dict[str, Any]:
    """Words for a perceptron's boundary picture: 'its straight line', and XOR's best line when it gave up."""
    options: dict[str, Any] = {}
    if result.spec.model != "perceptron":
        return options
    # a perceptron's p = 0.5 contour is its one straight line w₁x₁ + w₂x₂ + b = 0
    options["boundary_en"], options["boundary_hi"] = "its straight line", "इसकी सीधी line (its straight line)"
    if plots.is_flat(scores):
        options["flat_note_en"] = (
            "p ≈ 0.5 everywhere: the perceptron found no line; it says 'don't know' for every point"
        )
        options["flat_note_hi"] = (
            "हर जगह p ≈ 0.5: perceptron को कोई line नहीं मिली; वह हर point पर 'पता नहीं' कहता है"
        )
        if result.spec.dataset == "xor":
            options["lines"] = [XOR_BEST_LINE]
    return options


def result_pictures(result: TrainResult, lang: str) -> list[dict[str, Any]]:
    """The loss curve plus the decision boundary (classification) or fitted line (regression)."""
    assert result.data is not None and result.model is not None
    title = _loss_title(result, lang)
    images = [
        {
            "name": "loss_curve",
            "png": plots.loss_curve_png(
                result.train_losses,
                result.test_losses,
                lang=lang,
                diverged_at=result.diverged_at,
                stalled=any(note.code == "too_slow" for note in result.notes),
                title_en=title,
                title_hi=title,
            ),
        }
    ]
    data = result.data
    points = torch.cat([data.x_train, data.x_test]).numpy()
    is_test = np.arange(len(points)) >= data.x_train.shape[0]
    if result.spec.task == "regression":
        line_x = np.linspace(points.min() - 0.2, points.max() + 0.2, 100, dtype=np.float32)
        with torch.no_grad():
            line_y = result.model(torch.from_numpy(line_x).reshape(-1, 1)).numpy()[:, 0]
        targets = torch.cat([data.y_train, data.y_test]).numpy()[:, 0]
        png = plots.fitted_line_png(points[:, 0], targets, is_test, line_x, line_y, lang=lang)
        images.append({"name": "fitted_line", "png": png})
    else:
        extent = plots.grid_extent(points)
        labels = torch.cat([data.y_train, data.y_test]).numpy()
        scores = boundary_scores(result, extent)
        acc = plots.percent(result.accuracy)
        png = plots.decision_boundary_png(
            points,
            labels,
            is_test,
            extent,
            scores,
            lang=lang,
            title_en=f"Decision boundary · accuracy {acc}",
            title_hi=f"Decision boundary (निर्णय सीमा) · accuracy {acc}",
            **_boundary_options(result, scores),
        )
        images.append({"name": "decision_boundary", "png": png})
    return images


def train_job(spec: dict[str, Any], lang: str = "en") -> dict[str, Any]:
    """Train the spec and draw its pictures: {"spec", "result", "images": [{"name", "png"}]}."""
    started = time.perf_counter()
    parsed = spec_from_dict(spec)
    if not isinstance(parsed, TrainSpec):
        raise TypeError("train_job needs a TrainSpec dict (with 'optimizer')")
    result = train(parsed)
    images = result_pictures(result, lang)
    out = result.to_dict()
    out["explanation"] = explain.joined(result.notes, lang)  # in the job's language; 'both': Hindi, English
    out["seconds"] = time.perf_counter() - started  # training and drawing: what the learner waits for
    out["train_seconds"] = result.seconds
    return {"spec": parsed.to_dict(), "result": out, "images": images}


def warm_up() -> dict[str, Any]:
    """Do once what every first job would otherwise pay for: torch ops, an optimizer step, a figure."""
    torch.set_num_threads(1)
    spec = make_spec(epochs=3)
    model = build_model(spec)
    params = list(model.parameters())
    x = torch.zeros(4, 2)
    loss = criterion(spec)(model(x), torch.zeros(4, 1))
    make_stepper("adam", params, 0.01)(torch.autograd.grad(loss, params))
    torch.optim.Adam(params)  # the first torch.optim object imports torch._dynamo (~1 s)
    for lang in ("en", "hi"):
        train_job(make_spec(epochs=30).to_dict(), lang)
        train_job(make_spec(dataset="linear", epochs=5).to_dict(), lang)
        train_job(make_spec(dataset="spiral", epochs=5).to_dict(), lang)
    return {"ok": True, "threads": torch.get_num_threads()}
