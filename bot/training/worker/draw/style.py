"""What every picture shares: sizes, colours, type sizes, a blank figure, PNG bytes, tick labels.

Pictures of one run (loss curve, decision boundary, fitted line) are 800×500, Discord's preview size.
Teaching figures are drawn at 1000 px wide with large type, so they stay readable when shrunk; their
labels are Hindi in 'both' (technical terms stay English in them), which keeps them uncluttered.
Figures are built with `matplotlib.figure.Figure` (no pyplot state: nothing to leak or close). A run's
pictures are drawn on one figure per kind that each thread keeps (`run_axes`), emptied before each draw.
"""

from __future__ import annotations

import math
import struct
import textwrap
import threading
import zlib
from collections.abc import Sequence

import numpy as np
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from bot.training.worker.draw import fonts
from bot.training.worker.draw.glyph_cache import GlyphCachingCanvas

DPI = 100
RUN_WIDTH, RUN_HEIGHT = 800, 500  # a run's pictures: what Discord shows without opening the image
WIDTH, HEIGHT = 1000, 620  # teaching figures
LINE_OF_TITLE = 0.055  # figure fraction one extra title line needs (14 pt at 500 px high)

# one colour per class: blue, red, green; the same, light, for the regions a network assigns them
CLASS_COLOURS = ("#1f77b4", "#d62728", "#2ca02c")
REGION_COLOURS = ("#c6dbef", "#fcbba1", "#c7e9c0")
NEUTRAL = "#e4e4e4"  # the field of a model that says 'don't know' everywhere
DIVERGED = "#d62728"
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
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}
# technical terms drawn the same in Hindi and English (everything that differs is in picture.yaml)
EPOCH, LOSS, ACCURACY = "epoch", "loss", "accuracy"
EPOCH_LOG = "epoch (log scale)"
EARLY_PART = 0.1  # a curve that ends, or does 90 % of its falling, in the first tenth of the run ...
EARLY_FALL = 0.9
LONG_ENOUGH = 50  # ... of a run this long or longer gets a log epoch axis


def use_lang(lang: str) -> str:
    """Prepare matplotlib's fonts; the language a teaching figure's labels are drawn in ('hi' or 'en').

    'both' draws Hindi labels; without a Devanagari font everything falls back to English.
    """
    fonts.setup_fonts()
    use = fonts.picture_lang(lang)
    return "hi" if use == "both" else use


def new_figure(
    width: int = WIDTH, height: int = HEIGHT, canvas: type[FigureCanvasAgg] = FigureCanvasAgg
) -> Figure:
    """A blank white figure of `width` × `height` pixels with the tutor's fonts, on a `canvas`."""
    fonts.setup_fonts()
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    canvas(fig)
    return fig


# a run picture's figure per kind, per thread (workers draw on one thread; a shared figure would mix)
_RUN_FIGURES = threading.local()


def run_axes(kind: str, rect: tuple[float, float, float, float]) -> tuple[Figure, Axes]:
    """The RUN_WIDTH × RUN_HEIGHT figure this thread keeps for `kind` of run picture and its one Axes at
    `rect`, emptied of everything the previous `kind` picture drew (see empty_run_axes).

    A fresh Figure, its Axes and their tick artists cost about a third of a picture; kept, the ticks, the
    renderer and its text-size cache serve every later picture, and its canvas keeps shaped words and
    rendered glyphs (glyph_cache). Turn the figure into PNG bytes before
    drawing the next picture of the same kind: that draw empties it.
    """
    fonts.setup_fonts()
    kept: dict[str, tuple[Figure, Axes]] = _RUN_FIGURES.__dict__.setdefault("figures", {})
    if kind not in kept:
        # the same words are drawn picture after picture: shaped and rendered once (exact, see glyph_cache)
        fig = new_figure(RUN_WIDTH, RUN_HEIGHT, GlyphCachingCanvas)
        kept[kind] = (fig, fig.add_axes(rect))
        return kept[kind]
    fig, ax = kept[kind]
    empty_run_axes(fig, ax)
    ax.set_position(rect)
    return fig, ax


def drop_run_figures() -> None:
    """Forget this thread's kept run figures: the next run picture of each kind starts a fresh figure."""
    _RUN_FIGURES.__dict__.pop("figures", None)


def empty_run_axes(fig: Figure, ax: Axes) -> None:
    """Take every artist a picture added off `fig` and its one Axes `ax`, and put back what a fresh Axes
    has: linear scales with their default locators and formatters, autoscaling from no data, the colour
    cycle's start, no title, axis labels, grid or legend.

    Kept as they are: the tick artists (the point of keeping the figure) and the tick sizes, which every
    draw of one kind sets the same; a test compares a kept figure's PNG to a fresh one's.
    """
    for artist in (*ax.lines, *ax.collections, *ax.images, *ax.patches, *ax.texts, *ax.tables, *ax.artists):
        artist.remove()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for artist in (*fig.texts, *fig.legends, *fig.images, *fig.lines, *fig.patches, *fig.artists):
        artist.remove()
    ax.set_prop_cycle(None)
    ax.set_xscale("linear")  # also back to the default locators and formatters
    ax.set_yscale("linear")
    ax.relim()  # no artists: no data limits
    ax.autoscale(True, tight=False)  # a contour leaves tight autoscaling on; False works as a fresh None
    ax.set_title("")  # resets its size, place and automatic placement too
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_label_text("", fontsize=rcParams["axes.labelsize"])
        axis.labelpad = rcParams["axes.labelpad"]
    ax.grid(False)


