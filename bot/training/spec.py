"""What a learner may train: the spec, its limits, and refusals (texts in content/strings/error.yaml).

Imported by the main process, so it imports neither torch nor matplotlib. Every refusal of a training
request happens here, before anything reaches a worker. The backprop walkthrough's options (networks,
activations, losses, default weights) live here too, so the front doors offer them without importing
the worker side.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.errors import InvalidRequest
from bot.i18n import Bilingual, tr
from bot.training.custom_data import CustomData

# name -> (kind, number of classes); kind is "binary", "multiclass" or "regression"
DATASETS: dict[str, tuple[str, int]] = {
    "xor": ("binary", 2),
    "and": ("binary", 2),
    "or": ("binary", 2),
    "linear": ("regression", 0),  # the notes' y = 2x, with a little noise
    "circles": ("binary", 2),
    "moons": ("binary", 2),
    "spiral": ("multiclass", 3),
    "gauss": ("binary", 2),
}
# a learner's own points (custom_data.py), one name per kind so the helpers below need no data; never
# offered by name (not in CHOICES): a spec has one of these exactly when it carries `data`
CUSTOM_DATASETS: dict[str, tuple[str, int]] = {
    "custom": ("binary", 2),
    "custom3": ("multiclass", 3),
    "custom_xy": ("regression", 0),
}
_KINDS: dict[str, tuple[str, int]] = {**DATASETS, **CUSTOM_DATASETS}
MODELS: tuple[str, ...] = ("perceptron", "mlp")
ACTIVATIONS: tuple[str, ...] = ("sigmoid", "tanh", "relu", "leaky_relu")
LEAKY_SLOPE = 0.01  # leaky_relu's slope below 0 (torch.nn.LeakyReLU's default)
LOSSES: tuple[str, ...] = ("mse", "mae", "bce", "ce")
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "rmsprop", "adam")

# learning rates that train XOR to 100 % on seeds 0-9 within 1,000 epochs (tests/training check adam)
DEFAULT_LR: dict[str, float] = {"sgd": 0.5, "momentum": 0.1, "rmsprop": 0.01, "adam": 0.05}
# where a dataset needs another default: plain SGD at 0.5 overshoots the y = 2x line's MSE and diverges
# by epoch 5; 0.1 is its fastest stable rate (tests/training check every dataset × optimizer)
DATASET_LR: dict[str, dict[str, float]] = {"linear": {"sgd": 0.1}}
COMPARE_DEFAULT_LR = 0.05  # one rate for every optimizer, so the comparison is fair
DEFAULT_HIDDEN: tuple[int, ...] = (8,)  # width 4 fails XOR on some seeds; 8 converges on all ten
DEFAULT_EPOCHS = 1000

# limits that keep one request small enough for a shared bot
MIN_EPOCHS, MAX_EPOCHS = 1, 5000
MAX_WIDTH = 64
MAX_DEPTH = 4  # hidden layers
MAX_PARAMETERS = 10_000
MAX_LR = 10.0
MAX_SEED = 2**31 - 1
MAX_UNIT_PANELS = 16  # the hidden-units picture draws at most the first layer's first 16 units
SUGGEST_CUTOFF = 75  # fuzz.ratio for 'did you mean …?' ('circels' 86, 'mnist'/'moons' 60)

# words learners use for the same thing -> canonical name
ALIASES: dict[str, dict[str, str]] = {
    "dataset": {
        "circle": "circles",
        "moon": "moons",
        "spirals": "spiral",
        "gaussian": "gauss",
        "gaussians": "gauss",
        "blobs": "gauss",
        "blob": "gauss",
        "line": "linear",
        "regression": "linear",
        "y=2x": "linear",
    },
    "model": {"mlp": "mlp", "network": "mlp", "net": "mlp", "nn": "mlp", "single-layer": "perceptron"},
    "activation": {
        "leaky": "leaky_relu",
        "leakyrelu": "leaky_relu",
        "leaky-relu": "leaky_relu",
        "leaky relu": "leaky_relu",
        "lrelu": "leaky_relu",
        "logistic": "sigmoid",
    },
    "loss": {
        "l2": "mse",
        "l1": "mae",
        "bce_loss": "bce",
        "binary_cross_entropy": "bce",
        "cross_entropy": "ce",
        "crossentropy": "ce",
        "cross-entropy": "ce",
    },
    "optimizer": {"gd": "sgd", "sgdm": "momentum", "sgd_momentum": "momentum", "rms": "rmsprop"},
}
CHOICES: dict[str, Sequence[str]] = {
    "dataset": tuple(DATASETS),
    "model": MODELS,
    "activation": ACTIVATIONS,
    "loss": LOSSES,
    "optimizer": OPTIMIZERS,
}

# the backprop walkthrough: one example through a single neuron or a 2-2-1 network (worker/backprop.py)
BACKPROP_NETWORKS: tuple[str, ...] = ("neuron", "2-2-1")
BACKPROP_ACTIVATIONS: tuple[str, ...] = ACTIVATIONS
BACKPROP_LOSSES: tuple[str, ...] = ("mse", "bce")
# the neuron has w1, w2, b; the 2-2-1 network hidden weights w11, w12 (unit 1, from x1 and x2), w21, w22,
# hidden biases b1, b2, output weights v1, v2 and output bias c
BACKPROP_PARAMS: dict[str, tuple[str, ...]] = {
    "neuron": ("w1", "w2", "b"),
    "2-2-1": ("w11", "w12", "w21", "w22", "b1", "b2", "v1", "v2", "c"),
}
BACKPROP_WEIGHTS: dict[str, dict[str, float]] = {
    "neuron": {"w1": 0.4, "w2": -0.6, "b": 0.1},
    "2-2-1": {
        "w11": 0.5,
        "w12": -0.4,
        "w21": 0.3,
        "w22": 0.8,
        "b1": 0.1,
        "b2": -0.1,
        "v1": 0.7,
        "v2": -0.5,
        "c": 0.2,
    },
}
BACKPROP_INPUTS: dict[str, tuple[float, float]] = {"neuron": (1.0, 0.5), "2-2-1": (1.0, 0.0)}


def _shown(value: object) -> str:
    """User text quoted back, cut short so a refusal never echoes a wall of text."""
    text = str(value).replace("`", "'")
    return text if len(text) <= 30 else text[:29] + "…"


def closest_name(kind: str, value: str) -> str | None:
    """The valid `kind` name `value` is genuinely close to ('adamw9000' -> 'adam'), or None ('mnist')."""
    word = value.lower()
    choices = list(CHOICES[kind])
    # a variant of a name we offer: adamw9000, relu6, sgdr
    for name in sorted(choices, key=len, reverse=True):
        if len(name) >= 3 and word.startswith(name):
            return name
    if len(word) < 3:
        return None
    # one slip (a swapped, missing, extra or wrong letter: 'sdg', 'circels') or a near spelling; a
    # looser cutoff offered 'moons' for 'mnist', which only shares letters. Plain ratio, not WRatio:
    # partial matching would suggest 'or' for 'xorr'.
    slips = [name for name in choices if len(name) >= 3 and OSA.distance(word, name) <= 1]
    if slips:
        return slips[0]
    found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
    return None if found is None else str(found[0])


def normalize_name(kind: str, value: str) -> str:
    """The canonical `kind` name for `value`, or InvalidRequest `unknown_<kind>` with a suggestion."""
    word = str(value).strip().lower().replace(" ", "_")
    if word in CHOICES[kind]:
        return word
    aliases = ALIASES.get(kind, {})
    for candidate in (word, word.replace("_", " "), word.replace("_", "-"), word.replace("_", "")):
        if candidate in aliases:
            return aliases[candidate]
    guess = closest_name(kind, word) if word else None
    raise InvalidRequest(
        f"unknown_{kind}",
        value=_shown(value),
        hint=did_you_mean(guess),
        allowed=", ".join(CHOICES[kind]),
        suggestion=guess,
    )


def did_you_mean(guess: str | None) -> Bilingual:
    """' Did you mean adam?' in both languages, or nothing when there is no good guess."""
    return tr("error.did_you_mean", guess=guess) if guess else Bilingual.same("")


def default_lr(optimizer: str, dataset: str = "xor") -> float:
    """The learning rate `optimizer` gets on `dataset` when the learner names none."""
    return DATASET_LR.get(dataset, {}).get(optimizer, DEFAULT_LR[optimizer])


def custom_dataset(data: CustomData) -> str:
    """The dataset name of a learner's own points: 'custom', 'custom3' (three classes) or 'custom_xy'."""
    return next(name for name, (kind, _) in CUSTOM_DATASETS.items() if kind == data.task)


