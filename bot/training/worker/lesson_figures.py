"""Every teaching figure a lesson may show by name (bot/content/figures.py lists the names).

`draw_figure(name, lang)` returns PNG bytes. Figures that involve training (perceptron-xor, mlp-xor,
lr-sweep, optimizers) really train, seeded, so the picture is the result the text describes. Figures are
deterministic, so each is drawn once per worker and language, then served from a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from matplotlib.axes import Axes

from bot.content.figures import FIGURES
from bot.errors import InvalidRequest
from bot.training import canvas, charts, comparison, diagrams, plots
from bot.training.canvas import DEAD, FONT, INK, MUTED, VANISH, tr
from bot.training.compare import compare
from bot.training.jobs import boundary_scores
from bot.training.models import LEAKY_SLOPE
from bot.training.runner import train
from bot.training.spec import make_compare_spec, make_spec, normalize_name
from bot.training.sweep import sweep

Z = np.linspace(-6.0, 6.0, 1201)
VANISHING_BELOW = 0.05  # a slope under this passes back almost nothing: the gradient "vanishes"
ACTIVATION_COLOURS = {"sigmoid": "#0072B2", "tanh": "#009E73", "relu": "#D55E00", "leaky_relu": "#CC79A7"}
ACTIVATION_TITLES = {
    "sigmoid": "sigmoid σ(z) = 1 / (1 + e⁻ᶻ)",
    "tanh": "tanh(z)",
    "relu": "ReLU = max(0, z)",
    "leaky_relu": f"leaky ReLU = max({LEAKY_SLOPE}·z, z)",
}


def activation_values(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The activation and its derivative at z (NumPy, for drawing)."""
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t**2
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    return np.where(z > 0, z, LEAKY_SLOPE * z), np.where(z > 0, 1.0, LEAKY_SLOPE)


def _shade_vanishing(ax: Axes, slope: np.ndarray, lang: str, size: int) -> None:
    small = slope < VANISHING_BELOW
    label = tr(lang, "vanishing: gradient ≈ 0", "vanishing: gradient ≈ 0")
    for side in (Z < 0, Z > 0):
        region = Z[small & side]
        if region.size:
            ax.axvspan(region.min(), region.max(), color=VANISH, alpha=0.45, lw=0)
            centre = (region.min() + region.max()) / 2
            ax.text(
                centre,
                0.5,
                label,
                transform=ax.get_xaxis_transform(),
                rotation=90,
                ha="center",
                va="center",
                fontsize=size,
                color=INK,
            )


def activation_panel(ax: Axes, name: str, lang: str, size: int = FONT["small"]) -> None:
    """One activation (solid) with its derivative (dashed) and the region where learning stalls."""
    f, slope = activation_values(name, Z)
    colour = ACTIVATION_COLOURS[name]
    if name in ("sigmoid", "tanh"):
        _shade_vanishing(ax, slope, lang, size)
    elif name == "relu":
        ax.axvspan(Z.min(), 0, color=DEAD, alpha=0.15, lw=0)
        ax.text(
            -3.0,
            0.55,
            tr(lang, "dead: gradient = 0\n(dying ReLU)", "dead: gradient = 0\n(dying ReLU)"),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            fontsize=size,
            color=DEAD,
        )
    else:
        ax.text(
            -3.0,
            0.55,
            tr(
                lang,
                f"slope {LEAKY_SLOPE}: small,\nbut never dead",
                f"slope {LEAKY_SLOPE}: छोटा,\nपर कभी dead नहीं",
            ),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            fontsize=size,
            color=MUTED,
        )
    ax.axhline(0, color=MUTED, lw=0.8)
    ax.axvline(0, color=MUTED, lw=0.8)
    ax.plot(Z, f, color=colour, lw=3, label=tr(lang, "f(z)", "f(z)"))
    ax.plot(Z, slope, color=INK, lw=2, ls="--", label=tr(lang, "f′(z): gradient", "f′(z): gradient"))
    ax.set_title(ACTIVATION_TITLES[name], fontsize=size + 3)
    low, high = {"sigmoid": (-0.15, 1.15), "tanh": (-1.2, 1.2)}.get(name, (-0.8, 6.2))
    ax.set_ylim(low, high)
    ax.set_xlim(Z.min(), Z.max())
    ax.set_xlabel("z", fontsize=size + 1)
    canvas.style_axes(ax)


