"""The backprop walkthrough: one example through a single neuron or a 2-2-1 network, with real numbers.

The forward pass and the chain rule are computed by hand in plain Python floats, exactly as a learner
would on paper; then PyTorch computes the same gradients with `loss.backward()`, and the two are
compared. One gradient-descent step w ← w − η·∂L/∂w follows, with the new loss.

Parameter names: the neuron has `w1, w2, b`. The 2-2-1 network has hidden weights `w11, w12` (hidden
unit 1, from x1 and x2), `w21, w22`, hidden biases `b1, b2`, output weights `v1, v2` and output bias `c`;
its hidden units use the chosen activation and its output unit a sigmoid. The options and their
defaults are in bot/training/spec.py (the front doors offer them); the lines' words in
content/strings/backprop.yaml.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.errors import InvalidRequest
from bot.i18n import say, tr
from bot.training.spec import (
    BACKPROP_ACTIVATIONS,
    BACKPROP_INPUTS,
    BACKPROP_LOSSES,
    BACKPROP_NETWORKS,
    BACKPROP_PARAMS,
    BACKPROP_WEIGHTS,
    LEAKY_SLOPE,
)

LIMIT = 100.0  # inputs and weights beyond this only teach overflow


# --- activations and their derivatives, in plain floats -------------------------------------------


def sigmoid(z: float) -> float:
    """σ(z) = 1 / (1 + e^−z), computed without overflow for large |z|."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def activate(name: str, z: float) -> float:
    """The activation `name` at z."""
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return math.tanh(z)
    if name == "relu":
        return z if z > 0 else 0.0
    return z if z > 0 else LEAKY_SLOPE * z


def derivative(name: str, z: float) -> float:
    """The activation's slope at z (at z = 0, the value PyTorch uses: 0 for ReLU, the slope for leaky)."""
    if name == "sigmoid":
        s = sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - math.tanh(z) ** 2
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    return 1.0 if z > 0 else LEAKY_SLOPE


DERIVATIVE_FORMULA: dict[str, str] = {
    "sigmoid": "σ(z)(1 − σ(z))",
    "tanh": "1 − tanh²(z)",
    "relu": "1 if z > 0 else 0",
    "leaky_relu": f"1 if z > 0 else {LEAKY_SLOPE}",
}


BCE_EPS = 1e-12  # torch.nn.functional.binary_cross_entropy's clamp of ŷ(1 − ŷ) in its gradient


def _saturated(y_hat: float) -> bool:
    """A sigmoid output so close to 0 or 1 that BCE's slope is no longer exact: PyTorch clamps
    ŷ(1 − ŷ) at BCE_EPS there, so a walkthrough by hand would disagree with autograd."""
    return y_hat * (1.0 - y_hat) < BCE_EPS


def loss_value(loss: str, y_hat: float, y: float) -> float:
    """The loss of one prediction: MSE (ŷ − y)² or BCE −[y·log ŷ + (1 − y)·log(1 − ŷ)]."""
    if loss == "mse":
        return (y_hat - y) ** 2
    if _saturated(y_hat):
        return math.inf  # a saturated sigmoid: log(0)
    return -(y * math.log(y_hat) + (1.0 - y) * math.log(1.0 - y_hat))


def loss_slope(loss: str, y_hat: float, y: float) -> float:
    """∂L/∂ŷ: 2(ŷ − y) for MSE, (ŷ − y) / (ŷ(1 − ŷ)) for BCE."""
    if loss == "mse":
        return 2.0 * (y_hat - y)
    if _saturated(y_hat):
        return math.inf
    return (y_hat - y) / (y_hat * (1.0 - y_hat))


LOSS_FORMULA = {
    "mse": ("(ŷ − y)²", "2(ŷ − y)"),
    "bce": ("−[y·log ŷ + (1−y)·log(1−ŷ)]", "(ŷ − y) / (ŷ(1 − ŷ))"),
}


# --- the result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One factor of a chain-rule product, e.g. ∂ŷ/∂z = 0.2350."""

    symbol: str
    value: float


@dataclass(frozen=True)
class ChainGrad:
    """∂L/∂param as the product of its chain-rule factors."""

    param: str
    terms: tuple[Term, ...]
    value: float


