"""bot.i18n: one source of interface text in two languages, one chooser; every key the code asks for
exists, no key is dead text, and the front doors and the core keep no text of their own."""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import i18n
from bot.classroom.assignments import KINDS
from bot.classroom.settings import REPLIES
from bot.paths import PROJECT_ROOT
from bot.progress.leaderboard import PERIODS
from tests.text_keys import text_modules, usage

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
# the vocabularies free text and answers are read with: there Hindi words are data, not text to show
VOCABULARIES = {
    "bot/chat/words.py",
    "bot/training/parse_words.py",
    "bot/quiz/answer_words.py",
    "bot/content/lookup_words.py",
}


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
        "bot.cogs.errors",
        "bot.core.quiz",
        "bot.core.lessons",
        "bot.console.session",
        "bot.console.render",
        "bot.content.pages",
        "bot.training.executor",  # its refusals read error.<code>
    } <= found


def test_every_key_the_code_asks_for_exists_in_both_languages(
    asked: tuple[set[str], set[str], list[str]],
) -> None:
    keys, _, unresolved = asked
    assert len(keys) > 60  # every key has both languages: the loader refuses a key without both
    assert unresolved == [], "key arguments the test cannot read; use a literal or a name assigned a literal"
    assert sorted(keys - i18n.keys()) == []


def test_error_codes_are_read_as_their_error_texts(asked: tuple[set[str], set[str], list[str]]) -> None:
    keys, _, _ = asked
    assert {"error.quiz_bad_count", "error.stale_button", "error.queue_full"} <= keys
    assert "error.quiz.session_over" in keys  # the quiz service's refusals read error.<code> too


def test_every_key_pattern_matches_a_key(asked: tuple[set[str], set[str], list[str]]) -> None:
    _, patterns, _ = asked
    assert patterns, "the f-string keys (language names, leaderboard periods) were not seen"
    for pattern in patterns:
        assert any(re.fullmatch(pattern, key) for key in sorted(i18n.keys())), pattern


def test_no_key_is_dead_text(asked: tuple[set[str], set[str], list[str]]) -> None:
    keys, patterns, _ = asked
    unused = [
        k for k in sorted(i18n.keys()) if k not in keys and not any(re.fullmatch(p, k) for p in patterns)
    ]
    assert unused == []


def test_keys_named_by_f_strings_are_exactly_the_values() -> None:
    en = i18n.keys()
    assert {k.removeprefix("common.lang_name_") for k in en if k.startswith("common.lang_name_")} == set(
        i18n.LANG_CHOICES
    )
    assert {k.removeprefix("progress.period_") for k in en if k.startswith("progress.period_")} == set(
        PERIODS
    )
    for period in PERIODS:
        assert i18n.say(f"progress.period_{period}", "hi") != i18n.say(f"progress.period_{period}", "en")
    named = {"teacher.kind_": set(KINDS), "teacher.replies_": set(REPLIES)}
    for prefix, values in named.items():
        assert {k.removeprefix(prefix) for k in en if k.startswith(prefix)} == values, prefix


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


@pytest.mark.parametrize(
    "text",
    [
        "deep: " + "[" * 5000 + "]" * 5000 + "\n",  # a RecursionError in safe_load
        "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ],
    ids=["deep", "billion_laughs"],
)
def test_a_strings_file_beyond_the_yaml_limits_is_refused_at_its_line(strings_dir: Path, text: str) -> None:
    (strings_dir / "bomb.yaml").write_text(text, encoding="utf-8")
    i18n.reload_strings()
    with pytest.raises(i18n.StringsProblem, match=r"bomb\.yaml:\d+: (nested deeper|aliases expand)"):
        i18n.tr("area.label")


def test_reload_strings_reads_edited_files(strings_dir: Path) -> None:
    assert i18n.say("area.label", "en") == "Next"
    (strings_dir / "area.yaml").write_text('label:\n  en: "Onward"\n  hi: "आगे"\n', encoding="utf-8")
    assert i18n.say("area.label", "en") == "Next"  # cached until reloaded
    i18n.reload_strings()
    assert i18n.say("area.label", "en") == "Onward"


def test_the_real_strings_read_through_the_one_chooser() -> None:
    """What the front doors' old wrappers promised, now through tr/say directly."""
    assert i18n.say("quiz.correct", "both") == "✅ सही!\n✅ Correct!"
    assert i18n.tr("quiz.correct").pick("both", one_line=True) == "✅ सही!"
    assert i18n.say("admin.reloaded", "en", lessons=6, questions=9, terms=4).startswith(
        "Content reloaded: 6 lessons"
    )
    assert i18n.say("console.bye", "en") == "Bye! Your progress is saved."
    with pytest.raises(KeyError):
        i18n.say("no_such_text", "en")


def _devanagari_strings(path: Path) -> list[str]:
    """The string constants of a module that hold Devanagari, docstrings left out (they may quote Hindi)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and DEVANAGARI.search(node.value)
    ]


def _is_normalisation_data(text: str) -> bool:
    """Signs and digits text is normalised with (the nukta, chandrabindu, Devanagari digits), not words."""
    return all(
        unicodedata.category(ch).startswith("M") or ch.isdigit() for ch in text if DEVANAGARI.match(ch)
    )


def test_no_module_keeps_learner_facing_text_of_its_own() -> None:
    """Every Hindi word in bot/ is parsing vocabulary; what a learner reads lives in content/strings."""
    holding = {
        str(path.relative_to(PROJECT_ROOT)): found
        for path in sorted((PROJECT_ROOT / "bot").rglob("*.py"))
        if str(path.relative_to(PROJECT_ROOT)) not in VOCABULARIES
        and (found := [t for t in _devanagari_strings(path) if not _is_normalisation_data(t)])
    }
    assert holding == {}


def test_the_vocabulary_modules_are_where_hindi_words_are() -> None:
    for name in VOCABULARIES:
        assert _devanagari_strings(PROJECT_ROOT / name), name
