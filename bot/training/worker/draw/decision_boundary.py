"""The decision boundary: the regions a network assigns to each class, its boundary, and the data."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import contourpy
import numpy as np
from matplotlib import rcParams
from matplotlib.artist import Artist
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from bot.i18n import Bilingual, tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import CLASS_COLOURS, INK, NEUTRAL, REGION_COLOURS

FLAT_MARGIN = 0.05  # probabilities this close to chance everywhere: the model decided nothing
SIDE_CHARS = 21  # characters per line in the column beside the picture (about 220 px at 12 pt)
TITLE_CHARS = 22  # the title heads that column, a little larger
# the picture fills the height; the column on its right holds the title, the legend and any note
PLOT = (0.085, 0.125, 0.615, 0.85)
COLUMN = 0.715  # where that column starts (figure fraction)
TICK_SIZE, LABEL_SIZE, TITLE_SIZE, LEGEND_SIZE = 14, 15, 14, 12
TICKS = 5  # at most, per axis: large labels that do not crowd


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
    words: Bilingual
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


def boundary_line(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, level: float, *, width: float) -> PathPatch:
    """The contour z = `level` over the grid (xs, ys) as one unfilled path in INK, drawn as ax.contour
    draws a line contour (round joins, butt caps, above the points).

    ax.contour builds a ContourSet with its colour map and levels machinery (~15 ms a contour, three for
    three classes); contourpy's lines, the very ones it would draw, cost well under a millisecond.
    """
    lines = contourpy.contour_generator(
        xs,
        ys,
        z,
        name=rcParams["contour.algorithm"],
        corner_mask=rcParams["contour.corner_mask"],
        line_type=contourpy.LineType.SeparateCode,
    )
    # SeparateCode lines: a list of point arrays and a list of their path codes
    vertices, codes = cast("tuple[list[np.ndarray], list[np.ndarray]]", lines.create_contour(level))
    path = Path(np.concatenate(vertices), np.concatenate(codes)) if len(vertices) else Path(np.empty((0, 2)))
    path.should_simplify = False  # a collection's paths are drawn unsimplified: the line keeps every bend
    return PathPatch(
        path, fill=False, edgecolor=INK, linewidth=width, joinstyle="round", capstyle="butt", zorder=2
    )


def wrap(text: str, width: int = SIDE_CHARS) -> str:
    """`text` with each of its lines wrapped at `width` characters (for the narrow side column)."""
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def grid_extent(points: np.ndarray, margin: float = 0.25) -> tuple[float, float, float, float]:
    """A square-ish window around the points with a margin, as (x0, x1, y0, y1)."""
    lo = points.min(axis=0)
    hi = points.max(axis=0)
    pad = np.maximum((hi - lo) * margin, 0.5)
    x0, y0 = lo - pad
    x1, y1 = hi + pad
    return (float(x0), float(x1), float(y0), float(y1))


def decision_boundary_figure(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    scores: np.ndarray,
    *,
    lang: str = "en",
    title: Bilingual | None = None,
    lines: Sequence[GuideLine] = (),
    boundary: Bilingual | None = None,
    flat_note: Bilingual | None = None,
) -> Figure:
    """Regions the network assigns to each class, the boundary line, and the data (test points hollow).

    `scores` is a grid over `extent` (x0, x1, y0, y1): P(class 1) with shape (H, W) for two classes,
    or class probabilities (H, W, K). A model at chance everywhere gets a grey field and a note instead of
    one flat class colour; `lines` are extra straight lines (e.g. the best any line can do). `boundary`
    names the boundary in the legend and `flat_note` explains a grey field. The figure is the one this
    thread keeps for boundaries (style.run_axes): the next boundary empties it.
    """
    heading = label(title or tr("picture.boundary_title"), lang)
    fig, ax = style.run_axes("decision_boundary", PLOT)
    # the window first: fixed limits spare every artist below an autoscaling pass over the data
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
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
        # add_artist, not add_patch: the window is fixed, and add_patch walks every vertex for data limits
        if scores.ndim == 2:
            ax.add_artist(boundary_line(xs, ys, scores, 0.5, width=1.5))
        else:
            # each class's edge: where its probability stops being the largest (smooth, unlike argmax steps)
            for c in range(n_classes):
                others = np.delete(scores, c, axis=2).max(axis=2)
                ax.add_artist(boundary_line(xs, ys, scores[:, :, c] - others, 0.0, width=1.2))
        words = label(boundary or tr("picture.boundary"), lang)
        handles.append(Line2D([], [], color=INK, lw=1.5, label=wrap(words)))
    for line in lines:
        ends = _line_points(line, extent)
        if ends is not None:
            (drawn,) = ax.plot(
                ends[:, 0],
                ends[:, 1],
                color=line.colour,
                ls=line.style,
                lw=2,
                label=wrap(label(line.words, lang)),
            )
            handles.append(drawn)
    for c in range(n_classes):
        mine = labels == c
        name = label(tr("picture.boundary_class", number=c), lang)
        train_pts = points[mine & ~is_test]
        test_pts = points[mine & is_test]
        size = 80 if len(points) <= 8 else 30
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
                [], [], s=32, facecolors="none", edgecolors="#444444", label=label(tr("picture.test"), lang)
            )
        )
    ax.xaxis.set_major_locator(MaxNLocator(TICKS))
    ax.yaxis.set_major_locator(MaxNLocator(TICKS))
    ax.tick_params(labelsize=TICK_SIZE)
    ax.set_xlabel("x₁", fontsize=LABEL_SIZE, labelpad=2)
    ax.set_ylabel("x₂", fontsize=LABEL_SIZE)
    # the title heads the legend in the column beside the picture (not over it: the plot gets the height)
    legend = ax.legend(
        handles=handles,
        title=wrap(heading, TITLE_CHARS),
        title_fontsize=TITLE_SIZE,
        alignment="left",
        loc="upper left",
        bbox_to_anchor=(COLUMN, PLOT[1] + PLOT[3]),
        bbox_transform=fig.transFigure,
        borderaxespad=0,
        borderpad=0,
        fontsize=LEGEND_SIZE,
        markerscale=1.4,
        frameon=False,
    )
    side_note = None
    if flat:
        side_note = label(flat_note or tr("picture.boundary_flat"), lang)
    elif one_class:
        side_note = label(tr("picture.boundary_one_class", number=int(region.min())), lang)
    if side_note is not None:
        # beside the picture, under the legend: inside it the note would hide points
        below = legend.get_window_extent(fig.canvas.get_renderer()).y0 / fig.bbox.height  # type: ignore[attr-defined]
        fig.text(
            COLUMN + 0.01,
            below - 0.04,
            wrap(side_note),
            ha="left",
            va="top",
            fontsize=LEGEND_SIZE - 1,
            color=INK,
            linespacing=1.35,
            bbox={"boxstyle": "round,pad=0.5", "fc": "#f6f6f6", "ec": "#999999"},
        )
    style.room_for_y_labels(ax)
    return fig


def decision_boundary_png(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    scores: np.ndarray,
    *,
    lang: str = "en",
    title: Bilingual | None = None,
    lines: Sequence[GuideLine] = (),
    boundary: Bilingual | None = None,
    flat_note: Bilingual | None = None,
) -> bytes:
    """The decision boundary picture (see decision_boundary_figure) as PNG bytes."""
    fig = decision_boundary_figure(
        points,
        labels,
        is_test,
        extent,
        scores,
        lang=lang,
        title=title,
        lines=lines,
        boundary=boundary,
        flat_note=flat_note,
    )
    return style.to_png(fig)
