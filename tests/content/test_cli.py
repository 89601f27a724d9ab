"""`python -m bot content check`: problems as file:line lines and exit 1, or counts and exit 0."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import content_check
from bot.paths import PROJECT_ROOT

from .conftest import BROKEN, GOOD


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    content_check.add_arguments(parser)
    return content_check.run(parser.parse_args(list(argv)))


def test_good_content_prints_counts_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--dir", str(GOOD)) == 0
    out = capsys.readouterr().out
    assert "lessons: 2\n" in out
    assert "  1. neuron: 5 quiz questions (code_output, free_text, mcq, numeric, true_false)\n" in out
    assert "quiz questions: 6\n" in out
    assert "choice questions: 2, 0 with four options (0%); right letters: a 1, b 1, c 0, d 0\n" in out
    assert "duplicate questions: 0\n" in out
    assert "practice questions: 2\n" in out
    assert "glossary terms: 3\n" in out
    assert "figure references: 1\n" in out


def test_broken_content_prints_file_line_and_exits_1(
    capsys: pytest.CaptureFixture[str], content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BROKEN / "mcq_answer_not_an_option", content_copy, dirs_exist_ok=True)
    shutil.copytree(BROKEN / "unknown_figure", content_copy, dirs_exist_ok=True)
    monkeypatch.chdir(content_copy.parent)
    assert _run("--dir", "content") == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "content/lessons/01_neuron.yaml:22: unknown figure 'neuron-picture' (known: activations, "
        "loss-functions, lr-sweep, mlp-diagram, mlp-xor, neuron-comparison, neuron-diagram, optimizers, "
        "perceptron-diagram, "
        "perceptron-xor, training-loop)",
        "content/quizzes/perceptron.yaml:11: questions[0].answer: "
        "answer 'c' is not among the options ['a', 'b']",
    ]
    assert "2 problem(s) found" in captured.err


def test_the_real_content_checks_clean_through_python_m_bot() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "lessons: 7" in lines
    assert "duplicate questions: 0" in lines
    counts = {
        line.split(": ")[0]: int(line.split(": ")[1])
        for line in lines
        if line.startswith(("quiz", "pr", "gl"))
    }
    assert counts["quiz questions"] >= 90
    assert counts["practice questions"] >= 30
    assert counts["glossary terms"] >= 30
    concepts = next(line for line in lines if line.startswith("concepts: "))
    assert int(concepts.split()[1]) >= 15 and "comparisons" in concepts and "why-questions" in concepts


def test_python_m_bot_reports_broken_content_with_exit_1(content_copy: Path) -> None:
    shutil.copytree(BROKEN / "quiz_for_missing_lesson", content_copy, dirs_exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", "--dir", str(content_copy)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    path = (content_copy / "quizzes" / "attention.yaml").resolve()
    assert done.stdout == f"{path}:1: quiz bank for lesson 'attention', which does not exist\n"
