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
from bot.training.parse import parse_request
from bot.training.spec import TrainSpec, make_compare_spec, make_spec, make_vary_spec
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


def _spiral_points() -> str:
    """30 points of three classes on rays, written as a learner would type them."""
    rows = [
        f"{(r / 10) * (c - 1):.2f} {(r / 10) * (1 - abs(c - 1)) + c * 0.1:.2f} {c}"
        for c in range(3)
        for r in range(1, 11)
    ]
    return "; ".join(rows)


@pytest.mark.parametrize(
    "text",
    [
        "train with adam for 300 epochs points: 0 0 0; 1 1 0; 0 1 1; 1 0 1",
        "train with sgd lr 0.1 for 200 epochs points: "
        + "; ".join(f"{x / 4} {x / 2 + 0.1 * (x % 3)}" for x in range(-12, 12)),
        "train with rmsprop hidden 16 for 150 epochs points: " + _spiral_points(),
    ],
    ids=["four-points-xor", "regression-24-held-out", "three-classes-30-held-out"],
)
def test_exported_script_of_own_points_reproduces_the_final_loss(text: str, tmp_path: Path) -> None:
    spec = parse_request(text)
    assert isinstance(spec, TrainSpec) and spec.data is not None
    code = export_script(spec)
    assert "points = [" in code and repr(spec.data.rows[-1][0]) in code  # the points are inline
    result = runner.train(spec).result
    out = _run_script(code, tmp_path)
    match = re.search(r"^final_loss=(\S+)", out, re.MULTILINE)
    assert match, out
    assert float(match.group(1)) == pytest.approx(result.final_loss, abs=1e-6)


def test_export_command_writes_a_csvs_points_inline(tmp_path: Path) -> None:
    csv = tmp_path / "mine.csv"
    csv.write_text("x1,x2,label\n0,0,0\n1,1,0\n0,1,1\n1,0,1\n0.5,0.5,0\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export", "train with adam", "--data", str(csv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "(0.5, 0.5, 0.0)," in done.stdout and "points = [" in done.stdout
