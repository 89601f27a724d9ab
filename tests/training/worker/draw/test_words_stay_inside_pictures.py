"""Pictures keep every word inside the frame, in English, Hindi and both; markers stay off the curves."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

from bot.training.results import TrainOutcome
from bot.training.spec import make_spec
from bot.training.worker import lesson_figures as figures
from bot.training.worker.draw.loss_curve import loss_curve_png
from bot.training.worker.draw.progress_chart import progress_chart
from bot.training.worker.tasks import train


def train_job(spec: dict[str, Any], lang: str) -> TrainOutcome:
    """The worker's train entry point, drawing both pictures of the run."""
    return train(spec, lang)


LANGS = ["en", "hi", "both"]


def clipped(fig: Figure) -> list[str]:
    """What reaches outside the figure by more than a pixel: an axes with everything it draws (ticks,
    labels, title, legend, texts) or a figure-level text or legend. Call after fig.canvas.draw()."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.bbox.width, fig.bbox.height
    boxes: list[tuple[str, Any]] = []
    for ax in fig.axes:
        boxes.append((f"axes {ax.get_title(loc='left') or ax.get_title()!r}", ax.get_tightbbox(renderer)))
    for text in fig.texts:
        if text.get_visible() and text.get_text().strip():
            boxes.append((repr(text.get_text()), text.get_window_extent(renderer)))
    for legend in fig.legends:
        boxes.append(("figure legend", legend.get_window_extent(renderer)))
    return [
        f"{name} at x {box.x0:.0f}..{box.x1:.0f}, y {box.y0:.0f}..{box.y1:.0f}"
        for name, box in boxes
        if box is not None and (box.x0 < -1 or box.y0 < -1 or box.x1 > width + 1 or box.y1 > height + 1)
    ]


TRAIN_CASES = {
    "perceptron-xor": make_spec(model="perceptron", epochs=100),
    "perceptron-gauss": make_spec("gauss", model="perceptron", epochs=100),
    "diverged-xor": make_spec(optimizer="sgd", lr=10),
    "diverged-line": make_spec("linear", "sgd", lr=5, epochs=50),
    "spiral-ce": make_spec("spiral", hidden=[16], epochs=60),
    "circles-test": make_spec("circles", epochs=60),
    "slow": make_spec(lr=1e-9, epochs=50),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", sorted(TRAIN_CASES))
def test_training_pictures_keep_every_word_inside(case: str, lang: str, drawn: list[Figure]) -> None:
    train_job(TRAIN_CASES[case].to_dict(), lang)
    assert len(drawn) == 2
    for fig in drawn:
        fig.canvas.draw()
        assert clipped(fig) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", sorted(figures.DRAWERS))
def test_lesson_figures_keep_every_word_inside(name: str, lang: str, drawn: list[Figure]) -> None:
    figures.DRAWERS[name](lang)  # not the cached draw_figure: this test must see the Figure
    assert drawn
    for fig in drawn:
        fig.canvas.draw()
        assert clipped(fig) == []


@pytest.mark.parametrize("lang", LANGS)
def test_progress_chart_keeps_every_word_inside_and_counts_days(lang: str, drawn: list[Figure]) -> None:
    days = [f"2025-03-{d:02d}" for d in range(1, 31)]
    progress_chart({"days": days, "xp": [0] * 29 + [10], "accuracy": [None] * 29 + [0.5]}, lang)
    fig = drawn[0]
    fig.canvas.draw()
    assert clipped(fig) == []
    if lang == "en":
        title = fig.get_suptitle()
        assert title.endswith("active on 1 day")


def test_the_loss_axis_label_is_inside_the_picture(drawn: list[Figure]) -> None:
    # a log axis with ticks down to 1e-05 is the widest case: the "loss" label used to be cut at the left
    loss_curve_png(list(np.geomspace(1.0, 1e-5, 300)))
    figures.optimizers_figure("en")
    for fig in drawn:
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        fig.canvas.draw()
        ax = fig.axes[0]
        assert ax.yaxis.label.get_text() == "loss"
        assert ax.yaxis.label.get_window_extent(renderer).x0 >= 0
        box = ax.get_tightbbox(renderer)
        assert box is not None and box.x0 >= 0


def test_the_diverged_marker_label_stays_off_the_curve(drawn: list[Figure]) -> None:
    train_job(make_spec(optimizer="sgd", lr=10).to_dict(), "both")
    fig = drawn[0]
    fig.canvas.draw()
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend is not None
    assert any("diverged" in t.get_text() for t in legend.get_texts())
    box = legend.get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    line = ax.get_lines()[0]
    # the curve, sampled densely between its points, never passes under the words
    xs, ys = (np.asarray(v, dtype=float) for v in line.get_data())
    dense_x = np.linspace(xs[0], xs[-1], 400)
    points = ax.transData.transform(np.stack([dense_x, np.interp(dense_x, xs, ys)], axis=1))
    inside = (
        (points[:, 0] > box.x0) & (points[:, 0] < box.x1) & (points[:, 1] > box.y0) & (points[:, 1] < box.y1)
    )
    assert not inside.any()


def test_a_diverged_regression_keeps_the_data_in_view(drawn: list[Figure]) -> None:
    out = train_job(make_spec("linear", "sgd", lr=5, epochs=50).to_dict(), "en")
    assert out.result.diverged
    fig = drawn[1]
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert -10 < low < -4 and 4 < high < 10  # the data's ±4, not ±10¹²
    notes = [t.get_text() for t in ax.texts]
    assert any("left the plot" in t for t in notes)


def test_a_fitted_line_that_stays_close_gets_no_note(drawn: list[Figure]) -> None:
    train_job(make_spec("linear", "sgd", epochs=100).to_dict(), "hi")
    ax = drawn[1].axes[0]
    assert not ax.texts


def test_a_collapsed_perceptron_shows_a_grey_field_a_note_and_the_best_line(drawn: list[Figure]) -> None:
    train_job(make_spec(model="perceptron").to_dict(), "en")
    fig = drawn[1]
    ax = fig.axes[0]
    colours = ax.images[0].get_cmap()(np.linspace(0, 1, 2))
    assert np.allclose(colours[0], colours[1])  # one neutral colour, not a class colour
    words = " ".join(t.get_text() for t in fig.texts)
    assert "p ≈ 0.5 everywhere" in words.replace("\n", " ")
    legend = ax.get_legend()
    assert legend is not None and any("3 of 4" in t.get_text() for t in legend.get_texts())


def test_a_perceptron_that_found_a_line_shows_it(drawn: list[Figure]) -> None:
    train_job(make_spec("gauss", model="perceptron", epochs=200).to_dict(), "en")
    ax = drawn[1].axes[0]
    legend = ax.get_legend()
    assert legend is not None and "its straight line" in [t.get_text() for t in legend.get_texts()]
    assert not drawn[1].texts  # no "don't know" note


def test_a_stalled_run_is_drawn_flat_and_says_why(drawn: list[Figure]) -> None:
    train_job(make_spec(lr=1e-9, epochs=100).to_dict(), "en")
    ax = drawn[0].axes[0]
    low, high = ax.get_ylim()
    assert low <= 0.0 and high < 1.0  # from 0: a flat line, not float jitter blown up into steps
    legend = ax.get_legend()
    assert legend is not None and "barely moved: lr too small" in [t.get_text() for t in legend.get_texts()]