def default_loss(dataset: str) -> str:
    """The loss a task is normally trained with: bce for two classes, ce for more, mse for regression."""
    kind, _ = _KINDS[dataset]
    return {"binary": "bce", "multiclass": "ce", "regression": "mse"}[kind]


def allowed_losses(dataset: str) -> tuple[str, ...]:
    """Losses that make sense for `dataset`."""
    kind, _ = _KINDS[dataset]
    return {"binary": ("bce", "ce", "mse", "mae"), "multiclass": ("ce",), "regression": ("mse", "mae")}[kind]


def n_inputs(dataset: str) -> int:
    """Input features: 1 for the regression line, 2 for every classification set."""
    return 1 if _KINDS[dataset][0] == "regression" else 2


def n_outputs(dataset: str, loss: str) -> int:
    """Output units: one logit (bce/mse/mae) or one per class (ce)."""
    kind, classes = _KINDS[dataset]
    return classes if loss == "ce" and kind != "regression" else 1


def count_parameters(dataset: str, hidden: Sequence[int], loss: str) -> int:
    """Weights and biases of the network, counted without building it."""
    sizes = [n_inputs(dataset), *hidden, n_outputs(dataset, loss)]
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


@dataclass(frozen=True)
class _Common:
    """Fields shared by a training run and a comparison; validated on construction."""

    dataset: str  # which toy problem (see DATASETS)
    model: str  # "perceptron" (no hidden layer) or "mlp"
    hidden: tuple[int, ...]  # widths of the hidden layers; () for a perceptron
    activation: str  # non-linearity after each hidden layer
    loss: str  # what the optimizer minimises
    lr: float  # learning rate η
    epochs: int  # full passes over the training set
    seed: int  # fixes the data, the initial weights, everything
    # a learner's own points (dataset is then custom_dataset(data)); hashable plain data, None otherwise
    data: CustomData | None = dataclasses.field(default=None, kw_only=True)

    def _validate_common(self) -> None:
        # accept a list for convenience; store a tuple so the spec stays hashable
        object.__setattr__(self, "hidden", tuple(int(h) for h in self.hidden))
        if self.data is not None:
            if self.dataset != custom_dataset(self.data):
                raise InvalidRequest("data_and_dataset", dataset=_shown(self.dataset))
        elif self.dataset in CUSTOM_DATASETS:
            raise InvalidRequest("data_missing", dataset=self.dataset)
        for kind in ("dataset", "model", "activation", "loss"):
            if kind == "dataset" and self.data is not None:
                continue
            if getattr(self, kind) not in CHOICES[kind]:
                normalize_name(kind, getattr(self, kind))  # raises with a suggestion
        if self.model == "perceptron" and self.hidden:
            raise InvalidRequest("perceptron_has_no_hidden")
        if self.model == "mlp" and not self.hidden:
            raise InvalidRequest("nothing_to_train", text=tr("error.mlp_needs_hidden"))
        if len(self.hidden) > MAX_DEPTH:
            raise InvalidRequest("too_deep", max=MAX_DEPTH, asked=len(self.hidden))
        for width in self.hidden:
            if not 1 <= width <= MAX_WIDTH:
                code = "too_wide" if width > MAX_WIDTH else "too_narrow"
                raise InvalidRequest(code, max=MAX_WIDTH, asked=width)
        allowed = allowed_losses(self.dataset)
        if self.loss not in allowed:
            raise InvalidRequest(
                "loss_mismatch",
                loss=self.loss,
                dataset=self.dataset,
                kind=_KINDS[self.dataset][0],
                allowed=", ".join(allowed),
            )
        params = count_parameters(self.dataset, self.hidden, self.loss)
        if params > MAX_PARAMETERS:
            raise InvalidRequest("too_many_parameters", params=params, max=MAX_PARAMETERS)
        if not (math.isfinite(self.lr) and 0.0 < self.lr <= MAX_LR):
            raise InvalidRequest("lr_out_of_range", span=f"(0, {MAX_LR:g}]", value=_shown(self.lr))
        if not MIN_EPOCHS <= self.epochs <= MAX_EPOCHS:
            code = "too_many_epochs" if self.epochs > MAX_EPOCHS else "too_few_epochs"
            raise InvalidRequest(code, min=MIN_EPOCHS, max=MAX_EPOCHS, asked=self.epochs)
        if not 0 <= self.seed <= MAX_SEED:
            raise InvalidRequest("seed_out_of_range", max=MAX_SEED, asked=self.seed)

    @property
    def task(self) -> str:
        """'binary', 'multiclass' or 'regression'."""
        return _KINDS[self.dataset][0]

    @property
    def n_parameters(self) -> int:
        """Weights and biases of the network."""
        return count_parameters(self.dataset, self.hidden, self.loss)

    def _common_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "model": self.model,
            "hidden": list(self.hidden),
            "activation": self.activation,
            "loss": self.loss,
        }

    def _data_dict(self) -> dict[str, Any]:
        # only a run on a learner's own points has the key: built-in specs keep the contract's keys
        return {} if self.data is None else {"data": self.data.to_dict()}


