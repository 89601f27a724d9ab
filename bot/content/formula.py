"""A safe arithmetic evaluator for the `formula` of numeric quiz questions.

The expression is parsed with `ast` and walked over a whitelist of node types; nothing is ever
passed to `eval`. Values are floats or flat lists of floats; the result must be one finite float.
Every failure (syntax, unknown name, wrong arguments, maths domain, overflow) is a `FormulaError`.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

Value = float | list[float]

MAX_LENGTH = 500  # formulas are short; a cap keeps parsing cheap whatever the input
MAX_POWER = 1e6  # a bigger exponent is never teaching content, and 2 ** 1e9 is slow to refuse


class FormulaError(ValueError):
    """The formula is not a valid expression of the whitelist, or its value is undefined."""


def _scalar(value: Value) -> float:
    if isinstance(value, list):
        raise FormulaError("expected a number, got a list")
    return value


def _vector(value: Value) -> list[float]:
    if not isinstance(value, list):
        raise FormulaError("expected a list, got a number")
    if not value:
        raise FormulaError("expected a non-empty list")
    return value


def _pairs(p: Value, y: Value) -> list[tuple[float, float]]:
    """Predictions and targets as pairs: two numbers, or two lists of equal length."""
    if isinstance(p, list) or isinstance(y, list):
        ps, ys = _vector(p), _vector(y)
        if len(ps) != len(ys):
            raise FormulaError(f"lists of different lengths ({len(ps)} and {len(ys)})")
        return list(zip(ps, ys, strict=True))
    return [(p, y)]


def _index(value: Value, size: int) -> int:
    number = _scalar(value)
    if number != int(number) or not 0 <= number < size:
        raise FormulaError(f"index {number:g} is not a whole number in 0..{size - 1}")
    return int(number)


def _sigmoid(x: Value) -> float:
    z = _scalar(x)
    # the two branches avoid overflow in exp for large |z|
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def _dsigmoid(x: Value) -> float:
    s = _sigmoid(x)
    return s * (1.0 - s)


def _dtanh(x: Value) -> float:
    return 1.0 - math.tanh(_scalar(x)) ** 2


def _relu(x: Value) -> float:
    return max(0.0, _scalar(x))


def _drelu(x: Value) -> float:
    # PyTorch's convention: the derivative at 0 is 0
    return 1.0 if _scalar(x) > 0 else 0.0


def _leaky_relu(x: Value, a: Value = 0.01) -> float:
    z = _scalar(x)
    return z if z >= 0 else _scalar(a) * z


def _step(x: Value) -> float:
    return 1.0 if _scalar(x) >= 0 else 0.0


def _many(args: tuple[Value, ...]) -> list[float]:
    """min/max/sum take one list or several numbers."""
    if len(args) == 1:
        return _vector(args[0])
    if not args:
        raise FormulaError("expected at least one argument")
    return [_scalar(a) for a in args]


def _min(*args: Value) -> float:
    return min(_many(args))


def _max(*args: Value) -> float:
    return max(_many(args))


def _sum(*args: Value) -> float:
    return math.fsum(_many(args))


def _mse(p: Value, y: Value) -> float:
    pairs = _pairs(p, y)
    return math.fsum((a - b) ** 2 for a, b in pairs) / len(pairs)


def _mae(p: Value, y: Value) -> float:
    pairs = _pairs(p, y)
    return math.fsum(abs(a - b) for a, b in pairs) / len(pairs)


def _bce(p: Value, y: Value) -> float:
    pairs = _pairs(p, y)
    total = 0.0
    for prob, target in pairs:
        # a term whose weight is 0 contributes nothing, even where its log is undefined (p = 0 or 1)
        if target != 0:
            total -= target * math.log(prob)
        if target != 1:
            total -= (1.0 - target) * math.log(1.0 - prob)
    return total / len(pairs)


def _ce(probs: Value, target: Value) -> float:
    values = _vector(probs)
    return -math.log(values[_index(target, len(values))])


def _softmax(logits: Value, i: Value) -> float:
    values = _vector(logits)
    top = max(values)
    exps = [math.exp(v - top) for v in values]  # shifted by the max: same result, no overflow
    return exps[_index(i, len(values))] / math.fsum(exps)


def _unary(fn: Callable[[float], float]) -> Callable[[Value], float]:
    def apply(x: Value) -> float:
        return fn(_scalar(x))

    return apply


FUNCTIONS: dict[str, Callable[..., float]] = {
    "sigmoid": _sigmoid,
    "tanh": _unary(math.tanh),
    "relu": _relu,
    "leaky_relu": _leaky_relu,
    "step": _step,
    "dsigmoid": _dsigmoid,
    "dtanh": _dtanh,
    "drelu": _drelu,
    "exp": _unary(math.exp),
    "log": _unary(math.log),
    "log2": _unary(math.log2),
    "log10": _unary(math.log10),
    "sqrt": _unary(math.sqrt),
    "abs": _unary(abs),
    "min": _min,
    "max": _max,
    "sum": _sum,
    "mse": _mse,
    "mae": _mae,
    "bce": _bce,
    "ce": _ce,
    "softmax": _softmax,
}
CONSTANTS: dict[str, float] = {"pi": math.pi, "e": math.e}
KEYWORDS: dict[str, frozenset[str]] = {"leaky_relu": frozenset({"a"})}


def _power(base: float, exponent: float) -> float:
    if abs(exponent) > MAX_POWER:
        raise FormulaError("exponent too large")
    result = base**exponent
    if isinstance(result, complex):
        raise FormulaError("a negative number to a fractional power is not a real number")
    return float(result)


BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: _power,
}


def _eval(node: ast.AST) -> Value:
    if isinstance(node, ast.Constant):
        # bool is an int subclass; True + 1 is not a formula
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(f"unsupported constant {node.value!r}")
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise FormulaError(f"unknown name {node.id!r}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        operand = _scalar(_eval(node.operand))
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        left, right = _scalar(_eval(node.left)), _scalar(_eval(node.right))
        return BINARY[type(node.op)](left, right)
    if isinstance(node, ast.List):
        return [_scalar(_eval(item)) for item in node.elts]
    if isinstance(node, ast.Call):
        return _call(node)
    raise FormulaError(f"{type(node).__name__} is not allowed in a formula")


def _call(node: ast.Call) -> float:
    if not isinstance(node.func, ast.Name):
        raise FormulaError(f"{type(node.func).__name__} is not allowed in a formula")
    if node.func.id not in FUNCTIONS:
        raise FormulaError(f"unknown function {node.func.id!r}")
    name = node.func.id
    allowed = KEYWORDS.get(name, frozenset())
    kwargs: dict[str, Value] = {}
    for keyword in node.keywords:
        if keyword.arg not in allowed:
            raise FormulaError(f"{name}() takes no keyword {keyword.arg!r}")
        kwargs[keyword.arg] = _eval(keyword.value)
    args = []
    for arg in node.args:
        if isinstance(arg, ast.Starred):
            raise FormulaError("*arguments are not allowed")
        args.append(_eval(arg))
    try:
        return FUNCTIONS[name](*args, **kwargs)
    except TypeError as exc:  # wrong number of arguments
        raise FormulaError(f"{name}(): wrong arguments") from exc


def evaluate(text: str) -> float:
    """The value of the formula `text` as a finite float; raises FormulaError otherwise."""
    if not isinstance(text, str):
        raise FormulaError("a formula is text")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FormulaError(f"not a valid expression: {text!r}") from exc
    try:
        result = _scalar(_eval(tree.body))
    except FormulaError:
        raise
    except (ArithmeticError, ValueError, RecursionError) as exc:  # log(0), 1/0, exp(1000), ...
        raise FormulaError(f"undefined value: {exc}") from exc
    if not math.isfinite(result):
        raise FormulaError("the value is not a finite number")
    return result
