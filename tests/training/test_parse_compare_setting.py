"""'Compare any one setting': activation, hidden widths/depth or lr, in English, Hinglish and Devanagari."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import InvalidRequest
from bot.training.parse import parse_request
from bot.training.spec import CompareSpec, VarySpec, make_vary_spec, vary_spec_from_dict

ACTIVATIONS = ["relu", "tanh", "sigmoid"]
WIDTHS = [[2], [4], [8]]
RATES = [0.01, 0.1, 1.0]
REQUESTS: list[tuple[str, str, list[Any], str, str]] = [
    # text, varied setting, its values, dataset, optimizer
    ("compare relu tanh sigmoid on moons", "activation", ACTIVATIONS, "moons", "adam"),
    ("moons par relu tanh sigmoid ki tulna karo", "activation", ACTIVATIONS, "moons", "adam"),
    ("मून्स पर रेलू टैन्ह सिग्मॉइड की तुलना करो", "activation", ACTIVATIONS, "moons", "adam"),
    ("compare 2 4 8 hidden on xor", "hidden", WIDTHS, "xor", "adam"),
    ("xor par 2 4 8 hidden neurons ki tulna karo", "hidden", WIDTHS, "xor", "adam"),
    ("एक्सओआर पर 2 4 8 हिडन न्यूरॉन्स की तुलना करो", "hidden", WIDTHS, "xor", "adam"),
    ("compare lr 0.01 0.1 1 on xor with sgd", "lr", RATES, "xor", "sgd"),
    ("sgd se xor par lr 0.01, 0.1 aur 1 ki tulna karo", "lr", RATES, "xor", "sgd"),
    ("एसजीडी से एक्सओआर पर लर्निंग रेट 0.01 0.1 1 की तुलना करो", "lr", RATES, "xor", "sgd"),
]


@pytest.mark.parametrize(("text", "setting", "values", "dataset", "optimizer"), REQUESTS)
def test_one_setting_compared_in_three_scripts(
    text: str, setting: str, values: list[Any], dataset: str, optimizer: str
) -> None:
    spec = parse_request(text)
    assert isinstance(spec, VarySpec)
    data = spec.to_dict()
    assert (data["vary"], data["values"]) == (setting, values)
    assert (data["dataset"], data["optimizer"], data["seed"]) == (dataset, optimizer, 0)
    runs = spec.run_specs()
    assert len(runs) == len(values)  # one run per value, all else equal
    assert [run.to_dict()[setting] for run in runs] == values
    assert len({(r.dataset, r.optimizer, r.seed, r.epochs, r.loss) for r in runs}) == 1


def test_depth_compares_layers_of_the_default_width() -> None:
    spec = parse_request("compare 1 2 3 hidden layers on circles")
    assert isinstance(spec, VarySpec)
    assert spec.to_dict()["values"] == [[8], [8, 8], [8, 8, 8]]


def test_other_settings_of_the_request_stay_fixed() -> None:
    spec = parse_request("compare relu tanh on xor with sgd, lr 0.3, 16 hidden neurons, 200 epochs, seed 4")
    assert isinstance(spec, VarySpec)
    assert all((r.lr, r.hidden, r.epochs, r.seed) == (0.3, (16,), 200, 4) for r in spec.run_specs())


def test_optimizer_comparisons_are_unchanged() -> None:
    spec = parse_request("compare sgd adam on xor with 8, 8 hidden")
    assert isinstance(spec, CompareSpec) and spec.hidden == (8, 8)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("compare relu tanh on xor with sgd and adam", "vary_one_setting"),
        ("compare 2 4 hidden relu tanh on xor", "vary_one_setting"),
        ("compare lr 0.1 0.5 on xor, lr 0.3", "two_values"),
        ("compare lr 0.1 0.1 on xor", "vary_needs_two"),
        ("compare 1 2 3 4 5 6 hidden on xor", "vary_too_many"),
        ("compare 2 99 hidden on xor", "too_wide"),
        ("compare lr 0.1 50 on xor", "lr_out_of_range"),
    ],
)
def test_bad_comparisons_are_refused_with_codes(text: str, code: str) -> None:
    with pytest.raises(InvalidRequest) as refused:
        parse_request(text)
    assert refused.value.code == code
    assert refused.value.text.en and refused.value.text.hi


def test_a_vary_spec_survives_its_plain_data() -> None:
    spec = make_vary_spec("hidden", [[2], [4, 4]], dataset="moons", optimizer="sgd")
    assert vary_spec_from_dict(spec.to_dict()) == spec