@dataclass(frozen=True)
class TrainSpec(_Common):
    """One training run: everything needed to reproduce it exactly."""

    optimizer: str  # sgd, momentum, rmsprop or adam

    def __post_init__(self) -> None:
        self._validate_common()
        if self.optimizer not in OPTIMIZERS:
            normalize_name("optimizer", self.optimizer)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the CLI JSON contract's key order."""
        return {
            **self._common_dict(),
            "optimizer": self.optimizer,
            "lr": self.lr,
            "epochs": self.epochs,
            "seed": self.seed,
            **self._data_dict(),
        }

    def replace(self, **changes: Any) -> TrainSpec:
        """A copy with `changes`, validated again."""
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """A one-line summary such as 'mlp 2-8-1 tanh on xor, adam lr=0.05, bce, 1000 epochs, seed 0'."""
        return f"{_describe_net(self)}, {self.optimizer} lr={self.lr:g}, {self.loss}, {_tail(self)}"


def longer_run(spec: TrainSpec, more: int) -> TrainSpec:
    """`spec` trained `more` epochs further; refused unless `more` ≥ 1 and the total is within limits."""
    if more < MIN_EPOCHS:
        raise InvalidRequest("too_few_epochs", min=MIN_EPOCHS, max=MAX_EPOCHS, asked=more)
    return spec.replace(epochs=spec.epochs + more)


