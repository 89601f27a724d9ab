"""The runner: XOR needs a hidden layer (the notes), equality with a plain PyTorch loop, divergence."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch
from torch import nn

from bot.errors import InvalidRequest
from bot.training import executor
from bot.training.results import Progress, RunResult
from bot.training.spec import DATASETS, OPTIMIZERS, TrainSpec, default_lr, make_spec
from bot.training.worker import runner
from bot.training.worker.datasets import make_dataset
from bot.training.worker.runner import train as train_run


def train(spec: TrainSpec) -> RunResult:
    """The plain result of training `spec` (what the worker sends back)."""
    return train_run(spec).result


def _explanation(result: RunResult, lang: str) -> str | None:
    return None if result.explanation is None else result.explanation.pick(lang)


@pytest.mark.parametrize("seed", range(10))
def test_xor_with_adam_defaults_reaches_100_percent(seed: int) -> None:
    result = train(make_spec(seed=seed))
    assert result.accuracy == 1.0
    assert not result.diverged
    assert result.epochs_run == 1000


def test_perceptron_cannot_learn_xor() -> None:
    for seed in range(3):
        result = train(make_spec(model="perceptron", seed=seed))
        assert result.accuracy is not None and result.accuracy <= 0.75


def _plain_optimizer(name: str, lr: float) -> Callable[[list[nn.Parameter]], torch.optim.Optimizer]:
    return {
        "sgd": lambda p: torch.optim.SGD(p, lr=lr),
        "momentum": lambda p: torch.optim.SGD(p, lr=lr, momentum=0.9),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=lr),
        "adam": lambda p: torch.optim.Adam(p, lr=lr),
    }[name]


def _plain_loop(spec: TrainSpec, layers: Callable[[], nn.Module], loss_fn: nn.Module) -> list[float]:
    """The notes' loop, written out by hand: forward, loss, zero_grad, backward, step, .item()."""
    data = make_dataset(spec.dataset, spec.seed)
    torch.manual_seed(spec.seed)
    model = layers()
    optimizer = _plain_optimizer(spec.optimizer, spec.lr)(list(model.parameters()))
    y = (
        data.y_train
        if spec.loss == "ce" or spec.task == "regression"
        else data.y_train.float().reshape(-1, 1)
    )
    losses = []
    for _ in range(spec.epochs):
        loss = loss_fn(model(data.x_train), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_losses_equal_a_plain_pytorch_loop_on_xor(optimizer: str) -> None:
    spec = make_spec(optimizer=optimizer, epochs=1000)
    expected = _plain_loop(
        spec, lambda: nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)), nn.BCEWithLogitsLoss()
    )
    assert train(spec).train_losses == pytest.approx(expected, abs=1e-5)


def test_losses_equal_a_plain_loop_on_spiral_with_relu_and_cross_entropy() -> None:
    spec = make_spec(
        dataset="spiral", hidden=[16, 16], activation="relu", optimizer="adam", lr=0.01, epochs=200
    )
    layers = lambda: nn.Sequential(  # noqa: E731
        nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3)
    )
    expected = _plain_loop(spec, layers, nn.CrossEntropyLoss())
    assert train(spec).train_losses == pytest.approx(expected, abs=1e-5)


def test_losses_equal_a_plain_loop_on_the_notes_line() -> None:
    spec = make_spec(dataset="linear", model="perceptron", optimizer="sgd", lr=0.01, epochs=300)
    expected = _plain_loop(spec, lambda: nn.Linear(1, 1), nn.MSELoss())
    assert train(spec).train_losses == pytest.approx(expected, abs=1e-5)


def test_same_seed_same_run_and_other_seed_other_run() -> None:
    spec = make_spec(dataset="moons", epochs=100)
    assert train(spec).train_losses == train(spec).train_losses
    assert train(spec.replace(seed=1)).train_losses != train(spec).train_losses


def test_sgd_with_lr_10_on_xor_diverges_with_the_explanation() -> None:
    result = train(make_spec(optimizer="sgd", lr=10))
    assert result.diverged
    assert result.diverged_at is not None and result.epochs_run == result.diverged_at < 1000
    en, hi = _explanation(result, "en"), _explanation(result, "hi")
    assert en is not None and "too large" in en
    assert "overshoot" in en
    assert hi is not None and "बहुत बड़ा" in hi


def test_a_good_learning_rate_does_not_diverge() -> None:
    result = train(make_spec(optimizer="sgd", lr=0.5))
    assert not result.diverged and result.explanation is None


def test_exploding_regression_is_caught_before_it_turns_into_nan() -> None:
    result = train(make_spec(dataset="linear", optimizer="sgd", lr=5, epochs=500))
    assert result.diverged and result.epochs_run < 500


def test_held_out_sets_record_test_loss_and_accuracy() -> None:
    result = train(make_spec(dataset="circles", epochs=300))
    assert result.test_losses is not None and len(result.test_losses) == 300
    assert result.test_accuracy is not None and result.accuracy == result.test_accuracy
    assert result.test_accuracy > 0.9


