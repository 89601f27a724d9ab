"""The 'neuron-comparison' figure: a biological neuron above an artificial one, each part paired.

dendrites ↔ inputs, synapses ↔ weights, soma ↔ Σ wᵢxᵢ + b, axon hillock (fires over a threshold) ↔ f,
axon and terminals ↔ output. Both drawings run left to right, so every pair sits in one column and a
vertical arrow joins its two labels.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch, Polygon

from bot.i18n import Bilingual, tr
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.network_diagram import LAYER_COLOURS
from bot.training.worker.draw.style import FONT, INK, MUTED

WIDTH, HEIGHT = style.WIDTH, 720
AXES_HEIGHT = 0.91  # of the figure; the title sits above
TOP = 1.6 * HEIGHT * AXES_HEIGHT / WIDTH  # data height: x runs 0–1.6, so one unit is as tall as it is wide
BIO_Y, ART_Y = 0.83, 0.21  # centre lines of the two drawings
BIO_LABEL_Y, ART_LABEL_Y = 0.645, 0.39  # top of the biological labels, bottom of the artificial ones
SOMA = (0.74, BIO_Y)
SOMA_R = 0.075
CELL = "#F4C7C3"  # the biological neuron's membrane colour
CELL_EDGE = "#B5524A"
PREVIOUS = "#8C8C8C"  # the neighbouring neurons' terminals, grey: not part of this neuron

# (x of the column, pair colour, biological part, its name, the artificial twin's label): names and the
# artificial labels are terms and symbols, the same in both languages; what a part does is
# picture.part_<part>
PAIRS: list[tuple[float, str, str, str, str]] = [
    (0.17, "#0072B2", "dendrites", "dendrites", "inputs\nx₁, x₂, x₃"),
    (0.45, "#009E73", "synapses", "synapses", "weights\nw₁, w₂, w₃"),
    (0.74, "#D55E00", "soma", "soma", "Σ wᵢxᵢ + b\nweighted sum"),
    (1.04, "#CC79A7", "hillock", "axon hillock", "f(z)\nactivation"),
    (1.36, "#E69F00", "axon", "axon → terminals", "output\nŷ = f(z)"),
]


def part_label(part: str, name: str) -> Bilingual:
    """A biological part's two-line label: its name, then what it does ("dendrites\\ncollect inputs")."""
    return tr(f"picture.part_{part}").map(lambda does: f"{name}\n{does}")


SUB = "₁₂₃"
DENDRITE_TIPS = [(0.15, BIO_Y + 0.12), (0.11, BIO_Y), (0.15, BIO_Y - 0.12)]


def _on_dendrite(tip: tuple[float, float], x: float) -> tuple[float, float]:
    """The point of the straight dendrite from the soma to `tip` at horizontal position `x`."""
    (x0, y0), (x1, y1) = SOMA, tip
    t = (x - x0) / (x1 - x0)
    return x, y0 + t * (y1 - y0)


def _biological(ax: Axes) -> None:
    """Dendrites with synapses from neighbours, the soma, axon hillock, myelinated axon, terminals."""
    for tip in DENDRITE_TIPS:
        ax.plot([SOMA[0], tip[0]], [SOMA[1], tip[1]], color=CELL_EDGE, lw=4, solid_capstyle="round", zorder=2)
        for dy in (0.035, -0.035):  # a fork at every tip
            ax.plot([tip[0] + 0.05, tip[0] - 0.04], [tip[1], tip[1] + dy], color=CELL_EDGE, lw=2.5, zorder=2)
        # a neighbour's terminal reaching down to the dendrite: the synapse, a small gap between the two
        x, y = _on_dendrite(tip, PAIRS[1][0])
        ax.plot([x - 0.05, x], [y + 0.085, y + 0.032], color=PREVIOUS, lw=2, zorder=2)
        ax.add_patch(Circle((x, y + 0.024), 0.012, fc=PREVIOUS, ec="none", zorder=3))
    ax.add_patch(Ellipse(SOMA, 2 * SOMA_R, 1.8 * SOMA_R, fc=CELL, ec=CELL_EDGE, lw=2.5, zorder=4))
    ax.add_patch(Circle((SOMA[0] - 0.01, SOMA[1] + 0.005), 0.025, fc=CELL_EDGE, alpha=0.55, zorder=5))
    hillock = Polygon(
        [
            (SOMA[0] + 0.065, BIO_Y + 0.03),
            (PAIRS[3][0], BIO_Y + 0.008),
            (PAIRS[3][0], BIO_Y - 0.008),
            (SOMA[0] + 0.065, BIO_Y - 0.03),
        ],
        closed=True,
        fc=CELL,
        ec=CELL_EDGE,
        lw=2,
        zorder=3,
    )
    ax.add_patch(hillock)
    end = PAIRS[4][0] - 0.05
    ax.plot([PAIRS[3][0], end], [BIO_Y, BIO_Y], color=CELL_EDGE, lw=3, zorder=2)
    for start in (1.05, 1.13, 1.21):  # myelin sheath segments with gaps (nodes) between them
        ax.add_patch(
            FancyBboxPatch(
                (start, BIO_Y - 0.02),
                0.06,
                0.04,
                boxstyle="round,pad=0,rounding_size=0.018",
                fc="#FFF3C4",
                ec=CELL_EDGE,
                lw=1.5,
                zorder=3,
            )
        )
    for angle in (35, 0, -35):
        dx, dy = 0.11 * math.cos(math.radians(angle)), 0.11 * math.sin(math.radians(angle))
        ax.plot([end, end + dx], [BIO_Y, BIO_Y + dy], color=CELL_EDGE, lw=2.5, zorder=2)
        ax.add_patch(Circle((end + dx, BIO_Y + dy), 0.014, fc=CELL, ec=CELL_EDGE, lw=1.5, zorder=3))


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], colour: str = INK) -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16, lw=1.6, color=colour))