@dataclass(frozen=True)
class CompareSpec(_Common):
    """Several optimizers trained from the same initial weights on the same data."""

    optimizers: tuple[str, ...]  # two or more distinct optimizer names

    def __post_init__(self) -> None:
        self._validate_common()
        for name in self.optimizers:
            if name not in OPTIMIZERS:
                normalize_name("optimizer", name)
        if len(self.optimizers) < 2 or len(set(self.optimizers)) != len(self.optimizers):
            raise InvalidRequest("need_two_optimizers", allowed=", ".join(OPTIMIZERS))

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the CLI JSON contract's key order (with `optimizers`)."""
        return {
            **self._common_dict(),
            "optimizers": list(self.optimizers),
            "lr": self.lr,
            "epochs": self.epochs,
            "seed": self.seed,
            **self._data_dict(),
        }

    def train_spec(self, optimizer: str) -> TrainSpec:
        """The single run of this comparison that uses `optimizer`."""
        return TrainSpec(
            dataset=self.dataset,
            model=self.model,
            hidden=self.hidden,
            activation=self.activation,
            loss=self.loss,
            lr=self.lr,
            epochs=self.epochs,
            seed=self.seed,
            optimizer=optimizer,
            data=self.data,
        )

    def replace(self, **changes: Any) -> CompareSpec:
        """A copy with `changes`, validated again."""
        return dataclasses.replace(self, **changes)

    def describe(self) -> str:
        """A one-line summary of the comparison."""
        names = " vs ".join(self.optimizers)
        return f"{_describe_net(self)}, {names} lr={self.lr:g}, {self.loss}, {_tail(self)}"


