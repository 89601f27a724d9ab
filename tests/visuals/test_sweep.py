"""The learning-rate sweep labels each curve with what it shows; the large rate overshoots or diverges."""

from __future__ import annotations

import pytest

from bot.errors import InvalidRequest
from bot.training.compare import CompareRun
from bot.training.spec import make_spec
from bot.training.sweep import DEFAULT_RATES, sweep, sweep_lines, verdict
from bot.training.visual_jobs import sweep_job
from tests.visuals.conftest import png_size


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_default_sweep_on_xor_goes_slow_right_too_large(optimizer: str) -> None:
    runs = sweep(make_spec("xor", optimizer))
    verdicts = [r.verdict for r in runs]
    assert [r.run.lr for r in runs] == sorted(DEFAULT_RATES[optimizer])
    assert verdicts[0] == "slow"
    assert "good" in verdicts
    assert verdicts[-1] in ("diverged", "overshooting")


def test_sgd_lr_10_is_marked_diverged_and_5_overshooting() -> None:
    by_rate = {r.run.lr: r for r in sweep(make_spec("xor", "sgd"), [0.5, 5.0, 10.0])}
    assert by_rate[10.0].verdict == "diverged" and by_rate[10.0].run.diverged
    assert by_rate[5.0].verdict == "overshooting"
    assert by_rate[0.5].verdict == "good"


def _run(losses: list[float], target: int | None) -> CompareRun:
    return CompareRun("sgd", 0.1, losses, None, None, None, False, None, target)


def test_verdict_rules() -> None:
    assert verdict(_run([1.0, 0.9, 0.8], None), None) == "slow"
    assert verdict(_run([1.0, 1.2, 0.1], 3), 3) == "overshooting"
    assert verdict(_run([1.0, 0.5, 0.05], 3), 3) == "good"
    assert verdict(_run([1.0, 0.5, 0.05], 30), 3) == "slow"


def test_rates_are_checked() -> None:
    with pytest.raises(InvalidRequest) as info:
        sweep(make_spec("xor", "sgd"), [0.1])
    assert info.value.code == "sweep_rates"


def test_sweep_job_chart_and_lines_in_both_languages() -> None:
    out = sweep_job(make_spec("xor", "sgd", epochs=200).to_dict(), "hi")
    assert png_size(out["images"][0]["png"]) == (1000, 620)
    assert len(out["result"]["runs"]) == len(DEFAULT_RATES["sgd"])
    assert "diverged" in out["text_en"] and "बहुत बड़ा" in out["text_hi"]
    assert sweep_lines([], "en") == []
