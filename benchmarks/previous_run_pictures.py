"""The run pictures as main drew them before figures were kept (commit 13a29c5), for bench_pictures.py.

Copied unchanged but for their names: each picture on a fresh Figure, and the PNG encoder that copied the
RGB pixels twice. The constants and helpers they use are imported from the bot (this branch left those
unchanged), so old and new differ only in what the branch changed.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from bot.i18n import Bilingual, join, tr
from bot.training.worker.draw import style
from bot.training.worker.draw.decision_boundary import (
    COLUMN,
    LABEL_SIZE,
    LEGEND_SIZE,
    PLOT,
    TICK_SIZE,
    TICKS,
    TITLE_CHARS,
    TITLE_SIZE,
    GuideLine,
    _line_points,
    is_flat,
    wrap,
)
from bot.training.worker.draw.fitted_line import _note_box, data_window
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.loss_curve import FLAT_CURVE, LEGEND_CHARS, LOG_SPAN, PLOT_WIDTH
from bot.training.worker.draw.style import CLASS_COLOURS, DIVERGED, INK, NEUTRAL, REGION_COLOURS


def previous_to_png(fig: Figure) -> bytes:
    """The figure as PNG bytes, exactly its pixel size (no tight bbox, which would change it)."""
    fig.patch.set_facecolor("white")
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    # the white figure is opaque, so its RGB is the whole picture
    return previous_png_bytes(np.asarray(canvas.buffer_rgba())[:, :, :3])


def previous_png_bytes(rgb: np.ndarray) -> bytes:
    """An (H, W, 3) uint8 image as an 8-bit RGB PNG: rows unfiltered, zlib level 1.

    Pillow's encoder tries every row filter (~40 ms a picture); a run's pictures are mostly flat
    colour, which zlib alone packs as small, in a quarter of the time.
    """
    height, width, _ = rgb.shape
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # each row: filter type 0, then pixels
    rows[:, 1:] = rgb.reshape(height, width * 3)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + chunk(b"IEND", b"")
    )


def previous_loss_curve_figure(
    train_losses: Sequence[float],
    test_losses: Sequence[float] | None = None,
    *,
    lang: str = "en",
    diverged_at: int | None = None,
    stalled: bool = False,
    title: Bilingual | None = None,
) -> Figure:
    """Loss per epoch (train, and test if given); log y when the loss spans decades; divergence marked.

    A loss that hardly changes is drawn from 0, so it looks as flat as it is (autoscaling would blow
    float jitter up into steps); `stalled` adds 'barely moved: lr too small' to the legend.
    """
    fig = style.new_figure(style.RUN_WIDTH, style.RUN_HEIGHT)
    heading = label(title or tr("picture.loss_title"), lang)
    # the legend sits right of the axes, so it never covers a curve
    ax = style.titled_axes(fig, (0.1, 0.12, PLOT_WIDTH, 0.78), heading)
    epochs = np.arange(1, len(train_losses) + 1)
    train = np.asarray(train_losses, dtype=float)
    ax.plot(epochs, train, color=CLASS_COLOURS[0], lw=2, label=label(tr("picture.train"), lang))
    curves = [train]
    if test_losses is not None and len(test_losses):
        test = np.asarray(test_losses, dtype=float)
        curves.append(test)
        ax.plot(epochs, test, color="#ff7f0e", lw=1.6, ls="--", label=label(tr("picture.test"), lang))
    finite = np.concatenate([c[np.isfinite(c)] for c in curves])
    if finite.size and finite.min() > 0 and finite.max() / finite.min() > LOG_SPAN:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
        ax.yaxis.set_major_formatter(FuncFormatter(style.plain_number))
        ax.yaxis.set_minor_locator(NullLocator())  # dozens of minor ticks cost more than the curve
    elif finite.size and finite.max() - finite.min() <= FLAT_CURVE * abs(finite.max()):
        ax.set_ylim(min(0.0, float(finite.min())), float(finite.max()) * 1.25 or 1.0)
    if stalled:
        ax.plot([], [], " ", label=label(tr("picture.stalled"), lang))
    if diverged_at is not None:
        # the marker's words go in the legend, beside the curves
        note = label(tr("picture.diverged_marker"), lang)
        ax.axvline(diverged_at, color=DIVERGED, lw=1.5, ls=":", label=note)
        last = train[np.isfinite(train)]
        if last.size:
            ax.plot(len(train), last[-1], "X", ms=11, color=DIVERGED, clip_on=False)
    epochs_run = max(len(train_losses), diverged_at or 0)
    style.epoch_axis(ax, epochs_run, log=style.story_is_early(curves, epochs_run), fontsize=12)
    ax.set_ylabel(style.LOSS, fontsize=12)
    ax.tick_params(labelsize=12)  # readable when Discord shows the picture 400 px wide
    # an explicit y skips matplotlib's title auto-placement (a tight-bbox pass over every tick)
    ax.set_title(heading, fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    handles, names = ax.get_legend_handles_labels()
    ax.legend(
        handles,
        [style.wrap_lines(name, LEGEND_CHARS) for name in names],
        loc="upper left",
        bbox_to_anchor=(1.04, 1.0),
        fontsize=11,
        frameon=False,
        borderaxespad=0,
    )
    if ax.get_yscale() == "linear":
        ax.ticklabel_format(axis="y", useOffset=False)  # "0.701", never "1e-7 + 7.01e-1" over the title
    style.room_for_y_labels(ax)
    return fig


def previous_decision_boundary_figure(
    points: np.ndarray,
    labels: np.ndarray,
    is_test: np.ndarray,
    extent: tuple[float, float, float, float],
    scores: np.ndarray,
    *,
    lang: str = "en",
    title: Bilingual | None = None,
    lines: Sequence[GuideLine] = (),
    boundary: Bilingual | None = None,
    flat_note: Bilingual | None = None,
) -> Figure:
    """Regions the network assigns to each class, the boundary line, and the data (test points hollow).

    `scores` is a grid over `extent` (x0, x1, y0, y1): P(class 1) with shape (H, W) for two classes,
    or class probabilities (H, W, K). A model at chance everywhere gets a grey field and a note instead of
    one flat class colour; `lines` are extra straight lines (e.g. the best any line can do). `boundary`
    names the boundary in the legend and `flat_note` explains a grey field.
    """
    fig = style.new_figure(style.RUN_WIDTH, style.RUN_HEIGHT)
    heading = label(title or tr("picture.boundary_title"), lang)
    ax = fig.add_axes(PLOT)
    n_classes = 2 if scores.ndim == 2 else scores.shape[2]
    flat = is_flat(scores)
    region = (scores > 0.5).astype(int) if scores.ndim == 2 else scores.argmax(axis=2)
    colours = [NEUTRAL] * n_classes if flat else list(REGION_COLOURS[:n_classes])
    ax.imshow(
        region,
        origin="lower",
        extent=extent,
        cmap=ListedColormap(colours),
        vmin=0,
        vmax=n_classes - 1,
        aspect="auto",
        interpolation="nearest",
    )
    xs = np.linspace(extent[0], extent[1], region.shape[1])
    ys = np.linspace(extent[2], extent[3], region.shape[0])
    handles: list[Artist] = []
    one_class = not flat and int(region.min()) == int(region.max())
    if not flat and not one_class:
        if scores.ndim == 2:
            ax.contour(xs, ys, scores, levels=[0.5], colors=INK, linewidths=1.5)
        else:
            # each class's edge: where its probability stops being the largest (smooth, unlike argmax steps)
            for c in range(n_classes):
                others = np.delete(scores, c, axis=2).max(axis=2)
                ax.contour(xs, ys, scores[:, :, c] - others, levels=[0.0], colors=INK, linewidths=1.2)
        words = label(boundary or tr("picture.boundary"), lang)
        handles.append(Line2D([], [], color=INK, lw=1.5, label=wrap(words)))
    for line in lines:
        ends = _line_points(line, extent)
        if ends is not None:
            (drawn,) = ax.plot(
                ends[:, 0],
                ends[:, 1],
                color=line.colour,
                ls=line.style,
                lw=2,
                label=wrap(label(line.words, lang)),
            )
            handles.append(drawn)
    for c in range(n_classes):
        mine = labels == c
        name = label(tr("picture.boundary_class", number=c), lang)
        train_pts = points[mine & ~is_test]
        test_pts = points[mine & is_test]
        size = 80 if len(points) <= 8 else 30
        handles.append(
            ax.scatter(
                train_pts[:, 0], train_pts[:, 1], s=size, c=CLASS_COLOURS[c], edgecolors="white", label=name
            )
        )
        if len(test_pts):
            ax.scatter(
                test_pts[:, 0], test_pts[:, 1], s=size + 10, facecolors="none", edgecolors=CLASS_COLOURS[c]
            )
    if is_test.any():
        handles.append(
            ax.scatter(
                [], [], s=32, facecolors="none", edgecolors="#444444", label=label(tr("picture.test"), lang)
            )
        )
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.xaxis.set_major_locator(MaxNLocator(TICKS))
    ax.yaxis.set_major_locator(MaxNLocator(TICKS))
    ax.tick_params(labelsize=TICK_SIZE)
    ax.set_xlabel("x₁", fontsize=LABEL_SIZE, labelpad=2)
    ax.set_ylabel("x₂", fontsize=LABEL_SIZE)
    # the title heads the legend in the column beside the picture (not over it: the plot gets the height)
    legend = ax.legend(
        handles=handles,
        title=wrap(heading, TITLE_CHARS),
        title_fontsize=TITLE_SIZE,
        alignment="left",
        loc="upper left",
        bbox_to_anchor=(COLUMN, PLOT[1] + PLOT[3]),
        bbox_transform=fig.transFigure,
        borderaxespad=0,
        borderpad=0,
        fontsize=LEGEND_SIZE,
        markerscale=1.4,
        frameon=False,
    )
    side_note = None
    if flat:
        side_note = label(flat_note or tr("picture.boundary_flat"), lang)
    elif one_class:
        side_note = label(tr("picture.boundary_one_class", number=int(region.min())), lang)
    if side_note is not None:
        # beside the picture, under the legend: inside it the note would hide points
        below = legend.get_window_extent(fig.canvas.get_renderer()).y0 / fig.bbox.height  # type: ignore[attr-defined]
        fig.text(
            COLUMN + 0.01,
            below - 0.04,
            wrap(side_note),
            ha="left",
            va="top",
            fontsize=LEGEND_SIZE - 1,
            color=INK,
            linespacing=1.35,
            bbox={"boxstyle": "round,pad=0.5", "fc": "#f6f6f6", "ec": "#999999"},
        )
    style.room_for_y_labels(ax)
    return fig


def previous_fitted_line_figure(
    x: np.ndarray,
    y: np.ndarray,
    is_test: np.ndarray,
    line_x: np.ndarray,
    line_y: np.ndarray,
    *,
    lang: str = "en",
) -> Figure:
    """The regression data, the network's fitted line, and the true rule y = 2x.

    The y axis follows the data: a network whose line ran off to ±10¹² (a diverged run) is clipped, and a
    note says where it went, instead of squashing the data into a flat row.
    """
    fig = style.new_figure(style.RUN_WIDTH, style.RUN_HEIGHT)
    heading = label(tr("picture.fitted_title"), lang)
    ax = style.titled_axes(fig, (0.1, 0.12, 0.86, 0.78), heading)
    train = label(tr("picture.train"), lang)
    ax.scatter(x[~is_test], y[~is_test], s=28, c=CLASS_COLOURS[0], label=train)
    if is_test.any():
        ax.scatter(
            x[is_test],
            y[is_test],
            s=34,
            facecolors="none",
            edgecolors=CLASS_COLOURS[0],
            label=label(tr("picture.test"), lang),
        )
    ax.plot(line_x, 2 * line_x, color="#777777", ls="--", lw=1.2, label="y = 2x")
    network = label(tr("picture.fitted_network"), lang)
    ax.plot(line_x, line_y, color=CLASS_COLOURS[1], lw=2.2, label=network)
    low, high = data_window(np.concatenate([y, 2 * line_x]))
    finite = line_y[np.isfinite(line_y)]
    span = high - low
    if finite.size == line_y.size and finite.min() >= low - span and finite.max() <= high + span:
        low, high = min(low, float(finite.min())), max(high, float(finite.max()))  # near enough: show it
    else:
        if finite.size == line_y.size:
            reach = tr("picture.fitted_reach", far=f"{float(np.abs(finite).max()):.2g}")
        else:
            reach = tr("picture.fitted_infinite")
        note = label(join([tr("picture.fitted_left_plot"), reach.map(lambda why: f"({why})")]), lang)
        _note_box(ax, note, (0.97, 0.04), "right", "bottom", colour=CLASS_COLOURS[1])
    ax.set_ylim(low, high)
    ax.set_xlabel("x", fontsize=12)
    ax.set_ylabel("y", fontsize=12)
    ax.set_title(heading, fontsize=14, y=1.01)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=11)
    style.room_for_y_labels(ax)
    return fig