# what "compare …" may vary besides the optimizer: one setting, everything else (data, seed…) the same
VARY_FIELDS: tuple[str, ...] = ("activation", "hidden", "lr")
MAX_VARY_VALUES = 5


@dataclass(frozen=True)
class VarySpec:
    """One setting (activation, hidden widths or lr) compared at several values on the same data and seed.

    `base` is the first value's run; every run is `base` with `vary` set to one of `values`.
    """

    base: TrainSpec
    vary: str  # one of VARY_FIELDS
    values: tuple[Any, ...]  # activation names, hidden-width tuples or learning rates, in the order asked

    def __post_init__(self) -> None:
        if self.vary not in VARY_FIELDS:
            raise ValueError(f"cannot vary {self.vary!r}; one of {VARY_FIELDS}")
        if self.vary == "activation":
            values: tuple[Any, ...] = tuple(normalize_name("activation", v) for v in self.values)
        elif self.vary == "hidden":
            values = tuple(tuple(int(h) for h in v) for v in self.values)
        else:
            values = tuple(float(v) for v in self.values)
        values = tuple(dict.fromkeys(values))  # the first mention of each, in the order given
        if len(values) < 2:
            raise InvalidRequest("vary_needs_two", setting=self.vary)
        if len(values) > MAX_VARY_VALUES:
            raise InvalidRequest("vary_too_many", setting=self.vary, max=MAX_VARY_VALUES, asked=len(values))
        object.__setattr__(self, "values", values)
        for value in values:
            self.run_spec(value)  # each run validated: a width of 99 or an lr of 50 is refused here
        if self.base.model == "perceptron" and self.vary == "activation":
            raise InvalidRequest("perceptron_has_no_hidden")

    def run_spec(self, value: Any) -> TrainSpec:
        """The single run of this comparison that uses `value`."""
        if self.vary == "hidden":
            return self.base.replace(hidden=tuple(value), model="mlp")
        return self.base.replace(**{self.vary: value})

    def run_specs(self) -> tuple[TrainSpec, ...]:
        """Every run, in the order of `values`."""
        return tuple(self.run_spec(value) for value in self.values)

    def shown_value(self, value: Any) -> Any:
        """A value as plain JSON data (hidden widths as a list)."""
        return list(value) if self.vary == "hidden" else value

    def value_label(self, value: Any) -> str:
        """A value as a learner reads it: 'relu', '2-8' (hidden widths) or '0.01'."""
        if self.vary == "hidden":
            return "-".join(str(h) for h in value)
        return f"{value:g}" if self.vary == "lr" else str(value)

    def to_dict(self) -> dict[str, Any]:
        """The first run's spec plus `vary` and `values` (the CLI JSON contract)."""
        return {
            **self.base.to_dict(),
            "vary": self.vary,
            "values": [self.shown_value(v) for v in self.values],
        }

    @property
    def dataset(self) -> str:
        """The dataset every run trains on."""
        return self.base.dataset

    @property
    def epochs(self) -> int:
        """Epochs of every run."""
        return self.base.epochs

    def describe(self) -> str:
        """A one-line summary such as 'xor, adam lr=0.05, bce, 1000 epochs, seed 0: relu vs tanh'."""
        names = " vs ".join(self.value_label(v) for v in self.values)
        fixed = [f"{self.base.optimizer}" + ("" if self.vary == "lr" else f" lr={self.base.lr:g}")]
        if self.vary != "activation" and self.base.hidden:
            fixed.append(self.base.activation)
        if self.vary != "hidden":
            fixed.append("hidden " + ("-".join(map(str, self.base.hidden)) or "0"))
        return (
            f"{self.vary} {names} on {self.dataset}, {', '.join(fixed)}, {self.base.loss}, {_tail(self.base)}"
        )


def vary_spec_from_dict(data: Mapping[str, Any]) -> VarySpec:
    """Rebuild a VarySpec from its `to_dict()`."""
    base = spec_from_dict({k: v for k, v in data.items() if k not in ("vary", "values")})
    if not isinstance(base, TrainSpec):
        raise TypeError("a VarySpec's base is a TrainSpec dict (with 'optimizer')")
    return VarySpec(base=base, vary=str(data["vary"]), values=tuple(data["values"]))


