"""Optimizers compared: one loss curve per optimizer on shared axes, the target line, the table below."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from bot.i18n import tr
from bot.training.results import OptimizerRun, SettingRun
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import COLOURS, FONT, INK, MUTED, OPTIMIZER_NAMES

LOG_SPAN = 30.0  # curves spanning more than this factor get a log y axis
LEGEND_CHARS = 22  # characters per line in the legend beside the axes (about 250 px at 13 pt)


def loss_axis(ax: Axes, curves: Sequence[Sequence[float]]) -> None:
    """Log y when the losses span decades (the interesting part is near zero), plain ticks either way."""
    finite = np.array([v for c in curves for v in c if math.isfinite(v)], dtype=float)
    if finite.size and finite.min() > 0 and finite.max() / finite.min() > LOG_SPAN:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(style.plain_number))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(style.EPOCH, fontsize=FONT["label"])
    ax.set_ylabel(style.LOSS, fontsize=FONT["label"])
    style.style_axes(ax)
    style.room_for_y_labels(ax)


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.2g}" if abs(value) < 0.01 else f"{value:.3f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def race_rows(runs: Sequence[OptimizerRun]) -> list[list[str]]:
    """The comparison table as text cells: optimizer, final loss, accuracy, epochs to the target."""
    rows = []
    for run in runs:
        final = "diverged" if run.diverged else _number(run.final_loss)
        reached = run.epochs_to_target
        rows.append(
            [
                OPTIMIZER_NAMES.get(run.optimizer, run.optimizer),
                final,
                _percent(run.accuracy),
                "—" if reached is None else str(reached),
            ]
        )
    return rows


def race_headers(target_loss: float, lang: str) -> list[str]:
    """Column names of the comparison table."""
    return [
        "optimizer",
        tr("picture.race_final_loss").pick(lang),
        style.ACCURACY,
        tr("picture.race_epochs_to_target", target=_number(target_loss)).pick(lang),
    ]


def race_table(runs: Sequence[OptimizerRun], target_loss: float, lang: str) -> str:
    """The comparison table as aligned text in 'en' or 'hi' (what a front door shows as code)."""
    rows = [race_headers(target_loss, lang), *race_rows(runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


def race_chart(
    runs: Sequence[OptimizerRun], target_loss: float, *, dataset: str, lr: float, epochs: int, lang: str
) -> bytes:
    """One loss curve per optimizer on shared axes, the target line, and the results table below."""
    lang = style.use_lang(lang)
    fig = style.new_figure(style.WIDTH, 760)
    # the legend (with the target line explained) sits right of the axes, so it never covers a curve
    ax = fig.add_axes((0.1, 0.38, 0.6, 0.52))
    for run in runs:
        name = OPTIMIZER_NAMES.get(run.optimizer, run.optimizer)
        colour = COLOURS.get(run.optimizer, INK)
        draw_run_curve(ax, run, name, colour, lang, diverged_width=3.2)
    target = label(tr("picture.race_target", target=_number(target_loss)), lang)
    ax.axhline(target_loss, color=MUTED, ls=":", lw=1.8, label=style.wrap_lines(target, LEGEND_CHARS))
    loss_axis(ax, [*(run.train_losses for run in runs), [target_loss]])
    curves = [run.train_losses for run in runs]
    style.epoch_axis(ax, epochs, log=style.story_is_early(curves, epochs), fontsize=FONT["label"])
    title = tr("picture.race_title", dataset=dataset.upper(), lr=f"lr = {lr:g}")
    row_colours = [COLOURS.get(run.optimizer, INK) for run in runs]
    rows, headers = race_rows(runs), race_headers(target_loss, lang)
    finish_chart(fig, ax, label(title, lang), rows, headers, [0.2, 0.2, 0.18, 0.38], row_colours)
    return style.to_png(fig)


def draw_run_curve(
    ax: Axes, run: OptimizerRun | SettingRun, name: str, colour: str, lang: str, diverged_width: float = 2.4
) -> None:
    """One run's loss curve in the legend as `name` (with the epoch it diverged at, if it did), and a
    large cross at its last finite loss when it blew up, on top of the other curves."""
    losses = run.train_losses
    shown = name
    if run.diverged:
        at = run.diverged_at or len(losses)
        shown = label(tr("picture.race_diverged_name", name=name, epoch=at), lang)
    ax.plot(
        np.arange(1, len(losses) + 1),
        losses,
        lw=diverged_width if run.diverged else 2.4,
        color=colour,
        label=style.wrap_lines(shown, LEGEND_CHARS),
    )
    if run.diverged:
        last = next((i for i in range(len(losses) - 1, -1, -1) if math.isfinite(losses[i])), None)
        if last is not None:
            ax.plot(last + 1, losses[last], "X", ms=16, color=colour, mec="white", zorder=5)


def finish_chart(
    fig: Figure,
    ax: Axes,
    title: str,
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    widths: Sequence[float],
    row_colours: Sequence[str],
) -> None:
    """A comparison chart's legend beside the axes, its title, and the results table below, each row's
    first cell bold in its run's colour."""
    ax.legend(
        fontsize=FONT["small"], loc="upper left", bbox_to_anchor=(1.03, 1.0), frameon=False, borderaxespad=0
    )
    fig.suptitle(title, fontsize=FONT["title"], y=0.975)
    table_ax = fig.add_axes((0.04, 0.02, 0.92, 0.25))
    table_ax.set_axis_off()
    table = table_ax.table(
        cellText=[list(row) for row in rows],
        colLabels=list(headers),
        loc="center",
        cellLoc="center",
        colWidths=list(widths),
    )
    table.auto_set_font_size(False)
    table.set_fontsize(FONT["text"])
    table.scale(1.0, 1.7)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#BBBBBB")
        if row == 0:
            cell.set_facecolor("#EEEEEE")
        elif col == 0:
            cell.get_text().set_color(row_colours[row - 1])
            cell.get_text().set_fontweight("bold")
