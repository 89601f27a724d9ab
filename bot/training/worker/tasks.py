"""The functions the executor runs in a worker: plain data in, `bot.training.results` dataclasses out.

`bot.training.jobs` names them ("bot.training.worker.tasks:train", …) and is their one caller in the
bot; the command line calls them directly (it is not the bot, so it may import torch). Specs arrive
as `to_dict()` data and are validated again here, so a worker never trusts what it is sent.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import torch

from bot.i18n import Bilingual, join
from bot.training.export import export_script
from bot.training.results import (
    Animation,
    CompareOutcome,
    Drawing,
    Picture,
    SettingOutcome,
    SettingRun,
    SweepOutcome,
    TrainOutcome,
    WalkthroughOutcome,
)
from bot.training.spec import (
    CompareSpec,
    TrainSpec,
    VarySpec,
    check_shows_units,
    longer_run,
    make_spec,
    normalize_name,
    spec_from_dict,
    vary_spec_from_dict,
)
from bot.training.worker import lesson_figures
from bot.training.worker.animation import animate as animate_run
from bot.training.worker.backprop import walkthrough, walkthrough_options
from bot.training.worker.batched import compare as train_compared
from bot.training.worker.batched import train_members, train_together
from bot.training.worker.draw import progress_chart as progress_picture
from bot.training.worker.draw.activations import activation_figure
from bot.training.worker.draw.class_heatmap import class_heatmap as heatmap_picture
from bot.training.worker.draw.lr_sweep import sweep_chart
from bot.training.worker.draw.network_diagram import spec_diagram
from bot.training.worker.draw.optimizer_race import race_chart, race_table
from bot.training.worker.draw.progress_chart import Series
from bot.training.worker.draw.setting_compare import setting_chart, setting_table
from bot.training.worker.models import build_model, criterion, make_stepper
from bot.training.worker.run_pictures import run_pictures, units_picture
from bot.training.worker.runner import keep_training
from bot.training.worker.runner import train as train_run
from bot.training.worker.sweep import sweep as train_sweep
from bot.training.worker.sweep import sweep_lines


def _train_spec(data: Mapping[str, Any]) -> TrainSpec:
    spec = spec_from_dict(data)
    if not isinstance(spec, TrainSpec):
        raise TypeError("this job needs a TrainSpec dict (with 'optimizer')")
    return spec


def train(spec: Mapping[str, Any], lang: str = "en", more: int = 0, units: bool = False) -> TrainOutcome:
    """Train a TrainSpec dict and draw its loss curve and boundary (or fitted line) in `lang`; with
    `more`, the run then keeps training that many epochs (its outcome's spec has all the epochs); with
    `units`, the hidden-units picture of the same trained network comes third."""
    started = time.perf_counter()
    parsed = _train_spec(spec)
    if more:  # refused before training when the total would pass the epochs limit
        longer_run(parsed, more)
    if units:
        check_shows_units(parsed)  # refused before training
    run = train_run(parsed)
    if more:
        run = keep_training(run, more)
    pictures = run_pictures(run, lang)
    if units:
        pictures = (*pictures, units_picture(run, lang))
    # what the learner waits for is training and drawing; train_seconds keeps the training alone
    result = replace(run.result, seconds=time.perf_counter() - started)
    return TrainOutcome(run.spec, result, pictures)


def units(spec: Mapping[str, Any], lang: str = "en") -> Drawing:
    """A TrainSpec dict trained again (the same run, from its seed) and each unit of its first hidden
    layer drawn: its output over the input plane; refused off 2-D classification or without one."""
    parsed = _train_spec(spec)
    check_shows_units(parsed)  # refused before training
    return Drawing((units_picture(train_run(parsed), lang),))


def animate(spec: Mapping[str, Any]) -> Animation:
    """A TrainSpec dict's run learning, as an animated GIF of its boundary or fitted line."""
    started = time.perf_counter()
    parsed = _train_spec(spec)
    gif, epochs = animate_run(parsed)
    return Animation(parsed, gif, epochs, time.perf_counter() - started)


def train_batch(specs: Sequence[Mapping[str, Any]], lang: str = "en") -> list[TrainOutcome]:
    """Train TrainSpec dicts sharing dataset, model, hidden, activation, loss and epochs as one batch.

    Each outcome (in the order of `specs`) equals `train(spec, lang)`'s: the same losses, accuracy,
    notes and pictures; `seconds` runs from the batch's start to that run's pictures. Specs that differ
    in more than optimizer, lr and seed raise ValueError.
    """
    started = time.perf_counter()
    runs = train_members([_train_spec(spec) for spec in specs])
    outcomes = []
    for run in runs:
        pictures = run_pictures(run, lang)
        result = replace(run.result, seconds=time.perf_counter() - started)
        outcomes.append(TrainOutcome(run.spec, result, pictures))
    return outcomes


def compare(spec: Mapping[str, Any], lang: str = "en") -> CompareOutcome:
    """Train every optimizer of a CompareSpec dict in one batch; the chart, the table and the script."""
    torch.set_num_threads(1)  # tiny networks: threads only add contention
    started = time.perf_counter()
    parsed = spec_from_dict(spec)
    if not isinstance(parsed, CompareSpec):
        raise TypeError("compare needs a CompareSpec dict (with 'optimizers')")
    done = train_compared(parsed)
    png = race_chart(
        done.runs, done.target_loss, dataset=parsed.dataset, lr=parsed.lr, epochs=parsed.epochs, lang=lang
    )
    table = Bilingual(
        en=race_table(done.runs, done.target_loss, "en"), hi=race_table(done.runs, done.target_loss, "hi")
    )
    return CompareOutcome(
        spec=parsed,
        runs=done.runs,
        target_loss=done.target_loss,
        start_loss=done.start_loss,
        seconds=time.perf_counter() - started,
        table=table,
        pictures=(Picture.named("optimizers", png),),
        code=export_script(parsed),
    )


def _setting_runs(spec: VarySpec) -> list[SettingRun]:
    """One run per value from the same data and seed: rates share a shape, so they train as one batch."""
    if spec.vary == "lr":
        together = train_together(spec.base, [(spec.base.optimizer, lr) for lr in spec.values]).runs
        curves: list[Any] = list(together)
    else:  # other activations or widths: other networks, trained one after the other in this job
        curves = [train_run(run).result for run in spec.run_specs()]
    return [
        SettingRun(
            value=value,
            label=spec.value_label(value),
            train_losses=tuple(run.train_losses),
            test_losses=None if run.test_losses is None else tuple(run.test_losses),
            train_accuracy=run.train_accuracy,
            test_accuracy=run.test_accuracy,
            diverged=run.diverged,
            diverged_at=run.diverged_at,
        )
        for value, run in zip(spec.values, curves, strict=True)
    ]


def compare_setting(spec: Mapping[str, Any], lang: str = "en") -> SettingOutcome:
    """Train a VarySpec dict once per value of its setting; the chart on shared axes and the table."""
    torch.set_num_threads(1)
    started = time.perf_counter()
    parsed = vary_spec_from_dict(spec)
    runs = tuple(_setting_runs(parsed))
    png = setting_chart(runs, setting=parsed.vary, dataset=parsed.dataset, epochs=parsed.epochs, lang=lang)
    table = Bilingual(en=setting_table(runs, parsed.vary, "en"), hi=setting_table(runs, parsed.vary, "hi"))
    return SettingOutcome(
        spec=parsed,
        runs=runs,
        table=table,
        pictures=(Picture.named("setting_compare", png),),
        seconds=time.perf_counter() - started,
    )


def sweep(spec: Mapping[str, Any], lang: str = "en", rates: Sequence[float] | None = None) -> SweepOutcome:
    """Train a TrainSpec dict at several learning rates; the labelled chart and one line per rate."""
    torch.set_num_threads(1)
    started = time.perf_counter()
    parsed = _train_spec(spec)
    runs = tuple(train_sweep(parsed, rates))
    png = sweep_chart(
        runs, dataset=parsed.dataset, optimizer=parsed.optimizer, epochs=parsed.epochs, lang=lang
    )
    return SweepOutcome(
        spec=parsed,
        runs=runs,
        lines=join(sweep_lines(runs), "\n"),
        pictures=(Picture.named("lr_sweep", png),),
        seconds=time.perf_counter() - started,
    )


def backprop(options: Mapping[str, Any] | None = None, lang: str = "en") -> WalkthroughOutcome:
    """The backprop walkthrough: its JSON-shaped numbers and its lines in both languages."""
    walk = walkthrough(**walkthrough_options(options or {}))
    text = Bilingual(en="\n".join(walk.lines("en")), hi="\n".join(walk.lines("hi")))
    return WalkthroughOutcome(data=walk.to_dict(), text=text)


def lesson_figure(name: str, lang: str = "en") -> Drawing:
    """A lesson figure by name (bot/content/figures.py)."""
    torch.set_num_threads(1)
    return Drawing((Picture.named(name, lesson_figures.draw_figure(name, lang)),))


def activation(name: str, lang: str = "en") -> Drawing:
    """One activation with its derivative ("show relu"); 'all' draws the four together."""
    if name.strip().lower() in ("all", "activations", ""):
        return lesson_figure("activations", lang)
    canonical = normalize_name("activation", name)  # 'ReLU' → 'relu'; refuses 'swishh' with a suggestion
    return Drawing((Picture.named(f"activation_{canonical}", activation_figure(canonical, lang)),))


def progress_chart(series: Series, lang: str = "en") -> Drawing:
    """A learner's 30-day XP and accuracy chart from plain data (see draw/progress_chart.py)."""
    return Drawing((Picture.named("progress", progress_picture.progress_chart(series, lang)),))


def class_heatmap(data: Mapping[str, Any]) -> Drawing:
    """A class's mastery, learners × lessons, from plain data (see draw/class_heatmap.py)."""
    return Drawing((Picture.named("class", heatmap_picture(data)),))


def diagram(spec: Mapping[str, Any], lang: str = "en") -> Drawing:
    """A drawing of the network a TrainSpec or CompareSpec dict trains."""
    return Drawing((Picture.named("network", spec_diagram(spec_from_dict(spec), lang)),))


def warm_up() -> dict[str, Any]:
    """Do once what every first job would otherwise pay for: torch ops, an optimizer step, the pictures."""
    torch.set_num_threads(1)
    spec = make_spec(epochs=3)
    model = build_model(spec)
    params = list(model.parameters())
    x = torch.zeros(4, 2)
    loss = criterion(spec)(model(x), torch.zeros(4, 1))
    make_stepper("adam", params, 0.01)(torch.autograd.grad(loss, params))
    torch.optim.Adam(params)  # the first torch.optim object imports torch._dynamo (~1 s)
    for lang in ("en", "hi"):
        train(make_spec(epochs=30).to_dict(), lang)
        train(make_spec(dataset="linear", epochs=5).to_dict(), lang)
        train(make_spec(dataset="spiral", epochs=5).to_dict(), lang)
        units(make_spec(epochs=5).to_dict(), lang)  # the hidden-units panels and their words
        pair = [make_spec(epochs=5), make_spec("xor", "sgd", epochs=5, seed=1)]
        train_batch([spec.to_dict() for spec in pair], lang)
    animate(make_spec(epochs=5).to_dict())  # the GIF's figure and Pillow's encoder (no text in a language)
    return {"ok": True, "threads": torch.get_num_threads()}
