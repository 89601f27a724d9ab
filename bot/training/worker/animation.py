"""Watch a run learn: the frames of its decision boundary (or fitted line) as it trains, as a GIF.

The run is trained once to learn its loss curve, which picks the frames (denser where the loss changes
most), then trained again from its seed, stopping at each chosen epoch to evaluate the network. Both
passes are the same deterministic run, so the last frame is the run the learner saw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from bot.training.spec import TrainSpec
from bot.training.worker.draw.decision_boundary import grid_extent
from bot.training.worker.draw.training_animation import Frame, boundary_animation_gif, line_animation_gif
from bot.training.worker.models import class_scores
from bot.training.worker.runner import RunLoop

MAX_FRAMES = 60
EVEN_SHARE = 0.3  # of the frames spread evenly over the epochs, so a long flat end still moves
FRAME_GRID = 100  # boundary resolution per side in a frame


def frame_epochs(losses: Sequence[float], frames: int = MAX_FRAMES) -> list[int]:
    """Epochs 0 … len(losses) to show, at most `frames`: denser where the loss changes most; the first
    and the last always."""
    count = len(losses)
    curve = np.nan_to_num(np.asarray(losses, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    steps = np.append(np.abs(np.diff(curve)), 0.0)  # step k: from the weights after k updates to k + 1
    total = float(steps.sum())
    weights = (
        (1 - EVEN_SHARE) * steps / total + EVEN_SHARE / count if total > 0 else np.full(count, 1 / count)
    )
    reach = np.concatenate([[0.0], np.cumsum(weights)])  # how much story is told by epoch k
    chosen = np.searchsorted(reach, np.linspace(0.0, reach[-1], frames), side="left")
    return sorted({0, count, *(int(min(k, count)) for k in chosen)})


def _grid_scores(spec: TrainSpec, net: nn.Module, extent: tuple[float, float, float, float]) -> np.ndarray:
    """Class probabilities over a FRAME_GRID² window: P(class 1) as (H, W), or (H, W, K) for more."""
    xs = torch.linspace(extent[0], extent[1], FRAME_GRID)
    ys = torch.linspace(extent[2], extent[3], FRAME_GRID)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    with torch.no_grad():
        scores = class_scores(spec, net(torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1))).numpy()
    scores = np.nan_to_num(scores, nan=0.5)
    if scores.ndim == 2 and scores.shape[1] == 2:
        scores = scores[:, 1]
    if scores.ndim == 2:
        return scores.reshape(FRAME_GRID, FRAME_GRID, scores.shape[1])
    return scores.reshape(FRAME_GRID, FRAME_GRID)


def animate(spec: TrainSpec) -> tuple[bytes, tuple[int, ...]]:
    """The run of `spec` learning, as GIF bytes, and the epoch each frame shows."""
    first = RunLoop(spec, total=2 * spec.epochs)
    first.advance(spec.epochs)
    epochs = frame_epochs(first.finish().result.train_losses)
    loop = RunLoop(spec, total=2 * spec.epochs)
    loop.clock.offset = spec.epochs
    data = loop.data
    points = torch.cat([data.x_train, data.x_test]).numpy()
    is_test = np.arange(len(points)) >= data.x_train.shape[0]
    head = f"{spec.dataset.upper()} · {spec.optimizer} lr={spec.lr:g}"
    frames = []
    if spec.task == "regression":
        line_x = np.linspace(points.min() - 0.2, points.max() + 0.2, 100, dtype=np.float32)
        line = torch.from_numpy(line_x).reshape(-1, 1)
        for epoch in epochs:
            loop.advance(epoch - loop.done)
            with torch.no_grad():
                values = loop.net(line).numpy()[:, 0].astype(np.float64)
            frames.append(Frame(loop.done, loop.loss_now(), np.nan_to_num(values)))
        targets = torch.cat([data.y_train, data.y_test]).numpy()[:, 0]
        gif = line_animation_gif(points[:, 0], targets, is_test, line_x, frames, head)
    else:
        extent = grid_extent(points)
        for epoch in epochs:
            loop.advance(epoch - loop.done)
            frames.append(Frame(loop.done, loop.loss_now(), _grid_scores(spec, loop.net, extent)))
        labels = torch.cat([data.y_train, data.y_test]).numpy()
        gif = boundary_animation_gif(points, labels, is_test, extent, frames, head)
    return gif, tuple(frame.epoch for frame in frames)
