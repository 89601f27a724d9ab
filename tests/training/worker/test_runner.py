"""The runner: XOR needs a hidden layer (the notes), equality with a plain PyTorch loop, divergence."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch
from torch import nn

from bot.training.results import RunResult
from bot.training.spec import DATASETS, OPTIMIZERS, TrainSpec, default_lr, make_spec
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
