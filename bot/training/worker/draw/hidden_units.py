"""Each hidden unit's own boundary (TF Playground's neuron thumbnails): one small panel per unit of the
first hidden layer, its output over the input plane, the data faint, the line where its input is 0."""

from __future__ import annotations

import math

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from bot.i18n import Bilingual, tr
from bot.training.worker.draw import style
from bot.training.worker.draw.decision_boundary import wrap
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import CLASS_COLOURS, INK

PANELS = (0.015, 0.03, 0.66, 0.94)  # left, bottom, width, height of the panel grid (figure fraction)
COLUMN = 0.69  # the column on the right: title, key, the cap note and the colour bar
PANEL_TITLE, SIDE_TITLE, SIDE_TEXT = 13, 14, 13  # 13 pt: 9 px tall at the 400 px preview
SIDE_CHARS = 26
TITLE_PX, GAP_PX = 20, 8  # a panel's title line, and the space between panels
# purple for low, orange for high, white in the middle (away from the class colours); the darkest ends
# are left out, so the faint points stay visible on them
CMAP = ListedColormap(colormaps["PuOr_r"](np.linspace(0.18, 0.82, 256)))
# each activation's output range, for one colour scale shared by every panel; None: measured
RANGES: dict[str, tuple[float, float]] = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}
TOP_PERCENTILE = 98  # an unbounded output's scale: a few large corners must not wash out the rest


def grid_shape(units: int) -> tuple[int, int]:
    """(rows, columns) of the panel grid: one row up to 4 units, then rows of 4."""
    columns = min(4, max(1, units))
    return math.ceil(units / columns), columns


def colour_range(activation: str, outputs: np.ndarray) -> tuple[float, float]:
    """The shared colour scale: the activation's own range (sigmoid, tanh), else symmetric about 0, so
    white is always where the unit's weighted input is 0 (ReLU: white where it is off)."""
    fixed = RANGES.get(activation)
    if fixed is not None:
        return fixed
    finite = np.abs(outputs[np.isfinite(outputs)])
    top = float(np.percentile(finite, TOP_PERCENTILE)) if finite.size else 1.0
    top = top if top > 0 else 1.0
    return -top, top


def hidden_units_figure(
    outputs: np.ndarray,
    inputs: np.ndarray,
    extent: tuple[float, float, float, float],
    points: np.ndarray,
    labels: np.ndarray,
    *,
    activation: str,
    total: int,
    lang: str = "en",
) -> Figure:
    """The panels: `outputs` and `inputs` are (U, H, W) grids over `extent` of each unit's activation and
    of its weighted input w·x + b; `total` is how many units the layer has (U may be fewer: capped)."""
    fig = style.new_figure(style.RUN_WIDTH, style.RUN_HEIGHT)
    lang = style.use_lang(lang)  # 'both': Hindi words (terms in English), as the teaching figures do
    units = outputs.shape[0]
    rows, columns = grid_shape(units)
    vmin, vmax = colour_range(activation, outputs)
    xs = np.linspace(extent[0], extent[1], outputs.shape[2])
    ys = np.linspace(extent[2], extent[3], outputs.shape[1])
    width_px, height_px = style.RUN_WIDTH, style.RUN_HEIGHT
    left, bottom, width, height = PANELS
    cell_px = width * width_px / columns  # each panel's cell, its title above it, in pixels
    side = min(cell_px - GAP_PX, height * height_px / rows - TITLE_PX - GAP_PX)  # square panels
    block = rows * (side + TITLE_PX + GAP_PX)  # the grid's height, centred in its space
    top = (bottom + height) * height_px - (height * height_px - block) / 2
    size = 10 if len(points) > 8 else 40
    image = None
    for unit in range(units):
        row, column = divmod(unit, columns)
        x0 = left * width_px + column * cell_px + (cell_px - side) / 2
        y0 = top - (row + 1) * (side + TITLE_PX + GAP_PX) + GAP_PX / 2
        ax = fig.add_axes((x0 / width_px, y0 / height_px, side / width_px, side / height_px))
        image = ax.imshow(
            outputs[unit],
            origin="lower",
            extent=extent,
            cmap=CMAP,
            vmin=vmin,
            vmax=vmax,
            aspect="auto",
            interpolation="bilinear",
        )
        if np.nanmin(inputs[unit]) < 0 < np.nanmax(inputs[unit]):  # its line crosses this window
            ax.contour(xs, ys, inputs[unit], levels=[0.0], colors=INK, linewidths=1.0)
        for c in range(int(labels.max()) + 1 if len(labels) else 0):
            mine = points[labels == c]
            ax.scatter(
                mine[:, 0],
                mine[:, 1],
                s=size,
                c=CLASS_COLOURS[c],
                alpha=0.5,
                edgecolors="white",
                linewidths=0.3,
            )
        ax.set_xlim(extent[0], extent[1])
        ax.set_ylim(extent[2], extent[3])
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(label(tr("picture.unit_panel", number=unit + 1), lang), fontsize=PANEL_TITLE, pad=3)
    lines = [label(tr("picture.units_title", activation=activation), lang)]
    if units < total:
        lines.append(label(tr("picture.units_capped", shown=units, total=total), lang))
    fig.text(
        COLUMN,
        0.96,
        "\n".join(wrap(line, SIDE_CHARS) for line in lines),
        ha="left",
        va="top",
        fontsize=SIDE_TITLE,
        color=INK,
        linespacing=1.3,
    )
    key: list[Bilingual] = [tr("picture.units_colour"), tr("picture.units_line"), tr("picture.units_points")]
    fig.text(
        COLUMN,
        0.56,
        "\n".join(wrap(label(words, lang), SIDE_CHARS) for words in key),
        ha="left",
        va="top",
        fontsize=SIDE_TEXT,
        color=INK,
        linespacing=1.35,
    )
    if image is not None:
        bar = fig.add_axes((COLUMN, 0.08, 0.24, 0.035))
        fig.colorbar(image, cax=bar, orientation="horizontal")
        bar.tick_params(labelsize=SIDE_TEXT)
        bar.xaxis.set_major_formatter(FuncFormatter(style.plain_number))  # no mathtext
    return fig


def hidden_units_png(
    outputs: np.ndarray,
    inputs: np.ndarray,
    extent: tuple[float, float, float, float],
    points: np.ndarray,
    labels: np.ndarray,
    *,
    activation: str,
    total: int,
    lang: str = "en",
) -> bytes:
    """The hidden-units picture (see hidden_units_figure) as PNG bytes."""
    fig = hidden_units_figure(
        outputs, inputs, extent, points, labels, activation=activation, total=total, lang=lang
    )
    return style.to_png(fig)
