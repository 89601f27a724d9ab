"""The learning-rate sweep: one problem at several rates, each curve labelled with what it did."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.i18n import tr
from bot.training.results import SweepRun
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.optimizer_race import loss_axis
from bot.training.worker.draw.style import COLOURS, FONT, OPTIMIZER_NAMES

DATASET_TITLES = {"linear": "y = 2x"}  # how a dataset is named in a chart title (default: upper case)
PALETTE = {"slow": "small", "good": "good", "overshooting": "large", "diverged": "huge"}


def sweep_label(run: SweepRun, lang: str) -> str:
    """'lr = 10 — too large: diverged' in the picture's language."""
    return f"lr = {run.run.lr:g} — {label(tr(f'picture.verdict_{run.verdict}'), lang)}"


def sweep_chart(runs: Sequence[SweepRun], *, dataset: str, optimizer: str, epochs: int, lang: str) -> bytes:
    """The same problem at several learning rates, each curve labelled with what it shows."""
    lang = style.use_lang(lang)
    fig = style.new_figure()
    ax = fig.add_axes((0.1, 0.13, 0.86, 0.74))
    for item in runs:
        losses = item.run.train_losses
        epochs_run = np.arange(1, len(losses) + 1)
        colour = COLOURS[PALETTE[item.verdict]]
        ax.plot(epochs_run, losses, lw=2.4, color=colour, label=sweep_label(item, lang))
        if item.verdict == "diverged":
            ax.plot(epochs_run[-1], losses[-1], "X", ms=13, color=colour)
    loss_axis(ax, [item.run.train_losses for item in runs])
    # a log epoch axis: overshooting and blowing up happen in the first few epochs
    style.epoch_axis(ax, epochs, log=True, fontsize=FONT["label"])
    # bottom left stays empty: every curve starts high on the left
    ax.legend(fontsize=FONT["text"], loc="lower left", framealpha=0.92)
    title = tr(
        "picture.sweep_title",
        dataset=DATASET_TITLES.get(dataset, dataset.upper()),
        optimizer=OPTIMIZER_NAMES.get(optimizer, optimizer),
    )
    fig.suptitle(label(title, lang), fontsize=FONT["title"] - 1, y=0.965)
    return style.to_png(fig)
