"""A replay code: a short, checked string that names one training run exactly (every spec field).

`replay_code(spec)` gives e.g. `01033_8_0.05_1000_0_k3fq` (dataset, model, activation, loss and optimizer
as one digit each; hidden widths; lr; epochs; seed; a checksum). `spec_of_replay(code)` gives the spec back
or refuses a mistyped, cut or changed code with `bad_replay_code`, never guessing what was meant.
A run on a learner's own points has no code (`no_replay_own_data`): a short code cannot carry the
points, and a code without them would replay something else.
"""

from __future__ import annotations

import base64
import hashlib
import re

from bot.errors import InvalidRequest
from bot.training.spec import ACTIVATIONS, DATASETS, LOSSES, MODELS, OPTIMIZERS, TrainSpec

_NAMES: tuple[tuple[str, ...], ...] = (tuple(DATASETS), MODELS, ACTIVATIONS, LOSSES, OPTIMIZERS)
MAX_CODE = 80  # longer text is not a code; refused before any parsing
_CHECK = 4  # checksum characters: a changed or mistyped code passes by chance 1 time in a million
_FIELDS = re.compile(
    r"(?P<names>[0-9]{5})_(?P<hidden>0|[0-9]{1,2}(?:x[0-9]{1,2}){0,3})_(?P<lr>[0-9.e+-]{1,24})"
    r"_(?P<epochs>[0-9]{1,4})_(?P<seed>[0-9]{1,10})_(?P<check>[a-z2-7]{4})"
)


def _checksum(body: str) -> str:
    digest = hashlib.sha256(body.encode("ascii")).digest()
    return base64.b32encode(digest).decode("ascii")[:_CHECK].lower()


def replay_code(spec: TrainSpec) -> str:
    """The replay code of `spec`: everything that fixes the run, with a checksum."""
    if spec.data is not None:
        raise InvalidRequest("no_replay_own_data")
    values = (spec.dataset, spec.model, spec.activation, spec.loss, spec.optimizer)
    names = "".join(str(choices.index(value)) for choices, value in zip(_NAMES, values, strict=True))
    hidden = "x".join(str(width) for width in spec.hidden) or "0"
    body = "_".join([names, hidden, repr(spec.lr), str(spec.epochs), str(spec.seed)])
    return f"{body}_{_checksum(body)}"


def spec_of_replay(code: str) -> TrainSpec:
    """The run a replay code names; InvalidRequest `bad_replay_code` for anything that is not one."""
    text = code.strip().strip("`").lower()
    found = _FIELDS.fullmatch(text) if len(text) <= MAX_CODE else None
    if found is None or found["check"] != _checksum(text.rsplit("_", 1)[0]):
        raise InvalidRequest("bad_replay_code", given=text[:30] or "''")
    try:
        names = [choices[int(digit)] for choices, digit in zip(_NAMES, found["names"], strict=True)]
        hidden = () if found["hidden"] == "0" else tuple(int(w) for w in found["hidden"].split("x"))
        dataset, model, activation, loss, optimizer = names
        return TrainSpec(
            dataset=dataset,
            model=model,
            hidden=hidden,
            activation=activation,
            loss=loss,
            lr=float(found["lr"]),
            epochs=int(found["epochs"]),
            seed=int(found["seed"]),
            optimizer=optimizer,
        )
    except (IndexError, ValueError, InvalidRequest):
        # a checksum that matches fields no run can have: made by hand, not by the tutor
        raise InvalidRequest("bad_replay_code", given=text[:30]) from None
