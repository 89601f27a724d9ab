"""Spec limits and refusals: every code, both languages, the allowed range or the closest name."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import InvalidRequest
from bot.training.custom_data import parse_points
from bot.training.parse import parse_request
from bot.training.spec import (
    MAX_EPOCHS,
    MAX_PARAMETERS,
    CompareSpec,
    TrainSpec,
    closest_name,
    count_parameters,
    make_compare_spec,
    make_spec,
    spec_from_dict,
    spec_from_options,
)

REFUSALS: list[tuple[dict[str, Any], str, str]] = [
    ({"optimizer": "adamw9000"}, "unknown_optimizer", "adam"),
    ({"dataset": "xorr"}, "unknown_dataset", "xor"),
    ({"activation": "sigmod"}, "unknown_activation", "sigmoid"),
    ({"loss": "hinge"}, "unknown_loss", "mse, mae, bce, ce"),
    ({"model": "transformer"}, "unknown_model", "perceptron, mlp"),
    ({"lr": 0}, "lr_out_of_range", "(0, 10]"),
    ({"lr": 10.5}, "lr_out_of_range", "(0, 10]"),
    ({"lr": "fast"}, "bad_lr", "1e-3"),
    ({"epochs": MAX_EPOCHS + 1}, "too_many_epochs", f"1 to {MAX_EPOCHS}"),
    ({"epochs": 0}, "too_few_epochs", f"1 to {MAX_EPOCHS}"),
    ({"epochs": "2.5"}, "bad_epochs", "whole number"),
    ({"hidden": "65"}, "too_wide", "1 to 64"),
    ({"hidden": "0"}, "too_narrow", "1 to 64"),
    ({"hidden": "8,8,8,8,8"}, "too_deep", "At most 4"),
    ({"hidden": "64,64,64,64"}, "too_many_parameters", f"{MAX_PARAMETERS:,}"),
    ({"dataset": "linear", "loss": "ce"}, "loss_mismatch", "mse, mae"),
    ({"dataset": "spiral", "loss": "bce"}, "loss_mismatch", "ce"),
    ({"model": "perceptron", "hidden": "8"}, "perceptron_has_no_hidden", "mlp"),
    ({"model": "mlp", "hidden": ""}, "nothing_to_train", "hidden layer"),
    ({"seed": -1}, "seed_out_of_range", "0 to"),
]


@pytest.mark.parametrize(("options", "code", "names"), REFUSALS, ids=[r[1] for r in REFUSALS])
def test_each_refusal_has_its_code_and_both_languages(options: dict[str, Any], code: str, names: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        make_spec(**options)
    err = caught.value
    assert err.code == code
    assert names in err.message_en
    assert err.message_hi and err.message_hi != err.message_en
    assert any("\u0900" <= ch <= "\u097f" for ch in err.message_hi)


def test_adamw9000_suggests_adam_in_both_languages() -> None:
    with pytest.raises(InvalidRequest) as caught:
        make_spec(optimizer="adamw9000")
    assert "Did you mean adam?" in caught.value.message_en
    assert "adam था?" in caught.value.message_hi


@pytest.mark.parametrize(
    ("kind", "typed", "meant"),
    [
        ("dataset", "circels", "circles"),
        ("optimizer", "adamw9000", "adam"),
        ("optimizer", "sdg", "sgd"),
        ("activation", "tahn", "tanh"),
        ("dataset", "spirl", "spiral"),
    ],
)
def test_a_genuine_slip_gets_a_suggestion(kind: str, typed: str, meant: str) -> None:
    assert closest_name(kind, typed) == meant


@pytest.mark.parametrize("typed", ["mnist", "iris", "cifar", "banana", "digits"])
def test_a_different_dataset_gets_the_plain_list_not_a_guess(typed: str) -> None:
    # 'mnist' shares letters with 'moons' but is not a misspelling of it
    assert closest_name("dataset", typed) is None
    with pytest.raises(InvalidRequest) as caught:
        make_spec(dataset=typed)
    err = caught.value
    assert err.code == "unknown_dataset"
    assert "Did you mean" not in err.message_en and "मतलब" not in err.message_hi
    assert "moons, spiral" in err.message_en and "moons, spiral" in err.message_hi


def test_mnist_in_free_text_is_refused_without_a_guess() -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_request("train mnist with adam")
    assert caught.value.code == "unknown_dataset"
    assert "Did you mean" not in caught.value.message_en
    assert "Choose one of: xor" in caught.value.message_en


def test_defaults_are_the_xor_adam_recipe() -> None:
    spec = make_spec()
    assert spec.to_dict() == {
        "dataset": "xor",
        "model": "mlp",
        "hidden": [8],
        "activation": "tanh",
        "loss": "bce",
        "optimizer": "adam",
        "lr": 0.05,
        "epochs": 1000,
        "seed": 0,
    }


@pytest.mark.parametrize(
    ("dataset", "loss"), [("xor", "bce"), ("spiral", "ce"), ("linear", "mse"), ("moons", "bce")]
)
def test_default_loss_follows_the_task(dataset: str, loss: str) -> None:
    assert make_spec(dataset=dataset).loss == loss


def test_perceptron_has_no_hidden_layer_and_counts_its_parameters() -> None:
    spec = make_spec(model="perceptron")
    assert spec.hidden == ()
    assert spec.n_parameters == 3 == count_parameters("xor", (), "bce")


def test_spec_from_options_takes_discord_strings() -> None:
    spec = spec_from_options(
        {"dataset": "Circles", "optimizer": "SGD", "hidden": "16, 16", "lr": "0.1", "seed": 3}
    )
    assert isinstance(spec, TrainSpec)
    assert (spec.dataset, spec.optimizer, spec.hidden, spec.lr, spec.seed) == (
        "circles",
        "sgd",
        (16, 16),
        0.1,
        3,
    )


def test_spec_from_options_with_optimizers_is_a_comparison() -> None:
    spec = spec_from_options({"dataset": "xor", "optimizers": "all", "lr": None})
    assert isinstance(spec, CompareSpec)
    assert spec.optimizers == ("sgd", "momentum", "rmsprop", "adam")
    assert spec.train_spec("adam").optimizer == "adam"


@pytest.mark.parametrize("hidden", [8.5, float("nan"), float("inf"), [8.5, 2]])
def test_spec_from_options_refuses_a_hidden_width_that_is_not_whole(hidden: object) -> None:
    """A number option arrives as a float (issue 16: a TypeError instead of a refusal)."""
    with pytest.raises(InvalidRequest) as caught:
        spec_from_options({"dataset": "xor", "hidden": hidden})
    assert caught.value.code == "bad_hidden"
    assert caught.value.message_hi


def test_spec_from_options_reads_a_whole_float_hidden_width() -> None:
    spec = spec_from_options({"dataset": "xor", "hidden": 8.0})
    assert spec.hidden == (8,)


def test_spec_from_options_refuses_unknown_keys() -> None:
    with pytest.raises(InvalidRequest) as caught:
        spec_from_options({"dataset": "xor", "batch": "32"})
    assert caught.value.code == "unknown_option"


def test_comparison_needs_two_distinct_optimizers() -> None:
    with pytest.raises(InvalidRequest) as caught:
        make_compare_spec(optimizers=["adam", "adam"])
    assert caught.value.code == "need_two_optimizers"


@pytest.mark.parametrize(
    "spec", [make_spec(dataset="spiral", hidden=[16, 16]), make_compare_spec(optimizers=["sgd", "adam"])]
)
def test_to_dict_round_trips(spec: TrainSpec | CompareSpec) -> None:
    assert spec_from_dict(spec.to_dict()) == spec


def test_replace_validates_again() -> None:
    with pytest.raises(InvalidRequest):
        make_spec().replace(lr=100.0)


OWN = "0 0 0; 1 1 0; 0 1 1; 1 0 1"


def test_a_spec_on_own_points_is_plain_data_and_hashable() -> None:
    spec = make_spec(data=parse_points(OWN), epochs=50)
    assert spec.dataset == "custom" and spec.task == "binary"
    again = spec_from_dict(spec.to_dict())
    assert again == spec and hash(again) == hash(spec)
    assert spec.to_dict()["data"] == {"points": [[0, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1]]}
    assert "data" not in make_spec().to_dict()  # built-in specs keep the contract's keys


def test_own_points_pick_their_kind_and_network_size() -> None:
    regression = make_spec(data=parse_points("0 0; 1 2; 2 4; 3 6"))
    assert (regression.dataset, regression.loss, regression.n_parameters) == ("custom_xy", "mse", 25)
    three = make_spec(data=parse_points("0 0 0; 1 1 1; 2 2 2; 3 3 0"))
    assert (three.dataset, three.loss) == ("custom3", "ce")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"dataset": "custom"}, "data_missing"),  # the name alone has no points: refused, not guessed
        (
            {"dataset": "xor", "data": {"points": [[0, 0, 0], [1, 1, 0], [0, 1, 1], [1, 0, 1]]}},
            "data_and_dataset",
        ),
    ],
)
def test_a_custom_name_and_its_points_come_together(data: dict[str, Any], code: str) -> None:
    plain = {**make_spec().to_dict(), **data}
    with pytest.raises(InvalidRequest) as caught:
        spec_from_dict(plain)
    assert caught.value.code == code


def test_slash_options_with_a_csv_refuse_a_named_dataset_too() -> None:
    spec = spec_from_options({"optimizer": "sgd"}, parse_points(OWN))
    assert isinstance(spec, TrainSpec) and spec.data == parse_points(OWN)
    with pytest.raises(InvalidRequest) as caught:
        spec_from_options({"dataset": "moons"}, parse_points(OWN))
    assert caught.value.code == "data_and_dataset"
