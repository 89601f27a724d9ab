"""The worker's entry points: plain data in, typed results out (pictures, tables, lines, numbers)."""

from __future__ import annotations

import pytest

from bot.training.custom_data import CustomData, parse_points
from bot.training.spec import make_compare_spec, make_spec, make_vary_spec
from bot.training.worker import tasks
from bot.training.worker.draw.progress_chart import progress_chart
from bot.training.worker.runner import train as train_alone
from bot.training.worker.sweep import DEFAULT_RATES
from tests.training.worker.conftest import png_size


def test_compare_returns_chart_table_and_script() -> None:
    out = tasks.compare(make_compare_spec("xor", ["sgd", "adam"], epochs=200).to_dict(), "hi")
    assert png_size(out.pictures[0].png) == (1000, 760)
    result = out.contract()
    assert set(result["runs"]) == {"sgd", "adam"}
    assert {"final_loss", "accuracy", "diverged", "epochs_run", "seconds"} <= set(result)
    assert "अंतिम loss" in out.table.hi and "final loss" in out.table.en
    assert "torch.optim.Adam" in out.code and "torch.optim.SGD" in out.code


@pytest.mark.parametrize(
    ("setting", "values"),
    [("activation", ["relu", "tanh", "sigmoid"]), ("hidden", [[2], [4], [8, 8]]), ("lr", [0.01, 0.5, 10.0])],
)
def test_compare_setting_gives_one_run_per_value_each_as_if_trained_alone(setting: str, values: list) -> None:
    spec = make_vary_spec(setting, values, dataset="moons", optimizer="sgd", epochs=60, seed=3)
    out = tasks.compare_setting(spec.to_dict(), "hi")
    runs = out.contract()
    assert [run[setting] for run in runs] == values
    for run, alone in zip(runs, spec.run_specs(), strict=True):
        lone = train_alone(alone).result  # same data and seed: the run it would be on its own
        assert run["final_loss"] == pytest.approx(lone.final_loss, abs=1e-5)
        assert run["diverged"] == lone.diverged
        assert run["accuracy"] == pytest.approx(lone.accuracy, abs=1e-6)
    assert png_size(out.pictures[0].png) == (1000, 760)
    assert "अंतिम loss" in out.table.hi and "final loss" in out.table.en
    assert len(out.table.en.splitlines()) == len(values) + 1


def test_a_learning_rate_comparison_trains_in_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    def alone(*_: object) -> None:
        raise AssertionError("rates share a network shape: no separate run")

    monkeypatch.setattr(tasks, "train_run", alone)
    out = tasks.compare_setting(make_vary_spec("lr", [0.1, 1.0], epochs=20).to_dict())
    assert len(out.runs) == 2


def test_sweep_returns_chart_and_lines_in_both_languages() -> None:
    out = tasks.sweep(make_spec("xor", "sgd", epochs=200).to_dict(), "hi")
    assert png_size(out.pictures[0].png) == (1000, 620)
    assert len(out.runs) == len(DEFAULT_RATES["sgd"])
    assert "diverged" in out.lines.en and "बहुत बड़ा" in out.lines.hi
    assert len(out.lines.en.splitlines()) == len(out.lines.hi.splitlines()) == len(out.runs)


def test_one_activation_on_request_with_typos_and_all() -> None:
    relu = tasks.activation("ReLU", "hi").pictures[0]
    assert png_size(relu.png) == (1000, 620) and relu.name == "activation_relu"
    assert tasks.activation("all", "en").pictures[0].name == "activations"


def test_diagram_of_a_comparison() -> None:
    out = tasks.diagram(make_compare_spec("xor").to_dict(), "en")
    assert png_size(out.pictures[0].png)[0] == 1000


