"""The safe formula evaluator: known values, refusals, and arbitrary text never escaping it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.formula import FUNCTIONS, FormulaError, evaluate

KNOWN = [
    ("sigmoid(0)", 0.5),
    ("tanh(1)", 0.7615941559557649),
    ("bce(0.9, 1)", 0.10536051565782628),
    ("mse(2.5, 3)", 0.25),
    ("relu(-3)", 0.0),
    ("relu(2.5)", 2.5),
    ("leaky_relu(-2)", -0.02),
    ("leaky_relu(-2, a=0.1)", -0.2),
    ("leaky_relu(-2, 0.2)", -0.4),
    ("step(0)", 1.0),
    ("step(-0.1)", 0.0),
    ("dsigmoid(0)", 0.25),
    ("dtanh(0)", 1.0),
    ("drelu(0)", 0.0),
    ("drelu(3)", 1.0),
    ("mae([1, 2, 3], [2, 2, 5])", 1.0),
    ("mse([1, 2], [1, 4])", 2.0),
    ("bce([0.9, 0.2], [1, 0])", (-math.log(0.9) - math.log(0.8)) / 2),
    ("bce(1, 1)", 0.0),
    ("ce([0.7, 0.2, 0.1], 0)", -math.log(0.7)),
    ("softmax([1, 2, 3], 2)", math.exp(3) / (math.exp(1) + math.exp(2) + math.exp(3))),
    ("softmax([1000, 1000], 0)", 0.5),
    ("sum([1, 2, 3]) / 3", 2.0),
    ("max(1, 5, 3) - min([4, 2])", 3.0),
    ("2 ** -1 + -(3)", -2.5),
    ("sqrt(16) + abs(-2) + log2(8) + log10(100)", 11.0),
    ("log(e) + exp(0) + pi - pi", 2.0),
    ("0.5 - 0.1 * 2 * (0.5 - 1)", 0.6),
]


@pytest.mark.parametrize(("formula", "value"), KNOWN)
def test_known_values(formula: str, value: float) -> None:
    assert evaluate(formula) == pytest.approx(value, abs=1e-12)


REFUSED = [
    "__import__('os')",
    "__import__('os').system('true')",
    "(1).real",
    "[].__class__",
    "sigmoid.__globals__",
    "open('x')",
    "lambda: 1",
    "x",
    "'text'",
    "True + 1",
    "1j",
    "[1, 2]",
    "[[1]]",
    "sigmoid([1, 2])",
    "mse([1, 2], [1])",
    "ce([0.5, 0.5], 2)",
    "ce([0.5, 0.5], 0.5)",
    "leaky_relu(-1, b=2)",
    "relu(x=1)",
    "relu(*[1])",
    "relu()",
    "sigmoid(1, 2)",
    "1 // 2",
    "1 % 2",
    "1 if 1 else 0",
    "1 < 2",
    "1/0",
    "log(0)",
    "log(-1)",
    "sqrt(-1)",
    "exp(1000)",
    "(-8) ** (1/3)",
    "10 ** 10 ** 10",
    "1e308 * 10",
    "",
    "1 +",
    "(" * 300 + "1" + ")" * 300,
    "1" * 600,
]


@pytest.mark.parametrize("formula", REFUSED)
def test_refused(formula: str) -> None:
    with pytest.raises(FormulaError):
        evaluate(formula)


def test_import_is_refused_by_name() -> None:
    with pytest.raises(FormulaError, match="unknown function '__import__'"):
        evaluate("__import__('os')")


def test_attribute_access_is_refused() -> None:
    with pytest.raises(FormulaError, match="Attribute is not allowed"):
        evaluate("(1).real")


def _is_float_or_formula_error(text: str) -> None:
    try:
        value = evaluate(text)
    except FormulaError:
        return
    assert type(value) is float
    assert math.isfinite(value)


@given(st.text(max_size=80))
@settings(max_examples=400)
def test_arbitrary_text_gives_a_float_or_a_formula_error(text: str) -> None:
    _is_float_or_formula_error(text)


ATOMS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(repr),
    st.sampled_from(["pi", "e", "[1, 2]", "[0.2, 0.8]", "x", "__import__", "()"]),
)


def _grow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**", "%"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})"
    )
    call = st.tuples(st.sampled_from([*FUNCTIONS, "eval", "getattr"]), st.lists(children, max_size=3)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})"
    )
    return st.one_of(binary, call, children.map(lambda c: f"-{c}"), children.map(lambda c: f"{c}.real"))


@given(st.recursive(ATOMS, _grow, max_leaves=12))
@settings(max_examples=400)
def test_arbitrary_expressions_give_a_float_or_a_formula_error(text: str) -> None:
    _is_float_or_formula_error(text)


def test_deep_nesting_within_the_length_cap_still_evaluates() -> None:
    assert evaluate("(" * 150 + "1" + ")" * 150) == 1.0
    assert evaluate("-" * 400 + "2") == 2.0
