"""Network diagrams: any spec's layers as circles and lines, and the neuron and perceptron close-ups."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from bot.i18n import Bilingual, tr
from bot.training.spec import CompareSpec, TrainSpec, n_inputs, n_outputs
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import FONT, INK, MUTED

MAX_SHOWN = 8  # a layer wider than this is drawn as its first and last few units around "⋮"
HEAD, TAIL = 3, 2  # units kept at the top and the bottom of a collapsed layer
LAYER_COLOURS = {"input": "#56B4E9", "hidden": "#F0E442", "output": "#E69F00"}


@dataclass(frozen=True)
class Layer:
    """One column of the drawing: how many units, what kind, and its activation's name."""

    width: int
    kind: str  # "input", "hidden" or "output"
    activation: str = ""
    unit_prefix: str = ""  # hidden units are drawn unnamed unless given one ("h" → h1, h2, …)


def output_activation(loss: str, task: str) -> str:
    """What turns the output unit(s) into a prediction: sigmoid, softmax or nothing (linear)."""
    if task == "regression":
        return "linear"
    return "softmax" if loss == "ce" else "sigmoid"


def spec_layers(spec: TrainSpec | CompareSpec) -> list[Layer]:
    """The layers of the network a spec trains."""
    return [
        Layer(n_inputs(spec.dataset), "input"),
        *(Layer(width, "hidden", spec.activation) for width in spec.hidden),
        Layer(n_outputs(spec.dataset, spec.loss), "output", output_activation(spec.loss, spec.task)),
    ]


def _shown_units(width: int) -> list[int | None]:
    """Indices of the units drawn for a layer; None marks the '⋮' gap of a collapsed layer."""
    if width <= MAX_SHOWN:
        return list(range(width))
    return [*range(HEAD), None, *range(width - TAIL, width)]


def _column_caption(layer: Layer, number: int, lang: str) -> str:
    if layer.kind == "input":
        name = label(tr("picture.layer_input"), lang)
    elif layer.kind == "output":
        name = label(tr("picture.layer_output"), lang)
    else:
        name = label(tr("picture.layer_hidden", number=number), lang)
    units = f"{layer.width} neuron" + ("s" if layer.width != 1 else "")  # a term, the same in both
    caption = f"{name}\n{units}"
    return f"{caption}\n{layer.activation}" if layer.activation else caption


def draw_layers(ax: Axes, layers: Sequence[Layer], lang: str) -> None:
    """Draw `layers` as columns of circles joined by every (shown) weight, on an axes in pixel units."""
    left, right = 110.0, style.WIDTH - 110.0
    bottom, top = 175.0, style.HEIGHT - 95.0  # room for the captions below and the title above
    n = len(layers)
    xs = [left + (right - left) * i / max(n - 1, 1) for i in range(n)]
    tallest = max(len(_shown_units(layer.width)) for layer in layers)
    gap = min((top - bottom) / max(tallest - 1, 1), 90.0)
    radius = min(0.36 * gap, 26.0)
    positions: list[list[tuple[float, float, int | None]]] = []
    for x, layer in zip(xs, layers, strict=True):
        units = _shown_units(layer.width)
        first = (top + bottom) / 2 + gap * (len(units) - 1) / 2
        positions.append([(x, first - k * gap, unit) for k, unit in enumerate(units)])
    # weights first, so the circles sit on top of them
    for left_column, right_column in itertools.pairwise(positions):
        for x0, y0, u0 in left_column:
            for x1, y1, u1 in right_column:
                if u0 is not None and u1 is not None:
                    ax.plot([x0, x1], [y0, y1], color=MUTED, lw=0.9, alpha=0.5, zorder=1)
    hidden_number = 0
    for layer, column in zip(layers, positions, strict=True):
        hidden_number += layer.kind == "hidden"
        for x, y, unit in column:
            if unit is None:
                ax.text(x, y, "⋮", ha="center", va="center", fontsize=FONT["title"] + 6, color=INK)
                continue
            ax.add_patch(Circle((x, y), radius, fc=LAYER_COLOURS[layer.kind], ec=INK, lw=1.4, zorder=2))
            name = _unit_label(layer, unit)
            if name:
                ax.text(x, y, name, ha="center", va="center", fontsize=FONT["text"], zorder=3)
        ax.text(
            column[0][0],
            bottom - 40,
            _column_caption(layer, hidden_number, lang),
            ha="center",
            va="top",
            fontsize=FONT["text"],
            color=INK,
            linespacing=1.35,
        )


