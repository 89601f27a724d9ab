"""Every code sample of the lessons and every code_output question runs and prints what it claims.

All snippets run in one subprocess that imports torch once (see _run_snippets.py); each gets a fresh
namespace, so the test stays fast and the test process itself never imports torch.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.paths import CONTENT_DIR

RUNNER = Path(__file__).parent / "_run_snippets.py"
GOOD = Path(__file__).parent / "fixtures" / "good"


def _read(path: Path) -> dict[str, Any]:
    """The file's data; a malformed file counts as empty here (test_real_content reports it)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def _snippets(content_dir: Path) -> dict[str, tuple[str, str]]:
    """id → (source, expected stdout) for every code sample and code_output question."""
    found: dict[str, tuple[str, str]] = {}
    for path in sorted((content_dir / "lessons").glob("*.yaml")):
        lesson = _read(path)
        for section in lesson.get("sections", []):
            code = section.get("code")
            if code:
                found[f"{lesson['id']}/{section['id']}"] = (code["source"], code["output"])
    for path in sorted((content_dir / "quizzes").glob("*.yaml")):
        bank = _read(path)
        for question in bank.get("questions", []):
            if question.get("kind") == "code_output":
                right = next(o for o in question["options"] if o["id"] == question["answer"])
                found[question["id"]] = (question["code"], right["text"])
    return found


def _run(snippets: dict[str, tuple[str, str]]) -> dict[str, dict[str, Any]]:
    payload = json.dumps([{"id": key, "source": source} for key, (source, _) in snippets.items()])
    done = subprocess.run(
        [sys.executable, str(RUNNER)], input=payload, capture_output=True, text=True, check=True, timeout=600
    )
    return {item["id"]: item for item in json.loads(done.stdout)}


SNIPPETS = _snippets(CONTENT_DIR)


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    return _run(SNIPPETS)


def test_content_has_code_to_run() -> None:
    lessons = {key.split("/")[0] for key in SNIPPETS if "/" in key}
    questions = [key for key in SNIPPETS if "/" not in key]
    assert len(lessons) == 7, sorted(lessons)
    assert len(questions) >= 6


@pytest.mark.parametrize("snippet_id", sorted(SNIPPETS))
def test_snippet_prints_exactly_its_recorded_output(
    snippet_id: str, results: dict[str, dict[str, Any]]
) -> None:
    _, expected = SNIPPETS[snippet_id]
    result = results[snippet_id]
    assert result["error"] is None, result["error"]
    assert result["stdout"].removesuffix("\n") == expected.removesuffix("\n")


def test_the_runner_reports_wrong_output_and_errors() -> None:
    """The check itself can fail: a wrong recorded output and a crashing snippet are both caught."""
    results = _run(
        {"ok": ("x = 1 + 1\nprint(x)", "2"), "boom": ("raise ValueError('x')", ""), "state": ("print(x)", "")}
    )
    assert results["ok"]["stdout"] == "2\n" and results["ok"]["error"] is None
    assert "ValueError" in results["boom"]["error"]
    assert "NameError" in results["state"]["error"]  # namespaces are fresh: nothing leaks between snippets


def test_fixture_snippets_run() -> None:
    snippets = _snippets(GOOD)
    results = _run(snippets)
    assert {key: results[key]["stdout"].removesuffix("\n") for key in snippets} == {
        key: expected for key, (_, expected) in snippets.items()
    }
