"""Pictures of a run as PNG bytes at Discord's preview size: loss curve, decision boundary, fitted line.

Everything here takes plain numbers (lists, NumPy arrays), so any worker job can draw them. Figures are
built with `matplotlib.figure.Figure` (no pyplot state), labelled in the learner's language.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from bot.training.canvas import room_for_y_labels
from bot.training.fonts import label, setup_fonts

WIDTH, HEIGHT, DPI = 800, 500, 100  # Discord shows about this much without opening the image
CLASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")  # blue, red, green: class 0, 1, 2
REGION_COLOURS = ("#c6dbef", "#fcbba1", "#c7e9c0")  # the same, light, for the regions
LOG_SPAN = 100.0  # a loss that falls more than 100× gets a log axis
NEUTRAL = "#e4e4e4"  # the field of a model that says 'don't know' everywhere
INK = "#222222"
DIVERGED = "#d62728"
FLAT_CURVE = 0.02  # a loss curve whose range is under 2 % of its size is drawn from 0: it is flat
FLAT_MARGIN = 0.05  # probabilities this close to chance everywhere: the model decided nothing
SIDE_CHARS = 30  # characters per line in the column beside a boundary picture (about 250 px at 10.5 pt)
LINE_OF_TITLE = 0.055  # figure fraction one extra title line needs (14 pt at 500 px high)


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


def _axes(fig: Figure, rect: tuple[float, float, float, float], title: str) -> Axes:
    """Axes at `rect`, lowered by a line for each extra line of a stacked ('both') title."""
    left, bottom, width, height = rect
    extra = title.count("\n") * LINE_OF_TITLE
    return fig.add_axes((left, bottom, width, height - extra))


def loss_curve_figure(
    train_losses: Sequence[float],
    test_losses: Sequence[float] | None = None,
    *,
    lang: str = "en",
    diverged_at: int | None = None,
    stalled: bool = False,
    title_en: str = "Training loss",
    title_hi: str = "प्रशिक्षण के दौरान loss",
) -> Figure:
    """Loss per epoch (train, and test if given); log y when the loss spans decades; divergence marked.

    A loss that hardly changes is drawn from 0, so it looks as flat as it is (autoscaling would blow
    float jitter up into steps); `stalled` adds 'barely moved: lr too small' to the legend.
    """
    fig = new_figure()
    title = label(title_en, title_hi, lang)
    ax = _axes(fig, (0.1, 0.12, 0.86, 0.78), title)
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
    elif finite.size and finite.max() - finite.min() <= FLAT_CURVE * abs(finite.max()):
        ax.set_ylim(min(0.0, float(finite.min())), float(finite.max()) * 1.25 or 1.0)
    if stalled:
        note = label("barely moved: lr too small", "लगभग नहीं हिला: lr बहुत छोटा", lang)
        ax.plot([], [], " ", label=note)
    if diverged_at is not None:
        # the marker's words go in the legend, which 'best' keeps clear of the curves
        note = label("diverged: lr too large", "diverged: lr बहुत बड़ा", lang)
        ax.axvline(diverged_at, color=DIVERGED, lw=1.5, ls=":", label=note)
        last = train[np.isfinite(train)]
        if last.size:
            ax.plot(len(train), last[-1], "X", ms=11, color=DIVERGED, clip_on=False)
    ax.set_xlim(1, max(2, len(train_losses)))
    ax.set_xlabel("epoch", fontsize=12)
    ax.set_ylabel("loss", fontsize=12)
    # an explicit y skips matplotlib's title auto-placement (a tight-bbox pass over every tick)
    ax.set_title(title, fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=11)  # "best" keeps the words off the curves (and off a flat one)
    if ax.get_yscale() == "linear":
        ax.ticklabel_format(axis="y", useOffset=False)  # "0.701", never "1e-7 + 7.01e-1" over the title
    room_for_y_labels(ax)
    return fig


def loss_curve_png(
    train_losses: Sequence[float],
    test_losses: Sequence[float] | None = None,
    *,
    lang: str = "en",
    diverged_at: int | None = None,
    stalled: bool = False,
    title_en: str = "Training loss",
    title_hi: str = "प्रशिक्षण के दौरान loss",
) -> bytes:
    """The loss curve (see loss_curve_figure) as PNG bytes."""
    return to_png(
        loss_curve_figure(
            train_losses,
            test_losses,
            lang=lang,
            diverged_at=diverged_at,
            stalled=stalled,
            title_en=title_en,
            title_hi=title_hi,
        )
    )


def is_flat(scores: np.ndarray) -> bool:
    """Whether the model says 'don't know' everywhere: every probability within FLAT_MARGIN of chance."""
    chance = 0.5 if scores.ndim == 2 else 1.0 / scores.shape[2]
    return bool(np.all(np.abs(scores - chance) < FLAT_MARGIN))


