"""The Hindi style guide's spelling table holds for every content and strings file."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from bot.paths import CONTENT_DIR, PROJECT_ROOT

GUIDE = PROJECT_ROOT / "docs" / "hindi-style.md"
WORD = re.compile(r"[\u0900-\u097f]+")  # a Devanagari word: letters and signs (the nukta included)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def spelling_table(guide: str) -> dict[str, str]:
    """Wrong → right, from the table between the guide's spelling-table markers."""
    table = guide.split("<!-- spelling table: begin -->")[1].split("<!-- spelling table: end -->")[0]
    rows = [line.strip().strip("|").split("|") for line in table.strip().splitlines()[2:]]
    return {_nfc(wrong.strip()): _nfc(right.strip()) for wrong, right in rows}


def misspellings(text: str, table: dict[str, str]) -> list[str]:
    """Every word of `text` that the table lists as wrong (whole words: ग़लत is not गलत)."""
    return [word for word in WORD.findall(_nfc(text)) if word in table]


TABLE = spelling_table(GUIDE.read_text(encoding="utf-8"))
FILES = sorted(CONTENT_DIR.rglob("*.yaml"))


def test_the_guide_has_a_spelling_table_and_the_review_findings() -> None:
    assert len(TABLE) >= 40
    assert TABLE["श्रृंखला"] == "शृंखला"
    assert TABLE["गलत"] == "ग़लत"
    assert all(wrong != right for wrong, right in TABLE.items())
    assert not set(TABLE) & set(TABLE.values()), "a right spelling is also listed as wrong"


def test_the_check_finds_whole_words_only() -> None:
    assert misspellings("यह गलत है", TABLE) == ["गलत"]
    assert misspellings("यह ग\u093cलत है, ग़लती नहीं", TABLE) == []  # nukta decomposed or precomposed
    assert misspellings("गलतफ़हमी", TABLE) == []


def test_every_content_area_is_checked() -> None:
    areas = {path.relative_to(CONTENT_DIR).parts[0] for path in FILES}
    assert {"lessons", "quizzes", "strings", "glossary.yaml"} <= areas


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CONTENT_DIR)))
def test_no_listed_misspelling_in_any_content_file(path: Path) -> None:
    found = misspellings(path.read_text(encoding="utf-8"), TABLE)
    assert found == [], {word: TABLE[word] for word in found}
