"""Free text to specs: a table of phrasings (English, Hinglish, Devanagari) and a property test."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import InvalidRequest
from bot.training.custom_data import parse_points
from bot.training.parse import parse_request
from bot.training.spec import CompareSpec, TrainSpec, VarySpec

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
    # no dataset named at all: XOR
    ("adam se train karo", {"dataset": "xor", "optimizer": "adam"}),
    # filler in three scripts stays filler
    ("please train a neural network model on xor with adam", {"dataset": "xor", "model": "mlp"}),
    ("मेरे लिए XOR को Adam से ट्रेन करो।", {"dataset": "xor", "optimizer": "adam"}),
    ("कृपया स्पाइरल को एडम से ट्रेन कीजिए", {"dataset": "spiral", "optimizer": "adam"}),
    ("bhai xor ko adam se train kar do", {"dataset": "xor", "optimizer": "adam"}),
    ("train xor on my laptop with adam", {"dataset": "xor", "optimizer": "adam"}),
    ("train xor with default settings", {"dataset": "xor", "optimizer": "adam", "lr": 0.05}),
    ("train xor with adam optimzer", {"optimizer": "adam"}),  # a typo of a filler word is harmless
    # numbers in more shapes
    ("XOR को एडम से ट्रेन करो, seed ७, ३०० एपॉक्स", {"seed": 7, "epochs": 300}),
    ("xor with lr=1e-2 and 3000 epochs", {"lr": 0.01, "epochs": 3000}),
    ("xor with adam 2000 times", {"epochs": 2000}),
    ("train a 2-4-1 network on xor", {"hidden": [4]}),
    ("xor, hidden 8x8", {"hidden": [8, 8]}),
    ("train xor with two hidden layers", {"hidden": [8, 8]}),
    ("xor par adam se 2 hidden layers ke saath train karo", {"hidden": [8, 8]}),
    ("xor ko 8 neurons ki do layers ke saath train karo", {"hidden": [8, 8]}),
    ("epochs 300 then 300 epochs on xor", {"epochs": 300}),  # the same value twice agrees
    # perceptron spelled out
    ("single layer perceptron on xor", {"model": "perceptron", "hidden": []}),
    ("xor with no hidden layer", {"model": "perceptron", "hidden": []}),
    ("xor, 0 hidden layers", {"model": "perceptron", "hidden": []}),
    ("multi-layer perceptron on circles", {"model": "mlp", "hidden": [8]}),
    # names in other shapes
    ("train xor with mse_loss", {"loss": "mse"}),
    ("train relus on moons", {"activation": "relu"}),
    ("compare all 4 optimizers on xor", {"optimizers": ALL}),
    ("XOR को Adam से कैसे ट्रेन करें?", {"dataset": "xor", "optimizer": "adam"}),  # से inside कैसे is no "se"
    ("moons ko relu aur adam se sikhao", {"dataset": "moons", "activation": "relu", "optimizer": "adam"}),
    # the lessons' own names: gradient descent is sgd, SGD with momentum is momentum, "16 hidden relu"
    ("train xor with gradient descent", {"dataset": "xor", "optimizer": "sgd", "lr": 0.5}),
    ("stochastic gradient descent on moons", {"dataset": "moons", "optimizer": "sgd"}),
    ("gradient descent with momentum on xor", {"optimizer": "momentum", "hidden": [8]}),
    ("SGD with momentum on circles", {"dataset": "circles", "optimizer": "momentum"}),
    ("compare gradient descent and adam on circles", {"optimizers": ["sgd", "adam"]}),
    ("train moons with 16 hidden relu", {"dataset": "moons", "hidden": [16], "activation": "relu"}),
    ("16 hidden relu", {"dataset": "xor", "hidden": [16], "activation": "relu"}),
    ("one hidden neuron on xor", {"hidden": [1]}),
    # more Hinglish
    ("xor ko gradient descent se train karo", {"dataset": "xor", "optimizer": "sgd"}),
    ("moons par momentum ke saath sgd", {"dataset": "moons", "optimizer": "momentum"}),
    ("momentum wala sgd xor par", {"dataset": "xor", "optimizer": "momentum"}),
    ("xor par 16 hidden tanh", {"hidden": [16], "activation": "tanh"}),
    ("xor ko ek hidden neuron ke saath train karo", {"hidden": [1]}),
    ("xor ko sigmoid aur lr 1 se train karo", {"activation": "sigmoid", "lr": 1.0}),
    ("xor ko sirf 10 epochs ke liye train karo", {"dataset": "xor", "epochs": 10}),
    ("moons ko 500 epochs tak train karo", {"dataset": "moons", "epochs": 500}),
    ("circles par 2 hidden neurons", {"dataset": "circles", "hidden": [2]}),
    ("spiral par tanh, 32 hidden, 2000 epochs", {"dataset": "spiral", "hidden": [32], "epochs": 2000}),
    ("xor ko relu ke saath adam se chalao", {"activation": "relu", "optimizer": "adam"}),
    ("spiral ko 3 hidden layers of 16 ke saath train karo", {"hidden": [16, 16, 16]}),
    ("xor ka perceptron banao", {"model": "perceptron", "hidden": []}),
    ("linear data par mse se sgd", {"dataset": "linear", "loss": "mse", "optimizer": "sgd"}),
    ("xor ko 5000 epochs aur seed 3 ke saath", {"epochs": 5000, "seed": 3}),
    ("gradient descent aur adam ki tulna xor par", {"dataset": "xor", "optimizers": ["sgd", "adam"]}),
    # more Devanagari
    ("मून्स को ग्रेडिएंट डिसेंट से ट्रेन करो", {"dataset": "moons", "optimizer": "sgd"}),
    ("मोमेंटम के साथ एसजीडी से XOR ट्रेन करो", {"dataset": "xor", "optimizer": "momentum"}),
    ("मोमेंटम वाला एसजीडी, सर्कल्स पर", {"dataset": "circles", "optimizer": "momentum"}),
    ("मून्स पर 16 हिडन न्यूरॉन्स", {"dataset": "moons", "hidden": [16]}),
    ("एक्सओआर पर एक हिडन न्यूरॉन", {"dataset": "xor", "hidden": [1]}),
    ("एक्सओआर पर सिग्मॉइड, लर्निंग रेट 1", {"activation": "sigmoid", "lr": 1.0}),
    ("सर्कल्स को रेलू और एडम से सिखाओ", {"dataset": "circles", "activation": "relu", "optimizer": "adam"}),
    ("सर्कल्स पर rmsprop, seed ५", {"dataset": "circles", "optimizer": "rmsprop", "seed": 5}),
    ("स्पाइरल पर दो हिडन लेयर्स", {"dataset": "spiral", "hidden": [8, 8]}),
    ("एक्सओआर को १० एपॉक्स के लिए ट्रेन करो", {"dataset": "xor", "epochs": 10}),
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
    # a misspelt or unoffered name anywhere gets did-you-mean, never the default
    ("xor adamw9000", "unknown_optimizer"),
    ("train xor with adamw", "unknown_optimizer"),
    ("xor with sigmod", "unknown_activation"),
    ("train xor with tanhh", "unknown_activation"),
    ("train xor with gelu", "unknown_activation"),
    ("xor with msee loss", "unknown_loss"),
    ("train xor with percepton", "unknown_model"),
    ("train mnist with adam", "unknown_dataset"),
    ("train spiarl with adam", "unknown_dataset"),
    # a word where a dataset / optimizer goes must be one
    ("train banana with adam", "unknown_dataset"),
    ("banana ko adam se train karo", "unknown_dataset"),
    ("xor on banana", "unknown_dataset"),
    ("banana dataset par adam", "unknown_dataset"),
    ("केला को adam से ट्रेन करो", "unknown_dataset"),
    ("xor ko nesterovish se train karo", "unknown_optimizer"),
    # gradient descent on mini-batches sets a batch size, which a request cannot: refused, not dropped
    ("xor ko mini-batch gradient descent se train karo", "unknown_option"),
    ("train xor with 0 hidden neurons", "too_narrow"),
    ("एक्सओआर पर 100 हिडन न्यूरॉन्स", "too_wide"),
    ("16 hidden layers on xor", "too_deep"),
    # a number with its keyword is honoured, so the limits refuse it
    ("xor ko adam se train karo lr -1", "lr_out_of_range"),
    ("train xor lr=-0.5", "lr_out_of_range"),
    ("xor, learning rate -1", "lr_out_of_range"),
    ("XOR को एडम से ट्रेन करो, लर्निंग रेट −1", "lr_out_of_range"),
    ("train xor lr 0", "lr_out_of_range"),
    ("xor epochs -5", "too_few_epochs"),
    ("xor epochs 0", "too_few_epochs"),
    ("xor epochs 1.5", "bad_epochs"),
    ("xor seed -1", "seed_out_of_range"),
    ("xor seed 1.5", "bad_seed"),
    ("xor with -3 hidden neurons", "too_narrow"),
    ("xor with -2 hidden layers", "bad_layers"),
    # a keyword without its number, a number without its keyword, a value given twice
    ("xor lr abc", "bad_lr"),
    ("try adam on circles with a higher learning rate", "bad_lr"),
    ("train xor with adam for 1k epochs", "bad_epochs"),
    ("xor seed", "bad_seed"),
    ("train xor 500", "unclear_number"),
    ("xor with lr 0.1 0.2", "unclear_number"),
    ("xor epochs 100 epochs 200", "two_values"),
    # settings a request cannot change are named, not dropped
    ("train xor with batch size 4", "unknown_option"),
    ("xor with adam and dropout", "unknown_option"),
]


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 100


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


def test_unknown_dataset_names_the_allowed_list_and_the_closest_name() -> None:
    with pytest.raises(InvalidRequest) as close:
        parse_request("train circels with adam")
    assert "Did you mean circles?" in close.value.message_en and "circles" in close.value.message_hi
    with pytest.raises(InvalidRequest) as far:
        parse_request("train banana with adam")
    assert "Did you mean" not in far.value.message_en
    for name in ("xor", "and", "or", "linear", "circles", "moons", "spiral", "gauss"):
        assert name in far.value.message_en and name in far.value.message_hi


def test_a_bare_keyword_says_what_it_read_in_both_languages() -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_request("xor lr abc")
    assert "lr 0.01" in caught.value.message_en and "'abc'" in caught.value.message_en
    assert "'abc'" in caught.value.message_hi


def test_a_stray_number_suggests_the_misspelt_keyword() -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_request("train xor epcohs 500")
    assert caught.value.code == "unclear_number" and "Did you mean epochs?" in caught.value.message_en


BASES = [
    "train XOR with Adam",
    "xor ko adam se train karo",
    "train circles with momentum lr=0.1",
    "moons dataset par Adam, 8 hidden neurons, relu",
    "compare sgd and adam on xor",
]
SPLITS = {"train", "XOR", "xor", "ko", "se", "Adam", "adam"}  # words a filler may follow
FILLERS = ["please", "pls", "karo", "मेरे लिए", "कृपया", "network", "model", "neural", "bhai", "yaar", "just"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(BASES), st.lists(st.tuples(st.integers(0, 12), st.sampled_from(FILLERS)), max_size=3))
def test_filler_words_change_nothing(base: str, inserts: list[tuple[int, str]]) -> None:
    words = base.split()
    for position, filler in inserts:
        # between phrases, not inside one: "8 hidden neurons" and "lr=0.1" stay together
        gaps = [0, len(words), *(i + 1 for i, w in enumerate(words) if w.endswith(",") or w in SPLITS)]
        words.insert(sorted(gaps)[position % len(gaps)], filler)
    assert parse_request(" ".join(words)) == parse_request(base)


VOCAB = [
    "train", "compare", "xor", "XOR", "AND", "and", "or", "moons", "spiral", "linear", "adam", "sgd",
    "momentum", "rmsprop", "relu", "tanh", "sigmoid", "leaky relu", "mse", "bce", "ce", "perceptron",
    "hidden", "layers", "neurons", "epochs", "lr", "lr=", "seed", "=", ",", "1e-3", "1e999", "0", "-1",
    "16,16", "two", "of", "ko",
    "se", "par", "ट्रेन", "एडम", "तुलना", "सभी", "१०", "all optimizers", "vs", "999999999999999999999", "nan",
    "2-8-1", "[", "]", "adamw9000", "circels", "banana", "-0.5", "abc", "batch", "gelu", "on", "with",
    "कैसे", "−1", "1k", "x",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=120))
def test_arbitrary_text_gives_a_spec_or_a_refusal(text: str) -> None:
    try:
        spec = parse_request(text)
    except InvalidRequest as err:
        assert err.code and err.message_en and err.message_hi
    else:
        assert isinstance(spec, TrainSpec | CompareSpec | VarySpec)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), max_size=14).map(" ".join))
def test_vocabulary_soup_gives_a_spec_or_a_refusal(text: str) -> None:
    try:
        spec = parse_request(text)
    except InvalidRequest as err:
        assert err.code and err.message_en and err.message_hi
    else:
        assert isinstance(spec, TrainSpec | CompareSpec | VarySpec)
        runs = [spec.run_spec(value) for value in spec.values] if isinstance(spec, VarySpec) else [spec]
        assert all(spec_within_limits(run) for run in runs)


def spec_within_limits(spec: TrainSpec | CompareSpec) -> bool:
    """A spec the parser returns is one the validator accepted."""
    return 0 < spec.lr <= 10 and 1 <= spec.epochs <= 5000 and len(spec.hidden) <= 4


OWN = "0 0 0; 1 1 0; 0 1 1; 1 0 1"


def test_typed_points_with_settings_around_them() -> None:
    spec = parse_request(f"train with sgd lr 0.3 points: {OWN} for 200 epochs")
    assert isinstance(spec, TrainSpec) and spec.data == parse_points(OWN)
    assert (spec.optimizer, spec.lr, spec.epochs, spec.dataset) == ("sgd", 0.3, 200, "custom")


def test_points_alone_are_a_request() -> None:
    spec = parse_request(f"points: {OWN}")
    assert isinstance(spec, TrainSpec) and spec.data is not None


def test_points_can_be_compared_across_optimizers() -> None:
    spec = parse_request(f"compare sgd and adam points: {OWN}")
    assert isinstance(spec, CompareSpec) and spec.data == parse_points(OWN)
    assert spec.train_spec("sgd").data == spec.data


@pytest.mark.parametrize(
    ("text", "data", "code"),
    [
        (f"train moons points: {OWN}", None, "data_and_dataset"),
        (f"train points: {OWN}", parse_points(OWN), "data_two_sources"),
        ("train points: 0 0 0; 1 1 0; 0 1 x; 1 0 1", None, "data_not_a_number"),
        ("train points: 0 0 1; 1 1 1; 0 1 1; 1 0 1", None, "data_one_class"),
        ("train moons with adam", parse_points(OWN), "data_and_dataset"),
    ],
)
def test_bad_own_data_requests_are_refused(text: str, data: Any, code: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        parse_request(text, data)
    assert caught.value.code == code


def test_a_long_list_of_points_passes_the_request_length_limit() -> None:
    rows = "; ".join(f"{i / 10} {i % 7 / 10} {i % 2}" for i in range(200))
    spec = parse_request(f"train with adam points: {rows}")
    assert isinstance(spec, TrainSpec) and spec.data is not None and len(spec.data) == 200
