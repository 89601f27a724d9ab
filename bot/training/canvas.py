"""Shared drawing helpers for the teaching visuals: language, figure size, colours, PNG bytes.

Every picture is sized for Discord's preview (about 550 px wide): drawn at 1000 px wide with large type,
so it stays readable when shrunk. Labels come in the learner's language; where the Devanagari font is
missing, `use_lang` falls back to English rather than draw broken glyphs.
"""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.training import fonts

DPI = 100
WIDTH, HEIGHT = 1000, 620  # pixels
# one colour per optimizer / curve, distinguishable in colour-blind palettes (Okabe–Ito)
COLOURS: dict[str, str] = {
    "sgd": "#0072B2",
    "momentum": "#E69F00",
    "rmsprop": "#009E73",
    "adam": "#CC79A7",
    "small": "#0072B2",
    "good": "#009E73",
    "large": "#D55E00",
    "huge": "#CC79A7",
}
INK = "#222222"
MUTED = "#777777"
VANISH = "#F0E442"  # yellow shading: the gradient vanishes here
DEAD = "#D55E00"  # red shading: ReLU's dead region
FONT = {"title": 20, "label": 16, "tick": 14, "text": 15, "small": 13}


def use_lang(lang: str) -> str:
    """Prepare matplotlib's fonts and return the language the labels can really be drawn in.

    'both' draws Hindi labels (technical terms stay English in them), which keeps pictures uncluttered;
    without a Devanagari font everything falls back to English.
    """
    fonts.setup_fonts()
    use = fonts.picture_lang(lang)
    return "hi" if use == "both" else use


def tr(lang: str, en: str, hi: str) -> str:
    """`hi` when the picture is drawn in Hindi, else `en`."""
    return hi if lang == "hi" else en


def new_figure(width: int = WIDTH, height: int = HEIGHT) -> Figure:
    """A blank white figure of `width` × `height` pixels (no pyplot state: nothing to leak or close)."""
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def style_axes(ax: Axes) -> None:
    """Large ticks, a light grid, no top/right spines."""
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, exactly its pixel size."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()