def test_regression_reports_no_accuracy_and_gates_no_test_set() -> None:
    regression = train(make_spec(dataset="linear", epochs=50))
    assert regression.accuracy is None and regression.test_losses is not None
    gate = train(make_spec(dataset="and", epochs=50))
    assert gate.test_losses is None and gate.test_accuracy is None


def test_contract_has_the_cli_result_keys() -> None:
    data = train(make_spec(epochs=20)).contract("en")
    assert {"final_loss", "accuracy", "diverged", "epochs_run", "seconds"} <= set(data)
    assert data["epochs_run"] == 20 and len(data["train_losses"]) == 20


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_and_optimizer_trains_sanely_at_its_defaults(dataset: str, optimizer: str) -> None:
    # the learner's "train linear with sgd" must not blow up (plain SGD at 0.5 diverged at epoch 5)
    result = train(make_spec(dataset, optimizer, epochs=300))
    assert not result.diverged, _explanation(result, "en")
    assert result.final_loss < 0.5 * result.train_losses[0]


def test_linear_sgd_default_learning_rate_is_the_stable_one() -> None:
    assert default_lr("sgd", "linear") < default_lr("sgd", "xor")
    assert make_spec("linear", "sgd").lr == default_lr("sgd", "linear")


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_perceptron_on_xor_explains_the_straight_line_in_both_languages(optimizer: str) -> None:
    result = train(make_spec(model="perceptron", optimizer=optimizer))
    codes = [note.code for note in result.notes]
    assert codes == ["not_separable"]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "one straight line" in en and "not linearly separable" in en and "3 of 4" in en and "75 %" in en
    assert "सीधी line" in hi and "linearly separable नहीं" in hi and "4 में से 3" in hi and "75 %" in hi
    # it ended at p = 0.5 everywhere, and the text says so instead of pretending it found a line
    assert result.collapsed and "p ≈ 0.5" in en and "p ≈ 0.5" in hi
    assert result.contract("en")["notes"][0]["code"] == "not_separable"


def test_a_trained_mlp_on_xor_gets_no_explanation() -> None:
    result = train(make_spec())
    assert result.notes == () and result.explanation is None and not result.collapsed


@pytest.mark.parametrize("dataset", ["xor", "linear"])
def test_a_far_too_small_learning_rate_is_explained(dataset: str) -> None:
    result = train(make_spec(dataset, "adam", lr=1e-9, epochs=200))
    assert [note.code for note in result.notes] == ["too_slow"]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "barely moved" in en and "too small" in en
    assert "बहुत छोटा" in hi
    assert f"lr={default_lr('adam', dataset):g}" in en


def test_a_small_but_working_learning_rate_is_not_called_too_small() -> None:
    result = train(make_spec("xor", "adam", lr=0.01))
    assert result.notes == ()


# ---- every way a demo can disappoint, explained from its own curves (real runs) -----------------


def _codes(result: RunResult) -> list[str]:
    return [note.code for note in result.notes]


def test_sigmoid_with_adam_at_lr_1_is_flat_at_0_477_and_explained_as_saturated() -> None:
    result = train(make_spec(activation="sigmoid", lr=1))
    assert result.final_loss == pytest.approx(0.477, abs=0.001) and result.accuracy == 0.75
    assert _codes(result) == ["saturated"]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "stopped moving at 0.477" in en and "saturated sigmoid units" in en and "75 %" in en
    assert "sigmoid′(z) ≈ 0" in en and "lr=0.05" in en
    assert "0.477 पर रुक गया" in hi and "saturated" in hi and "lr=0.05" in hi


def test_relu_with_adam_at_lr_1_kills_every_unit_and_says_so() -> None:
    result = train(make_spec(activation="relu", lr=1))
    assert _codes(result) == ["dead_units"]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "dead ReLU units, 8 of 8" in en and "dying ReLU" in en
    assert "8 ReLU units में से 8 dead" in hi


def test_one_hidden_neuron_on_xor_is_too_few_hidden_units() -> None:
    result = train(make_spec(hidden=1))
    assert result.accuracy == 0.75 and _codes(result) == ["too_few_hidden"]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "width 1" in en and "single straight line" in en and "two lines" in en and "'hidden 8'" in en
    assert "width सिर्फ़ 1" in hi and "सीधी line" in hi and "'hidden 8'" in hi


def test_one_dead_relu_on_xor_is_both_dead_and_too_narrow() -> None:
    result = train(make_spec(hidden=1, activation="relu"))
    assert _codes(result) == ["dead_units", "too_few_hidden"]


def test_two_hidden_units_on_circles_are_too_few() -> None:
    result = train(make_spec("circles", hidden=2))
    assert _codes(result) == ["too_few_hidden"]
    assert "triangle" in (_explanation(result, "en") or "")


def test_ten_epochs_are_too_few_and_the_note_asks_for_more() -> None:
    result = train(make_spec(epochs=10))
    assert result.accuracy == 0.75 and _codes(result) == ["too_few_epochs"]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "still falling" in en and "in 10 epochs" in en and "'epochs 1000'" in en
    assert "अभी भी घट रहा था" in hi and "'epochs 1000'" in hi


