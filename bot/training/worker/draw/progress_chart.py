"""Charts from plain data: optimizers compared, the learning-rate sweep, and a learner's 30-day progress.

Each function takes dicts and lists (what a job or the progress service returns) and gives PNG bytes,
so the same chart serves Discord, the console and the tests.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from bot.training import canvas
from bot.training.canvas import COLOURS, FONT, INK, MUTED, tr

OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}
DATASET_TITLES = {"linear": "y = 2x"}  # how a dataset is named in a chart title (default: upper case)
LOG_SPAN = 30.0  # curves spanning more than this factor get a log y axis


def _plain(value: float, _pos: object = None) -> str:
    # plain tick labels ("0.001"): mathtext ("10⁻³") costs ~70 ms per picture
    return f"{value:g}"


def _loss_axis(ax: Axes, curves: Sequence[Sequence[float]]) -> None:
    """Log y when the losses span decades (the interesting part is near zero), plain ticks either way."""
    finite = np.array([v for c in curves for v in c if math.isfinite(v)], dtype=float)
    if finite.size and finite.min() > 0 and finite.max() / finite.min() > LOG_SPAN:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(_plain))
        ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("epoch", fontsize=FONT["label"])
    ax.set_ylabel("loss", fontsize=FONT["label"])
    canvas.style_axes(ax)
    canvas.room_for_y_labels(ax)


def _number(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.2g}" if abs(value) < 0.01 else f"{value:.3f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def compare_rows(result: Mapping[str, Any], lang: str) -> list[list[str]]:
    """The comparison table as text cells: optimizer, final loss, accuracy, epochs to the target."""
    rows = []
    for name, run in result["runs"].items():
        final = tr(lang, "diverged", "diverged") if run["diverged"] else _number(run["final_loss"])
        reached = run["epochs_to_target"]
        rows.append(
            [
                OPTIMIZER_NAMES.get(name, name),
                final,
                _percent(run["accuracy"]),
                "—" if reached is None else str(reached),
            ]
        )
    return rows


def compare_headers(result: Mapping[str, Any], lang: str) -> list[str]:
    """Column names of the comparison table."""
    target = _number(result["target_loss"])
    return [
        "optimizer",
        tr(lang, "final loss", "अंतिम loss"),
        "accuracy",
        tr(lang, f"epochs to loss ≤ {target}", f"loss ≤ {target} तक epochs"),
    ]


def compare_chart(spec: Mapping[str, Any], result: Mapping[str, Any], lang: str) -> bytes:
    """One loss curve per optimizer on shared axes, the target line, and the results table below."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure(canvas.WIDTH, 760)
    ax = fig.add_axes((0.1, 0.38, 0.86, 0.52))
    curves = [run["train_losses"] for run in result["runs"].values()]
    for name, run in result["runs"].items():
        losses = run["train_losses"]
        epochs = np.arange(1, len(losses) + 1)
        shown = OPTIMIZER_NAMES.get(name, name)
        if run["diverged"]:
            shown += tr(lang, " (diverged)", " (diverge हुआ)")
        ax.plot(epochs, losses, lw=2.4, color=COLOURS.get(name, INK), label=shown)
        if run["diverged"]:
            ax.plot(epochs[-1], losses[-1], "X", ms=12, color=COLOURS.get(name, INK))
    ax.axhline(result["target_loss"], color=MUTED, ls=":", lw=1.5)
    ax.annotate(
        tr(lang, "target", "लक्ष्य (target)"),
        xy=(0.5, result["target_loss"]),
        xycoords=("axes fraction", "data"),
        xytext=(0, 4),
        textcoords="offset points",
        ha="center",
        va="bottom",
        color=MUTED,
        fontsize=FONT["small"],
    )
    _loss_axis(ax, [*curves, [result["target_loss"]]])
    ax.set_xlim(1, max(2, int(spec["epochs"])))
    ax.legend(fontsize=FONT["text"], loc="upper right", framealpha=0.9)
    dataset = str(spec["dataset"]).upper()
    lr = f"lr = {float(spec['lr']):g}"
    fig.suptitle(
        tr(lang, f"Optimizers on {dataset}: same start, {lr}", f"{dataset} पर optimizers: एक ही शुरुआत, {lr}"),
        fontsize=FONT["title"],
        y=0.975,
    )
    table_ax = fig.add_axes((0.04, 0.02, 0.92, 0.25))
    table_ax.set_axis_off()
    rows = compare_rows(result, lang)
    table = table_ax.table(
        cellText=rows,
        colLabels=compare_headers(result, lang),
        loc="center",
        cellLoc="center",
        colWidths=[0.2, 0.2, 0.18, 0.38],
    )
    table.auto_set_font_size(False)
    table.set_fontsize(FONT["text"])
    table.scale(1.0, 1.7)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#BBBBBB")
        if row == 0:
            cell.set_facecolor("#EEEEEE")
        elif col == 0:
            name = list(result["runs"])[row - 1]
            cell.get_text().set_color(COLOURS.get(name, INK))
            cell.get_text().set_fontweight("bold")
    return canvas.to_png(fig)


# --- the learning-rate sweep -----------------------------------------------------------------------

