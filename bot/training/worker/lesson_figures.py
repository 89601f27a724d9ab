"""Every teaching figure a lesson may show by name (bot/content/figures.py lists the names).

`draw_figure(name, lang)` returns PNG bytes. Figures that involve training (perceptron-xor, mlp-xor,
lr-sweep, optimizers) really train, seeded, so the picture is the result the text describes. Figures are
deterministic, so each is drawn once per worker and language, then served from a cache.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

from bot.content.figures import FIGURES
from bot.errors import InvalidRequest
from bot.i18n import tr
from bot.training.results import SweepRun
from bot.training.spec import TrainSpec, make_compare_spec, make_spec
from bot.training.worker.batched import compare
from bot.training.worker.draw import activations, loss_functions, network_diagram, neuron_comparison, style
from bot.training.worker.draw.decision_boundary import decision_boundary_png
from bot.training.worker.draw.lr_sweep import sweep_chart
from bot.training.worker.draw.optimizer_race import race_chart
from bot.training.worker.draw.style import percent
from bot.training.worker.draw.training_loop import training_loop_diagram
from bot.training.worker.run_pictures import boundary_scores
from bot.training.worker.runner import train
from bot.training.worker.sweep import sweep

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0, 1, 1, 0])
EXTENT = (-0.5, 1.5, -0.5, 1.5)


def perceptron_rule(epochs: int = 25, lr: float = 0.1) -> tuple[np.ndarray, float, float]:
    """The lessons' perceptron learning rule on XOR (w ← w + η(y − ŷ)x, step output), keeping the best line.

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
    w, b, accuracy = perceptron_rule()
    xs = np.linspace(EXTENT[0], EXTENT[1], 200)
    gx, gy = np.meshgrid(xs, np.linspace(EXTENT[2], EXTENT[3], 200))
    # a smooth score whose 0.5 level is the perceptron's line, so the boundary is drawn as a line
    scores = 1.0 / (1.0 + np.exp(-20.0 * (w[0] * gx + w[1] * gy + b)))
    title = tr("picture.perceptron_xor_title", accuracy=percent(accuracy))
    lang = style.use_lang(lang)  # a lesson figure: 'both' draws the Hindi labels
    return decision_boundary_png(
        XOR_X, XOR_Y, np.zeros(4, dtype=bool), EXTENT, scores, lang=lang, title=title
    )


def mlp_xor_figure(lang: str) -> bytes:
    """A 2-8-1 MLP trained on XOR (the default "train XOR with Adam"): a curved boundary, 100 %."""
    run = train(make_spec("xor", "adam"))
    title = tr("picture.mlp_xor_title", accuracy=percent(run.result.accuracy))
    lang = style.use_lang(lang)
    return decision_boundary_png(
        run.data.x_train.numpy(),
        run.data.y_train.numpy(),
        np.zeros(4, dtype=bool),
        EXTENT,
        boundary_scores(run, EXTENT),
        lang=lang,
        title=title,
    )


SWEEP_RATES = (0.01, 0.1, 0.3)  # too small, about right (the default), too large: it bounces


def lr_sweep_runs() -> tuple[TrainSpec, list[SweepRun]]:
    """The lesson's three learning rates on y = 2x, each run with its measured verdict."""
    spec = make_spec("linear", "sgd", epochs=300)  # the lessons' y = 2x, plain SGD
    return spec, sweep(spec, SWEEP_RATES)


def lr_sweep_figure(lang: str) -> bytes:
    """y = 2x with SGD at a too-small, a good and a too-large learning rate, labelled by what each did."""
    spec, runs = lr_sweep_runs()
    return sweep_chart(runs, dataset=spec.dataset, optimizer=spec.optimizer, epochs=spec.epochs, lang=lang)


def optimizers_figure(lang: str) -> bytes:
    """SGD, Momentum, RMSProp and Adam from the same start on XOR."""
    spec = make_compare_spec("xor")
    done = compare(spec)
    return race_chart(
        done.runs, done.target_loss, dataset=spec.dataset, lr=spec.lr, epochs=spec.epochs, lang=lang
    )


MLP_LAYERS = [  # lesson 2's "A simple MLP in PyTorch": Linear(3, 5) → ReLU → Linear(5, 1) → Sigmoid
    network_diagram.Layer(3, "input"),
    network_diagram.Layer(5, "hidden", "ReLU", unit_prefix="h"),
    network_diagram.Layer(1, "output", "Sigmoid"),
]


def mlp_diagram(lang: str) -> bytes:
    """The lessons' MLP, exactly the network of their PyTorch code: 3 inputs, 5 ReLU neurons, 1 sigmoid."""
    return network_diagram.network_diagram(MLP_LAYERS, tr("picture.mlp_diagram_title"), lang)


DRAWERS: dict[str, Callable[[str], bytes]] = {
    "neuron-diagram": lambda lang: network_diagram.unit_diagram("neuron", lang),
    "neuron-comparison": neuron_comparison.neuron_comparison,
    "perceptron-diagram": lambda lang: network_diagram.unit_diagram("perceptron", lang),
    "mlp-diagram": mlp_diagram,
    "perceptron-xor": perceptron_xor_figure,
    "mlp-xor": mlp_xor_figure,
    "activations": activations.activations_figure,
    "loss-functions": loss_functions.loss_functions_figure,
    "lr-sweep": lr_sweep_figure,
    "optimizers": optimizers_figure,
    "training-loop": training_loop_diagram,
}


@lru_cache(maxsize=64)
def draw_figure(name: str, lang: str) -> bytes:
    """The named teaching figure as PNG bytes in `lang` (cached: figures are deterministic)."""
    if name not in DRAWERS:
        raise InvalidRequest("unknown_figure", name=name[:40], names=", ".join(sorted(FIGURES)))
    return DRAWERS[name](lang)
