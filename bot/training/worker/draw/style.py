"""Shared drawing helpers for the teaching visuals: language, figure size, colours, PNG bytes.

Every picture is sized for Discord's preview (about 550 px wide): drawn at 1000 px wide with large type,
so it stays readable when shrunk. Labels come in the learner's language; where the Devanagari font is
missing, `use_lang` falls back to English rather than draw broken glyphs.
"""

from __future__ import annotations

import io

from matplotlib import rcParams
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


def room_for_y_labels(ax: Axes, margin_px: float = 8.0) -> None:
    """Move the axes' left edge right until its y tick labels and y label fit inside the figure.

    Measures only the tick label strings (a few ms); a full tight-bbox pass costs half a picture.
    """
    fig = ax.get_figure()
    if fig is None or not isinstance(fig, Figure):
        return
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    low, high = sorted(ax.get_ylim())
    locs = [v for v in ax.yaxis.get_majorticklocs() if low <= v <= high]
    texts = ax.yaxis.get_major_formatter().format_ticks(locs) if locs else []
    tick_prop = ax.yaxis.get_ticklabels()[0].get_fontproperties() if ax.yaxis.get_ticklabels() else None
    widest = max(
        (renderer.get_text_width_height_descent(t, tick_prop, ismath=False)[0] for t in texts if t),
        default=0.0,
    )
    points = fig.dpi / 72.0
    major = ax.yaxis.get_major_ticks()[0] if ax.yaxis.get_major_ticks() else None
    length = major.get_tick_padding() if major else float(rcParams["ytick.major.size"])
    tick_space = (length + float(rcParams["ytick.major.pad"])) * points
    label = ax.yaxis.label
    label_space = 0.0
    if label.get_text():
        _, height, _ = renderer.get_text_width_height_descent(
            label.get_text(), label.get_fontproperties(), ismath=False
        )
        label_space = height * label.get_text().count("\n") + height + ax.yaxis.labelpad * points
    need = (widest + tick_space + label_space + margin_px) / fig.bbox.width
    box = ax.get_position()
    if need > box.x0:
        ax.set_position((need, box.y0, box.x1 - need, box.height))
