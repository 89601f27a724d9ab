"""The backprop walkthrough: hand-computed gradients equal autograd's, and the update step is right."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import InvalidRequest
from bot.training.spec import BACKPROP_PARAMS as PARAMS
from bot.training.worker.backprop import walkthrough

small = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)
activations = st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu"])


@settings(max_examples=60, deadline=None)
@given(x=st.tuples(small, small), y=small, weights=st.lists(small, min_size=3, max_size=3), act=activations)
def test_neuron_manual_gradients_equal_autograd(
    x: tuple[float, float], y: float, weights: list[float], act: str
) -> None:
    walk = walkthrough("neuron", x=x, y=y, weights=weights, activation=act, loss="mse", lr=0.1)
    assert set(walk.autograd_grads) == set(PARAMS["neuron"])
    for name, grad in walk.manual_grads.items():
        assert grad == pytest.approx(walk.autograd_grads[name], abs=1e-6), name


@settings(max_examples=60, deadline=None)
@given(
    x=st.tuples(small, small),
    y=st.floats(min_value=0.0, max_value=1.0),
    weights=st.lists(small, min_size=9, max_size=9),
    act=activations,
    loss=st.sampled_from(["mse", "bce"]),
)
def test_two_two_one_manual_gradients_equal_autograd(
    x: tuple[float, float], y: float, weights: list[float], act: str, loss: str
) -> None:
    walk = walkthrough("2-2-1", x=x, y=y, weights=weights, activation=act, loss=loss, lr=0.1)
    assert set(walk.autograd_grads) == set(PARAMS["2-2-1"])
    assert walk.max_abs_diff <= 1e-6
    for name, grad in walk.manual_grads.items():
        assert grad == pytest.approx(walk.autograd_grads[name], abs=1e-6), name


def test_chain_terms_multiply_to_the_gradient() -> None:
    walk = walkthrough("2-2-1", activation="tanh")
    w11 = next(c for c in walk.chain if c.param == "w11")
    assert [t.symbol for t in w11.terms] == ["∂L/∂ŷ", "∂ŷ/∂z", "∂z/∂h1", "∂h1/∂z_h1", "∂z_h1/∂w11"]
    product = 1.0
    for term in w11.terms:
        product *= term.value
    assert product == pytest.approx(w11.value, rel=1e-12)


def test_update_step_follows_the_rule_and_lowers_the_loss() -> None:
    walk = walkthrough("neuron", x=(1.0, 0.5), y=1.0, weights=(0.4, -0.6, 0.1), lr=0.5)
    assert walk.forward["z"] == pytest.approx(0.2)
    for name in PARAMS["neuron"]:
        expected = walk.weights[name] - 0.5 * walk.manual_grads[name]
        assert walk.new_weights[name] == pytest.approx(expected)
    assert walk.new_loss < walk.forward["L"]


def test_a_huge_step_raises_the_loss_and_says_so() -> None:
    walk = walkthrough("neuron", x=(1.0, 1.0), y=0.0, weights=(0.1, 0.1, 0.0), activation="tanh", lr=10.0)
    assert walk.new_loss > walk.forward["L"]
    assert any("overshot" in line for line in walk.lines("en"))
    assert any("overshoot" in line for line in walk.lines("hi"))


def test_texts_in_both_languages_show_every_stage() -> None:
    walk = walkthrough("2-2-1")
    en, hi = walk.lines("en"), walk.lines("hi")
    assert any(line.startswith("  ∂L/∂w11 = ∂L/∂ŷ · ∂ŷ/∂z") for line in en)
    assert any("loss.backward()" in line for line in hi)
    assert any("हाथ से" in line for line in hi)
    assert any("New loss" in line for line in en)
    assert walk.lines("both") == [*hi, "", *en]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"network": "3-3-1"}, "backprop_unknown_network"),
        ({"activation": "swish"}, "backprop_unknown_activation"),
        ({"weights": [0.1, 0.2]}, "backprop_weights"),
        ({"x": [1.0, float("nan")]}, "backprop_value_out_of_range"),
        ({"lr": 0.0}, "backprop_lr"),
        ({"loss": "bce", "activation": "relu"}, "backprop_bce"),
        ({"weights": [80.0, 80.0, 80.0], "x": [90.0, 90.0], "loss": "bce"}, "backprop_saturated"),
    ],
)
def test_bad_values_are_refused_with_a_code(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        walkthrough(**kwargs)  # type: ignore[arg-type]
    assert info.value.code == code
    assert info.value.message_hi != info.value.message_en


def test_an_output_saturated_past_torchs_clamp_is_refused_not_misexplained() -> None:
    # found by hypothesis: ŷ(1 − ŷ) < 1e-12, where autograd's clamped BCE and the chain rule part ways
    with pytest.raises(InvalidRequest) as raised:
        walkthrough(
            "2-2-1", x=(0.0, 3.0), y=0.0, weights=[0, 0, 0, 3, 0, 0, 0, 3, 1], activation="relu", loss="bce"
        )
    assert raised.value.code == "backprop_saturated"
