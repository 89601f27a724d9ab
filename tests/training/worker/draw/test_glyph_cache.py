"""The glyph-caching canvas draws exactly what matplotlib's own Agg canvas draws, from cold and warm
caches: words in Hindi and English, at fractions of a pixel, rotated, in several sizes, and whole pictures."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.training.worker.draw import glyph_cache, style
from bot.training.worker.draw.glyph_cache import GlyphCachingCanvas
from bot.training.worker.draw.loss_curve import loss_curve_figure

WORDS = [
    "loss 0.000511 · training accuracy 100%",
    "प्रशिक्षण (train)",
    "निर्णय सीमा",
    "x₁",
    "−0.4",
    "वर्ग 1 (class 1)",
]


@pytest.fixture(autouse=True)
def cold_caches() -> Iterator[None]:
    """Every test starts from empty caches and leaves them empty."""
    glyph_cache.clear_glyph_caches()
    yield
    glyph_cache.clear_glyph_caches()


def _pixels(fig: Figure, canvas: type[FigureCanvasAgg]) -> np.ndarray:
    """The figure drawn on a new `canvas`, as an RGBA array."""
    drawn = canvas(fig)
    drawn.draw()
    return np.asarray(drawn.buffer_rgba()).copy()


def _words_figure(shift: float) -> Figure:
    """Words at fractional positions (moved by `shift` of a pixel), sizes and angles, on a plain figure."""
    fig = style.new_figure(400, 300)
    rng = np.random.default_rng(1)
    for i, word in enumerate(WORDS * 3):
        x, y = rng.uniform(0.05, 0.6), rng.uniform(0.05, 0.95)
        angle = (0, 90, 30)[i % 3]
        fig.text(x + shift / 400, y + shift / 300, word, fontsize=9 + i % 7, rotation=angle, color="#225588")
    return fig


@pytest.mark.parametrize("shift", [0.0, 0.37, 1.5])
def test_words_are_drawn_exactly_as_matplotlib_draws_them(shift: float) -> None:
    fig = _words_figure(shift)
    plain = _pixels(fig, FigureCanvasAgg)
    assert (plain[:, :, :3] < 250).any()  # words were drawn
    cold = _pixels(fig, GlyphCachingCanvas)
    warm = _pixels(fig, GlyphCachingCanvas)
    assert glyph_cache._GLYPHS and glyph_cache._SHAPED  # the second draw came from the caches
    assert np.array_equal(cold, plain) and np.array_equal(warm, plain)


@pytest.mark.parametrize("lang", ["en", "hi", "both"])
def test_a_loss_curve_is_the_same_picture_with_the_cache(lang: str) -> None:
    style.drop_run_figures()
    fig = loss_curve_figure(list(np.geomspace(1.0, 1e-4, 300)), list(np.geomspace(1.2, 1e-3, 300)), lang=lang)
    plain = _pixels(fig, FigureCanvasAgg)
    assert np.array_equal(_pixels(fig, GlyphCachingCanvas), plain)
    assert np.array_equal(_pixels(fig, GlyphCachingCanvas), plain)
    style.drop_run_figures()  # its canvas was swapped: a later test gets a fresh figure


def test_a_full_cache_starts_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glyph_cache, "MAX_ENTRIES", 5)
    fig = _words_figure(0.0)
    plain = _pixels(fig, FigureCanvasAgg)
    assert np.array_equal(_pixels(fig, GlyphCachingCanvas), plain)
    assert len(glyph_cache._GLYPHS) <= 5 and len(glyph_cache._SHAPED) <= 5


def test_another_thread_shapes_its_own_words_with_its_own_fonts() -> None:
    fig = _words_figure(0.25)
    plain = _pixels(fig, FigureCanvasAgg)
    _pixels(fig, GlyphCachingCanvas)  # this thread's words are cached
    drawn: list[np.ndarray] = []
    other = threading.Thread(target=lambda: drawn.append(_pixels(_words_figure(0.25), GlyphCachingCanvas)))
    other.start()
    other.join()
    assert np.array_equal(drawn[0], plain)
    threads = {key[-1] for key in glyph_cache._SHAPED}
    assert len(threads) == 2  # the other thread did not draw with this thread's FT2Font objects