def make_vary_spec(vary: str, values: Sequence[Any], **settings: Any) -> VarySpec:
    """A validated VarySpec: `settings` as for `make_spec`, the varied one taken from `values`."""
    if vary == "hidden":
        parsed = [parse_hidden(v) for v in values]
        chosen: list[Any] = [v for v in parsed if v is not None]
        if any(not v for v in chosen):
            raise InvalidRequest("too_narrow", max=MAX_WIDTH, asked=0)
        settings = {**settings, "hidden": list(chosen[0])}
    elif vary == "lr":
        chosen = [_as_float("lr", v) for v in values]
        settings = {**settings, "lr": chosen[0]}
    else:
        chosen = [normalize_name("activation", v) for v in values]
        settings = {**settings, "activation": chosen[0]}
    return VarySpec(base=make_spec(**settings), vary=vary, values=tuple(chosen))


def _describe_net(spec: _Common) -> str:
    sizes = [n_inputs(spec.dataset), *spec.hidden, n_outputs(spec.dataset, spec.loss)]
    shape = "-".join(str(s) for s in sizes)
    act = f" {spec.activation}" if spec.hidden else ""
    own = "" if spec.data is None else f" ({spec.data.describe()})"
    return f"{spec.model} {shape}{act} on {spec.dataset}{own}"


def _tail(spec: _Common) -> str:
    return f"{spec.epochs} epochs, seed {spec.seed}"


def _as_int(name: str, value: Any) -> int:
    try:
        number = float(value)
        if not math.isfinite(number) or number != int(number):
            raise ValueError(value)
        return int(number)
    except (TypeError, ValueError, OverflowError):
        raise InvalidRequest(f"bad_{name}", value=_shown(value)) from None


