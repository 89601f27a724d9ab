"""Interface strings: en and hi have the same keys and {placeholders}; Hindi is Devanagari."""

from __future__ import annotations

import re
import string

import yaml

from bot.content.schema import DEVANAGARI
from bot.i18n import t
from bot.paths import CONTENT_DIR

AREAS = (
    "common.",
    "lesson.",
    "quiz.",
    "review.",
    "train.",
    "progress.",
    "glossary.",
    "help.",
    "error.",
    "discord.",
    "console.",
)


def _load(lang: str) -> dict[str, str]:
    return yaml.safe_load((CONTENT_DIR / "strings" / f"{lang}.yaml").read_text(encoding="utf-8"))


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_same_keys_in_both_languages() -> None:
    en, hi = _load("en"), _load("hi")
    assert set(en) == set(hi)
    assert len(en) >= 80


def test_same_placeholders_in_both_languages() -> None:
    en, hi = _load("en"), _load("hi")
    for key, text in en.items():
        assert _placeholders(text) == _placeholders(hi[key]), key


def test_keys_are_grouped_by_area() -> None:
    assert all(key.startswith(AREAS) for key in _load("en"))


def test_hindi_strings_are_devanagari() -> None:
    for key, text in _load("hi").items():
        bare = re.sub(r"\{[^}]*\}", "", text)  # placeholders are names, not language
        words = "".join(ch for ch in bare if ch.isalpha() and ch.isascii())
        assert DEVANAGARI.search(bare) or words.isupper() or not words, key


def test_strings_format_through_i18n() -> None:
    assert t("quiz.correct", "en") == "✅ Correct!"
    assert t("quiz.correct", "hi") == "✅ सही!"
    assert t("train.queued", "en", position=3).startswith("⏳ Queued: position 3.")
    assert t("train.cooldown", "en", seconds=2.6) == "Please wait 3 s before the next training request."
    assert t("error.unexpected", "hi", ref="ab12").count("ab12") == 1
    assert t("quiz.finished", "both", score=4, total=5) == "Quiz पूरा: 4/5\nQuiz finished: 4/5"


def test_every_text_is_one_line_except_the_console_help() -> None:
    for lang in ("en", "hi"):
        multi = [key for key, text in _load(lang).items() if "\n" in text]
        assert multi == ["console.help"], lang
