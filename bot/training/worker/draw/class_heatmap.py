"""A class at a glance: one row per learner, one column per lesson, each cell the learner's mastery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap

from bot.training.worker.draw import style
from bot.training.worker.draw.style import FONT, MUTED

ROW_PX, MIN_HEIGHT = 26, 300
NO_ANSWERS = "#eeeeee"  # a lesson the learner has not been quizzed on
# red (weak) to green (mastered), read against the colour bar (a number in each of hundreds of cells
# would triple the drawing time)
LEVELS = ListedColormap(["#d7301f", "#fc8d59", "#fee08b", "#d9ef8b", "#91cf60", "#1a9850"])


def class_heatmap(data: Mapping[str, Any]) -> bytes:
    """Learners (rows) × lessons (columns), coloured by mastery 0–100 %; grey where nothing was answered.

    `data` is {"learners": [names], "lessons": [titles], "scores": [[0..1 or None per lesson] per
    learner], "title": str, "note": str (what grey means)}; texts are drawn as given (Devanagari too)."""
    style.use_lang("both")
    learners: Sequence[str] = list(data["learners"])
    lessons: Sequence[str] = list(data["lessons"])
    scores = data["scores"]
    if len(scores) != len(learners) or any(len(row) != len(lessons) for row in scores):
        raise ValueError("scores must have one row per learner and one value per lesson")
    values = np.array([[np.nan if s is None else 100 * float(s) for s in row] for row in scores], dtype=float)
    height = max(MIN_HEIGHT, 220 + ROW_PX * len(learners))
    fig = style.new_figure(style.WIDTH, height)
    top = 1 - 140 / height
    bottom = 80 / height
    ax = fig.add_axes((0.22, bottom, 0.66, top - bottom))
    ax.set_facecolor(NO_ANSWERS)
    masked = np.ma.masked_invalid(values)
    image = ax.imshow(masked, cmap=LEVELS, vmin=0, vmax=100, aspect="auto", interpolation="nearest")
    bar = fig.colorbar(image, cax=fig.add_axes((0.91, bottom, 0.02, min(0.5, top - bottom))))
    bar.ax.tick_params(labelsize=FONT["small"] - 2)
    bar.set_label("%", fontsize=FONT["small"] - 2)
    ax.set_xticks(range(len(lessons)))
    # slanted: seven lesson titles side by side do not fit level
    ax.set_xticklabels(lessons, fontsize=FONT["small"] - 2, rotation=25, ha="left", rotation_mode="anchor")
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(learners)))
    ax.set_yticklabels(learners, fontsize=FONT["small"] - 1)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.suptitle(str(data.get("title", "")), fontsize=FONT["title"] - 2, y=1 - 12 / height, va="top")
    fig.text(0.22, 25 / height, str(data.get("note", "")), fontsize=FONT["small"] - 2, color=MUTED)
    return style.to_png(fig)