def activations_figure(lang: str) -> bytes:
    """Sigmoid, tanh, ReLU and leaky ReLU with their derivatives, vanishing and dead regions marked."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure(canvas.WIDTH, 800)
    axes = fig.subplots(
        2,
        2,
        gridspec_kw={
            "hspace": 0.42,
            "wspace": 0.18,
            "top": 0.86,
            "bottom": 0.08,
            "left": 0.06,
            "right": 0.98,
        },
    )
    for ax, name in zip(axes.flat, ("sigmoid", "tanh", "relu", "leaky_relu"), strict=True):
        activation_panel(ax, name, lang)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.945),
        ncol=2,
        fontsize=FONT["text"],
        frameon=False,
    )
    fig.suptitle(
        tr(lang, "Activation functions and their gradients", "Activation functions और उनके gradients"),
        fontsize=FONT["title"],
        y=0.99,
    )
    return canvas.to_png(fig)


def activation_figure(name: str, lang: str) -> bytes:
    """One activation, large, with its derivative ("show relu"); unknown names are refused with a hint."""
    activation = normalize_name("activation", name)
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure()
    ax = fig.add_axes((0.08, 0.12, 0.9, 0.74))
    activation_panel(ax, activation, lang, size=FONT["text"])
    ax.legend(fontsize=FONT["text"], loc="upper left", framealpha=0.9)
    ax.set_title("")
    fig.suptitle(ACTIVATION_TITLES[activation], fontsize=FONT["title"], y=0.96)
    return canvas.to_png(fig)


def loss_functions_figure(lang: str) -> bytes:
    """MSE, MAE and BCE for one example with target y = 1 as the prediction ŷ moves away from it."""
    lang = canvas.use_lang(lang)
    fig = canvas.new_figure()
    ax = fig.add_axes((0.09, 0.13, 0.88, 0.74))
    y_hat = np.linspace(0.005, 1.0, 400)
    ax.plot(y_hat, (y_hat - 1.0) ** 2, lw=3, color="#0072B2", label="MSE = (ŷ − y)²")
    ax.plot(y_hat, np.abs(y_hat - 1.0), lw=3, color="#E69F00", label="MAE = |ŷ − y|")
    ax.plot(y_hat, -np.log(y_hat), lw=3, color="#D55E00", label="BCE = −log ŷ   (y = 1)")
    ax.set_ylim(0, 4)
    ax.set_xlim(0, 1.02)
    ax.axvline(1.0, color=MUTED, ls=":", lw=1.5)
    ax.annotate(
        tr(lang, "target y = 1", "target y = 1"),
        xy=(1.0, 1.6),
        xytext=(-8, 0),
        textcoords="offset points",
        ha="right",
        rotation=90,
        fontsize=FONT["text"],
        color=MUTED,
    )
    ax.annotate(
        tr(lang, "confidently wrong:\nBCE punishes hardest", "पूरे भरोसे से गलत:\nBCE सबसे कड़ी सज़ा देता है"),
        xy=(0.03, -np.log(0.03)),
        xytext=(0.12, 3.2),
        fontsize=FONT["text"],
        color="#D55E00",
        arrowprops={"arrowstyle": "->", "color": "#D55E00"},
    )
    ax.set_xlabel(tr(lang, "prediction ŷ", "prediction ŷ (अनुमान)"), fontsize=FONT["label"])
    ax.set_ylabel("loss", fontsize=FONT["label"])
    ax.legend(fontsize=FONT["text"], loc="upper right")
    canvas.style_axes(ax)
    fig.suptitle(
        tr(lang, "Loss functions: how wrong is ŷ?", "Loss functions: ŷ कितना गलत है?"),
        fontsize=FONT["title"],
        y=0.96,
    )
    return canvas.to_png(fig)


XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
EXTENT = (-0.5, 1.5, -0.5, 1.5)


def perceptron_rule(epochs: int = 25, lr: float = 0.1) -> tuple[np.ndarray, float, float]:
    """The notes' perceptron learning rule on XOR (w ← w + η(y − ŷ)x, step output), keeping the best line.

    It never converges — no straight line separates XOR — so it keeps the weights that scored best
    ("pocket"): three points of four, 75 %, is the most any line can do.
    """
    w, b = np.array([0.2, -0.1]), 0.05  # a start whose best line keeps clear of every point
    best = (w.copy(), b, 0.0)
    for _ in range(epochs):
        for x, y in zip(XOR_X, XOR_Y, strict=True):
            y_hat = float(w @ x + b >= 0)
            w, b = w + lr * (y - y_hat) * x, b + lr * (y - y_hat)
            accuracy = float(np.mean((XOR_X @ w + b >= 0) == XOR_Y))
            if accuracy > best[2]:
                best = (w.copy(), b, accuracy)
    return best


def perceptron_xor_figure(lang: str) -> bytes:
    """A perceptron on XOR: its best straight boundary still gets one point wrong."""
    lang = canvas.use_lang(lang)
    w, b, accuracy = perceptron_rule()
    xs = np.linspace(EXTENT[0], EXTENT[1], 200)
    gx, gy = np.meshgrid(xs, np.linspace(EXTENT[2], EXTENT[3], 200))
    # a smooth score whose 0.5 level is the perceptron's line, so the boundary is drawn as a line
    scores = 1.0 / (1.0 + np.exp(-20.0 * (w[0] * gx + w[1] * gy + b)))
    acc = plots.percent(accuracy)
    return plots.decision_boundary_png(
        XOR_X,
        XOR_Y,
        np.zeros(4, dtype=bool),
        EXTENT,
        scores,
        lang=lang,
        title_en=f"Perceptron on XOR: its best straight line, accuracy {acc}",
        title_hi=f"XOR पर perceptron: सबसे अच्छी सीधी रेखा भी, accuracy {acc}",
    )


def mlp_xor_figure(lang: str) -> bytes:
    """A 2-8-1 MLP trained on XOR (the default "train XOR with Adam"): a curved boundary, 100 %."""
    lang = canvas.use_lang(lang)
    result = train(make_spec("xor", "adam"))
    assert result.data is not None
    scores = boundary_scores(result, EXTENT)
    acc = plots.percent(result.accuracy)
    return plots.decision_boundary_png(
        result.data.x_train.numpy(),
        result.data.y_train.numpy(),
        np.zeros(4, dtype=bool),
        EXTENT,
        scores,
        lang=lang,
        title_en=f"MLP 2-8-1 on XOR: a curved boundary, accuracy {acc}",
        title_hi=f"XOR पर MLP 2-8-1: मुड़ी हुई सीमा, accuracy {acc}",
    )


SWEEP_RATES = (0.01, 0.1, 0.3)  # too small, about right (the default), too large: it bounces


def lr_sweep_runs() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The lesson's three learning rates on y = 2x, each run with its measured verdict (plain data)."""
    spec = make_spec("linear", "sgd", epochs=300)  # the notes' y = 2x, plain SGD
    return spec.to_dict(), [r.to_dict() for r in sweep(spec, SWEEP_RATES)]


