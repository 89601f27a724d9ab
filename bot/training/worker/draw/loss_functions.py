"""Loss functions for one example with target y = 1: how each punishes a prediction ŷ far from it."""

from __future__ import annotations

import numpy as np

from bot.i18n import tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import FONT, MUTED


def loss_functions_figure(lang: str) -> bytes:
    """MSE, MAE and BCE for one example with target y = 1 as the prediction ŷ moves away from it."""
    lang = style.use_lang(lang)
    fig = style.new_figure()
    ax = fig.add_axes((0.09, 0.13, 0.88, 0.74))
    y_hat = np.linspace(0.005, 1.0, 400)
    ax.plot(y_hat, (y_hat - 1.0) ** 2, lw=3, color="#0072B2", label="MSE = (ŷ − y)²")
    ax.plot(y_hat, np.abs(y_hat - 1.0), lw=3, color="#E69F00", label="MAE = |ŷ − y|")
    ax.plot(y_hat, -np.log(y_hat), lw=3, color="#D55E00", label="BCE = −log ŷ   (y = 1)")
    ax.set_ylim(0, 4)
    ax.set_xlim(0, 1.02)
    ax.axvline(1.0, color=MUTED, ls=":", lw=1.5)
    ax.annotate(
        "target y = 1",
        xy=(1.0, 0.9),
        xytext=(-8, 0),
        textcoords="offset points",
        ha="right",
        rotation=90,
        fontsize=FONT["text"],
        color=MUTED,
    )
    ax.annotate(
        label(tr("picture.confidently_wrong").map(style.two_lines), lang),
        xy=(0.03, -np.log(0.03)),
        xytext=(0.12, 3.2),
        fontsize=FONT["text"],
        color="#D55E00",
        arrowprops={"arrowstyle": "->", "color": "#D55E00"},
    )
    ax.set_xlabel(label(tr("picture.prediction"), lang), fontsize=FONT["label"])
    ax.set_ylabel(style.LOSS, fontsize=FONT["label"])
    # left of the dotted target line at ŷ = 1, so the legend covers no line
    ax.legend(fontsize=FONT["text"], loc="upper right", bbox_to_anchor=(0.94, 1.0))
    style.style_axes(ax)
    fig.suptitle(label(tr("picture.loss_functions_title"), lang), fontsize=FONT["title"], y=0.96)
    return style.to_png(fig)