@dataclass(frozen=True)
class GuideLine:
    """A straight line w₁x₁ + w₂x₂ + b = 0 drawn over a boundary picture, with its legend words."""

    w1: float
    w2: float
    b: float
    label_en: str
    label_hi: str
    colour: str = INK
    style: str = "--"


def _line_points(line: GuideLine, extent: tuple[float, float, float, float]) -> np.ndarray | None:
    """Two points of the line inside `extent`, or None when it misses the window (or w = 0)."""
    x0, x1, y0, y1 = extent
    if abs(line.w2) > 1e-12:
        xs = np.array([x0, x1])
        return np.stack([xs, -(line.w1 * xs + line.b) / line.w2], axis=1)
    if abs(line.w1) > 1e-12:
        x = -line.b / line.w1
        return np.array([[x, y0], [x, y1]]) if x0 <= x <= x1 else None
    return None


def _note_box(ax: Axes, text: str, where: tuple[float, float], ha: str, va: str, colour: str = INK) -> None:
    ax.text(
        *where,
        text,
        transform=ax.transAxes,
        ha=ha,
        va=va,
        fontsize=11,
        color=colour,
        linespacing=1.3,
        bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": colour, "alpha": 0.92},
        zorder=5,
    )


def wrap(text: str, width: int = SIDE_CHARS) -> str:
    """`text` with each of its lines wrapped at `width` characters (for the narrow side column)."""
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def decision_boundary_figure(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    scores: np.ndarray,
    *,
    lang: str = "en",
    title_en: str = "Decision boundary",
    title_hi: str = "Decision boundary (निर्णय सीमा)",
    lines: Sequence[GuideLine] = (),
    boundary_en: str = "boundary (p = 0.5)",
    boundary_hi: str = "सीमा: boundary (p = 0.5)",
    flat_note_en: str = "p ≈ 0.5 everywhere: no boundary; the model says 'don't know' for every point",
    flat_note_hi: str = "हर जगह p ≈ 0.5: कोई boundary नहीं; model हर point पर 'पता नहीं' कहता है",
) -> Figure:
    """Regions the network assigns to each class, the boundary line, and the data (test points hollow).

    `scores` is a grid over `extent` (x0, x1, y0, y1): P(class 1) with shape (H, W) for two classes,
    or class probabilities (H, W, K). A model at chance everywhere gets a grey field and a note instead of
    one flat class colour; `lines` are extra straight lines (e.g. the best any line can do).
    """
    fig = new_figure()
    title = label(title_en, title_hi, lang)
    ax = _axes(fig, (0.08, 0.1, 0.56, 0.8), title)
    n_classes = 2 if scores.ndim == 2 else scores.shape[2]
    flat = is_flat(scores)
    region = (scores > 0.5).astype(int) if scores.ndim == 2 else scores.argmax(axis=2)
    colours = [NEUTRAL] * n_classes if flat else list(REGION_COLOURS[:n_classes])
    ax.imshow(
        region,
        origin="lower",
        extent=extent,
        cmap=ListedColormap(colours),
        vmin=0,
        vmax=n_classes - 1,
        aspect="auto",
        interpolation="nearest",
    )
    xs = np.linspace(extent[0], extent[1], region.shape[1])
    ys = np.linspace(extent[2], extent[3], region.shape[0])
    handles: list[Artist] = []
    one_class = not flat and int(region.min()) == int(region.max())
    if not flat and not one_class:
        if scores.ndim == 2:
            ax.contour(xs, ys, scores, levels=[0.5], colors=INK, linewidths=1.5)
        else:
            # each class's edge: where its probability stops being the largest (smooth, unlike argmax steps)
            for c in range(n_classes):
                others = np.delete(scores, c, axis=2).max(axis=2)
                ax.contour(xs, ys, scores[:, :, c] - others, levels=[0.0], colors=INK, linewidths=1.2)
        handles.append(Line2D([], [], color=INK, lw=1.5, label=wrap(label(boundary_en, boundary_hi, lang))))
    for line in lines:
        ends = _line_points(line, extent)
        if ends is not None:
            (drawn,) = ax.plot(
                ends[:, 0],
                ends[:, 1],
                color=line.colour,
                ls=line.style,
                lw=2,
                label=wrap(label(line.label_en, line.label_hi, lang)),
            )
            handles.append(drawn)
    for c in range(n_classes):
        mine = labels == c
        name = label(f"class {c}", f"वर्ग (class {c})", lang)
        train_pts = points[mine & ~is_test]
        test_pts = points[mine & is_test]
        size = 70 if len(points) <= 8 else 22
        handles.append(
            ax.scatter(
                train_pts[:, 0], train_pts[:, 1], s=size, c=CLASS_COLOURS[c], edgecolors="white", label=name
            )
        )
        if len(test_pts):
            ax.scatter(
                test_pts[:, 0], test_pts[:, 1], s=size + 10, facecolors="none", edgecolors=CLASS_COLOURS[c]
            )
    if is_test.any():
        handles.append(
            ax.scatter(
                [],
                [],
                s=32,
                facecolors="none",
                edgecolors="#444444",
                label=label("test", "परीक्षण (test)", lang),
            )
        )
    side_note = None
    if flat:
        side_note = label(flat_note_en, flat_note_hi, lang)
    elif one_class:
        c = int(region.min())
        side_note = label(
            f"the model calls every point here class {c}: its boundary is outside the picture",
            f"model यहाँ हर point को class {c} कहता है: उसकी boundary picture के बाहर है",
            lang,
        )
    if side_note is not None:
        # beside the picture, under the legend: inside it the note would hide points
        fig.text(
            0.66,
            0.5,
            wrap(side_note),
            ha="left",
            va="top",
            fontsize=10.5,
            color=INK,
            linespacing=1.35,
            bbox={"boxstyle": "round,pad=0.5", "fc": "#f6f6f6", "ec": "#999999"},
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("x₁", fontsize=12)
    ax.set_ylabel("x₂", fontsize=12)
    ax.set_title(title, fontsize=13, loc="left", y=1.01)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=10.5, frameon=False)
    room_for_y_labels(ax)
    return fig


