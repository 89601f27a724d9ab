"""Activation functions with their gradients: where the gradient vanishes, where ReLU dies."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from bot.i18n import tr
from bot.training.spec import ACTIVATIONS, LEAKY_SLOPE, normalize_name
from bot.training.worker.draw import style
from bot.training.worker.draw.fonts import label
from bot.training.worker.draw.style import DEAD, FONT, INK, MUTED, VANISH

Z = np.linspace(-6.0, 6.0, 1201)
VANISHING_BELOW = 0.05  # a slope under this passes back almost nothing: the gradient "vanishes"
Y_LIMITS = {"sigmoid": (-0.15, 1.15), "tanh": (-1.2, 1.2)}  # ReLU and leaky ReLU: (-0.8, 6.2)
CURVE_ROOM = 0.05  # axes height kept clear around a curve (its line width and then some)
ACTIVATION_COLOURS = {"sigmoid": "#0072B2", "tanh": "#009E73", "relu": "#D55E00", "leaky_relu": "#CC79A7"}
FORMULAS = {
    "sigmoid": "sigmoid σ(z) = 1 / (1 + e⁻ᶻ)",
    "tanh": "tanh(z)",
    "relu": "ReLU = max(0, z)",
    "leaky_relu": f"leaky ReLU = max({LEAKY_SLOPE}·z, z)",
}


def activation_values(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The activation and its derivative at z (NumPy, for drawing)."""
    if name == "sigmoid":
        s = 1.0 / (1.0 + np.exp(-z))
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(z)
        return t, 1.0 - t**2
    if name == "relu":
        return np.maximum(z, 0.0), (z > 0).astype(float)
    return np.where(z > 0, z, LEAKY_SLOPE * z), np.where(z > 0, 1.0, LEAKY_SLOPE)


def _widest_gap(taken: list[tuple[float, float]]) -> tuple[float, float]:
    """The widest stretch of 0..1 (axes height) that none of the `taken` intervals covers."""
    edges, start = [], 0.0
    for low, high in sorted(taken):
        if low > start:
            edges.append((start, low))
        start = max(start, high)
    edges.append((start, 1.0))
    return max(edges, key=lambda gap: gap[1] - gap[0])


def _shade_vanishing(
    ax: Axes, f: np.ndarray, slope: np.ndarray, ylim: tuple[float, float], size: int
) -> None:
    """Shade where the slope is under VANISHING_BELOW, its label set upright in the widest band of the
    shading that no curve crosses (so no curve is drawn over the words)."""
    small = slope < VANISHING_BELOW
    words = "vanishing:\ngradient ≈ 0"  # terms, the same in both languages
    low, high = ylim
    for side in (Z < 0, Z > 0):
        part = small & side
        region = Z[part]
        if region.size:
            ax.axvspan(region.min(), region.max(), color=VANISH, alpha=0.45, lw=0)
            taken = [
                (
                    (curve[part].min() - low) / (high - low) - CURVE_ROOM,
                    (curve[part].max() - low) / (high - low) + CURVE_ROOM,
                )
                for curve in (f, slope)
            ]
            bottom, top = _widest_gap(taken)
            ax.text(
                (region.min() + region.max()) / 2,
                (bottom + top) / 2,
                words,
                transform=ax.get_xaxis_transform(),
                rotation=90,
                ha="center",
                va="center",
                fontsize=size,
                color=INK,
                linespacing=1.1,
            )


def activation_panel(ax: Axes, name: str, lang: str, size: int = FONT["small"]) -> None:
    """One activation (solid) with its derivative (dashed) and the region where learning stalls."""
    f, slope = activation_values(name, Z)
    colour = ACTIVATION_COLOURS[name]
    low, high = Y_LIMITS.get(name, (-0.8, 6.2))
    if name in ("sigmoid", "tanh"):
        _shade_vanishing(ax, f, slope, (low, high), size)
    else:
        if name == "relu":
            ax.axvspan(Z.min(), 0, color=DEAD, alpha=0.15, lw=0)
            words, ink = "dead: gradient = 0\n(dying ReLU)", DEAD
        else:
            words, ink = (
                label(tr("picture.leaky_never_dead", slope=LEAKY_SLOPE).map(style.two_lines), lang),
                MUTED,
            )
        ax.text(
            -3.0,
            0.55,
            words,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="center",
            fontsize=size,
            color=ink,
        )
    ax.axhline(0, color=MUTED, lw=0.8)
    ax.axvline(0, color=MUTED, lw=0.8)
    ax.plot(Z, f, color=colour, lw=3, label="f(z)")
    ax.plot(Z, slope, color=INK, lw=2, ls="--", label="f′(z): gradient")
    ax.set_title(FORMULAS[name], fontsize=size + 3)
    ax.set_ylim(low, high)
    ax.set_xlim(Z.min(), Z.max())
    ax.set_xlabel("z", fontsize=size + 1)
    style.style_axes(ax)


def activations_figure(lang: str) -> bytes:
    """Sigmoid, tanh, ReLU and leaky ReLU with their derivatives, vanishing and dead regions marked."""
    lang = style.use_lang(lang)
    fig = style.new_figure(style.WIDTH, 800)
    axes = fig.subplots(
        2,
        2,
        gridspec_kw={
            "hspace": 0.42,
            "wspace": 0.18,
            "top": 0.86,
            "bottom": 0.08,
            "left": 0.06,
            "right": 0.98,
        },
    )
    for ax, name in zip(axes.flat, ACTIVATIONS, strict=True):
        activation_panel(ax, name, lang)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.945),
        ncol=2,
        fontsize=FONT["text"],
        frameon=False,
    )
    fig.suptitle(label(tr("picture.activations_title"), lang), fontsize=FONT["title"], y=0.99)
    return style.to_png(fig)


def activation_figure(name: str, lang: str) -> bytes:
    """One activation, large, with its derivative ("show relu"); unknown names are refused with a hint."""
    activation = normalize_name("activation", name)
    lang = style.use_lang(lang)
    fig = style.new_figure()
    ax = fig.add_axes((0.08, 0.12, 0.9, 0.74))
    activation_panel(ax, activation, lang, size=FONT["text"])
    ax.legend(fontsize=FONT["text"], loc="upper left", framealpha=0.9)
    ax.set_title("")
    fig.suptitle(FORMULAS[activation], fontsize=FONT["title"], y=0.96)
    return style.to_png(fig)
