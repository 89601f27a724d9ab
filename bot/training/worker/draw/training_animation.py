"""An animated GIF of a run learning: its decision boundary (or fitted line) at chosen epochs.

One figure is drawn once (the data, the axes) and only what training changes is redrawn per frame: the
class regions and their boundary, or the network's line, and the heading with the epoch and the loss.
Frames share one small palette (flat region colours pack well), so 60 frames stay far below 2 MB.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.figure import Figure
from PIL import Image

from bot.training.worker.draw import style
from bot.training.worker.draw.style import CLASS_COLOURS, EPOCH, INK, LOSS, REGION_COLOURS

SIDE = 420  # pixels per side of a frame
FRAME_MS, LAST_FRAME_MS = 110, 1800  # the last frame stays, so the end of training can be read
COLOURS = 64  # the shared palette


@dataclass(frozen=True)
class Frame:
    """What the network looked like after `epoch` updates: its loss and its scores (grid or line)."""

    epoch: int
    loss: float
    values: np.ndarray  # class scores over the grid (H, W) or (H, W, K), or the line's y values


def _heading(head: str, frame: Frame) -> str:
    return f"{head}\n{EPOCH} {frame.epoch} · {LOSS} {frame.loss:.3g}"


def _swatches() -> np.ndarray:
    """A strip of every region and class colour, so the shared palette holds them all exactly."""
    colours = [to_rgb(c) for c in (*REGION_COLOURS, *CLASS_COLOURS, INK)]
    strip = np.array([[[round(255 * v) for v in rgb] for rgb in colours]], dtype=np.uint8)
    return np.repeat(np.repeat(strip, 40, axis=0), 40, axis=1)


def _encode(images: list[np.ndarray]) -> bytes:
    """RGB frames as one looping GIF on one shared palette (no dithering: flat colours stay flat)."""
    swatch = _swatches()
    sample = np.concatenate([images[0], images[-1]], axis=0)
    width = sample.shape[1]
    padded = np.full((swatch.shape[0], width, 3), 255, dtype=np.uint8)
    padded[:, : min(width, swatch.shape[1])] = swatch[:, :width]
    palette = Image.fromarray(np.concatenate([sample, padded], axis=0)).quantize(
        COLOURS, method=Image.Quantize.MEDIANCUT
    )
    frames = [Image.fromarray(rgb).quantize(palette=palette, dither=Image.Dither.NONE) for rgb in images]
    durations = [FRAME_MS] * (len(frames) - 1) + [LAST_FRAME_MS]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0)
    return out.getvalue()


def _rgb(fig: Figure) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[:, :, :3].copy()  # type: ignore[attr-defined]


def boundary_animation_gif(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    frames: Sequence[Frame],
    head: str,
) -> bytes:
    """The class regions and boundary at each frame over the data (test points hollow), as a GIF."""
    fig = style.new_figure(SIDE, SIDE)
    ax = fig.add_axes((0.03, 0.03, 0.94, 0.82))
    n_classes = 2 if frames[0].values.ndim == 2 else frames[0].values.shape[2]
    image = ax.imshow(
        np.zeros(frames[0].values.shape[:2], dtype=int),
        origin="lower",
        extent=extent,
        cmap=ListedColormap(list(REGION_COLOURS[:n_classes])),
        vmin=0,
        vmax=n_classes - 1,
        aspect="auto",
        interpolation="nearest",
    )
    for c in range(n_classes):
        mine = labels == c
        size = 60 if len(points) <= 8 else 16
        train_pts, test_pts = points[mine & ~is_test], points[mine & is_test]
        ax.scatter(
            train_pts[:, 0], train_pts[:, 1], s=size, c=CLASS_COLOURS[c], edgecolors="white", linewidths=0.5
        )
        ax.scatter(test_pts[:, 0], test_pts[:, 1], s=size, facecolors="none", edgecolors=CLASS_COLOURS[c])
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xticks([])  # the still picture has the numbers; tick labels were most of a frame's cost
    ax.set_yticks([])
    title = fig.suptitle("", fontsize=12, y=0.97)
    rows, cols = frames[0].values.shape[:2]
    xs = np.linspace(extent[0], extent[1], cols)
    ys = np.linspace(extent[2], extent[3], rows)
    images = []
    for frame in frames:
        scores = frame.values
        region = (scores > 0.5).astype(int) if scores.ndim == 2 else scores.argmax(axis=2)
        image.set_data(region)
        lines = []
        if region.min() != region.max():
            if scores.ndim == 2:
                lines.append(ax.contour(xs, ys, scores, levels=[0.5], colors=INK, linewidths=1.4))
            else:
                for c in range(n_classes):
                    others = np.delete(scores, c, axis=2).max(axis=2)
                    edge = scores[:, :, c] - others
                    lines.append(ax.contour(xs, ys, edge, levels=[0.0], colors=INK, linewidths=1.1))
        title.set_text(_heading(head, frame))
        images.append(_rgb(fig))
        for drawn in lines:
            drawn.remove()
    return _encode(images)


def line_animation_gif(
    x: np.ndarray, y: np.ndarray, is_test: np.ndarray, line_x: np.ndarray, frames: Sequence[Frame], head: str
) -> bytes:
    """The network's line y(x) at each frame over the data points (test points hollow), as a GIF."""
    fig = style.new_figure(SIDE, SIDE)
    ax = fig.add_axes((0.03, 0.03, 0.94, 0.82))
    ax.scatter(x[~is_test], y[~is_test], s=16, c=CLASS_COLOURS[0])
    ax.scatter(x[is_test], y[is_test], s=16, facecolors="none", edgecolors=CLASS_COLOURS[0])
    low, high = float(y.min()), float(y.max())
    pad = 0.25 * (high - low or 1.0)
    ax.set_ylim(low - pad, high + pad)  # fixed: the line moves, the data stays put
    ax.set_xlim(float(line_x[0]), float(line_x[-1]))
    ax.set_xticks([])
    ax.set_yticks([])
    (line,) = ax.plot(line_x, np.zeros_like(line_x), color=CLASS_COLOURS[1], lw=2.2)
    title = fig.suptitle("", fontsize=12, y=0.97)
    images = []
    for frame in frames:
        line.set_ydata(np.clip(frame.values, low - 10 * pad, high + 10 * pad))  # a wild line just leaves
        title.set_text(_heading(head, frame))
        images.append(_rgb(fig))
    return _encode(images)
