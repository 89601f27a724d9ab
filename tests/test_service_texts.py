"""The services (bot/db, bot/quiz, bot/progress) keep no learner-facing text of their own.

Every refusal they raise names a code whose text is `error.<code>` in content/strings/error.yaml (that
no module keeps Hindi words of its own is tests/test_i18n.py's business).
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot import i18n
from bot.paths import PROJECT_ROOT

PACKAGES = ("bot/db", "bot/quiz", "bot/progress")
VOCABULARIES = {"bot/quiz/grading.py", "bot/quiz/answer_words.py"}  # words answers are read with
ERRORS = {"TutorError", "NotFound", "InvalidRequest", "Unavailable"}


def _modules() -> list[Path]:
    found = [path for package in PACKAGES for path in sorted((PROJECT_ROOT / package).rglob("*.py"))]
    return [path for path in found if str(path.relative_to(PROJECT_ROOT)) not in VOCABULARIES]


def _refusals(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ERRORS
    ]


def test_every_refusal_reads_its_text_from_the_error_strings() -> None:
    calls = [(path, call) for path in _modules() for call in _refusals(path)]
    assert len(calls) >= 10
    keys = i18n.keys()
    for path, call in calls:
        where = f"{path.relative_to(PROJECT_ROOT)}:{call.lineno}"
        code = call.args[0]
        assert isinstance(code, ast.Constant) and isinstance(code.value, str), where
        assert len(call.args) == 1, f"{where}: texts belong in content/strings/error.yaml"
        assert f"error.{code.value}" in keys, f"{where}: no error.{code.value}"
