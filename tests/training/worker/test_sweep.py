"""The learning-rate sweep labels each curve with what it shows; the large rate overshoots or diverges."""

from __future__ import annotations

import pytest

from bot.content.loader import load_catalog
from bot.errors import InvalidRequest
from bot.training.results import OptimizerRun, SweepRun
from bot.training.spec import OPTIMIZERS, make_spec
from bot.training.worker import lesson_figures as figures
from bot.training.worker.draw.lr_sweep import sweep_label
from bot.training.worker.sweep import bounces, default_rates, sweep, sweep_lines, verdicts


def _check_story(runs: list[SweepRun]) -> None:
    """Too small → slow; about right → good and lowest; too large → overshooting/diverged and higher."""
    verdicts = [r.verdict for r in runs]
    assert verdicts[0] == "slow" and verdicts[1] == "good", verdicts
    assert verdicts[-1] in ("overshooting", "diverged"), verdicts
    good = min(r.run.final_loss for r in runs if r.verdict == "good")
    assert all(good <= r.run.final_loss for r in runs), [r.run.final_loss for r in runs]
    assert runs[-1].run.final_loss > good and runs[0].run.final_loss > good


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("dataset", ["xor", "linear"])
def test_default_sweep_goes_slow_right_too_large(dataset: str, optimizer: str) -> None:
    spec = make_spec(dataset, optimizer)
    runs = sweep(spec)
    assert [r.run.lr for r in runs] == sorted(default_rates(spec)) and len(runs) == 3
    _check_story(runs)


def test_the_lesson_figure_shows_what_its_labels_say() -> None:
    spec, story = figures.lr_sweep_runs()
    # the lesson says "three learning rates"; the picture labels each from what it measured
    assert len(story) == 3
    _check_story(story)
    large = story[-1]
    assert large.verdict == "overshooting" and bounces(large.run.train_losses)
    assert [sweep_label(r, "en").split(" — ")[1] for r in story] == [
        "too small: slow",
        "about right: fast & stable",
        "too large: overshooting",
    ]
    lesson = load_catalog().lesson("loss-optim")
    section = next(s for s in lesson.sections if s.figure == "lr-sweep")
    assert "three learning rates" in section.body.en and "तीन learning rates" in section.body.hi
    assert "y = 2x" in section.body.en and "y = 2x" in section.body.hi
    assert spec.dataset == "linear"


def test_sgd_lr_10_is_marked_diverged_and_5_overshooting() -> None:
    # lr 5 on XOR first jumps far above its start loss (it overshoots), then settles: labelled by the jump
    by_rate = {r.run.lr: r for r in sweep(make_spec("xor", "sgd"), [0.5, 5.0, 10.0])}
    assert by_rate[10.0].verdict == "diverged" and by_rate[10.0].run.diverged
    assert by_rate[5.0].verdict == "overshooting"
    assert by_rate[0.5].verdict == "good"


def _run(losses: list[float], target: int | None, lr: float = 0.1, diverged: bool = False) -> OptimizerRun:
    return OptimizerRun("sgd", lr, tuple(losses), None, None, None, diverged, 3 if diverged else None, target)


def test_verdict_rules() -> None:
    slow, good = _run([1.0, 0.9, 0.8], None, lr=0.01), _run([1.0, 0.5, 0.05], 3)
    bouncing = _run([1.0, 1.2, 0.1], 3, lr=1.0)
    blown = _run([1.0, 5.0, 50.0], None, lr=10.0, diverged=True)
    assert verdicts([slow, good, bouncing, blown]) == ["slow", "good", "overshooting", "diverged"]
    # a larger rate that ends clearly higher without bouncing is too large, not too small
    assert verdicts([good, _run([1.0, 0.6, 0.4], None, lr=1.0)]) == ["good", "overshooting"]
    # float jitter at the floor is not bouncing
    assert not bounces([1.0, 0.5, 0.1, 0.1000001, 0.1, 0.1000001])
    # close to the best at the end, but ten times slower to get there
    assert verdicts([_run([1.0, 0.5, 0.06], 30, lr=0.01), good]) == ["slow", "good"]


def test_rates_are_checked() -> None:
    with pytest.raises(InvalidRequest) as info:
        sweep(make_spec("xor", "sgd"), [0.1])
    assert info.value.code == "sweep_rates"


def test_no_runs_no_lines() -> None:
    assert sweep_lines([]) == []
