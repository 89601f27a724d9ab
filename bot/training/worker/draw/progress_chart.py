"""A learner's last days: XP per day as bars and quiz accuracy as a line, on one shared date axis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

from bot.i18n import tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import FONT

Series = Mapping[str, Any] | Sequence[Mapping[str, Any]]


def _series(data: Series) -> tuple[list[date], list[float], list[float | None]]:
    """Days, XP per day and accuracy per day from {"days", "xp", "accuracy"} lists or a list of day dicts."""
    if isinstance(data, Mapping):
        days, xp, accuracy = list(data["days"]), list(data["xp"]), list(data.get("accuracy") or [])
    else:
        days = [d["day"] for d in data]
        xp = [d.get("xp", 0) for d in data]
        accuracy = [d.get("accuracy") for d in data]
    if not accuracy:
        accuracy = [None] * len(days)
    if not len(days) == len(xp) == len(accuracy):
        raise ValueError("days, xp and accuracy must have the same length")
    parsed = [d if isinstance(d, date) else date.fromisoformat(str(d)[:10]) for d in days]
    return parsed, [float(v or 0) for v in xp], [None if a is None else float(a) for a in accuracy]


def progress_chart(data: Series, lang: str) -> bytes:
    """XP per day as bars and quiz accuracy as a line (0–100 %) over the last days, one shared date axis.

    `data` is {"days": [...ISO dates], "xp": [...], "accuracy": [... 0..1 or None]} or a list of
    {"day", "xp", "accuracy"} dicts; a day without quiz answers has accuracy None (a gap in the line).
    """
    lang = style.use_lang(lang)
    days, xp, accuracy = _series(data)
    fig = style.new_figure(style.WIDTH, 560)
    ax = fig.add_axes((0.09, 0.12, 0.8, 0.7))
    positions = np.arange(len(days))
    ax.bar(positions, xp, color="#56B4E9", width=0.8, label="XP")
    ax.set_ylabel(label(tr("picture.progress_xp_axis"), lang), fontsize=FONT["label"], color="#0072B2")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    style.style_axes(ax)
    ax.spines["right"].set_visible(True)
    acc_ax = ax.twinx()
    values = np.array([np.nan if a is None else a * 100 for a in accuracy], dtype=float)
    acc_ax.plot(positions, values, color="#D55E00", lw=2.6, marker="o", ms=5, label=style.ACCURACY)
    acc_ax.set_ylim(0, 105)
    acc_ax.set_ylabel("quiz accuracy (%)", fontsize=FONT["label"], color="#D55E00")
    acc_ax.tick_params(labelsize=FONT["tick"])
    acc_ax.spines["top"].set_visible(False)
    step = max(1, len(days) // 6)
    ticks = list(positions[::step])
    ax.set_xticks(ticks)
    ax.set_xticklabels([days[i].strftime("%d %b") for i in ticks], fontsize=FONT["tick"])
    ax.set_xlim(-0.7, max(len(days) - 0.3, 0.3))
    active = sum(1 for v in xp if v > 0)
    key = "picture.progress_title_one_day" if active == 1 else "picture.progress_title"
    title = tr(key, days=len(days), xp=int(sum(xp)), active=active)
    fig.suptitle(label(title, lang), fontsize=FONT["title"], y=0.965)
    handles = [*ax.get_legend_handles_labels()[0], *acc_ax.get_legend_handles_labels()[0]]
    ax.legend(
        handles,
        ["XP", style.ACCURACY],
        fontsize=FONT["small"],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=2,
        frameon=False,
    )
    return style.to_png(fig)
