"""Every refusal of the training code reads its text from content/strings/error.yaml, in both languages."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import bot
from bot import i18n
from bot.errors import InvalidRequest
from bot.training.spec import CHOICES, make_spec

BOT = Path(bot.__file__).parent
SOURCES = sorted([*(BOT / "training").rglob("*.py"), *(BOT / "cli").rglob("*.py")])
# the codes an f-string builds, and every value it is built from
EXPANDED = {
    "unknown_{}": list(CHOICES),
    "bad_{}": ["hidden", "epochs", "seed", "lr"],
    "two_{}s": ["dataset", "activation", "loss", "model"],
    "backprop_unknown_{}": ["network", "activation", "loss"],
}
STRINGS = i18n.STRINGS_DIR


def _refusals() -> list[tuple[str, ast.Call, ast.Module]]:
    calls = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                "InvalidRequest",
                "TutorError",
            ):
                calls.append((f"{path.relative_to(BOT.parent)}:{node.lineno}", node, tree))
    return calls


def _assigned(tree: ast.Module, name: str) -> list[str]:
    """The string constants assigned to `name` (`code = "a" if … else "b"`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            values = (
                [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
            )
            found += [v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return found


def test_no_refusal_carries_its_text_in_the_code() -> None:
    refusals = _refusals()
    assert len(refusals) > 40
    positional = [where for where, call, _ in refusals if len(call.args) > 1]
    assert positional == [], "InvalidRequest(code, 'english', 'hindi') is the old form"


def test_every_code_without_its_own_text_has_one_in_error_yaml() -> None:
    keys = i18n.keys()
    for where, call, tree in _refusals():
        if any(keyword.arg == "text" for keyword in call.keywords):
            continue  # the text comes from another error.yaml key, read by tr() (checked by test_i18n)
        code = call.args[0]
        if isinstance(code, ast.Constant):
            assert f"error.{code.value}" in keys, where
        elif isinstance(code, ast.Name):
            codes = _assigned(tree, code.id)
            assert codes and all(f"error.{c}" in keys for c in codes), where
        else:
            assert isinstance(code, ast.JoinedStr), where
            shape = "".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in code.values)
            assert shape in EXPANDED, f"{where}: which codes does {shape!r} build?"
            for value in EXPANDED[shape]:
                assert f"error.{shape.format(value)}" in keys, where


@pytest.mark.parametrize(
    ("options", "hindi"),
    [
        ({"optimizer": "adamw9000"}, "क्या आपका मतलब adam था?"),
        ({"loss": "hinge"}, "'hinge' नाम का कोई loss function मुझे नहीं पता।"),
        ({"hidden": "64,64,64,64"}, "इस network में 12,737 parameters हैं; सीमा 10,000 है।"),
        ({"model": "mlp", "hidden": ""}, "mlp में कम से कम एक hidden layer चाहिए"),
    ],
)
def test_a_refusal_is_filled_in_each_language(options: dict[str, str], hindi: str) -> None:
    with pytest.raises(InvalidRequest) as caught:
        make_spec(**options)  # type: ignore[arg-type]
    assert hindi in caught.value.message_hi
    assert not re.search(r"[\u0900-\u097F]", caught.value.message_en)


def test_training_texts_never_send_the_learner_to_notes_they_do_not_have() -> None:
    for name in ("train", "picture", "backprop", "error"):
        text = (STRINGS / f"{name}.yaml").read_text(encoding="utf-8")
        said = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
        assert not [line for line in said if re.search(r"\bnotes\b", line, re.IGNORECASE)], name
