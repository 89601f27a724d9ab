"""Free text to specs: a table of phrasings (English, Hinglish, Devanagari) and a property test."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import InvalidRequest
from bot.training.parse import parse_request
from bot.training.spec import CompareSpec, TrainSpec

ALL = ["sgd", "momentum", "rmsprop", "adam"]

# (text, expected fields of spec.to_dict()); "optimizers" means a CompareSpec
TABLE: list[tuple[str, dict[str, Any]]] = [
    (
        "train XOR with Adam",
        {"dataset": "xor", "optimizer": "adam", "hidden": [8], "lr": 0.05, "epochs": 1000},
    ),
    ("xor ko adam se train karo", {"dataset": "xor", "optimizer": "adam", "loss": "bce"}),
    ("XOR को Adam से ट्रेन करो", {"dataset": "xor", "optimizer": "adam"}),
    ("एक्सओआर को एडम से ट्रेन करो", {"dataset": "xor", "optimizer": "adam"}),
    ("train circles with momentum lr=0.1", {"dataset": "circles", "optimizer": "momentum", "lr": 0.1}),
    (
        "moons dataset par Adam, 8 hidden neurons, relu",
        {"dataset": "moons", "hidden": [8], "activation": "relu"},
    ),
    (
        "train spiral with adam, two hidden layers of 16, tanh, 1000 epochs",
        {"dataset": "spiral", "hidden": [16, 16], "activation": "tanh", "epochs": 1000, "loss": "ce"},
    ),
    ("xor adam lr 1e-3 epochs 5000", {"dataset": "xor", "optimizer": "adam", "lr": 0.001, "epochs": 5000}),
    ("perceptron on xor", {"dataset": "xor", "model": "perceptron", "hidden": []}),
    ("relu network on xor with adam, seed 7", {"dataset": "xor", "activation": "relu", "seed": 7}),
    ("compare sgd and adam on xor", {"dataset": "xor", "optimizers": ["sgd", "adam"]}),
    ("compare all optimizers on circles", {"dataset": "circles", "optimizers": ALL}),
    (
        "compare sgd vs rmsprop on spiral",
        {"dataset": "spiral", "optimizers": ["sgd", "rmsprop"], "loss": "ce"},
    ),
    ("adam vs sgd on moons", {"dataset": "moons", "optimizers": ["adam", "sgd"]}),
    ("sabhi optimizers ki tulna moons par", {"dataset": "moons", "optimizers": ALL}),
    ("सभी optimizers की तुलना सर्कल्स पर", {"dataset": "circles", "optimizers": ALL}),
    ("compare optimizers on gauss", {"dataset": "gauss", "optimizers": ALL}),
    ("सर्कल्स पर मोमेंटम, लर्निंग रेट 0.1, 500 एपॉक्स", {"dataset": "circles", "optimizer": "momentum", "lr": 0.1}),
    ("स्पाइरल को एडम से ट्रेन करो, seed ३", {"dataset": "spiral", "optimizer": "adam", "seed": 3}),
    ("मून्स पर रेलू नेटवर्क", {"dataset": "moons", "activation": "relu", "model": "mlp"}),
    ("train xor 16,16", {"hidden": [16, 16]}),
    ("train xor with hidden=[4, 4]", {"hidden": [4, 4]}),
    ("spiral 2-16-16-3", {"dataset": "spiral", "hidden": [16, 16]}),
    ("train xor with adam, 3 hidden layers of 8 neurons each", {"hidden": [8, 8, 8]}),
    ("train spiral with adam, 16 neurons in two layers", {"hidden": [16, 16]}),
    ("one hidden layer of 12 on circles", {"dataset": "circles", "hidden": [12]}),
    ("learning rate 0.01 on moons", {"dataset": "moons", "lr": 0.01}),
    ("train linear with sgd lr=0.05", {"dataset": "linear", "optimizer": "sgd", "lr": 0.05, "loss": "mse"}),
    ("fit the y=2x line with mae", {"dataset": "linear", "loss": "mae"}),
    ("regression with momentum", {"dataset": "linear", "optimizer": "momentum", "lr": 0.1}),
    ("xor with leaky relu and mse loss", {"activation": "leaky_relu", "loss": "mse"}),
    ("circles with sigmoid and binary cross entropy", {"activation": "sigmoid", "loss": "bce"}),
    ("spiral with cross-entropy", {"dataset": "spiral", "loss": "ce"}),
    ("gauss with sigmoid, seed 42, 200 epochs", {"dataset": "gauss", "seed": 42, "epochs": 200}),
    ("train AND with sgd", {"dataset": "and", "optimizer": "sgd", "lr": 0.5}),
    ("train the or gate", {"dataset": "or"}),
    ("train xor with sgd lr=10", {"optimizer": "sgd", "lr": 10.0}),
    ("train xor with SGD with momentum", {"optimizer": "momentum"}),
    ("rmsprop on moons, lr: 0.005", {"optimizer": "rmsprop", "lr": 0.005}),
    ("train with adam", {"dataset": "xor", "optimizer": "adam"}),
    ("xor, epochs=300, seed=5, rmsprop", {"epochs": 300, "seed": 5, "optimizer": "rmsprop"}),
    ("Train XOR with ADAM for 2000 epochs", {"epochs": 2000, "optimizer": "adam"}),
    ("moons pe adam chalao, 32 hidden units", {"dataset": "moons", "hidden": [32]}),
    ("XOR perceptron with sgd", {"model": "perceptron", "optimizer": "sgd", "hidden": []}),
]

REFUSED: list[tuple[str, str]] = [
    ("train xor with adamw9000", "unknown_optimizer"),
    ("xor ko adamx se train karo", "unknown_optimizer"),
    ("train circels with adam", "unknown_dataset"),
    ("hello there", "nothing_to_train"),
    ("", "nothing_to_train"),
    ("train xor 9000 epochs", "too_many_epochs"),
    ("train xor with 100 hidden neurons", "too_wide"),
    ("linear with cross entropy", "loss_mismatch"),
    ("compare adam on xor", "need_two_optimizers"),
    ("train xor with lr=50", "lr_out_of_range"),
    ("train xor and moons", "two_datasets"),
    ("perceptron on xor with 8 hidden neurons", "perceptron_has_no_hidden"),
    ("train xor, five hidden layers of 8", "too_deep"),
    ("x" * 500, "too_long"),
]


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 40


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_phrasing_gives_spec(text: str, expected: dict[str, Any]) -> None:
    spec = parse_request(text)
    assert isinstance(spec, CompareSpec if "optimizers" in expected else TrainSpec)
    got = spec.to_dict()
    assert {key: got[key] for key in expected} == expected


@pytest.mark.parametrize(("text", "code"), REFUSED, ids=[c for _, c in REFUSED])
def test_refusal_codes(text: str, code: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_request(text)
    assert caught.value.code == code
    assert caught.value.message_hi


VOCAB = [
    "train", "compare", "xor", "XOR", "AND", "and", "or", "moons", "spiral", "linear", "adam", "sgd",
    "momentum", "rmsprop", "relu", "tanh", "sigmoid", "leaky relu", "mse", "bce", "ce", "perceptron",
    "hidden", "layers", "neurons", "epochs", "lr", "lr=", "seed", "=", ",", "1e-3", "1e999", "0", "-1",
    "16,16", "two", "of", "ko",
    "se", "par", "ट्रेन", "एडम", "तुलना", "सभी", "१०", "all optimizers", "vs", "999999999999999999999", "nan",
    "2-8-1", "[", "]", "adamw9000", "circels",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_arbitrary_text_gives_a_spec_or_a_refusal(text: str) -> None:
    try:
        spec = parse_request(text)
    except InvalidRequest as err:
        assert err.code and err.message_en and err.message_hi
    else:
        assert isinstance(spec, TrainSpec | CompareSpec)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=14).map(" ".join))
def test_vocabulary_soup_gives_a_spec_or_a_refusal(text: str) -> None:
    try:
        spec = parse_request(text)
    except InvalidRequest as err:
        assert err.code and err.message_en and err.message_hi
    else:
        assert isinstance(spec, TrainSpec | CompareSpec)
        assert spec_within_limits(spec)


def spec_within_limits(spec: TrainSpec | CompareSpec) -> bool:
    """A spec the parser returns is one the validator accepted."""
    return 0 < spec.lr <= 10 and 1 <= spec.epochs <= 5000 and len(spec.hidden) <= 4
