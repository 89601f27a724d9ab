"""An exported script, run as its own process, prints the same final loss as the run it came from."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from torch import nn

from bot.training import export
from bot.training.export import export_script
from bot.training.spec import make_compare_spec, make_spec, make_vary_spec
from bot.training.worker import models, runner, tasks
from bot.training.worker.batched import compare


def _run_script(code: str, tmp_path: Path) -> str:
    path = tmp_path / "run.py"
    path.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, timeout=300, check=True
    )
    return done.stdout


@pytest.mark.parametrize(
    "spec",
    [
        make_spec("xor", "adam"),
        make_spec("moons", "momentum", loss="mse"),
        make_spec("spiral", "rmsprop", hidden=[16, 16], activation="leaky_relu", epochs=300),
        make_spec("linear", "sgd", lr=0.05, epochs=200),
        make_spec("and", "sgd", model="perceptron", epochs=100),
    ],
    ids=lambda s: s.describe(),
)
def test_exported_script_prints_the_runs_final_loss(spec: object, tmp_path: Path) -> None:
    result = runner.train(spec).result  # type: ignore[arg-type]
    out = _run_script(export_script(spec), tmp_path)  # type: ignore[arg-type]
    match = re.search(r"^final_loss=(\S+)", out, re.MULTILINE)
    assert match, out
    assert float(match.group(1)) == pytest.approx(result.final_loss, abs=1e-6)


def test_exported_comparison_prints_each_optimizers_final_loss(tmp_path: Path) -> None:
    spec = make_compare_spec("xor", ["sgd", "momentum", "adam"], epochs=400)
    result = compare(spec)
    out = _run_script(export_script(spec.to_dict()), tmp_path)
    printed = dict(re.findall(r"^final_loss\[(\w+)\]=(\S+)", out, re.MULTILINE))
    assert set(printed) == {"sgd", "momentum", "adam"}
    for run in result.runs:
        assert float(printed[run.optimizer]) == pytest.approx(run.final_loss, abs=1e-6)


@pytest.mark.parametrize(
    "spec",
    [
        make_vary_spec("lr", [0.01, 0.1, 1.0], dataset="moons", optimizer="sgd", epochs=300),
        make_vary_spec("activation", ["relu", "tanh", "sigmoid"], dataset="moons", epochs=200),
        make_vary_spec("hidden", [[2], [4], [8, 8]], dataset="xor", optimizer="momentum", epochs=300),
    ],
    ids=lambda s: s.vary,
)
def test_exported_setting_comparison_prints_each_values_final_loss(spec: object, tmp_path: Path) -> None:
    result = tasks.compare_setting(spec.to_dict())  # type: ignore[attr-defined]
    out = _run_script(export_script(spec), tmp_path)  # type: ignore[arg-type]
    printed = dict(re.findall(r"^final_loss\[(\S+)\]=(\S+)", out, re.MULTILINE))
    assert list(printed) == [run.label for run in result.runs]
    for run in result.runs:
        assert float(printed[run.label]) == pytest.approx(run.final_loss, abs=1e-6)


def test_a_diverging_run_is_stopped_in_the_script_too(tmp_path: Path) -> None:
    spec = make_spec("xor", "sgd", lr=10.0, epochs=200)
    result = runner.train(spec).result
    out = _run_script(export_script(spec), tmp_path)
    assert result.diverged and f"diverged at epoch {result.diverged_at}" in out


def test_export_constants_match_the_models() -> None:
    assert (export.MOMENTUM, export.ADAM_BETAS, export.RMSPROP_ALPHA, export.EPS) == (
        models.MOMENTUM,
        models.ADAM_BETAS,
        models.RMSPROP_ALPHA,
        models.EPS,
    )
    assert export.LEAKY_SLOPE == models.LEAKY_SLOPE == nn.LeakyReLU().negative_slope
    assert export.EXPLODE_FACTOR == runner.EXPLODE_FACTOR


def test_export_imports_neither_torch_nor_matplotlib() -> None:
    code = (
        "import sys; from bot.training.export import export_script; from bot.training.spec import make_spec; "
        "export_script(make_spec()); print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('torch', 'matplotlib')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=".")
    assert out.stdout.strip() == "[]"
