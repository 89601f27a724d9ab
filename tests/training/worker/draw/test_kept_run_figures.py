"""A run's pictures are drawn on figures each worker keeps: a picture drawn on a kept figure, after any
other picture of its kind, is the same PNG, pixel for pixel, as on a fresh figure, and holds no artist of
the picture before it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pytest
from matplotlib.figure import Figure

from bot.i18n import tr
from bot.training.worker.draw import style
from bot.training.worker.draw.decision_boundary import GuideLine, decision_boundary_png, grid_extent
from bot.training.worker.draw.fitted_line import fitted_line_png
from bot.training.worker.draw.loss_curve import loss_curve_png

GRID = 60
RNG = np.random.default_rng(0)
POINTS = RNG.normal(size=(40, 2)).astype(np.float32)
LABELS_2 = (POINTS[:, 0] * POINTS[:, 1] > 0).astype(np.int64)
LABELS_3 = (np.arctan2(POINTS[:, 1], POINTS[:, 0]) // (2 * np.pi / 3) % 3).astype(np.int64)
IS_TEST = np.arange(40) >= 32
EXTENT = grid_extent(POINTS)
_XS, _YS = np.meshgrid(np.linspace(EXTENT[0], EXTENT[1], GRID), np.linspace(EXTENT[2], EXTENT[3], GRID))
TWO_CLASS = 1 / (1 + np.exp(-4 * _XS * _YS))
_LOGITS = np.stack([_XS, _YS, -_XS - _YS], axis=2)
THREE_CLASS = np.exp(_LOGITS) / np.exp(_LOGITS).sum(axis=2, keepdims=True)
LINE_X = np.linspace(-2, 2, 50, dtype=np.float32)
XOR_BEST = GuideLine(1.0, 1.0, -0.5, tr("picture.xor_best_line"), colour="#555555", style=":")

# each kind of run picture in its different shapes: log and linear axes, diverged, stalled, flat, 3 classes
PICTURES: dict[str, Callable[[], bytes]] = {
    "curve-log-with-test": lambda: loss_curve_png(
        list(np.geomspace(1.0, 1e-4, 300)), list(np.geomspace(1.2, 1e-3, 300)), lang="hi"
    ),
    "curve-linear": lambda: loss_curve_png([0.7 - 0.01 * i for i in range(40)], lang="en"),
    "curve-diverged": lambda: loss_curve_png([0.7 * 4**i for i in range(6)], diverged_at=6, lang="both"),
    "curve-stalled": lambda: loss_curve_png([0.7] * 50, stalled=True, lang="hi"),
    "curve-long": lambda: loss_curve_png(list(0.7 * np.exp(-np.arange(1, 5001) / 15) + 1e-3), lang="en"),
    "boundary-two-classes": lambda: decision_boundary_png(
        POINTS, LABELS_2, IS_TEST, EXTENT, TWO_CLASS, lang="hi"
    ),
    "boundary-three-classes": lambda: decision_boundary_png(
        POINTS, LABELS_3, np.zeros(40, dtype=bool), EXTENT, THREE_CLASS, lang="en"
    ),
    "boundary-flat-with-line": lambda: decision_boundary_png(
        POINTS,
        LABELS_2,
        IS_TEST,
        EXTENT,
        np.full((GRID, GRID), 0.5),
        lang="both",
        flat_note=tr("picture.perceptron_flat"),
        lines=[XOR_BEST],
    ),
    "boundary-one-class": lambda: decision_boundary_png(
        POINTS, LABELS_2, IS_TEST, EXTENT, np.full((GRID, GRID), 0.9), lang="en"
    ),
    "fitted-line": lambda: fitted_line_png(
        POINTS[:, 0], 2 * POINTS[:, 0], IS_TEST, LINE_X, 1.9 * LINE_X, lang="hi"
    ),
    "fitted-line-diverged": lambda: fitted_line_png(
        POINTS[:, 0], 2 * POINTS[:, 0], IS_TEST, LINE_X, 1e12 * LINE_X, lang="en"
    ),
}
KIND = {name: name.split("-")[0] for name in PICTURES}  # curve, boundary, fitted
PAIRS = [(a, b) for a in PICTURES for b in PICTURES if a != b and KIND[a] == KIND[b]]


@pytest.fixture(autouse=True)
def no_kept_figures() -> Iterator[None]:
    """Every test starts and ends without kept figures, so no other test's pictures reach it."""
    style.drop_run_figures()
    yield
    style.drop_run_figures()


def _artists(fig: Figure) -> list[str]:
    """What the figure holds, by type: its own texts, legends, images and lines, and its axes' children."""
    held = [type(artist).__name__ for artist in (*fig.texts, *fig.legends, *fig.images, *fig.lines)]
    for ax in fig.axes:
        held += sorted(type(artist).__name__ for artist in ax.get_children())
    return held


@pytest.mark.parametrize(("before", "after"), PAIRS, ids=[f"{a}-then-{b}" for a, b in PAIRS])
def test_a_picture_on_a_kept_figure_is_the_picture_on_a_fresh_one(
    before: str, after: str, drawn: list[Figure]
) -> None:
    fresh = PICTURES[after]()
    fresh_artists = _artists(drawn[-1])
    style.drop_run_figures()
    PICTURES[before]()
    kept = PICTURES[after]()
    assert drawn[-1] is drawn[-2]  # the second picture was drawn on the figure the first left
    assert _artists(drawn[-1]) == fresh_artists  # nothing of the first is left on it
    assert kept == fresh


def test_each_kind_keeps_one_figure_until_dropped(drawn: list[Figure]) -> None:
    for name in ("curve-linear", "curve-log-with-test", "boundary-one-class", "fitted-line"):
        PICTURES[name]()
    curve, curve_again, boundary, line = drawn
    assert curve_again is curve and len({id(curve), id(boundary), id(line)}) == 3
    assert all(len(fig.axes) == 1 for fig in drawn)
    style.drop_run_figures()
    PICTURES["curve-linear"]()
    assert drawn[-1] is not curve
