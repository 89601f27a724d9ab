"""One setting compared (activation, hidden widths or learning rate): a loss curve per value on shared
axes, and the results table below."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from bot.i18n import tr
from bot.training.results import SettingRun
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.optimizer_race import LEGEND_CHARS, loss_axis
from bot.training.worker.draw.style import FONT

# colour-blind-safe colours (Okabe–Ito), one per value in the order asked
VALUE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
SETTING_NAMES = {"activation": "activation", "hidden": "hidden", "lr": "lr"}


def _number(value: float) -> str:
    if not math.isfinite(value):
        return "—"
    return f"{value:.2g}" if abs(value) < 0.01 else f"{value:.3f}"


def setting_rows(runs: Sequence[SettingRun]) -> list[list[str]]:
    """The table as text cells: value, final loss (or 'diverged'), accuracy."""
    return [
        [run.label, "diverged" if run.diverged else _number(run.final_loss), style.percent(run.accuracy)]
        for run in runs
    ]


def setting_headers(setting: str, lang: str) -> list[str]:
    """Column names of the table."""
    return [SETTING_NAMES[setting], tr("picture.race_final_loss").pick(lang), style.ACCURACY]


def setting_table(runs: Sequence[SettingRun], setting: str, lang: str) -> str:
    """The table as aligned text in 'en' or 'hi' (what a front door shows as code)."""
    rows = [setting_headers(setting, lang), *setting_rows(runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


def setting_chart(runs: Sequence[SettingRun], *, setting: str, dataset: str, epochs: int, lang: str) -> bytes:
    """One loss curve per value on shared axes, a cross where a run blew up, the table below."""
    lang = style.use_lang(lang)
    fig = style.new_figure(style.WIDTH, 760)
    ax = fig.add_axes((0.1, 0.38, 0.6, 0.52))
    for index, run in enumerate(runs):
        losses = run.train_losses
        colour = VALUE_COLOURS[index % len(VALUE_COLOURS)]
        shown = f"{SETTING_NAMES[setting]} = {run.label}"
        if run.diverged:
            shown = label(
                tr("picture.race_diverged_name", name=shown, epoch=run.diverged_at or len(losses)), lang
            )
        ax.plot(
            np.arange(1, len(losses) + 1),
            losses,
            lw=2.4,
            color=colour,
            label=style.wrap_lines(shown, LEGEND_CHARS),
        )
        if run.diverged:
            last = next((i for i in range(len(losses) - 1, -1, -1) if math.isfinite(losses[i])), None)
            if last is not None:
                ax.plot(last + 1, losses[last], "X", ms=16, color=colour, mec="white", zorder=5)
    curves = [run.train_losses for run in runs]
    loss_axis(ax, curves)
    style.epoch_axis(ax, epochs, log=style.story_is_early(curves, epochs), fontsize=FONT["label"])
    ax.legend(
        fontsize=FONT["small"], loc="upper left", bbox_to_anchor=(1.03, 1.0), frameon=False, borderaxespad=0
    )
    title = tr("picture.setting_title", setting=SETTING_NAMES[setting], dataset=dataset.upper())
    fig.suptitle(label(title, lang), fontsize=FONT["title"], y=0.975)
    table_ax = fig.add_axes((0.04, 0.02, 0.92, 0.25))
    table_ax.set_axis_off()
    table = table_ax.table(
        cellText=setting_rows(runs),
        colLabels=setting_headers(setting, lang),
        loc="center",
        cellLoc="center",
        colWidths=[0.3, 0.3, 0.3],
    )
    table.auto_set_font_size(False)
    table.set_fontsize(FONT["text"])
    table.scale(1.0, 1.7)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#BBBBBB")
        if row == 0:
            cell.set_facecolor("#EEEEEE")
        elif col == 0:
            cell.get_text().set_color(VALUE_COLOURS[(row - 1) % len(VALUE_COLOURS)])
            cell.get_text().set_fontweight("bold")
    return style.to_png(fig)
