"""Optimizers trained together in one batch equal the same optimizers trained one after another."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.training import executor
from bot.training.results import Progress, RunResult
from bot.training.spec import TrainSpec, make_compare_spec, make_spec
from bot.training.worker import runner
from bot.training.worker.batched import BatchedNet, compare, epochs_to_reach, train_members, train_together
from bot.training.worker.models import build_model
from bot.training.worker.runner import train as train_run
from bot.training.worker.sweep import sweep


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


def _members_equal_separate_runs(specs: Sequence[TrainSpec]) -> None:
    together = train_members(specs)
    assert [run.spec for run in together] == list(specs)
    for run, spec in zip(together, specs, strict=True):
        alone = train(spec)
        mine = run.result
        assert mine.diverged_at == alone.diverged_at, spec.describe()
        assert _max_gap(mine.train_losses, alone.train_losses) <= 1e-5, spec.describe()
        if alone.test_losses is None:
            assert mine.test_losses is None
        else:
            assert mine.test_losses is not None
            assert _max_gap(mine.test_losses, alone.test_losses) <= 1e-5, spec.describe()
        assert mine.train_accuracy == alone.train_accuracy and mine.test_accuracy == alone.test_accuracy
        assert mine.collapsed == alone.collapsed
        assert [n.code for n in mine.notes] == [n.code for n in alone.notes], spec.describe()


def test_a_class_of_runs_with_every_optimizer_seeds_and_rates_equals_separate_runs_on_xor() -> None:
    specs = [
        make_spec("xor", "adam", seed=0),
        make_spec("xor", "adam", seed=1),
        make_spec("xor", "adam", lr=0.01, seed=2),
        make_spec("xor", "sgd", seed=3),
        make_spec("xor", "momentum", lr=0.05, seed=0),
        make_spec("xor", "rmsprop", seed=5),
    ]
    _members_equal_separate_runs(specs)


@pytest.mark.parametrize(
    ("dataset", "options"),
    [
        ("moons", {"epochs": 300}),  # held-out points, BCE
        ("spiral", {"epochs": 200, "activation": "relu"}),  # three classes, cross-entropy
        ("linear", {"epochs": 300}),  # regression, MSE
        ("gauss", {"epochs": 200, "loss": "mse"}),  # a sigmoid output under MSE
    ],
)
def test_members_on_held_out_and_regression_sets_equal_separate_runs(
    dataset: str, options: dict[str, object]
) -> None:
    # stable settings only: RMSProp at lr 0.005 on moons bounces, and then any rounding gap grows
    base = make_spec(dataset, "adam", **options)  # type: ignore[arg-type]
    specs = [
        base,
        base.replace(optimizer="sgd", lr=0.05, seed=1),
        base.replace(optimizer="momentum", lr=0.01, seed=2),
        base.replace(optimizer="rmsprop", lr=0.001, seed=1),
    ]
    _members_equal_separate_runs(specs)


def test_a_member_that_diverges_stops_where_its_own_run_stops_and_the_others_go_on() -> None:
    specs = [
        make_spec("xor", "sgd", lr=10.0, seed=1),
        make_spec("xor", "adam", seed=2),
        make_spec("xor", "momentum", lr=0.1, seed=3),
    ]
    _members_equal_separate_runs(specs)
    runs = train_members(specs)
    assert runs[0].result.diverged and len(runs[0].result.train_losses) < specs[0].epochs
    assert not runs[1].result.diverged and len(runs[1].result.train_losses) == specs[1].epochs


def test_a_member_starts_from_its_own_seeds_weights_and_data() -> None:
    specs = [make_spec("moons", "adam", epochs=1, seed=s) for s in (4, 7)]
    for run, spec in zip(train_members(specs), specs, strict=True):
        alone = train_run(spec)
        assert run.data.x_train.tolist() == alone.data.x_train.tolist()
        assert run.data.y_test.tolist() == alone.data.y_test.tolist()
        for mine, theirs in zip(run.model.parameters(), alone.model.parameters(), strict=True):
            assert (mine - theirs).abs().max() <= 1e-6


@pytest.mark.parametrize(
    "other",
    [
        {"dataset": "and"},
        {"hidden": (4,)},
        {"activation": "relu"},
        {"loss": "mse"},
        {"epochs": 500},
        {"model": "perceptron", "hidden": ()},
    ],
)
def test_runs_that_differ_in_more_than_optimizer_rate_and_seed_are_refused(other: dict[str, object]) -> None:
    first = make_spec("xor", "adam")
    with pytest.raises(ValueError, match="share"):
        train_members([first, first.replace(**other)])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        train_members([])


def test_a_batch_reports_its_common_epochs_without_a_loss(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Progress] = []
    monkeypatch.setattr(executor, "_progress_sink", seen.append)
    monkeypatch.setattr(runner, "REPORT_EVERY", 0.0)
    train_members([make_spec("xor", "adam", epochs=40, seed=s) for s in (0, 1)])
    assert [p.done for p in seen] == [*range(1, 41), 40]
    assert all(p.total == 40 and p.loss is None for p in seen)


def test_compare_and_sweep_report_progress_to_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Progress] = []
    monkeypatch.setattr(executor, "_progress_sink", seen.append)
    compare(make_compare_spec("xor", epochs=50))
    assert seen[-1] == Progress(50, 50, None)
    seen.clear()
    sweep(make_spec("xor", "adam", epochs=30))
    assert seen[-1] == Progress(30, 30, None)


def test_copies_sharing_one_optimizer_step_diverge_each_at_its_own_epoch() -> None:
    # SGD at lr 6 on XOR: seed 4 blows up at epoch 8, seed 1 at 26, seed 3 bounces on (too unstable for
    # 1e-5 after a few epochs); the three share one optimizer step, so a frozen copy must stay frozen
    # while its neighbours go on, and the Adam copy beside them is untouched
    specs = [make_spec("xor", "sgd", lr=6.0, epochs=300, seed=seed) for seed in (3, 4, 1)]
    adam = make_spec("xor", "adam", epochs=300)
    runs = train_members([*specs, adam])
    assert [run.result.diverged_at for run in runs] == [None, 8, 26, None]
    assert [train(spec).diverged_at for spec in specs] == [None, 8, 26]
    assert _max_gap(runs[1].result.train_losses[:-1], train(specs[1]).train_losses[:-1]) <= 1e-5
    assert _max_gap(runs[3].result.train_losses, train(adam).train_losses) <= 1e-5
    assert len(runs[0].result.train_losses) == 300


def test_a_batch_of_one_is_the_run_itself() -> None:
    spec = make_spec("moons", "rmsprop", epochs=100, seed=5)
    (run,) = train_members([spec])
    assert run.result.train_losses == train(spec).train_losses