def _artificial(ax: Axes) -> None:
    """Inputs, weighted arrows into Σ + b, the activation f, and the output ŷ."""
    x_in, x_sum, x_f = PAIRS[0][0], PAIRS[2][0], PAIRS[3][0]
    ys = [ART_Y + 0.1, ART_Y, ART_Y - 0.1]
    for i, y in enumerate(ys):
        ax.add_patch(Circle((x_in, y), 0.035, fc=LAYER_COLOURS["input"], ec=INK, lw=1.4, zorder=3))
        ax.text(x_in, y, f"x{SUB[i]}", ha="center", va="center", fontsize=FONT["small"], zorder=4)
        target = (x_sum - 0.072, ART_Y + (y - ART_Y) * 0.25)
        _arrow(ax, (x_in + 0.037, y), target)
        # the weight sits on its arrow, in the weights' column
        t = (PAIRS[1][0] - x_in - 0.037) / (target[0] - x_in - 0.037)
        wy = y + t * (target[1] - y)
        ax.text(
            PAIRS[1][0],
            wy + 0.012,
            f"w{SUB[i]}",
            ha="center",
            va="bottom",
            fontsize=FONT["text"],
            color=PAIRS[1][1],
            fontweight="bold",
        )
    ax.add_patch(Circle((x_sum, ART_Y), 0.07, fc=LAYER_COLOURS["hidden"], ec=INK, lw=1.6, zorder=3))
    ax.text(x_sum, ART_Y, "Σ + b", ha="center", va="center", fontsize=FONT["label"], zorder=4)
    ax.text(x_sum, 0.01, "b", ha="center", va="bottom", fontsize=FONT["text"])
    _arrow(ax, (x_sum, 0.05), (x_sum, ART_Y - 0.072))
    _arrow(ax, (x_sum + 0.072, ART_Y), (x_f - 0.07, ART_Y))
    ax.add_patch(
        FancyBboxPatch(
            (x_f - 0.07, ART_Y - 0.045),
            0.14,
            0.09,
            boxstyle="round,pad=0.005,rounding_size=0.02",
            fc=LAYER_COLOURS["output"],
            ec=INK,
            lw=1.4,
            zorder=3,
        )
    )
    ax.text(x_f, ART_Y, "f", ha="center", va="center", fontsize=FONT["label"] + 2, style="italic", zorder=4)
    _arrow(ax, (x_f + 0.07, ART_Y), (PAIRS[4][0] - 0.05, ART_Y))
    ax.text(PAIRS[4][0], ART_Y, "ŷ", ha="center", va="center", fontsize=FONT["title"])


def _pairs(ax: Axes, lang: str) -> None:
    """The two rows of labels, each pair in its colour, joined by a vertical double arrow."""
    for x, colour, part, name, art in PAIRS:
        bio = label(part_label(part, name), lang)
        for words, y, va in ((bio, BIO_LABEL_Y, "top"), (art, ART_LABEL_Y, "bottom")):
            ax.text(
                x,
                y,
                words,
                ha="center",
                va=va,
                fontsize=FONT["small"] + 1,
                color=colour,
                linespacing=1.2,
                fontweight="bold",
            )
        ax.add_patch(
            FancyArrowPatch(
                (x, BIO_LABEL_Y - 0.09),
                (x, ART_LABEL_Y + 0.085),
                arrowstyle="<|-|>",
                mutation_scale=14,
                lw=1.6,
                color=colour,
                ls="--",
            )
        )


def neuron_comparison(lang: str) -> bytes:
    """A biological neuron (top) and an artificial neuron (bottom) with each part paired to its twin."""
    lang = style.use_lang(lang)
    fig = style.new_figure(WIDTH, HEIGHT)
    ax = fig.add_axes((0.0, 0.0, 1.0, AXES_HEIGHT))
    ax.set_axis_off()
    ax.set_xlim(0, 1.6)
    ax.set_ylim(0, TOP)
    _biological(ax)
    _artificial(ax)
    _pairs(ax, lang)
    for text, y, va in (
        (tr("picture.biological_neuron"), TOP - 0.01, "top"),
        (tr("picture.artificial_neuron"), 0.01, "bottom"),
    ):
        words = label(text, lang)
        ax.text(1.58, y, words, ha="right", va=va, fontsize=FONT["text"], color=MUTED, style="italic")
    fig.suptitle(label(tr("picture.comparison_title"), lang), fontsize=FONT["title"], y=0.965)
    return style.to_png(fig)
