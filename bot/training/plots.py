"""Pictures of a run as PNG bytes at Discord's preview size: loss curve, decision boundary, fitted line.

Everything here takes plain numbers (lists, NumPy arrays), so any worker job can draw them. Figures are
built with `matplotlib.figure.Figure` (no pyplot state), labelled in the learner's language.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from bot.training.fonts import label, setup_fonts

WIDTH, HEIGHT, DPI = 800, 500, 100  # Discord shows about this much without opening the image
CLASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")  # blue, red, green: class 0, 1, 2
REGION_COLOURS = ("#c6dbef", "#fcbba1", "#c7e9c0")  # the same, light, for the regions
LOG_SPAN = 100.0  # a loss that falls more than 100× gets a log axis


def new_figure(width: int = WIDTH, height: int = HEIGHT) -> Figure:
    """A blank figure of `width`×`height` pixels with the tutor's fonts (reuse for other pictures)."""
    setup_fonts()
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, exactly its pixel size (no tight bbox, which would change it)."""
    buffer = io.BytesIO()
    # zlib level 1: encodes ~4x faster than the default 6 for a few more kilobytes
    fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def _plain_number(value: float, _pos: object = None) -> str:
    # plain tick labels ("0.001") instead of mathtext ("10^-3"), which costs ~70 ms per picture
    return f"{value:g}"


def loss_curve_png(
    train_losses: Sequence[float],
    test_losses: Sequence[float] | None = None,
    *,
    lang: str = "en",
    diverged_at: int | None = None,
    title_en: str = "Training loss",
    title_hi: str = "प्रशिक्षण के दौरान loss",
) -> bytes:
    """Loss per epoch (train, and test if given); log y when the loss spans decades; divergence marked."""
    fig = new_figure()
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.78))
    epochs = np.arange(1, len(train_losses) + 1)
    train = np.asarray(train_losses, dtype=float)
    ax.plot(epochs, train, color=CLASS_COLOURS[0], lw=2, label=label("train", "प्रशिक्षण (train)", lang))
    curves = [train]
    if test_losses is not None and len(test_losses):
        test = np.asarray(test_losses, dtype=float)
        curves.append(test)
        ax.plot(epochs, test, color="#ff7f0e", lw=1.6, ls="--", label=label("test", "परीक्षण (test)", lang))
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size and finite.min() > 0 and finite.max() / finite.min() > LOG_SPAN:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(_plain_number))
        ax.yaxis.set_minor_locator(NullLocator())  # dozens of minor ticks cost more than the curve
    if diverged_at is not None:
        ax.axvline(diverged_at, color="#d62728", lw=1.5, ls=":")
        note = label("diverged: lr too large", "diverged: lr बहुत बड़ा", lang)
        ax.annotate(
            note,
            xy=(diverged_at, 0.5),
            xycoords=("data", "axes fraction"),
            xytext=(-8, 0),
            textcoords="offset points",
            ha="right",
            color="#d62728",
            fontsize=12,
        )
    ax.set_xlim(1, max(2, len(train_losses)))
    ax.set_xlabel("epoch", fontsize=12)
    ax.set_ylabel("loss", fontsize=12)
    # an explicit y skips matplotlib's title auto-placement (a tight-bbox pass over every tick)
    ax.set_title(label(title_en, title_hi, lang), fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left" if diverged_at is not None else "upper right", fontsize=11)
    return to_png(fig)


def decision_boundary_png(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    scores: np.ndarray,
    *,
    lang: str = "en",
    title_en: str = "Decision boundary",
    title_hi: str = "Decision boundary (निर्णय सीमा)",
) -> bytes:
    """Regions the network assigns to each class, the boundary line, and the data (test points hollow).

    `scores` is a grid over `extent` (x0, x1, y0, y1): P(class 1) with shape (H, W) for two classes,
    or class probabilities (H, W, K).
    """
    fig = new_figure()
    ax = fig.add_axes((0.09, 0.1, 0.64, 0.8))
    n_classes = 2 if scores.ndim == 2 else scores.shape[2]
    region = (scores > 0.5).astype(int) if scores.ndim == 2 else scores.argmax(axis=2)
    cmap = ListedColormap(list(REGION_COLOURS[:n_classes]))
    ax.imshow(
        region,
        origin="lower",
        extent=extent,
        cmap=cmap,
        vmin=0,
        vmax=n_classes - 1,
        aspect="auto",
        interpolation="nearest",
    )
    xs = np.linspace(extent[0], extent[1], region.shape[1])
    ys = np.linspace(extent[2], extent[3], region.shape[0])
    if scores.ndim == 2:
        ax.contour(xs, ys, scores, levels=[0.5], colors="black", linewidths=1.5)
    else:
        # each class's edge: where its probability stops being the largest (smooth, unlike argmax steps)
        for c in range(n_classes):
            others = np.delete(scores, c, axis=2).max(axis=2)
            ax.contour(xs, ys, scores[:, :, c] - others, levels=[0.0], colors="black", linewidths=1.2)
    for c in range(n_classes):
        mine = labels == c
        name = label(f"class {c}", f"वर्ग (class) {c}", lang)
        train_pts = points[mine & ~is_test]
        test_pts = points[mine & is_test]
        size = 70 if len(points) <= 8 else 22
        ax.scatter(
            train_pts[:, 0], train_pts[:, 1], s=size, c=CLASS_COLOURS[c], edgecolors="white", label=name
        )
        if len(test_pts):
            ax.scatter(
                test_pts[:, 0], test_pts[:, 1], s=size + 10, facecolors="none", edgecolors=CLASS_COLOURS[c]
            )
    if is_test.any():
        ax.scatter(
            [], [], s=32, facecolors="none", edgecolors="#444444", label=label("test", "परीक्षण (test)", lang)
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("x₁", fontsize=12)
    ax.set_ylabel("x₂", fontsize=12)
    ax.set_title(label(title_en, title_hi, lang), fontsize=13, loc="left", y=1.01)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=11, frameon=False)
    return to_png(fig)


def fitted_line_png(
    x: np.ndarray,
    y: np.ndarray,
    is_test: np.ndarray,
    line_x: np.ndarray,
    line_y: np.ndarray,
    *,
    lang: str = "en",
    title_en: str = "Fitted line",
    title_hi: str = "सीखी गई line (fitted line)",
) -> bytes:
    """The regression data, the network's fitted line, and the true rule y = 2x."""
    fig = new_figure()
    ax = fig.add_axes((0.1, 0.12, 0.86, 0.78))
    ax.scatter(
        x[~is_test], y[~is_test], s=28, c=CLASS_COLOURS[0], label=label("train", "प्रशिक्षण (train)", lang)
    )
    if is_test.any():
        ax.scatter(
            x[is_test],
            y[is_test],
            s=34,
            facecolors="none",
            edgecolors=CLASS_COLOURS[0],
            label=label("test", "परीक्षण (test)", lang),
        )
    ax.plot(line_x, 2 * line_x, color="#777777", ls="--", lw=1.2, label="y = 2x")
    ax.plot(line_x, line_y, color=CLASS_COLOURS[1], lw=2.2, label=label("network", "network का अनुमान", lang))
    ax.set_xlabel("x", fontsize=12)
    ax.set_ylabel("y", fontsize=12)
    ax.set_title(label(title_en, title_hi, lang), fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=11)
    return to_png(fig)


def grid_extent(points: np.ndarray, margin: float = 0.25) -> tuple[float, float, float, float]:
    """A square-ish window around the points with a margin, as (x0, x1, y0, y1)."""
    lo = points.min(axis=0)
    hi = points.max(axis=0)
    pad = np.maximum((hi - lo) * margin, 0.5)
    x0, y0 = lo - pad
    x1, y1 = hi + pad
    return (float(x0), float(x1), float(y0), float(y1))


def percent(value: float | None) -> str:
    """0.975 → '97.5%' (trailing .0 dropped); None → '—'."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"
