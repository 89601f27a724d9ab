"""The hidden-units picture: a panel per unit of the first hidden layer (capped at 16, and saying so),
titled by unit, words inside the frame and apart from each other in every language."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from bot.training.spec import MAX_UNIT_PANELS, make_spec
from bot.training.worker.draw.hidden_units import colour_range, grid_shape
from bot.training.worker.tasks import units
from tests.training.worker.conftest import png_size
from tests.training.worker.draw.test_pictures_read_at_preview_size import PREVIEW, READABLE
from tests.training.worker.draw.test_words_stay_inside_pictures import LANGS, clipped

CASES = {
    "xor-2-sigmoid": make_spec("xor", hidden=[2], activation="sigmoid", epochs=50),
    "moons-8": make_spec("moons", epochs=50),
    "spiral-32-relu": make_spec("spiral", hidden=[32], activation="relu", epochs=50),
    "circles-16-4": make_spec("circles", hidden=[16, 4], activation="leaky_relu", epochs=50),
}


def _panels(fig: Figure) -> list[str]:
    """The titles of the unit panels (every axes but the colour bar's)."""
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_every_word_stays_inside_and_apart(case: str, lang: str, drawn: list[Figure]) -> None:
    units(CASES[case].to_dict(), lang)
    (fig,) = drawn
    fig.canvas.draw()
    assert clipped(fig) == []
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [t.get_window_extent(renderer) for t in fig.texts]
    boxes += [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    boxes += [ax.get_tightbbox(renderer) for ax in fig.axes if not ax.get_title()]  # the colour bar
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_one_titled_panel_per_unit_of_the_first_layer(drawn: list[Figure]) -> None:
    drawing = units(CASES["moons-8"].to_dict(), "en")
    assert [p.name for p in drawing.pictures] == ["hidden_units"]
    assert png_size(drawing.pictures[0].png) == (800, 500)
    assert _panels(drawn[0]) == [f"unit {n}" for n in range(1, 9)]


def test_a_wide_layer_is_capped_and_says_so(drawn: list[Figure]) -> None:
    units(CASES["spiral-32-relu"].to_dict(), "en")
    assert len(_panels(drawn[0])) == MAX_UNIT_PANELS == 16
    said = " ".join(t.get_text() for t in drawn[0].texts)
    assert "The first 16 of 32 units" in " ".join(said.split())


@pytest.mark.parametrize("lang", LANGS)
def test_every_word_reads_at_the_preview_size(lang: str, drawn: list[Figure]) -> None:
    units(CASES["spiral-32-relu"].to_dict(), lang)
    (fig,) = drawn
    fig.canvas.draw()
    scale = PREVIEW / fig.bbox.width
    texts = [*fig.texts, *(ax.title for ax in fig.axes if ax.get_title())]
    texts += [tick for ax in fig.axes for tick in ax.get_xticklabels() if tick.get_text()]
    assert len(texts) > 16
    for text in texts:
        assert text.get_fontsize() * fig.dpi / 72 * scale >= READABLE, text.get_text()


def test_hindi_titles_are_devanagari(drawn: list[Figure]) -> None:
    units(CASES["xor-2-sigmoid"].to_dict(), "hi")
    assert _panels(drawn[0]) == ["इकाई 1", "इकाई 2"]
    assert "हर hidden unit ने क्या" in drawn[0].texts[0].get_text()


def test_the_grid_and_the_shared_colour_scale() -> None:
    assert [grid_shape(n) for n in (1, 3, 4, 5, 8, 16)] == [(1, 1), (1, 3), (1, 4), (2, 4), (2, 4), (4, 4)]
    assert colour_range("tanh", np.array([5.0])) == (-1.0, 1.0)
    assert colour_range("sigmoid", np.array([0.2])) == (0.0, 1.0)
    low, high = colour_range("relu", np.linspace(0.0, 10.0, 101))
    assert low == -high and 9.0 < high <= 10.0  # symmetric: white is where the unit's input is 0
