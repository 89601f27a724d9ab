"""Fixtures for the content tests: the good fixture tree, copied so a test may overlay broken files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the good fixture content (tests may add or replace files in it)."""
    target = tmp_path / "content"
    shutil.copytree(GOOD, target)
    return target
