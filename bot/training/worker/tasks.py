"""Worker entry points for the teaching visuals: plain data in, plain picklable data (and PNG bytes) out.

The pool calls them as "bot.training.visual_jobs:<name>". Each returns a dict; pictures are under
"images" as [{"name", "png"}], texts under "text_en" / "text_hi" where there is something to read.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import torch

from bot.training import charts, diagrams, figures
from bot.training.backprop import DEFAULT_WEIGHTS, walkthrough
from bot.training.compare import compare
from bot.training.export import export_script
from bot.training.spec import CompareSpec, TrainSpec, spec_from_dict
from bot.training.sweep import sweep, sweep_lines


def _compare_text(result: Mapping[str, Any], lang: str) -> str:
    headers = charts.compare_headers(result, lang)
    rows = charts.compare_rows(result, lang)
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [
        "  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)) for row in [headers, *rows]
    ]
    return "\n".join(lines)


def compare_job(spec: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """Train every optimizer of a CompareSpec dict in one batch; the chart, table text and the script."""
    torch.set_num_threads(1)  # tiny networks: threads only add contention
    started = time.perf_counter()
    parsed = spec_from_dict(spec)
    if not isinstance(parsed, CompareSpec):
        raise TypeError("compare_job needs a CompareSpec dict (with 'optimizers')")
    result = compare(parsed).to_dict()
    png = charts.compare_chart(parsed.to_dict(), result, lang)
    result["seconds"] = time.perf_counter() - started  # training and drawing: what the learner waits for
    return {
        "spec": parsed.to_dict(),
        "result": result,
        "images": [{"name": "optimizers", "png": png}],
        "text_en": _compare_text(result, "en"),
        "text_hi": _compare_text(result, "hi"),
        "code": export_script(parsed),
    }


def sweep_job(
    spec: Mapping[str, Any], lang: str = "en", rates: Sequence[float] | None = None
) -> dict[str, Any]:
    """Train a TrainSpec dict at several learning rates; the labelled chart and one line per rate."""
    torch.set_num_threads(1)
    started = time.perf_counter()
    parsed = spec_from_dict(spec)
    if not isinstance(parsed, TrainSpec):
        raise TypeError("sweep_job needs a TrainSpec dict (with 'optimizer')")
    runs = sweep(parsed, rates)
    data = [r.to_dict() for r in runs]
    png = charts.sweep_chart(parsed.to_dict(), data, lang)
    return {
        "spec": parsed.to_dict(),
        "result": {"runs": data, "seconds": time.perf_counter() - started},
        "images": [{"name": "lr_sweep", "png": png}],
        "text_en": "\n".join(sweep_lines(runs, "en")),
        "text_hi": "\n".join(sweep_lines(runs, "hi")),
    }


def figure_job(name: str, lang: str = "en") -> dict[str, Any]:
    """A lesson figure by name (bot/content/figures.py)."""
    torch.set_num_threads(1)
    return {"name": name, "images": [{"name": name, "png": figures.draw_figure(name, lang)}]}


def activation_job(name: str, lang: str = "en") -> dict[str, Any]:
    """One activation with its derivative ("show relu"); 'all' draws the four together."""
    if name.strip().lower() in ("all", "activations", ""):
        return figure_job("activations", lang)
    return {
        "name": name,
        "images": [{"name": f"activation_{name}", "png": figures.activation_figure(name, lang)}],
    }


def diagram_job(spec: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """A drawing of the network a TrainSpec or CompareSpec dict trains."""
    parsed = spec_from_dict(spec)
    return {
        "spec": parsed.to_dict(),
        "images": [{"name": "network", "png": diagrams.spec_diagram(parsed, lang)}],
    }


def walkthrough_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Walkthrough arguments from front-door options; a single number x, w, b means a one-input neuron.

    (The slash command asks for one x, one w and one b: x2 is then 0, so w2 contributes nothing.)
    """
    opts = dict(options)
    x, w, b = opts.pop("x", None), opts.pop("w", None), opts.pop("b", None)
    if isinstance(x, int | float):
        opts["x"] = (float(x), 0.0)
    elif x is not None:
        opts["x"] = x
    if (w is not None or b is not None) and opts.get("network", "neuron") == "neuron":
        weights = dict(DEFAULT_WEIGHTS["neuron"])
        weights.update({k: float(v) for k, v in (("w1", w), ("b", b)) if v is not None})
        opts["weights"] = weights
    return opts


def backprop_job(options: Mapping[str, Any] | None = None, lang: str = "en") -> dict[str, Any]:
    """The backprop walkthrough: its JSON-shaped data plus the text in both languages."""
    walk = walkthrough(**walkthrough_options(options or {}))
    return {**walk.to_dict(), "text_en": "\n".join(walk.lines("en")), "text_hi": "\n".join(walk.lines("hi"))}


def progress_chart_job(
    series: Mapping[str, Any] | Sequence[Mapping[str, Any]], lang: str = "en", title: str | None = None
) -> dict[str, Any]:
    """A learner's 30-day XP and accuracy chart from plain data (see charts.progress_chart)."""
    return {"images": [{"name": "progress", "png": charts.progress_chart(series, lang, title)}]}


def export_job(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The PyTorch script that reproduces a spec (the main process may call export directly: no torch)."""
    return {"code": export_script(spec)}
