"""Optimizers trained together in one batch equal the same optimizers trained one after another."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.training.results import RunResult
from bot.training.spec import TrainSpec, make_compare_spec, make_spec
from bot.training.worker.batched import BatchedNet, compare, epochs_to_reach, train_together
from bot.training.worker.models import build_model
from bot.training.worker.runner import train as train_run


def train(spec: TrainSpec) -> RunResult:
    """One optimizer trained on its own."""
    return train_run(spec).result


def _max_gap(a: Sequence[float], b: Sequence[float]) -> float:
    assert len(a) == len(b)
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


def test_all_four_optimizers_on_xor_equal_four_separate_runs() -> None:
    spec = make_compare_spec("xor")
    result = compare(spec)
    assert [r.optimizer for r in result.runs] == ["sgd", "momentum", "rmsprop", "adam"]
    for run in result.runs:
        alone = train(spec.train_spec(run.optimizer))
        assert _max_gap(run.train_losses, alone.train_losses) <= 1e-5, run.optimizer
        assert run.accuracy == pytest.approx(alone.accuracy)
        assert run.diverged == alone.diverged


@pytest.mark.parametrize(
    ("dataset", "options"),
    [
        ("moons", {"optimizers": ["sgd", "momentum", "adam"]}),
        ("gauss", {"optimizers": ["sgd", "momentum"], "loss": "mse"}),
        ("spiral", {"optimizers": ["sgd", "adam"], "epochs": 300}),
        ("linear", {"optimizers": ["sgd", "momentum", "adam"], "lr": 0.01, "epochs": 300}),
    ],
)
def test_held_out_sets_and_other_losses_equal_separate_runs(dataset: str, options: dict[str, object]) -> None:
    # Batched and single matmuls may round the last bit differently; in a stable run that stays far
    # below 1e-5. (In an oscillating one — RMSProp at lr 0.05 on circles — any rounding gap grows.)
    spec = make_compare_spec(dataset, **options)  # type: ignore[arg-type]
    for run in compare(spec).runs:
        alone = train(spec.train_spec(run.optimizer))
        assert _max_gap(run.train_losses, alone.train_losses) <= 1e-5
        assert run.test_losses is not None and alone.test_losses is not None
        assert _max_gap(run.test_losses, alone.test_losses) <= 1e-5


def test_every_copy_starts_from_the_same_weights_as_build_model() -> None:
    spec = make_compare_spec("xor", hidden="4,3")
    net = BatchedNet(spec, 3)
    reference = [p.detach() for p in build_model(spec).parameters()]
    for i in range(3):
        for mine, theirs in zip(net.slice_parameters(i), reference, strict=True):
            expected = theirs.T if theirs.dim() == 2 else theirs  # weights are stored as Wᵀ
            assert mine.reshape(-1).tolist() == expected.reshape(-1).tolist()


def test_a_diverging_optimizer_is_cut_where_it_blew_up_and_the_others_go_on() -> None:
    spec = make_spec("xor", "sgd")
    result = train_together(spec, [("sgd", 0.5), ("sgd", 10.0)])
    good, bad = result.runs
    alone = train(spec.replace(lr=10.0))
    assert bad.diverged and alone.diverged
    assert bad.diverged_at == alone.diverged_at == len(bad.train_losses)
    assert not good.diverged and len(good.train_losses) == spec.epochs


def test_epochs_to_reach_a_target() -> None:
    assert epochs_to_reach([1.0, 0.5, 0.09, 0.2], 0.1) == 3
    assert epochs_to_reach([1.0, 0.5], 0.1) is None