def _as_float(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidRequest(f"bad_{name}", value=_shown(value)) from None


def parse_hidden(value: str | float | Iterable[int | str] | None) -> tuple[int, ...] | None:
    """Hidden widths from '8,8', '16', 16, 16.0 or [16, 16]; None stays None (use the default); a width
    that is not a whole number (8.5, 'eight') is refused."""
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = value.replace("[", " ").replace("]", " ").replace("x", ",").replace(";", ",")
        items: list[Any] = [part for part in cleaned.replace(" ", ",").split(",") if part.strip()]
        if not items:
            return ()
    elif isinstance(value, Iterable):
        items = list(value)
    else:  # one number (an int, or a float that must be whole) or anything else: `_as_int` decides
        items = [value]
    if len(items) > MAX_DEPTH:
        raise InvalidRequest("too_deep", max=MAX_DEPTH, asked=len(items))
    return tuple(_as_int("hidden", item) for item in items)


def make_spec(
    dataset: str = "xor",
    optimizer: str = "adam",
    *,
    model: str | None = None,
    hidden: str | int | Iterable[int | str] | None = None,
    activation: str = "tanh",
    loss: str | None = None,
    lr: float | str | None = None,
    epochs: int | str = DEFAULT_EPOCHS,
    seed: int | str = 0,
    data: CustomData | None = None,
) -> TrainSpec:
    """A validated TrainSpec; names may be aliases or typos-with-suggestions, None means the default.

    With `data` (a learner's own points) the dataset is theirs and `dataset` is not read."""
    common = _resolve_common(dataset, model, hidden, activation, loss, epochs, seed, data)
    opt = normalize_name("optimizer", optimizer)
    rate = default_lr(opt, common["dataset"]) if lr is None else _as_float("lr", lr)
    return TrainSpec(optimizer=opt, lr=rate, **common)


def make_compare_spec(
    dataset: str = "xor",
    optimizers: Sequence[str] | None = None,
    *,
    model: str | None = None,
    hidden: str | int | Iterable[int | str] | None = None,
    activation: str = "tanh",
    loss: str | None = None,
    lr: float | str | None = None,
    epochs: int | str = DEFAULT_EPOCHS,
    seed: int | str = 0,
    data: CustomData | None = None,
) -> CompareSpec:
    """A validated CompareSpec; `optimizers=None` compares all four (`data` as for `make_spec`)."""
    common = _resolve_common(dataset, model, hidden, activation, loss, epochs, seed, data)
    names = OPTIMIZERS if optimizers is None else tuple(normalize_name("optimizer", o) for o in optimizers)
    # keep the first mention of each, in the order given
    unique = tuple(dict.fromkeys(names))
    rate = COMPARE_DEFAULT_LR if lr is None else _as_float("lr", lr)
    return CompareSpec(optimizers=unique, lr=rate, **common)


def _resolve_common(
    dataset: str,
    model: str | None,
    hidden: str | int | Iterable[int | str] | None,
    activation: str,
    loss: str | None,
    epochs: int | str,
    seed: int | str,
    own: CustomData | None = None,
) -> dict[str, Any]:
    data = normalize_name("dataset", dataset) if own is None else custom_dataset(own)
    widths = parse_hidden(hidden)
    if model is None:
        kind = "mlp" if widths is None or widths else "perceptron"
    else:
        kind = "perceptron" if str(model).strip().lower() == "perceptron" else normalize_name("model", model)
    if widths is None:
        widths = () if kind == "perceptron" else DEFAULT_HIDDEN
    return {
        "dataset": data,
        "model": kind,
        "hidden": widths,
        "activation": normalize_name("activation", activation),
        "loss": default_loss(data) if loss is None else normalize_name("loss", loss),
        "epochs": _as_int("epochs", epochs),
        "seed": _as_int("seed", seed),
        "data": own,
    }


def spec_from_options(options: Mapping[str, Any], data: CustomData | None = None) -> TrainSpec | CompareSpec:
    """A spec from slash-command options as Discord gives them (strings and numbers; None when omitted).

    Keys: dataset, optimizer, optimizers ('sgd,adam' or 'all'), model, hidden ('8,8'), activation,
    loss, lr, epochs, seed. With `optimizers` the result is a CompareSpec. With `data` (a CSV the
    learner attached) the run is on those points, and naming a dataset as well is refused.
    """
    given = {k: v for k, v in options.items() if v is not None and v != ""}
    unknown = sorted(set(given) - _OPTION_KEYS)
    if unknown:
        raise InvalidRequest("unknown_option", names=_shown(", ".join(unknown)))
    if data is not None and "dataset" in given:
        raise InvalidRequest("data_and_dataset", dataset=_shown(given["dataset"]))
    common: dict[str, Any] = {k: given[k] for k in ("model", "hidden", "loss", "lr") if k in given}
    common["data"] = data
    for key, default in (("dataset", "xor"), ("activation", "tanh"), ("epochs", DEFAULT_EPOCHS), ("seed", 0)):
        common[key] = given.get(key, default)
    if "optimizers" in given:
        raw = str(given["optimizers"]).strip().lower()
        names = None if raw in ("all", "*") else [p for p in raw.replace(" ", ",").split(",") if p]
        return make_compare_spec(optimizers=names, **common)
    return make_spec(optimizer=str(given.get("optimizer", "adam")), **common)


_OPTION_KEYS = {
    "dataset",
    "optimizer",
    "optimizers",
    "model",
    "hidden",
    "activation",
    "loss",
    "lr",
    "epochs",
    "seed",
}


def spec_from_dict(data: Mapping[str, Any]) -> TrainSpec | CompareSpec:
    """Rebuild a spec from its `to_dict()` (workers receive specs as plain data)."""
    common = {
        "dataset": data["dataset"],
        "model": data["model"],
        "hidden": tuple(int(h) for h in data["hidden"]),
        "activation": data["activation"],
        "loss": data["loss"],
        "lr": float(data["lr"]),
        "epochs": int(data["epochs"]),
        "seed": int(data["seed"]),
        "data": None if data.get("data") is None else CustomData.from_dict(data["data"]),
    }
    if "optimizers" in data:
        return CompareSpec(optimizers=tuple(data["optimizers"]), **common)
    return TrainSpec(optimizer=data["optimizer"], **common)


def check_shows_units(spec: TrainSpec) -> None:
    """Refuse a hidden-units picture where there is none to draw: a dataset that is not 2-D
    classification (`units_need_2d_classes`), or a perceptron (`units_need_hidden`)."""
    if spec.task == "regression" or n_inputs(spec.dataset) != 2:
        raise InvalidRequest("units_need_2d_classes", dataset=spec.dataset)
    if spec.model == "perceptron" or not spec.hidden:
        raise InvalidRequest("units_need_hidden")