def lr_sweep_figure(lang: str) -> bytes:
    """y = 2x with SGD at a too-small, a good and a too-large learning rate, labelled by what each did."""
    spec, runs = lr_sweep_runs()
    return charts.sweep_chart(spec, runs, lang)


def optimizers_figure(lang: str) -> bytes:
    """SGD, Momentum, RMSProp and Adam from the same start on XOR."""
    spec = make_compare_spec("xor")
    return charts.compare_chart(spec.to_dict(), compare(spec).to_dict(), lang)


MLP_LAYERS = [  # lesson 2's "A simple MLP in PyTorch": Linear(3, 5) → ReLU → Linear(5, 1) → Sigmoid
    diagrams.Layer(3, "input"),
    diagrams.Layer(5, "hidden", "ReLU", unit_prefix="h"),
    diagrams.Layer(1, "output", "Sigmoid"),
]


def mlp_diagram(lang: str) -> bytes:
    """The lessons' MLP, exactly the network of their PyTorch code: 3 inputs, 5 ReLU neurons, 1 sigmoid."""
    lang = canvas.use_lang(lang)  # 'both' draws Hindi labels, like every lesson figure
    title = tr(
        lang,
        "A multi-layer perceptron (MLP): 3 → 5 → 1, fully connected",
        "Multi-layer perceptron (MLP): 3 → 5 → 1, हर neuron अगली layer से जुड़ा",
    )
    return diagrams.network_diagram(MLP_LAYERS, title, lang)


DRAWERS: dict[str, Callable[[str], bytes]] = {
    "neuron-diagram": lambda lang: diagrams.unit_diagram("neuron", lang),
    "neuron-comparison": comparison.neuron_comparison,
    "perceptron-diagram": lambda lang: diagrams.unit_diagram("perceptron", lang),
    "mlp-diagram": mlp_diagram,
    "perceptron-xor": perceptron_xor_figure,
    "mlp-xor": mlp_xor_figure,
    "activations": activations_figure,
    "loss-functions": loss_functions_figure,
    "lr-sweep": lr_sweep_figure,
    "optimizers": optimizers_figure,
    "training-loop": diagrams.training_loop_diagram,
}


@lru_cache(maxsize=64)
def draw_figure(name: str, lang: str) -> bytes:
    """The named teaching figure as PNG bytes in `lang` (cached: figures are deterministic)."""
    if name not in DRAWERS:
        names = ", ".join(sorted(FIGURES))
        raise InvalidRequest(
            "unknown_figure",
            f"There is no figure called '{name[:40]}'. Figures: {names}.",
            f"'{name[:40]}' नाम का कोई figure नहीं है। Figures: {names}।",
        )
    return DRAWERS[name](lang)