def test_fifty_epochs_that_solve_xor_are_not_called_too_few() -> None:
    assert train(make_spec(epochs=50)).notes == ()


def test_a_small_rate_that_is_still_crawling_is_explained_by_the_rate() -> None:
    result = train(make_spec(optimizer="sgd", lr=0.05, epochs=300))
    assert _codes(result) == ["too_slow"]  # the loss moved (7 %), so it is not "barely moved"
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert "falling, but slowly" in en and "still going down" in en and "lr=0.5" in en
    assert "धीरे-धीरे" in hi and "lr=0.5" in hi


def test_a_flat_loss_with_healthy_units_is_a_plateau_and_another_seed_is_offered() -> None:
    result = train(make_spec(hidden=2, seed=1))
    assert result.accuracy == 0.5 and _codes(result) == ["plateau"]
    en = _explanation(result, "en") or ""
    assert "plateau" in en and "'seed 2'" in en


def test_test_loss_rising_while_train_loss_falls_is_explained_as_overfitting() -> None:
    result = train(make_spec("moons"))
    assert _codes(result) == ["overfitting"]
    test = result.test_losses
    assert test is not None
    best = min(range(len(test)), key=test.__getitem__)
    assert test[-1] > 1.2 * test[best] and result.train_losses[-1] < result.train_losses[best]
    en, hi = _explanation(result, "en") or "", _explanation(result, "hi") or ""
    assert f"lowest at epoch {best + 1}" in en and f"'epochs {best + 1}'" in en and "Early stopping" in en
    assert "validation set" in en and "lesson 7" in en
    assert f"epoch {best + 1} पर सबसे कम" in hi and "Early stopping" in hi


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_a_default_run_gets_no_warning_except_the_overfitting_it_shows(dataset: str) -> None:
    # no false alarm on the demos as the lessons run them: only a test curve that really turned up
    result = train(make_spec(dataset))
    assert set(_codes(result)) <= {"overfitting"}, _explanation(result, "en")
    if "overfitting" in _codes(result):
        test = result.test_losses
        assert test is not None and test[-1] > min(test)


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[Progress]:
    """The progress a job reports, as the worker would send it to the parent."""
    seen: list[Progress] = []
    monkeypatch.setattr(executor, "_progress_sink", seen.append)
    return seen


def test_progress_is_reported_with_the_runs_own_loss_and_once_more_at_the_end(
    reports: list[Progress], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "REPORT_EVERY", 0.0)  # due at every epoch
    result = train(make_spec("xor", "adam", epochs=60))
    assert [p.done for p in reports] == [*range(1, 61), 60]
    assert all(p.total == 60 for p in reports)
    assert [p.loss for p in reports[:-1]] == pytest.approx(list(result.train_losses))
    assert reports[-1].loss == pytest.approx(result.final_loss)


def test_progress_waits_for_its_interval_but_the_end_is_always_reported(
    reports: list[Progress], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner, "REPORT_EVERY", 1e9)
    result = train(make_spec("xor", "adam", epochs=60))
    assert reports == [Progress(60, 60, pytest.approx(result.final_loss))]


def test_a_diverged_run_reports_the_epochs_its_curve_shows(reports: list[Progress]) -> None:
    result = train(make_spec("xor", "sgd", lr=10.0))
    assert result.diverged and result.diverged_at is not None
    last = reports[-1]
    assert (last.done, last.total) == (result.diverged_at, 1000)
    final = result.train_losses[-1]
    assert last.loss == (final if math.isfinite(final) else None)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("dataset", ["xor", "linear", "spiral"])
def test_keep_training_n_then_m_equals_one_run_of_n_plus_m(optimizer: str, dataset: str) -> None:
    spec = make_spec(dataset, optimizer, epochs=130)
    continued = runner.keep_training(train_run(spec), 77)
    longer = train_run(spec.replace(epochs=207))
    assert continued.spec == longer.spec
    assert continued.result.train_losses == pytest.approx(longer.result.train_losses, abs=1e-6, rel=0)
    assert continued.result.accuracy == longer.result.accuracy
    # momentum, RMSprop and Adam carry state: a new optimizer from the trained weights is another run
    restarted = train_run(spec.replace(epochs=77), model=train_run(spec).model)
    same = restarted.result.train_losses == pytest.approx(longer.result.train_losses[130:], abs=1e-6, rel=0)
    assert same == (optimizer == "sgd")


def test_keep_training_a_diverged_run_stops_where_the_longer_run_does() -> None:
    spec = make_spec("xor", "sgd", lr=10.0, epochs=100, loss="mse")
    continued = runner.keep_training(train_run(spec), 100)
    longer = train_run(spec.replace(epochs=200))
    assert continued.result.diverged_at == longer.result.diverged_at
    assert continued.result.train_losses == longer.result.train_losses


def test_keep_training_stays_within_the_epochs_limit() -> None:
    with pytest.raises(InvalidRequest) as caught:
        runner.keep_training(train_run(make_spec(epochs=4900)), 500)
    assert caught.value.code == "too_many_epochs"
    with pytest.raises(InvalidRequest):
        runner.keep_training(train_run(make_spec(epochs=10)), 0)