VERDICT_TEXT = {
    "slow": ("too small: slow", "बहुत छोटा: धीमी training"),
    "good": ("about right: fast & stable", "सही: तेज़ और stable"),
    "overshooting": ("too large: overshooting", "बहुत बड़ा: overshooting"),
    "diverged": ("too large: diverged", "बहुत बड़ा: diverge हुआ"),
}


def sweep_label(run: Mapping[str, Any], lang: str) -> str:
    """'lr = 10 — too large: diverged' in the picture's language."""
    en, hi = VERDICT_TEXT[run["verdict"]]
    return f"lr = {float(run['lr']):g} — {tr(lang, en, hi)}"


def sweep_chart(spec: Mapping[str, Any], runs: Sequence[Mapping[str, Any]], lang: str) -> bytes:
    """The same problem at several learning rates, each curve labelled with what it shows."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure()
    ax = fig.add_axes((0.1, 0.13, 0.86, 0.74))
    palette = {"slow": "small", "good": "good", "overshooting": "large", "diverged": "huge"}
    for run in runs:
        losses = run["train_losses"]
        epochs = np.arange(1, len(losses) + 1)
        colour = COLOURS[palette[run["verdict"]]]
        ax.plot(epochs, losses, lw=2.4, color=colour, label=sweep_label(run, lang))
        if run["verdict"] == "diverged":
            ax.plot(epochs[-1], losses[-1], "X", ms=13, color=colour)
    _loss_axis(ax, [run["train_losses"] for run in runs])
    # a log epoch axis: overshooting and blowing up happen in the first few epochs
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, numticks=6))
    ax.xaxis.set_major_formatter(FuncFormatter(_plain))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(tr(lang, "epoch (log scale)", "epoch (log scale)"), fontsize=FONT["label"])
    ax.set_xlim(1, max(2, int(spec["epochs"])))
    # bottom left stays empty: every curve starts high on the left
    ax.legend(fontsize=FONT["text"], loc="lower left", framealpha=0.92)
    dataset = DATASET_TITLES.get(str(spec["dataset"]), str(spec["dataset"]).upper())
    optimizer = OPTIMIZER_NAMES.get(str(spec["optimizer"]), str(spec["optimizer"]))
    fig.suptitle(
        tr(
            lang,
            f"Learning rate on {dataset} ({optimizer}): too small, right, too large",
            f"{dataset} पर learning rate ({optimizer}): बहुत छोटा, सही, बहुत बड़ा",
        ),
        fontsize=FONT["title"] - 1,
        y=0.965,
    )
    return canvas.to_png(fig)


# --- a learner's progress --------------------------------------------------------------------------


def _series(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
) -> tuple[list[date], list[float], list[float | None]]:
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


def progress_chart(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]], lang: str, title: str | None = None
) -> bytes:
    """XP per day as bars and quiz accuracy as a line (0–100 %) over the last days, one shared date axis.

    `data` is {"days": [...ISO dates], "xp": [...], "accuracy": [... 0..1 or None]} or a list of
    {"day", "xp", "accuracy"} dicts; a day without quiz answers has accuracy None (a gap in the line).
    """
    lang = canvas.use_lang(lang)
    days, xp, accuracy = _series(data)
    fig = canvas.new_figure(canvas.WIDTH, 560)
    ax = fig.add_axes((0.09, 0.12, 0.8, 0.7))
    positions = np.arange(len(days))
    ax.bar(positions, xp, color="#56B4E9", width=0.8, label="XP")
    ax.set_ylabel(tr(lang, "XP per day", "हर दिन के XP"), fontsize=FONT["label"], color="#0072B2")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    canvas.style_axes(ax)
    ax.spines["right"].set_visible(True)
    acc_ax = ax.twinx()
    values = np.array([np.nan if a is None else a * 100 for a in accuracy], dtype=float)
    acc_ax.plot(positions, values, color="#D55E00", lw=2.6, marker="o", ms=5, label="accuracy")
    acc_ax.set_ylim(0, 105)
    acc_ax.set_ylabel(
        tr(lang, "quiz accuracy (%)", "quiz accuracy (%)"), fontsize=FONT["label"], color="#D55E00"
    )
    acc_ax.tick_params(labelsize=FONT["tick"])
    acc_ax.spines["top"].set_visible(False)
    step = max(1, len(days) // 6)
    ticks = list(positions[::step])
    ax.set_xticks(ticks)
    ax.set_xticklabels([days[i].strftime("%d %b") for i in ticks], fontsize=FONT["tick"])
    ax.set_xlim(-0.7, max(len(days) - 0.3, 0.3))
    total = int(sum(xp))
    active = sum(1 for v in xp if v > 0)
    default_title = tr(
        lang,
        f"Your last {len(days)} days: {total} XP, active on {active} day{'' if active == 1 else 's'}",
        f"पिछले {len(days)} दिन: {total} XP, {active} दिन सक्रिय",
    )
    fig.suptitle(title or default_title, fontsize=FONT["title"], y=0.965)
    handles = [*ax.get_legend_handles_labels()[0], *acc_ax.get_legend_handles_labels()[0]]
    ax.legend(
        handles,
        ["XP", "accuracy"],
        fontsize=FONT["small"],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=2,
        frameon=False,
    )
    return canvas.to_png(fig)
