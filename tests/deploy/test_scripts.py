"""scripts/setup-venv.sh installs once, at the versions of requirements.lock, and again only when
pyproject.toml, the lock or the extras change; the lock pins everything the project needs (issue 16)."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.paths import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"

FAKE_PYTHON = """#!/usr/bin/env bash
# stands in for .venv/bin/python: records each pip call instead of installing
echo "$*" >> "$(dirname "$0")/../../pip-calls"
"""


def _project(tmp_path: Path) -> Path:
    """A copy of the scripts and pyproject.toml with a fake virtual environment already in place."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(PROJECT_ROOT / "scripts" / "setup-venv.sh", tmp_path / "scripts")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path)
    shutil.copy(LOCK, tmp_path)
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
    assert any("install -q -c requirements.lock -e ." in call for call in first)
    assert _setup(project) == first  # nothing changed: no pip call


def test_the_installer_itself_is_pinned(tmp_path: Path) -> None:
    calls = _setup(_project(tmp_path))
    installs_pip = [call for call in calls if re.search(r"install .*\bpip\b", call)]
    assert installs_pip and all(re.search(r"pip==\d+(\.\d+)+", call) for call in installs_pip), calls
    assert not any("--upgrade" in call for call in calls)


def test_a_changed_pyproject_or_new_extras_install_again(tmp_path: Path) -> None:
    project = _project(tmp_path)
    once = len(_setup(project))
    with (project / "pyproject.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    twice = len(_setup(project))
    assert twice > once
    with_dev = _setup(project, "dev")
    assert len(with_dev) > twice and "install -q -c requirements.lock -e .[dev]" in with_dev[-1]
    assert len(_setup(project)) == len(with_dev)  # the dev install covers the plain one


def test_every_install_uses_the_lock(tmp_path: Path) -> None:
    project = _project(tmp_path)
    installs = [call for call in _setup(project, "dev") if " -e " in f" {call} "]
    assert installs and all("-c requirements.lock" in call for call in installs)
    with (project / "requirements.lock").open("a", encoding="utf-8") as fh:
        fh.write("# relocked\n")
    assert len(_setup(project, "dev")) > len(installs) + 1  # a new lock installs again
    docker = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert (
        "COPY pyproject.toml requirements.lock" in docker
        and "pip install -c requirements.lock -e ." in docker
    )
    assert "bash scripts/test.sh" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "setup-venv.sh" in (PROJECT_ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    assert "setup-venv.sh" in (PROJECT_ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")


def _locked() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line)
            assert match, f"not an exact pin: {line!r}"
            pins[canonicalize_name(match.group(1))] = match.group(2)
    return pins


def _needed(name: str, extras: frozenset[str], seen: dict[str, set[str]]) -> None:
    """Every distribution `name` (with `extras`) needs, walked through the installed metadata."""
    key = canonicalize_name(name)
    if key in seen and extras <= seen[key]:
        return
    seen.setdefault(key, set()).update(extras)
    for text in metadata.distribution(name).requires or []:
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in {"", *extras}):
            _needed(requirement.name, frozenset(requirement.extras), seen)


def test_the_lock_pins_everything_the_project_needs_at_the_installed_version() -> None:
    """A dependency added to pyproject.toml without `bash scripts/lock.sh` would install unpinned."""
    seen: dict[str, set[str]] = {}
    _needed("dl-tutor", frozenset({"dev"}), seen)
    needed = set(seen) - {"dl-tutor"}
    pins = _locked()
    assert sorted(needed - set(pins)) == []
    for name in needed:
        installed = metadata.version(name).split("+")[0]  # the torch CPU wheel is 2.13.0+cpu
        assert installed == pins[name], f"{name}: {installed} installed, {pins[name]} locked"
    assert pins["torch"] == "2.13.0"


def test_the_lock_script_is_valid_bash_and_freezes_with_pip() -> None:
    script = PROJECT_ROOT / "scripts" / "lock.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    assert "pip freeze --all --exclude-editable" in text and "pip check" in text
