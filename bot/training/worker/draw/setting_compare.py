"""One setting compared (activation, hidden widths or learning rate): a loss curve per value on shared
axes, and the results table below."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.i18n import tr
from bot.training.results import SettingRun
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.optimizer_race import draw_run_curve, finish_chart, loss_axis
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
        colour = VALUE_COLOURS[index % len(VALUE_COLOURS)]
        draw_run_curve(ax, run, f"{SETTING_NAMES[setting]} = {run.label}", colour, lang)
    curves = [run.train_losses for run in runs]
    loss_axis(ax, curves)
    style.epoch_axis(ax, epochs, log=style.story_is_early(curves, epochs), fontsize=FONT["label"])
    title = tr("picture.setting_title", setting=SETTING_NAMES[setting], dataset=dataset.upper())
    row_colours = [VALUE_COLOURS[i % len(VALUE_COLOURS)] for i in range(len(runs))]
    rows, headers = setting_rows(runs), setting_headers(setting, lang)
    finish_chart(fig, ax, label(title, lang), rows, headers, [0.3, 0.3, 0.3], row_colours)
    return style.to_png(fig)
