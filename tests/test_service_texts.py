"""The services (bot/db, bot/quiz, bot/progress) keep no learner-facing text of their own.

Every refusal they raise names a code whose text is `error.<code>` in content/strings/error.yaml, and
none of their modules contains Devanagari. (bot/quiz/grading.py is the content engineers' file: its
answer vocabulary is Devanagari on purpose.)
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from bot import i18n
from bot.paths import PROJECT_ROOT

PACKAGES = ("bot/db", "bot/quiz", "bot/progress")
VOCABULARIES = {"bot/quiz/grading.py", "bot/quiz/answer_words.py"}  # words answers are read with
ERRORS = {"TutorError", "NotFound", "InvalidRequest", "Unavailable"}
DEVANAGARI = re.compile("[\u0900-\u097f]")


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


def test_no_service_module_contains_devanagari() -> None:
    modules = _modules()
    assert len(modules) > 10
    assert [str(p) for p in modules if DEVANAGARI.search(p.read_text(encoding="utf-8"))] == []


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