def decision_boundary_png(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    scores: np.ndarray,
    **options: Any,
) -> bytes:
    """The decision boundary picture (see decision_boundary_figure) as PNG bytes."""
    return to_png(decision_boundary_figure(points, labels, is_test, extent, scores, **options))


def fitted_line_figure(
    x: np.ndarray,
    y: np.ndarray,
    is_test: np.ndarray,
    line_x: np.ndarray,
    line_y: np.ndarray,
    *,
    lang: str = "en",
    title_en: str = "Fitted line",
    title_hi: str = "सीखी गई line (fitted line)",
) -> Figure:
    """The regression data, the network's fitted line, and the true rule y = 2x.

    The y axis follows the data: a network whose line ran off to ±10¹² (a diverged run) is clipped, and a
    note says where it went, instead of squashing the data into a flat row.
    """
    fig = new_figure()
    title = label(title_en, title_hi, lang)
    ax = _axes(fig, (0.1, 0.12, 0.86, 0.78), title)
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
    low, high = data_window(np.concatenate([y, 2 * line_x]))
    finite = line_y[np.isfinite(line_y)]
    span = high - low
    if finite.size == line_y.size and finite.min() >= low - span and finite.max() <= high + span:
        low, high = min(low, float(finite.min())), max(high, float(finite.max()))  # near enough: show it
    else:
        if finite.size == line_y.size:
            far = f"{float(np.abs(finite).max()):.2g}"
            reach_en, reach_hi = f"ŷ reaches ±{far}", f"ŷ ±{far} तक पहुँचा"
        else:
            reach_en, reach_hi = "ŷ became ∞ or NaN", "ŷ ∞ या NaN हो गया"
        note = label(
            f"the network's line left the plot\n({reach_en})",
            f"network की line plot से बाहर चली गई\n({reach_hi})",
            lang,
        )
        _note_box(ax, note, (0.97, 0.04), "right", "bottom", colour=CLASS_COLOURS[1])
    ax.set_ylim(low, high)
    ax.set_xlabel("x", fontsize=12)
    ax.set_ylabel("y", fontsize=12)
    ax.set_title(title, fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=11)
    room_for_y_labels(ax)
    return fig


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
    """The fitted-line picture (see fitted_line_figure) as PNG bytes."""
    return to_png(
        fitted_line_figure(x, y, is_test, line_x, line_y, lang=lang, title_en=title_en, title_hi=title_hi)
    )


def data_window(values: np.ndarray, margin: float = 0.12) -> tuple[float, float]:
    """A y range around the finite `values` with a margin on both sides."""
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    pad = max((high - low) * margin, 0.5)
    return low - pad, high + pad


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
