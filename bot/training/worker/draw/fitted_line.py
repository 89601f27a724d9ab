"""The fitted line of a regression run: the data, the network's line and the true rule y = 2x."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from bot.i18n import join, tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import CLASS_COLOURS, INK


def data_window(values: np.ndarray, margin: float = 0.12) -> tuple[float, float]:
    """A y range around the finite `values` with a margin on both sides."""
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    pad = max((high - low) * margin, 0.5)
    return low - pad, high + pad


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


def fitted_line_figure(
    x: np.ndarray,
    y: np.ndarray,
    is_test: np.ndarray,
    line_x: np.ndarray,
    line_y: np.ndarray,
    *,
    lang: str = "en",
) -> Figure:
    """The regression data, the network's fitted line, and the true rule y = 2x.

    The y axis follows the data: a network whose line ran off to ±10¹² (a diverged run) is clipped, and a
    note says where it went, instead of squashing the data into a flat row. The figure is the one this
    thread keeps for fitted lines (style.run_axes): the next fitted line empties it.
    """
    heading = label(tr("picture.fitted_title"), lang)
    fig, ax = style.run_axes("fitted_line", style.titled_rect((0.1, 0.12, 0.86, 0.78), heading))
    train = label(tr("picture.train"), lang)
    ax.scatter(x[~is_test], y[~is_test], s=28, c=CLASS_COLOURS[0], label=train)
    if is_test.any():
        ax.scatter(
            x[is_test],
            y[is_test],
            s=34,
            facecolors="none",
            edgecolors=CLASS_COLOURS[0],
            label=label(tr("picture.test"), lang),
        )
    ax.plot(line_x, 2 * line_x, color="#777777", ls="--", lw=1.2, label="y = 2x")
    network = label(tr("picture.fitted_network"), lang)
    ax.plot(line_x, line_y, color=CLASS_COLOURS[1], lw=2.2, label=network)
    low, high = data_window(np.concatenate([y, 2 * line_x]))
    finite = line_y[np.isfinite(line_y)]
    span = high - low
    if finite.size == line_y.size and finite.min() >= low - span and finite.max() <= high + span:
        low, high = min(low, float(finite.min())), max(high, float(finite.max()))  # near enough: show it
    else:
        if finite.size == line_y.size:
            reach = tr("picture.fitted_reach", far=f"{float(np.abs(finite).max()):.2g}")
        else:
            reach = tr("picture.fitted_infinite")
        note = label(join([tr("picture.fitted_left_plot"), reach.map(lambda why: f"({why})")]), lang)
        _note_box(ax, note, (0.97, 0.04), "right", "bottom", colour=CLASS_COLOURS[1])
    ax.set_ylim(low, high)
    ax.set_xlabel("x", fontsize=12)
    ax.set_ylabel("y", fontsize=12)
    ax.set_title(heading, fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=11)
    style.room_for_y_labels(ax)
    return fig


def fitted_line_png(
    x: np.ndarray,
    y: np.ndarray,
    is_test: np.ndarray,
    line_x: np.ndarray,
    line_y: np.ndarray,
    *,
    lang: str = "en",
) -> bytes:
    """The fitted-line picture (see fitted_line_figure) as PNG bytes."""
    return style.to_png(fitted_line_figure(x, y, is_test, line_x, line_y, lang=lang))