def pixel_axes(fig: Figure) -> Axes:
    """An invisible axes covering the figure whose data units are pixels (circles stay round)."""
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0, style.WIDTH)
    ax.set_ylim(0, style.HEIGHT)
    return ax


def _unit_label(layer: Layer, unit: int) -> str:
    if layer.kind == "input":
        return f"x{unit + 1}"
    if layer.kind == "output":
        return "ŷ" if layer.width == 1 else f"ŷ{unit + 1}"
    return f"{layer.unit_prefix}{unit + 1}" if layer.unit_prefix else ""


def network_diagram(layers: Sequence[Layer], title: Bilingual, lang: str) -> bytes:
    """A PNG of `layers` with `title` above it ('both' draws the Hindi labels, like every teaching figure)."""
    lang = style.use_lang(lang)
    fig = style.new_figure()
    draw_layers(pixel_axes(fig), layers, lang)
    fig.suptitle(label(title, lang), fontsize=FONT["title"], y=0.96)
    return style.to_png(fig)


def spec_diagram(spec: TrainSpec | CompareSpec, lang: str) -> bytes:
    """A drawing of the network `spec` trains: inputs, hidden layers with widths, output, activations."""
    layers = spec_layers(spec)
    shape = " → ".join(str(layer.width) for layer in layers)
    title = tr(
        "picture.network_title",
        model=spec.model.upper(),
        shape=shape,
        dataset=spec.dataset,
        params=spec.n_parameters,
    )
    return network_diagram(layers, title, lang)


def box(ax: Axes, x: float, y: float, w: float, h: float, text: str, colour: str, size: int) -> None:
    """A rounded box of `w` × `h` centred on (x, y) with `text` inside."""
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.01,rounding_size=0.03",
            fc=colour,
            ec=INK,
            lw=1.4,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color=INK)


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], words: str = "") -> None:
    """An arrow from `start` to `end`, with `words` above its middle."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=18, lw=1.5, color=INK))
    if words:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        ax.text(mx, my + 0.035, words, ha="center", va="bottom", fontsize=FONT["text"], color="#0072B2")


def unit_diagram(kind: str, lang: str) -> bytes:
    """One neuron ('neuron': weighted sum, bias, activation) or a perceptron ('perceptron': step)."""
    lang = style.use_lang(lang)
    fig = style.new_figure()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0, 1.6)
    ax.set_ylim(0, 1.6 * style.HEIGHT / style.WIDTH)  # equal scales: circles stay round
    inputs = 3 if kind == "neuron" else 2
    ys = [0.8 - i * (0.6 / max(inputs - 1, 1)) for i in range(inputs)]
    for i, y in enumerate(ys):
        ax.add_patch(Circle((0.1, y), 0.055, fc=LAYER_COLOURS["input"], ec=INK, lw=1.4))
        ax.text(0.1, y, f"x{i + 1}", ha="center", va="center", fontsize=FONT["text"])
        arrow(ax, (0.16, y), (0.6, 0.5 + (y - 0.5) * 0.12), f"w{i + 1}")
    # the bias enters from below
    ax.text(0.68, 0.12, "bias b", ha="center", va="center", fontsize=FONT["text"])
    arrow(ax, (0.68, 0.16), (0.68, 0.39))
    ax.add_patch(Circle((0.68, 0.5), 0.1, fc=LAYER_COLOURS["hidden"], ec=INK, lw=1.6))
    ax.text(0.68, 0.5, "Σ", ha="center", va="center", fontsize=FONT["title"] + 6)
    ax.text(0.68, 0.7, "z = Σ wᵢxᵢ + b", ha="center", va="bottom", fontsize=FONT["label"], color=INK)
    if kind == "neuron":
        func, out, title = "f(z)", "ŷ = f(z)", tr("picture.neuron_title")
        note = "f: sigmoid, tanh, ReLU …"
    else:
        func, out, title = "step(z)", "ŷ ∈ {0, 1}", tr("picture.perceptron_title")
        note = label(tr("picture.perceptron_step"), lang)
    arrow(ax, (0.79, 0.5), (0.93, 0.5), "z")
    box(ax, 1.05, 0.5, 0.24, 0.16, func, LAYER_COLOURS["output"], FONT["label"] + 2)
    ax.text(1.05, 0.34, note, ha="center", va="top", fontsize=FONT["small"], color=MUTED)
    arrow(ax, (1.17, 0.5), (1.3, 0.5))
    ax.text(1.32, 0.5, out, ha="left", va="center", fontsize=FONT["label"] + 2)
    fig.suptitle(label(title, lang), fontsize=FONT["title"], y=0.96)
    return style.to_png(fig)
