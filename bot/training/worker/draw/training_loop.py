"""The training loop as a cycle: forward pass → loss → backward pass → optimizer step → repeat."""

from __future__ import annotations

from bot.i18n import tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.network_diagram import arrow, box
from bot.training.worker.draw.style import FONT, INK, MUTED

# (x, y, colour) of each step's box, clockwise from the top left
STEPS = ((0.3, 0.72, "#56B4E9"), (1.3, 0.72, "#E69F00"), (1.3, 0.26, "#F0E442"), (0.3, 0.26, "#009E73"))


def training_loop_diagram(lang: str) -> bytes:
    """The four steps of one epoch in boxes joined by arrows, 'repeat' in the middle, data coming in."""
    lang = style.use_lang(lang)
    fig = style.new_figure()
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.86))
    ax.set_axis_off()
    ax.set_xlim(0, 1.6)
    ax.set_ylim(0, 1)
    steps = [
        "1. Forward pass\nInput → Hidden → Output",  # the same in both languages
        f"2. Loss\n{label(tr('picture.loop_loss'), lang)}",
        f"3. Backward pass\n{label(tr('picture.loop_backward'), lang)}",
        "4. Optimizer step\nw ← w − η·∂L/∂w",
    ]
    for (x, y, colour), text in zip(STEPS, steps, strict=True):
        box(ax, x, y, 0.5, 0.22, text, colour, FONT["label"])
    arrow(ax, (0.56, 0.72), (1.04, 0.72))
    arrow(ax, (1.3, 0.6), (1.3, 0.38))
    arrow(ax, (1.04, 0.26), (0.56, 0.26))
    arrow(ax, (0.3, 0.38), (0.3, 0.6))
    ax.text(
        0.8,
        0.49,
        label(tr("picture.loop_repeat").map(style.two_lines), lang),
        ha="center",
        va="center",
        fontsize=FONT["label"],
        color=INK,
        style="italic",
    )
    ax.text(0.3, 0.93, "data (x, y)", ha="center", fontsize=FONT["text"], color=MUTED)
    arrow(ax, (0.3, 0.91), (0.3, 0.84))
    fig.suptitle(label(tr("picture.loop_title"), lang), fontsize=FONT["title"], y=0.96)
    return style.to_png(fig)
