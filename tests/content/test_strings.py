"""Interface strings: every key has an en and a hi text with the same {placeholders}; Hindi is Devanagari."""

from __future__ import annotations

import re
import string

import yaml

from bot.content.schema import DEVANAGARI
from bot.i18n import Bilingual, say, tr
from bot.paths import CONTENT_DIR

STRINGS = CONTENT_DIR / "strings"


def _load() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for path in sorted(STRINGS.glob("*.yaml")):
        for key, value in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            table[f"{path.stem}.{key}"] = value
    return table


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages_and_nothing_else() -> None:
    table = _load()
    assert len(table) >= 80
    assert all(set(value) == {"en", "hi"} for value in table.values())


def test_same_placeholders_in_both_languages() -> None:
    for key, value in _load().items():
        assert _placeholders(value["en"]) == _placeholders(value["hi"]), key


def test_hindi_strings_are_devanagari() -> None:
    for key, value in _load().items():
        bare = re.sub(r"\{[^}]*\}", "", value["hi"])  # placeholders are names, not language
        words = "".join(ch for ch in bare if ch.isalpha() and ch.isascii())
        assert DEVANAGARI.search(bare) or words.isupper() or not words, key


def test_strings_format_through_i18n() -> None:
    assert say("quiz.correct", "en") == "✅ Correct!"
    assert say("quiz.correct", "hi") == "✅ सही!"
    assert say("train.queued", "en", position=3).startswith("⏳ Queued: position 3.")
    assert say("error.compute_budget", "en", seconds=41, used=20.4, budget=20, window=60).endswith(
        "(20 of 20 worker-seconds in 60 s). You can train again in 41 s."
    )
    assert say("error.unexpected", "hi", ref="ab12").count("ab12") == 1
    assert say("quiz.finished_xp", "both", score=4, total=5, xp=20) == (
        "Quiz पूरा: 5 में से 4 सही, 20 XP।\nQuiz finished: 4/5 right, 20 XP."
    )


def test_a_bilingual_value_is_filled_in_per_language() -> None:
    text = tr("common.language_set", name=tr("common.lang_name_hi"))
    assert text == Bilingual(en="Language set: Hindi.", hi=say("common.language_set", "hi", name="हिंदी"))


def test_every_text_is_one_line() -> None:
    multi = {key for key, value in _load().items() for text in value.values() if "\n" in text}
    assert multi == set()  # the help is composed from the command table, line by line
