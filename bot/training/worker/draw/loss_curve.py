"""The loss curve of one run: loss per epoch (train, and test when points were held out)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from bot.i18n import Bilingual, tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import CLASS_COLOURS, DIVERGED

LOG_SPAN = 100.0  # a loss that falls more than 100× gets a log axis
PLOT_WIDTH = 0.56  # of the figure: the rest, on the right, is the legend's
LEGEND_CHARS = 26  # characters per line of the legend (about 180 px at 11 pt)
FLAT_CURVE = 0.02  # a loss curve whose range is under 2 % of its size is drawn from 0: it is flat


def loss_curve_figure(
    train_losses: Sequence[float],
    test_losses: Sequence[float] | None = None,
    *,
    lang: str = "en",
    diverged_at: int | None = None,
    stalled: bool = False,
    title: Bilingual | None = None,
) -> Figure:
    """Loss per epoch (train, and test if given); log y when the loss spans decades; divergence marked.

    A loss that hardly changes is drawn from 0, so it looks as flat as it is (autoscaling would blow
    float jitter up into steps); `stalled` adds 'barely moved: lr too small' to the legend. The figure is
    the one this thread keeps for loss curves (style.run_axes): the next loss curve empties it.
    """
    heading = label(title or tr("picture.loss_title"), lang)
    # the legend sits right of the axes, so it never covers a curve
    fig, ax = style.run_axes("loss_curve", style.titled_rect((0.1, 0.12, PLOT_WIDTH, 0.78), heading))
    epochs = np.arange(1, len(train_losses) + 1)
    train = np.asarray(train_losses, dtype=float)
    ax.plot(epochs, train, color=CLASS_COLOURS[0], lw=2, label=label(tr("picture.train"), lang))
    curves = [train]
    if test_losses is not None and len(test_losses):
        test = np.asarray(test_losses, dtype=float)
        curves.append(test)
        ax.plot(epochs, test, color="#ff7f0e", lw=1.6, ls="--", label=label(tr("picture.test"), lang))
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size and finite.min() > 0 and finite.max() / finite.min() > LOG_SPAN:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(style.plain_number))
        ax.yaxis.set_minor_locator(NullLocator())  # dozens of minor ticks cost more than the curve
    elif finite.size and finite.max() - finite.min() <= FLAT_CURVE * abs(finite.max()):
        ax.set_ylim(min(0.0, float(finite.min())), float(finite.max()) * 1.25 or 1.0)
    if stalled:
        ax.plot([], [], " ", label=label(tr("picture.stalled"), lang))
    if diverged_at is not None:
        # the marker's words go in the legend, beside the curves
        note = label(tr("picture.diverged_marker"), lang)
        ax.axvline(diverged_at, color=DIVERGED, lw=1.5, ls=":", label=note)
        last = train[np.isfinite(train)]
        if last.size:
            ax.plot(len(train), last[-1], "X", ms=11, color=DIVERGED, clip_on=False)
    epochs_run = max(len(train_losses), diverged_at or 0)
    style.epoch_axis(ax, epochs_run, log=style.story_is_early(curves, epochs_run), fontsize=12)
    ax.set_ylabel(style.LOSS, fontsize=12)
    ax.tick_params(labelsize=12)  # readable when Discord shows the picture 400 px wide
    # an explicit y skips matplotlib's title auto-placement (a tight-bbox pass over every tick)
    ax.set_title(heading, fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(
        handles,
        [style.wrap_lines(name, LEGEND_CHARS) for name in names],
        loc="upper left",
        bbox_to_anchor=(1.04, 1.0),
        fontsize=11,
        frameon=False,
        borderaxespad=0,
    )
    if ax.get_yscale() == "linear":
        ax.ticklabel_format(axis="y", useOffset=False)  # "0.701", never "1e-7 + 7.01e-1" over the title
    style.room_for_y_labels(ax)
    return fig


def loss_curve_png(
    train_losses: Sequence[float],
    test_losses: Sequence[float] | None = None,
    *,
    lang: str = "en",
    diverged_at: int | None = None,
    stalled: bool = False,
    title: Bilingual | None = None,
) -> bytes:
    """The loss curve (see loss_curve_figure) as PNG bytes."""
    return style.to_png(
        loss_curve_figure(
            train_losses, test_losses, lang=lang, diverged_at=diverged_at, stalled=stalled, title=title
        )
    )