@dataclass
class Walkthrough:
    """Everything the walkthrough computed, as plain data."""

    network: str
    x: tuple[float, float]
    y: float
    activation: str
    loss: str
    lr: float
    weights: dict[str, float]
    forward: dict[str, float]
    chain: list[ChainGrad]
    manual_grads: dict[str, float]
    autograd_grads: dict[str, float] = field(default_factory=dict)
    new_weights: dict[str, float] = field(default_factory=dict)
    new_loss: float = math.nan

    @property
    def max_abs_diff(self) -> float:
        """Largest |by hand − autograd| over all parameters."""
        return max(abs(self.manual_grads[p] - self.autograd_grads[p]) for p in self.manual_grads)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `python -m bot backprop --json`."""
        return {
            "inputs": {
                "network": self.network,
                "x": list(self.x),
                "y": self.y,
                "weights": dict(self.weights),
                "activation": self.activation,
                "lr": self.lr,
            },
            "loss": self.loss,
            "forward": dict(self.forward),
            "chain": [asdict(c) for c in self.chain],
            "manual_grads": dict(self.manual_grads),
            "autograd_grads": dict(self.autograd_grads),
            "agreement": {"max_abs_diff": self.max_abs_diff},
            "update": {
                "rule": "w ← w − η·∂L/∂w",
                "lr": self.lr,
                "new_weights": dict(self.new_weights),
                "loss_before": self.forward["L"],
                "new_loss": self.new_loss,
            },
        }

    def lines(self, lang: str) -> list[str]:
        """The walkthrough as text lines in 'en' or 'hi' ('both' gives Hindi, then English)."""
        if lang == "both":
            return [*walkthrough_lines(self, "hi"), "", *walkthrough_lines(self, "en")]
        return walkthrough_lines(self, lang)


# --- forward and backward by hand ------------------------------------------------------------------


def _neuron_by_hand(x: Sequence[float], y: float, w: Mapping[str, float], act: str, loss: str) -> Walkthrough:
    z = w["w1"] * x[0] + w["w2"] * x[1] + w["b"]
    a = activate(act, z)
    forward = {"z": z, "a": a, "y_hat": a, "L": loss_value(loss, a, y)}
    dl_dy = loss_slope(loss, a, y)
    dy_dz = derivative(act, z)
    dz = {"w1": x[0], "w2": x[1], "b": 1.0}
    chain = [
        ChainGrad(
            p,
            (Term("∂L/∂ŷ", dl_dy), Term("∂ŷ/∂z", dy_dz), Term(f"∂z/∂{p}", dz[p])),
            dl_dy * dy_dz * dz[p],
        )
        for p in BACKPROP_PARAMS["neuron"]
    ]
    return Walkthrough(
        "neuron", (x[0], x[1]), y, act, loss, 0.0, dict(w), forward, chain, {c.param: c.value for c in chain}
    )


def _two_two_one_forward(x: Sequence[float], w: Mapping[str, float], act: str) -> dict[str, float]:
    z_h1 = w["w11"] * x[0] + w["w12"] * x[1] + w["b1"]
    z_h2 = w["w21"] * x[0] + w["w22"] * x[1] + w["b2"]
    h1, h2 = activate(act, z_h1), activate(act, z_h2)
    z = w["v1"] * h1 + w["v2"] * h2 + w["c"]
    return {"z_h1": z_h1, "z_h2": z_h2, "h1": h1, "h2": h2, "z": z, "a": sigmoid(z), "y_hat": sigmoid(z)}


def _two_two_one_by_hand(
    x: Sequence[float], y: float, w: Mapping[str, float], act: str, loss: str
) -> Walkthrough:
    f = _two_two_one_forward(x, w, act)
    f["L"] = loss_value(loss, f["y_hat"], y)
    dl_dy = loss_slope(loss, f["y_hat"], y)
    dy_dz = derivative("sigmoid", f["z"])
    head = (Term("∂L/∂ŷ", dl_dy), Term("∂ŷ/∂z", dy_dz))
    chain: list[ChainGrad] = []
    # output layer: z = v1·h1 + v2·h2 + c
    for p, dz in (("v1", f["h1"]), ("v2", f["h2"]), ("c", 1.0)):
        chain.append(ChainGrad(p, (*head, Term(f"∂z/∂{p}", dz)), dl_dy * dy_dz * dz))
    # hidden layer: the error reaches unit j through v_j, then through its activation
    for j in (1, 2):
        dz_dh = w[f"v{j}"]
        dh_dzh = derivative(act, f[f"z_h{j}"])
        for p, dzh in ((f"w{j}1", x[0]), (f"w{j}2", x[1]), (f"b{j}", 1.0)):
            terms = (
                *head,
                Term(f"∂z/∂h{j}", dz_dh),
                Term(f"∂h{j}/∂z_h{j}", dh_dzh),
                Term(f"∂z_h{j}/∂{p}", dzh),
            )
            chain.append(ChainGrad(p, terms, dl_dy * dy_dz * dz_dh * dh_dzh * dzh))
    order = BACKPROP_PARAMS["2-2-1"]
    chain.sort(key=lambda c: order.index(c.param))
    return Walkthrough(
        "2-2-1", (x[0], x[1]), y, act, loss, 0.0, dict(w), f, chain, {c.param: c.value for c in chain}
    )


def _loss_after(walk: Walkthrough, weights: Mapping[str, float]) -> float:
    if walk.network == "neuron":
        z = weights["w1"] * walk.x[0] + weights["w2"] * walk.x[1] + weights["b"]
        return loss_value(walk.loss, activate(walk.activation, z), walk.y)
    f = _two_two_one_forward(walk.x, weights, walk.activation)
    return loss_value(walk.loss, f["y_hat"], walk.y)


# --- the same gradients from autograd --------------------------------------------------------------


def autograd_gradients(walk: Walkthrough) -> dict[str, float]:
    """∂L/∂param from `loss.backward()` on the same network built with torch.nn, in float64."""
    import torch
    from torch import nn

    acts: dict[str, Callable[[], nn.Module]] = {
        "sigmoid": nn.Sigmoid,
        "tanh": nn.Tanh,
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(LEAKY_SLOPE),
    }

    def f64(values: Any) -> torch.Tensor:
        # float64 throughout: float32 would round the weights before autograd ever sees them
        return torch.tensor(values, dtype=torch.float64)

    w = walk.weights
    x = f64([list(walk.x)])
    target = f64([[walk.y]])
    if walk.network == "neuron":
        layer = nn.Linear(2, 1).double()
        model = nn.Sequential(layer, acts[walk.activation]())
        with torch.no_grad():
            layer.weight.copy_(f64([[w["w1"], w["w2"]]]))
            layer.bias.copy_(f64([w["b"]]))
        named = {"w1": (layer.weight, (0, 0)), "w2": (layer.weight, (0, 1)), "b": (layer.bias, (0,))}
    else:
        hidden, out = nn.Linear(2, 2).double(), nn.Linear(2, 1).double()
        model = nn.Sequential(hidden, acts[walk.activation](), out, nn.Sigmoid())
        with torch.no_grad():
            hidden.weight.copy_(f64([[w["w11"], w["w12"]], [w["w21"], w["w22"]]]))
            hidden.bias.copy_(f64([w["b1"], w["b2"]]))
            out.weight.copy_(f64([[w["v1"], w["v2"]]]))
            out.bias.copy_(f64([w["c"]]))
        named = {
            "w11": (hidden.weight, (0, 0)),
            "w12": (hidden.weight, (0, 1)),
            "w21": (hidden.weight, (1, 0)),
            "w22": (hidden.weight, (1, 1)),
            "b1": (hidden.bias, (0,)),
            "b2": (hidden.bias, (1,)),
            "v1": (out.weight, (0, 0)),
            "v2": (out.weight, (0, 1)),
            "c": (out.bias, (0,)),
        }
    y_hat = model(x)
    criterion = nn.MSELoss() if walk.loss == "mse" else nn.BCELoss()
    loss = criterion(y_hat, target)
    loss.backward()
    grads: dict[str, float] = {}
    for name, (param, index) in named.items():
        assert param.grad is not None  # backward() filled every leaf that reached the loss
        grads[name] = float(param.grad[index])
    return grads


# --- validation and the public entry point ---------------------------------------------------------


def _check_number(name: str, value: float, bound: float = LIMIT) -> float:
    value = float(value)
    if not math.isfinite(value) or abs(value) > bound:
        raise InvalidRequest("backprop_value_out_of_range", name=name, value=value, bound=bound)
    return value


def _check_choice(kind: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise InvalidRequest(f"backprop_unknown_{kind}", value=str(value)[:30], names=", ".join(allowed))
    return value


def walkthrough(
    network: str = "neuron",
    x: Sequence[float] | None = None,
    y: float = 1.0,
    weights: Mapping[str, float] | Sequence[float] | None = None,
    activation: str = "sigmoid",
    loss: str = "mse",
    lr: float = 0.5,
) -> Walkthrough:
    """Forward, chain rule by hand, autograd, agreement and one update step on one example."""
    _check_choice("network", network, BACKPROP_NETWORKS)
    _check_choice("activation", activation, BACKPROP_ACTIVATIONS)
    _check_choice("loss", loss, BACKPROP_LOSSES)
    names = BACKPROP_PARAMS[network]
    xs = [_check_number(f"x{i + 1}", v) for i, v in enumerate(BACKPROP_INPUTS[network] if x is None else x)]
    if len(xs) != 2:
        raise InvalidRequest("backprop_inputs")
    target = _check_number("y", y)
    if weights is None:
        weights = BACKPROP_WEIGHTS[network]
    if not isinstance(weights, Mapping):
        weights = dict(zip(names, weights, strict=False)) if len(weights) == len(names) else {}
    w = {p: _check_number(p, weights[p]) for p in names if p in weights}
    if set(w) != set(names):
        raise InvalidRequest("backprop_weights", network=network, count=len(names), order=", ".join(names))
    step = _check_number("η", lr, 10.0)
    if step <= 0:
        raise InvalidRequest("backprop_lr")
    bce_needs_probability = loss == "bce" and (
        not 0.0 <= target <= 1.0 or (network == "neuron" and activation != "sigmoid")
    )
    if bce_needs_probability:
        raise InvalidRequest("backprop_bce")
    by_hand = _neuron_by_hand if network == "neuron" else _two_two_one_by_hand
    walk = by_hand(xs, target, w, activation, loss)
    if not all(math.isfinite(v) for v in (*walk.forward.values(), *walk.manual_grads.values())):
        raise InvalidRequest("backprop_saturated")
    walk.lr = step
    walk.autograd_grads = autograd_gradients(walk)
    walk.new_weights = {p: w[p] - step * walk.manual_grads[p] for p in names}
    walk.new_loss = _loss_after(walk, walk.new_weights)
    return walk


# --- the walkthrough as text -----------------------------------------------------------------------


def _n(v: float) -> str:
    """A number for the walkthrough: 4 decimals, or scientific when tiny."""
    if v == 0:
        return "0.0000"  # also for −0.0, which a product with x = 0 produces
    if abs(v) < 1e-4:
        return f"{v:.2e}"
    return f"{v:.4f}"


def _p(v: float) -> str:
    """A number as a factor of a product: negatives in brackets."""
    return f"({_n(v)})" if _n(v).startswith("-") else _n(v)


def _forward_lines(walk: Walkthrough) -> list[str]:
    f, w, x = walk.forward, walk.weights, walk.x
    loss_formula = LOSS_FORMULA[walk.loss][0]
    if walk.network == "neuron":
        return [
            f"  z = w1·x1 + w2·x2 + b = {_p(w['w1'])}·{_p(x[0])} + {_p(w['w2'])}·{_p(x[1])} + {_p(w['b'])}"
            f" = {_n(f['z'])}",
            f"  ŷ = a = {walk.activation}(z) = {_n(f['a'])}",
            f"  L = {loss_formula} = {_n(f['L'])}",
        ]
    out = []
    for j in (1, 2):
        wj1, wj2, bj = w[f"w{j}1"], w[f"w{j}2"], w[f"b{j}"]
        out.append(
            f"  z_h{j} = w{j}1·x1 + w{j}2·x2 + b{j} = {_p(wj1)}·{_p(x[0])} + {_p(wj2)}·{_p(x[1])} + {_p(bj)}"
            f" = {_n(f[f'z_h{j}'])}"
        )
        out.append(f"  h{j} = {walk.activation}(z_h{j}) = {_n(f[f'h{j}'])}")
    out += [
        f"  z = v1·h1 + v2·h2 + c = {_p(w['v1'])}·{_p(f['h1'])} + {_p(w['v2'])}·{_p(f['h2'])} + {_p(w['c'])}"
        f" = {_n(f['z'])}",
        f"  ŷ = a = sigmoid(z) = {_n(f['y_hat'])}",
        f"  L = {loss_formula} = {_n(f['L'])}",
    ]
    return out


def _backward_lines(walk: Walkthrough) -> list[str]:
    out_act = walk.activation if walk.network == "neuron" else "sigmoid"
    f = walk.forward
    loss_slope_formula = LOSS_FORMULA[walk.loss][1]
    out = [
        f"  ∂L/∂ŷ = {loss_slope_formula} = {_n(loss_slope(walk.loss, f['y_hat'], walk.y))}",
        f"  ∂ŷ/∂z = {out_act}'(z) = {DERIVATIVE_FORMULA[out_act]} = {_n(derivative(out_act, f['z']))}",
    ]
    if walk.network == "2-2-1":
        for j in (1, 2):
            slope = derivative(walk.activation, f[f"z_h{j}"])
            out.append(f"  ∂h{j}/∂z_h{j} = {walk.activation}'(z_h{j}) = {_n(slope)}")
    for c in walk.chain:
        symbols = " · ".join(t.symbol for t in c.terms)
        values = " · ".join(_p(t.value) for t in c.terms)
        out.append(f"  ∂L/∂{c.param} = {symbols} = {values} = {_n(c.value)}")
    return out


def walkthrough_lines(walk: Walkthrough, lang: str) -> list[str]:
    """The walkthrough as text lines in 'en' or 'hi' (technical terms stay in English)."""
    lang = "hi" if lang == "hi" else "en"
    out_act = walk.activation if walk.network == "neuron" else "sigmoid"
    weights = ", ".join(f"{p} = {_n(v)}" for p, v in walk.weights.items())
    given = f"x1 = {_n(walk.x[0])}, x2 = {_n(walk.x[1])}, y = {_n(walk.y)}"
    # names and numbers, the same in both languages
    setting = (
        f"activation: {walk.activation} (output: {out_act}), loss: {walk.loss.upper()}, "
        f"learning rate η = {_n(walk.lr)}"
    )
    agreement = tr("backprop.agree_same") if walk.max_abs_diff < 1e-6 else tr("backprop.agree_differ")
    lines = [
        say("backprop.title", lang, network=tr(f"backprop.network_{walk.network.replace('-', '_')}")),
        say("backprop.given", lang, values=given),
        f"  {weights}",
        "  " + setting,
        "",
        say("backprop.forward", lang),
        *_forward_lines(walk),
        "",
        say("backprop.backward", lang),
        *_backward_lines(walk),
        "",
        say("backprop.autograd", lang),
        "  " + ", ".join(f"{p}.grad = {_n(v)}" for p, v in walk.autograd_grads.items()),
        say("backprop.agreement", lang, diff=f"{walk.max_abs_diff:.1e}", verdict=agreement),
        "",
        say("backprop.update", lang),
    ]
    for p in walk.weights:
        old, grad, new = walk.weights[p], walk.manual_grads[p], walk.new_weights[p]
        lines.append(f"  {p} = {_n(old)} − {_n(walk.lr)}·{_p(grad)} = {_n(new)}")
    old_loss = walk.forward["L"]
    verdict = "lower" if walk.new_loss < old_loss else "higher" if walk.new_loss > old_loss else "flat"
    new_loss = tr(f"backprop.new_loss_{verdict}")
    lines.append(say("backprop.new_loss", lang, new=_n(walk.new_loss), old=_n(old_loss), verdict=new_loss))
    return lines


def walkthrough_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """Walkthrough arguments from front-door options; a single number x, w, b means a one-input neuron.

    (The slash command asks for one x, one w and one b: x2 is then 0, so w2 contributes nothing.)
    """
    opts = dict(options)
    x, w, b = opts.pop("x", None), opts.pop("w", None), opts.pop("b", None)
    if isinstance(x, int | float):
        opts["x"] = (float(x), 0.0)
    elif x is not None:
        opts["x"] = x
    if (w is not None or b is not None) and opts.get("network", "neuron") == "neuron":
        weights = dict(BACKPROP_WEIGHTS["neuron"])
        weights.update({k: float(v) for k, v in (("w1", w), ("b", b)) if v is not None})
        opts["weights"] = weights
    return opts