def to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, exactly its pixel size (no tight bbox, which would change it)."""
    fig.patch.set_facecolor("white")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    # the white figure is opaque, so its RGB is the whole picture
    return png_bytes(np.asarray(canvas.buffer_rgba())[:, :, :3])


def png_bytes(rgb: np.ndarray) -> bytes:
    """An (H, W, 3) uint8 image as an 8-bit RGB PNG: rows unfiltered, zlib level 1.

    Pillow's encoder tries every row filter (~40 ms a picture); a run's pictures are mostly flat
    colour, which zlib alone packs as small, in a quarter of the time.
    """
    height, width, _ = rgb.shape
    rows = np.empty((height, width * 3 + 1), dtype=np.uint8)
    rows[:, 0] = 0  # each row: filter type 0, then its pixels
    # copied through a (H, W, 3) view: reshaping a strided RGBA slice first would copy it twice
    rows[:, 1:].reshape(height, width, 3)[...] = rgb

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def plain_number(value: float, _pos: object = None) -> str:
    """A tick label such as '0.001': mathtext ('10⁻³') costs ~70 ms per picture."""
    return f"{value:g}"


def percent(value: float | None) -> str:
    """0.975 → '97.5%' (trailing .0 dropped); None → '—'."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"


def two_lines(text: str) -> str:
    """`text` on two lines: broken at the clause mark (: , ;) nearest its middle, else the middle space."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    if not spaces:
        return text
    clauses = [i for i in spaces if text[i - 1] in ":,;"]
    middle = len(text) / 2
    cut = min(clauses or spaces, key=lambda i: (abs(i - middle), i))
    return f"{text[:cut]}\n{text[cut + 1 :]}"


def story_is_early(curves: Sequence[Sequence[float] | np.ndarray], epochs: int) -> bool:
    """Whether a linear epoch axis would squash these curves' story into its left edge: in a run of at
    least LONG_ENOUGH epochs, a curve ends (diverges) or does EARLY_FALL of its falling within the first
    EARLY_PART of the epochs."""
    if epochs < LONG_ENOUGH:
        return False
    early = max(1, int(epochs * EARLY_PART))
    for curve in curves:
        values = np.asarray(curve, dtype=float)
        if len(values) <= early:
            return True
        finite = values[np.isfinite(values)]
        if finite.size < 2 or not np.isfinite(values[0]):
            continue
        fall = values[0] - finite.min()
        if fall > 0 and np.nanmin(values[: early + 1]) <= values[0] - EARLY_FALL * fall:
            return True
    return False


def integer_tick(value: float, _pos: object = None) -> str:
    """An epoch tick label: a whole number ('1000', never '1e+03' or '1.25')."""
    return f"{round(value):d}"


def epoch_axis(ax: Axes, epochs: int, *, log: bool, fontsize: float) -> None:
    """The x axis of a loss curve: epochs 1..`epochs` with whole-number ticks only; a log scale (said
    in the label) when the story happens early (see story_is_early)."""
    ax.set_xlim(1, max(2, epochs))
    if log:
        ax.set_xscale("log")
        decades = math.log10(max(2, epochs))
        subs = (1.0, 2.0, 5.0) if decades <= 2.5 else (1.0, 3.0)
        ax.xaxis.set_major_locator(LogLocator(base=10, subs=subs, numticks=12))
        ax.xaxis.set_minor_locator(NullLocator())
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=7, integer=True, min_n_ticks=2))
    ax.xaxis.set_major_formatter(FuncFormatter(integer_tick))
    ax.set_xlabel(EPOCH_LOG if log else EPOCH, fontsize=fontsize)


def wrap_lines(text: str, width: int) -> str:
    """`text` with each of its lines wrapped at `width` characters (a legend beside the axes)."""
    return "\n".join(textwrap.fill(line, width) for line in text.split("\n"))


def titled_rect(rect: tuple[float, float, float, float], title: str) -> tuple[float, float, float, float]:
    """`rect` lowered by a line for each extra line of a stacked ('both') title."""
    left, bottom, width, height = rect
    return (left, bottom, width, height - title.count("\n") * LINE_OF_TITLE)


def titled_axes(fig: Figure, rect: tuple[float, float, float, float], title: str) -> Axes:
    """Axes at `rect`, lowered by a line for each extra line of a stacked ('both') title."""
    return fig.add_axes(titled_rect(rect, title))


def style_axes(ax: Axes) -> None:
    """Large ticks, a light grid, no top/right spines."""
    ax.tick_params(labelsize=FONT["tick"])
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


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