def test_progress_chart_from_either_shape_of_plain_data() -> None:
    days = [f"2025-03-{d:02d}" for d in range(1, 31)]
    xp = [d % 4 * 10 for d in range(30)]
    accuracy = [None if d % 3 == 0 else 0.5 + d / 100 for d in range(30)]
    as_lists = progress_chart({"days": days, "xp": xp, "accuracy": accuracy}, "hi")
    as_rows = progress_chart(
        [{"day": d, "xp": x, "accuracy": a} for d, x, a in zip(days, xp, accuracy, strict=True)], "hi"
    )
    assert as_lists == as_rows
    assert png_size(as_lists) == (1000, 560)
    assert png_size(tasks.progress_chart({"days": [], "xp": []}, "en").pictures[0].png)[0] == 1000
    with pytest.raises(ValueError):
        progress_chart({"days": days, "xp": xp[:3]}, "en")


def test_lesson_figure_and_backprop_return_plain_data() -> None:
    assert tasks.lesson_figure("neuron-diagram", "en").pictures[0].png[:4] == b"\x89PNG"
    walk = tasks.backprop({"network": "2-2-1"}, "hi")
    assert walk.data["agreement"]["max_abs_diff"] < 1e-9
    assert "हाथ से" in walk.text.hi


def test_backprop_takes_the_slash_commands_single_numbers() -> None:
    walk = tasks.backprop({"x": 2.0, "y": 0.0, "w": 0.5, "b": -0.25}, "en").data
    assert walk["inputs"]["x"] == [2.0, 0.0]
    assert walk["inputs"]["weights"]["w1"] == 0.5 and walk["inputs"]["weights"]["b"] == -0.25
    assert walk["forward"]["z"] == pytest.approx(0.75)


def test_train_batch_gives_every_member_its_own_outcome_and_pictures_in_order() -> None:
    specs = [
        make_spec("moons", "adam", epochs=100, seed=1),
        make_spec("moons", "sgd", lr=0.5, epochs=100, seed=2),
    ]
    together = tasks.train_batch([spec.to_dict() for spec in specs], "hi")
    assert [out.spec for out in together] == specs
    for out, spec in zip(together, specs, strict=True):
        alone = tasks.train(spec.to_dict(), "hi")
        assert [p.name for p in out.pictures] == [p.name for p in alone.pictures]
        assert [p.title for p in out.pictures] == [p.title for p in alone.pictures]
        assert [png_size(p.png) for p in out.pictures] == [png_size(p.png) for p in alone.pictures]
        assert out.result.accuracy == alone.result.accuracy
        assert out.result.seconds >= out.result.train_seconds


def test_train_batch_refuses_runs_of_other_shapes() -> None:
    first = make_spec("xor", "adam")
    with pytest.raises(ValueError, match="share"):
        tasks.train_batch([first.to_dict(), first.replace(hidden=(4,)).to_dict()])


def _own(last: str) -> CustomData:
    rows = "; ".join(f"{(i % 6) / 5} {(i // 6) / 4} {int((i % 6) / 5 + (i // 6) / 4 > 1)}" for i in range(24))
    return parse_points(f"{rows}; {last}")


def test_a_batch_on_own_points_trains_each_run_as_if_alone() -> None:
    data = _own("0.5 0.5 0")
    specs = [
        make_spec(optimizer="adam", epochs=80, seed=1, data=data),
        make_spec(optimizer="sgd", epochs=80, seed=2, data=data),
    ]
    together = tasks.train_batch([spec.to_dict() for spec in specs], "en")
    assert [out.spec for out in together] == specs
    for out, spec in zip(together, specs, strict=True):
        alone = train_alone(spec).result
        assert out.result.final_loss == pytest.approx(alone.final_loss, abs=1e-6)
        assert out.result.test_accuracy is not None  # 25 points: a quarter held back, as for moons


def test_a_batch_refuses_runs_on_other_points() -> None:
    first = make_spec(epochs=10, data=_own("0.5 0.5 0"))
    other = make_spec(epochs=10, data=_own("0.5 0.5 1"))
    with pytest.raises(ValueError, match="share"):
        tasks.train_batch([first.to_dict(), other.to_dict()])
