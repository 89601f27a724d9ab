"""Network diagrams: any spec's layers as circles and lines, plus the neuron and perceptron close-ups."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from bot.training import canvas
from bot.training.canvas import FONT, INK, MUTED, tr
from bot.training.spec import CompareSpec, TrainSpec, n_inputs, n_outputs

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
        name = tr(lang, "Input", "Input (इनपुट)")
    elif layer.kind == "output":
        name = tr(lang, "Output", "Output (आउटपुट)")
    else:
        name = tr(lang, f"Hidden {number}", f"Hidden परत {number}")
    units = f"{layer.width} neuron" + ("s" if layer.width != 1 else "")
    caption = f"{name}\n{units}"
    return f"{caption}\n{layer.activation}" if layer.activation else caption


def draw_layers(ax: Axes, layers: Sequence[Layer], lang: str) -> None:
    """Draw `layers` as columns of circles joined by every (shown) weight, on an axes in pixel units."""
    left, right = 110.0, canvas.WIDTH - 110.0
    bottom, top = 175.0, canvas.HEIGHT - 95.0  # room for the captions below and the title above
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
            label = _unit_label(layer, unit)
            if label:
                ax.text(x, y, label, ha="center", va="center", fontsize=FONT["text"], zorder=3)
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
    ax.set_xlim(0, canvas.WIDTH)
    ax.set_ylim(0, canvas.HEIGHT)
    return ax


def _unit_label(layer: Layer, unit: int) -> str:
    if layer.kind == "input":
        return f"x{unit + 1}"
    if layer.kind == "output":
        return "ŷ" if layer.width == 1 else f"ŷ{unit + 1}"
    return f"{layer.unit_prefix}{unit + 1}" if layer.unit_prefix else ""


def network_diagram(layers: Sequence[Layer], title: str, lang: str) -> bytes:
    """A PNG of `layers` with `title` above it."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure()
    draw_layers(pixel_axes(fig), layers, lang)
    fig.suptitle(title, fontsize=FONT["title"], y=0.96)
    return canvas.to_png(fig)


def spec_diagram(spec: TrainSpec | CompareSpec, lang: str) -> bytes:
    """A drawing of the network `spec` trains: inputs, hidden layers with widths, output, activations."""
    lang = canvas.use_lang(lang)
    layers = spec_layers(spec)
    shape = " → ".join(str(layer.width) for layer in layers)
    params = spec.n_parameters
    title = tr(
        lang,
        f"{spec.model.upper()} {shape} on {spec.dataset} ({params} parameters)",
        f"{spec.model.upper()} {shape}, {spec.dataset} पर ({params} parameters)",
    )
    return network_diagram(layers, title, lang)


def _box(ax: Axes, x: float, y: float, w: float, h: float, text: str, colour: str, size: int) -> None:
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


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], label: str = "") -> None:
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=18, lw=1.5, color=INK))
    if label:
        mx, my = (start[0] + end[0]) / 2, (start[1] + end[1]) / 2
        ax.text(mx, my + 0.035, label, ha="center", va="bottom", fontsize=FONT["text"], color="#0072B2")


