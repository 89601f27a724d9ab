"""scripts/setup-venv.sh installs once and again only when pyproject.toml or the extras change."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bot.paths import PROJECT_ROOT

FAKE_PYTHON = """#!/usr/bin/env bash
# stands in for .venv/bin/python: records each pip call instead of installing
echo "$*" >> "$(dirname "$0")/../../pip-calls"
"""


def _project(tmp_path: Path) -> Path:
    """A copy of the scripts and pyproject.toml with a fake virtual environment already in place."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(PROJECT_ROOT / "scripts" / "setup-venv.sh", tmp_path / "scripts")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    return tmp_path


def _setup(project: Path, *extras: str) -> list[str]:
    subprocess.run(["bash", str(project / "scripts" / "setup-venv.sh"), *extras], check=True)
    calls = project / "pip-calls"
    return calls.read_text(encoding="utf-8").splitlines() if calls.exists() else []


def test_a_second_start_installs_nothing(tmp_path: Path) -> None:
    project = _project(tmp_path)
    first = _setup(project)
    assert any("install -q -e ." in call for call in first)
    assert _setup(project) == first  # nothing changed: no pip call


def test_a_changed_pyproject_or_new_extras_install_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    once = len(_setup(project))
    with (project / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    twice = len(_setup(project))
    assert twice > once
    with_dev = _setup(project, "dev")
    assert len(with_dev) > twice and "install -q -e .[dev]" in with_dev[-1]
    assert len(_setup(project)) == len(with_dev)  # the dev install covers the plain one
