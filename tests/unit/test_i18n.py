"""bot.i18n and its two front-door wrappers: one source of text, and every key the code asks for exists."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import i18n
from bot.cogs import texts
from bot.progress.leaderboard import PERIODS
from tests.unit.text_keys import text_modules, usage

LANG_CHOICES = ("hi", "en", "both")


def _table(lang: str = "en") -> dict[str, str]:
    """Every interface text in `lang`, by full key."""
    return {key: i18n.text(key, lang) for key in sorted(i18n.keys())}


@pytest.fixture(scope="module")
def asked() -> tuple[set[str], set[str], list[str]]:
    """Every key, key pattern and unreadable key argument of the modules that show interface text."""
    modules = text_modules()
    keys: set[str] = set()
    patterns: set[str] = set()
    unresolved: list[str] = []
    for name in modules:
        found = usage(name, modules)
        keys |= found.keys
        patterns |= found.patterns
        unresolved += found.unresolved
    return keys, patterns, unresolved


@pytest.fixture
def strings_dir(tmp_path: Path) -> Iterator[Path]:
    """i18n reading a small strings file written by the test."""
    (tmp_path / "area.yaml").write_text(
        'hello:\n  en: "Hello {name}"\n  hi: "नमस्ते {name}"\n'
        'label:\n  en: "Next"\n  hi: "अगला"\n'
        'same:\n  en: "XP"\n  hi: "XP"\n',
        encoding="utf-8",
    )
    saved = i18n.STRINGS_DIR
    i18n.STRINGS_DIR = tmp_path
    i18n.reload_strings()
    yield tmp_path
    i18n.STRINGS_DIR = saved
    i18n.reload_strings()


def test_text_modules_are_found() -> None:
    found = set(text_modules())
    assert {
        "bot.cogs.quiz",
        "bot.cogs.views",
        "bot.console",
        "bot.console_render",
        "bot.content.pages",
    } <= found


def test_every_key_the_code_asks_for_exists_in_both_languages(
    asked: tuple[set[str], set[str], list[str]],
) -> None:
    keys, _, unresolved = asked
    en, hi = _table("en"), _table("hi")
    assert len(keys) > 60  # both tables have every key: the loader refuses a key without both
    assert unresolved == [], "key arguments the test cannot read; use a literal or a name assigned a literal"
    assert sorted(keys - set(en)) == []
    assert sorted(keys - set(hi)) == []


def test_every_key_pattern_matches_a_key(asked: tuple[set[str], set[str], list[str]]) -> None:
    _, patterns, _ = asked
    assert patterns, "the f-string keys (language names, leaderboard periods) were not seen"
    for pattern in patterns:
        assert any(re.fullmatch(pattern, key) for key in _table("en")), pattern


def test_no_key_is_dead_text(asked: tuple[set[str], set[str], list[str]]) -> None:
    keys, patterns, _ = asked
    unused = [k for k in _table("en") if k not in keys and not any(re.fullmatch(p, k) for p in patterns)]
    assert unused == []


def test_keys_named_by_f_strings_are_exactly_the_values() -> None:
    en = _table("en")
    assert {k.removeprefix("common.lang_name_") for k in en if k.startswith("common.lang_name_")} == set(
        LANG_CHOICES
    )
    assert {k.removeprefix("progress.period_") for k in en if k.startswith("progress.period_")} == set(
        PERIODS
    )
    for period in PERIODS:
        assert i18n.say(f"progress.period_{period}", "hi") != i18n.say(f"progress.period_{period}", "en")


def test_tr_formats_in_each_language(strings_dir: Path) -> None:
    assert i18n.tr("area.hello", name="Asha") == i18n.Bilingual(en="Hello Asha", hi="नमस्ते Asha")


def test_both_is_hindi_then_english_and_once_when_equal(strings_dir: Path) -> None:
    assert i18n.say("area.hello", "both", name="Asha") == "नमस्ते Asha\nHello Asha"
    assert i18n.say("area.same", "both") == "XP"


def test_unknown_key_raises_key_error(strings_dir: Path) -> None:
    with pytest.raises(KeyError, match=r"area\.missing"):
        i18n.tr("area.missing")


def test_missing_placeholder_value_raises(strings_dir: Path) -> None:
    with pytest.raises(KeyError, match="name"):
        i18n.say("area.hello", "en")


def test_one_line_pick_is_hindi_for_hi_and_both(strings_dir: Path) -> None:
    label = i18n.tr("area.label")
    assert label.pick("hi", one_line=True) == "अगला"
    assert label.pick("both", one_line=True) == "अगला"
    assert label.pick("en", one_line=True) == "Next"


def test_a_strings_file_without_both_languages_is_refused(strings_dir: Path) -> None:
    (strings_dir / "broken.yaml").write_text('only_en:\n  en: "Only English"\n', encoding="utf-8")
    i18n.reload_strings()
    with pytest.raises(i18n.StringsProblem, match="only_en"):
        i18n.tr("area.label")


def test_a_huge_strings_file_is_refused(strings_dir: Path) -> None:
    (strings_dir / "huge.yaml").write_text("# " + "x" * i18n.MAX_STRINGS_FILE_BYTES, encoding="utf-8")
    i18n.reload_strings()
    with pytest.raises(i18n.StringsProblem, match="larger than"):
        i18n.tr("area.label")


def test_reload_strings_reads_edited_files(strings_dir: Path) -> None:
    assert i18n.say("area.label", "en") == "Next"
    (strings_dir / "area.yaml").write_text('label:\n  en: "Onward"\n  hi: "आगे"\n', encoding="utf-8")
    assert i18n.say("area.label", "en") == "Next"  # cached until reloaded
    i18n.reload_strings()
    assert i18n.say("area.label", "en") == "Onward"


def test_discord_wrapper_prefixes_bare_keys() -> None:
    assert texts.full_key("quiz_expired") == "discord.quiz_expired"
    assert texts.full_key("quiz.correct") == "quiz.correct"
    assert texts.say("quiz.correct", "both") == "✅ सही!\n✅ Correct!"
    assert texts.short("quiz.correct", "both") == "✅ सही!"
    assert texts.say("reloaded", "en", lessons=6, questions=9, terms=4).startswith(
        "Content reloaded: 6 lessons"
    )
    with pytest.raises(KeyError):
        texts.say("no_such_text", "en")


def test_console_wrapper_prefixes_bare_keys() -> None:
    from bot.console_text import full_key, say

    assert full_key("bye") == "console.bye"
    assert say("bye", "en") == "Bye! Your progress is saved."
    assert say("review.due", "hi", count=2) == i18n.say("review.due", "hi", count=2)
    with pytest.raises(KeyError):
        say("no_such_text", "hi")


def test_the_front_doors_keep_no_text_of_their_own() -> None:
    from bot import console_text

    for module in (texts, console_text):
        assert not hasattr(module, "TEXTS")
        assert not re.search(r"[\u0900-\u097F]", Path(str(module.__file__)).read_text(encoding="utf-8"))
