"""Pictures read at Discord's preview size (400 px wide): no legend over the data, words inside their
axes and off the curves, whole-number epochs, a diverged or long run's story in view, the target line
explained, a decision boundary that fills its picture with ticks large enough to read."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from bot.training.spec import make_spec, spec_from_options
from bot.training.worker import lesson_figures as figures
from bot.training.worker.draw.activations import activation_figure
from bot.training.worker.draw.loss_curve import loss_curve_png
from bot.training.worker.tasks import compare, sweep, train

LANGS = ["en", "hi", "both"]
PREVIEW = 400  # px: how wide Discord shows a picture before it is opened
READABLE = 9.0  # px: the smallest tick label height that reads at that width


def compared(lr: float, lang: str) -> None:
    compare(
        spec_from_options({"dataset": "xor", "optimizers": "all", "lr": lr, "epochs": 300}).to_dict(), lang
    )


PICTURES: dict[str, Callable[[str], object]] = {
    "train-xor": lambda lang: train(make_spec(epochs=300).to_dict(), lang),
    "train-diverged": lambda lang: train(make_spec(optimizer="sgd", lr=10).to_dict(), lang),
    "train-circles-test": lambda lang: train(make_spec("circles", epochs=60).to_dict(), lang),
    "train-stalled": lambda lang: train(make_spec(lr=1e-9, epochs=50).to_dict(), lang),
    "train-line": lambda lang: train(make_spec("linear", "sgd", epochs=100).to_dict(), lang),
    "compare": lambda lang: compared(0.5, lang),
    "compare-diverged": lambda lang: compared(3.0, lang),
    "compare-slow": lambda lang: compared(0.05, lang),  # SGD stays high, across the top
    "sweep": lambda lang: sweep(make_spec(optimizer="sgd", epochs=100).to_dict(), lang),
    "activation-sigmoid": lambda lang: activation_figure("sigmoid", lang),
    **{f"lesson-{name}": drawer for name, drawer in figures.DRAWERS.items()},
}


def _display(ax: Axes) -> list[np.ndarray]:
    """Every curve and point set of `ax` in pixels, curves densely sampled along their segments."""
    shapes: list[np.ndarray] = []
    for line in ax.get_lines():
        xy = np.column_stack([np.asarray(v, dtype=float) for v in line.get_data()])
        xy = xy[np.isfinite(xy).all(axis=1)]
        if not line.get_visible() or len(xy) == 0:
            continue
        points = line.get_transform().transform(xy)
        if len(points) > 1 and line.get_linestyle() not in ("None", " ", ""):
            steps = np.linspace(0, 1, 40)[:, None]
            points = np.concatenate([a + steps * (b - a) for a, b in itertools.pairwise(points)])
        shapes.append(points)
    for collection in ax.collections:
        offsets = np.asarray(collection.get_offsets(), dtype=float)
        if collection.get_visible() and offsets.ndim == 2 and len(offsets):
            shapes.append(collection.get_offset_transform().transform(offsets))
    return shapes


def _inside(points: np.ndarray, box: Bbox) -> bool:
    return bool(
        (
            (points[:, 0] > box.x0)
            & (points[:, 0] < box.x1)
            & (points[:, 1] > box.y0)
            & (points[:, 1] < box.y1)
        ).any()
    )


def _drawn(fig: Figure) -> Figure:
    fig.canvas.draw()
    return fig


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(PICTURES))
def test_no_legend_covers_data_and_every_word_stays_inside_its_axes(
    name: str, lang: str, drawn: list[Figure]
) -> None:
    PICTURES[name](lang)
    assert drawn
    for fig in map(_drawn, drawn):
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None] + list(fig.legends)
        boxes = [legend.get_window_extent(renderer) for legend in legends if legend is not None]
        for ax in fig.axes:
            for shape in _display(ax):
                assert not any(_inside(shape, box) for box in boxes), (name, lang)
            frame = ax.bbox
            for text in ax.texts:
                if not text.get_visible() or not text.get_text().strip() or not text.get_clip_on():
                    continue
                box = text.get_window_extent(renderer)
                inside = box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1
                assert inside and box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, (name, text.get_text())


def _epoch_ticks(ax: Axes) -> list[float]:
    low, high = ax.get_xlim()
    return [t for t in ax.get_xticks() if low - 1e-9 <= t <= high + 1e-9]


@pytest.mark.parametrize(
    "name", ["train-diverged", "train-xor", "train-stalled", "compare", "compare-diverged", "sweep"]
)
def test_epoch_ticks_are_whole_numbers(name: str, drawn: list[Figure]) -> None:
    PICTURES[name]("en")
    ax = _drawn(drawn[0]).axes[0]
    ticks = _epoch_ticks(ax)
    assert len(ticks) >= 2
    assert all(float(t).is_integer() for t in ticks), ticks
    shown = ax.xaxis.get_major_formatter().format_ticks(ticks)
    assert all(text.isdigit() for text in shown), shown


@pytest.mark.parametrize("epochs", [2, 3, 6])
def test_a_run_that_diverged_within_a_few_epochs_shows_each_epoch_once(
    epochs: int, drawn: list[Figure]
) -> None:
    loss_curve_png([0.7 * 4**i for i in range(epochs)], diverged_at=epochs)
    assert _epoch_ticks(_drawn(drawn[0]).axes[0]) == list(range(1, epochs + 1))


def test_a_long_run_keeps_its_story_in_view(drawn: list[Figure]) -> None:
    # 5 000 epochs whose loss does nine tenths of its falling in the first 40
    epochs = np.arange(1, 5001)
    losses = list(0.7 * np.exp(-epochs / 15) + 1e-4 * (5000 / epochs) ** 0.5)
    loss_curve_png(losses)
    ax = _drawn(drawn[0]).axes[0]
    assert ax.get_xscale() == "log" and "log" in ax.get_xlabel()
    fall = losses[0] - min(losses)
    story = next(i for i, v in enumerate(losses) if v <= losses[0] - 0.9 * fall) + 1
    at = (ax.transData.transform((story, losses[story - 1]))[0] - ax.bbox.x0) / ax.bbox.width
    assert at > 0.25  # a linear axis put it at 1 %


def test_a_short_steady_run_keeps_a_linear_epoch_axis(drawn: list[Figure]) -> None:
    loss_curve_png([0.7 - 0.01 * i for i in range(40)])
    ax = _drawn(drawn[0]).axes[0]
    assert ax.get_xscale() == "linear" and ax.get_xlabel() == "epoch"


def test_a_curve_that_diverged_early_is_plainly_visible(drawn: list[Figure]) -> None:
    compared(3.0, "en")
    ax = _drawn(drawn[0]).axes[0]
    legend = ax.get_legend()
    assert legend is not None
    names = [t.get_text().replace("\n", " ") for t in legend.get_texts()]
    diverged = [n for n in names if "diverged at epoch" in n]
    assert diverged, names
    for line in ax.get_lines():
        if "diverged" in str(line.get_label()):
            xs = ax.transData.transform(np.column_stack(line.get_data()))[:, 0]
            assert (xs.max() - xs.min()) / ax.bbox.width > 0.1  # not a cross in a corner


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_the_target_line_is_explained_in_the_legend(lang: str, drawn: list[Figure]) -> None:
    compared(0.5, lang)
    ax = _drawn(drawn[0]).axes[0]
    legend = ax.get_legend()
    assert legend is not None
    words = " ".join(t.get_text().replace("\n", " ") for t in legend.get_texts())
    assert "loss 0.070" in words and ("epochs to reach it" in words or "epochs" in words)
    assert ("target" in words) and (lang == "en" or "लक्ष्य" in words)


@pytest.mark.parametrize("lang", LANGS)
def test_the_boundary_fills_its_picture_and_its_ticks_read_at_preview_size(
    lang: str, drawn: list[Figure]
) -> None:
    train(make_spec("circles", epochs=60).to_dict(), lang)
    fig = _drawn(drawn[1])
    ax = fig.axes[0]
    share = (ax.bbox.width * ax.bbox.height) / (fig.bbox.width * fig.bbox.height)
    assert share >= 0.5  # it was 45 %, with a wide empty margin
    scale = PREVIEW / fig.bbox.width
    for tick in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        assert tick.get_fontsize() * fig.dpi / 72 * scale >= READABLE
    heading = ax.get_legend().get_title().get_text()  # type: ignore[union-attr]
    if lang == "both":  # the Hindi title already says the English: it is not repeated under it
        assert heading.replace("\n", " ").count("Decision boundary") == 1
    names = [t.get_text() for t in ax.get_legend().get_texts()]  # type: ignore[union-attr]
    if lang != "en":
        assert "वर्ग 0 (class 0)" in names and "वर्ग 1 (class 1)" in names


@pytest.mark.parametrize("lang", LANGS)
def test_no_curve_is_drawn_over_the_activation_labels(lang: str, drawn: list[Figure]) -> None:
    figures.DRAWERS["activations"](lang)
    activation_figure("tanh", lang)
    for fig in map(_drawn, drawn):
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        for ax in fig.axes:
            lines = [shape for line_set in [_display(ax)] for shape in line_set]
            for text in ax.texts:
                box = text.get_window_extent(renderer)
                assert not any(_inside(shape, box) for shape in lines), text.get_text()