def unit_diagram(kind: str, lang: str) -> bytes:
    """One neuron ('neuron': weighted sum, bias, activation) or a perceptron ('perceptron': step)."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0, 1.6)
    ax.set_ylim(0, 1.6 * canvas.HEIGHT / canvas.WIDTH)  # equal scales: circles stay round
    inputs = 3 if kind == "neuron" else 2
    ys = [0.8 - i * (0.6 / max(inputs - 1, 1)) for i in range(inputs)]
    for i, y in enumerate(ys):
        ax.add_patch(Circle((0.1, y), 0.055, fc=LAYER_COLOURS["input"], ec=INK, lw=1.4))
        ax.text(0.1, y, f"x{i + 1}", ha="center", va="center", fontsize=FONT["text"])
        _arrow(ax, (0.16, y), (0.6, 0.5 + (y - 0.5) * 0.12), f"w{i + 1}")
    # the bias enters from below
    ax.text(0.68, 0.12, tr(lang, "bias b", "bias b"), ha="center", va="center", fontsize=FONT["text"])
    _arrow(ax, (0.68, 0.16), (0.68, 0.39))
    ax.add_patch(Circle((0.68, 0.5), 0.1, fc=LAYER_COLOURS["hidden"], ec=INK, lw=1.6))
    ax.text(0.68, 0.5, "Σ", ha="center", va="center", fontsize=FONT["title"] + 6)
    ax.text(
        0.68,
        0.7,
        "z = Σ wᵢxᵢ + b",
        ha="center",
        va="bottom",
        fontsize=FONT["label"],
        color=INK,
    )
    if kind == "neuron":
        func, out, note = "f(z)", "ŷ = f(z)", tr(lang, "f: sigmoid, tanh, ReLU …", "f: sigmoid, tanh, ReLU …")
        title = tr(lang, "One artificial neuron", "एक artificial neuron (कृत्रिम न्यूरॉन)")
    else:
        func, out = "step(z)", "ŷ ∈ {0, 1}"
        note = tr(lang, "step: 1 if z ≥ 0, else 0", "step: z ≥ 0 हो तो 1, वरना 0")
        title = tr(
            lang, "A perceptron: one unit with a step function", "Perceptron: step function वाली एक unit"
        )
    _arrow(ax, (0.79, 0.5), (0.93, 0.5), "z")
    _box(ax, 1.05, 0.5, 0.24, 0.16, func, LAYER_COLOURS["output"], FONT["label"] + 2)
    ax.text(1.05, 0.34, note, ha="center", va="top", fontsize=FONT["small"], color=MUTED)
    _arrow(ax, (1.17, 0.5), (1.3, 0.5))
    ax.text(1.32, 0.5, out, ha="left", va="center", fontsize=FONT["label"] + 2)
    fig.suptitle(title, fontsize=FONT["title"], y=0.96)
    return canvas.to_png(fig)


def training_loop_diagram(lang: str) -> bytes:
    """The training loop as a cycle: forward pass → loss → backward pass → optimizer step → repeat."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure()
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.86))
    ax.set_axis_off()
    ax.set_xlim(0, 1.6)
    ax.set_ylim(0, 1)
    steps = [
        (
            0.3,
            0.72,
            tr(lang, "1. Forward pass\nInput → Hidden → Output", "1. Forward pass\nInput → Hidden → Output"),
        ),
        (1.3, 0.72, tr(lang, "2. Loss\ncompare ŷ with y", "2. Loss\nŷ की y से तुलना")),
        (
            1.3,
            0.26,
            tr(lang, "3. Backward pass\n∂L/∂w by the chain rule", "3. Backward pass\nchain rule से ∂L/∂w"),
        ),
        (0.3, 0.26, tr(lang, "4. Optimizer step\nw ← w − η·∂L/∂w", "4. Optimizer step\nw ← w − η·∂L/∂w")),
    ]
    colours = ["#56B4E9", "#E69F00", "#F0E442", "#009E73"]
    for (x, y, text), colour in zip(steps, colours, strict=True):
        _box(ax, x, y, 0.5, 0.22, text, colour, FONT["label"])
    _arrow(ax, (0.56, 0.72), (1.04, 0.72))
    _arrow(ax, (1.3, 0.6), (1.3, 0.38))
    _arrow(ax, (1.04, 0.26), (0.56, 0.26))
    _arrow(ax, (0.3, 0.38), (0.3, 0.6))
    ax.text(
        0.8,
        0.49,
        tr(
            lang,
            "5. Repeat for every epoch\nuntil the loss is small",
            "5. हर epoch के लिए दोहराएँ\nजब तक loss छोटा न हो",
        ),
        ha="center",
        va="center",
        fontsize=FONT["label"],
        color=INK,
        style="italic",
    )
    ax.text(
        0.3, 0.93, tr(lang, "data (x, y)", "data (x, y)"), ha="center", fontsize=FONT["text"], color=MUTED
    )
    _arrow(ax, (0.3, 0.91), (0.3, 0.84))
    fig.suptitle(
        tr(lang, "The training loop", "Training loop (प्रशिक्षण का चक्र)"), fontsize=FONT["title"], y=0.96
    )
    return canvas.to_png(fig)
