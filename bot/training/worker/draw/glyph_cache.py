"""An Agg canvas that remembers shaped strings and rendered glyphs, for the pictures a worker redraws.

Text is most of a run picture's cost: matplotlib (3.11) shapes every string anew (libraqm) and renders
each of its glyphs with FreeType at every draw, although a worker draws the same tick labels, axis words
and legend words again and again. This renderer keeps both. It is exact: a glyph rendered at a position
is the glyph rendered at the same fraction of a pixel, moved by whole pixels, so the cached bitmap drawn
there is the same bitmap; a test compares pictures drawn with and without the cache pixel for pixel.
Math text, rotated glyphs at new angles, unantialiased text and any matplotlib without the 3.11 text path
take matplotlib's own path.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import FontProperties, fontManager, get_font
from matplotlib.ft2font import FT2Font, RenderMode

MAX_ENTRIES = 20_000  # per cache; a worker's pictures use a few thousand (then it starts afresh)
# matplotlib's text path this renderer repeats with caches (3.11); older versions keep their own
CAN_CACHE = hasattr(FT2Font, "_layout") and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")

# (string, font files, size, dpi, hinting, features, language, thread) → [(font, glyph index, x, y)]
_SHAPED: dict[tuple[Any, ...], list[tuple[FT2Font, int, float, float]]] = {}
# (font, size, dpi, glyph, matrix, x and y in 1/64 px within a pixel, hinting) → (bitmap, left, top)
_GLYPHS: dict[tuple[Any, ...], tuple[np.ndarray, int, int]] = {}
_FONT_FILES: dict[FontProperties, tuple[str, ...]] = {}  # what matplotlib looks up for every string


def _bounded(cache: dict[Any, Any]) -> dict[Any, Any]:
    """`cache`, emptied first when it is full (a worker's words repeat: it soon fills again)."""
    if len(cache) >= MAX_ENTRIES:
        cache.clear()
    return cache


def clear_glyph_caches() -> None:
    """Forget every shaped string, glyph bitmap and font lookup (the next text is rendered afresh)."""
    _SHAPED.clear()
    _GLYPHS.clear()
    _FONT_FILES.clear()


class GlyphCachingRenderer(RendererAgg):
    """RendererAgg that shapes each string once and renders each glyph once per sub-pixel position."""

    def draw_text(
        self,
        gc: Any,
        x: float,
        y: float,
        s: str,
        prop: FontProperties,
        angle: float,
        ismath: bool | str = False,
        mtext: Any = None,
    ) -> None:
        """Draw `s` as matplotlib does, from the caches where it drew the same before."""
        if ismath or not CAN_CACHE or not gc.get_antialiased():
            super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
            return
        files = _FONT_FILES.get(prop)
        if files is None:
            files = tuple(fontManager._find_fonts_by_props(prop))
            _bounded(_FONT_FILES)[prop.copy()] = files  # a copy: a Text may change its own later
        size = prop.get_size_in_points()
        flags = get_hinting_flag()
        features = tuple(mtext.get_fontfeatures() or ()) if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        # the thread too: its glyphs carry the fonts they were shaped with, and matplotlib gives each
        # thread its own FT2Font objects (FreeType's are not to be shared between threads)
        key = (s, files, size, self.dpi, flags, features, language, threading.get_ident())
        shaped = _SHAPED.get(key)
        if shaped is None:
            font = get_font(list(files))
            font.clear()
            font.set_size(size, self.dpi)
            items = font._layout(
                s,
                flags=flags,
                features=mtext.get_fontfeatures() if mtext is not None else None,
                language=language,
            )
            shaped = [(item.ft_object, item.glyph_index, item.x, item.y) for item in items]
            _bounded(_SHAPED)[key] = shaped
        self._draw_cached_glyphs(gc, x, y, angle, size, shaped, flags)

    def _draw_cached_glyphs(
        self,
        gc: Any,
        x: float,
        y: float,
        angle: float,
        size: float,
        shaped: list[tuple[FT2Font, int, float, float]],
        flags: Any,
    ) -> None:
        """RendererAgg._draw_text_glyphs_and_boxes for plain text, each glyph bitmap rendered once."""
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int)  # no slant or stretch
        matrix_key = tuple(matrix.ravel().tolist())
        height = self.height
        for font, glyph, dx, dy in shaped:  # dy is upwards
            # FreeType's position in 1/64 px, y upwards; whole pixels only move the bitmap
            px = round(0x40 * (x + dx * cos - dy * sin))
            py = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (font, size, self.dpi, glyph, matrix_key, px % 0x40, py % 0x40, flags)
            cached = _GLYPHS.get(key)
            if cached is None:
                font.set_size(size, self.dpi)
                font._set_transform(matrix, [px % 0x40, py % 0x40])  # type: ignore[attr-defined]
                bitmap = font._render_glyph(glyph, flags, RenderMode.NORMAL)  # type: ignore[attr-defined]
                cached = (np.array(bitmap.buffer, copy=True), bitmap.left, bitmap.top)
                _bounded(_GLYPHS)[key] = cached
            buffer, left, top = cached
            # draw_text_image's y is downwards and names the bitmap's bottom side
            left += px // 0x40
            top += py // 0x40
            self._renderer.draw_text_image(buffer, left, int(height) - top + buffer.shape[0], 0, gc)


class GlyphCachingCanvas(FigureCanvasAgg):
    """FigureCanvasAgg whose renderer is a GlyphCachingRenderer (kept while the size stays the same)."""

    def get_renderer(self) -> RendererAgg:
        """The canvas's renderer, a new GlyphCachingRenderer when the figure's size or dpi changed."""
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        if self._lastKey != key:  # as FigureCanvasAgg.get_renderer does, with the caching renderer
            self.renderer = GlyphCachingRenderer(width, height, self.figure.dpi)
            self._lastKey = key
        return self.renderer
