"""Learner-facing text in two languages: one type, one chooser, one source.

- `Bilingual` is the one type for "the same text in English and Hindi" (content texts, interface
  strings, refusals, picture labels).
- `Bilingual.pick(lang)` is the one way to choose a language: 'hi', 'en', or 'both' (Hindi, then
  English, on lines of their own; once when they read the same).
- `tr(key, **values)` reads a text from `content/strings/<area>.yaml`, where every key has its `en:` and
  its `hi:` side by side; the key's full name is `<area>.<key>` ("quiz.correct" is `correct:` in
  quiz.yaml). A value that is itself `Bilingual` is filled in per language, so a Hindi sentence never
  carries an English fragment.

The strings are read with `yaml.safe_load`, with limits on size, nesting and aliases, once per process
(`reload_strings()` forgets them after /reload-content).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from bot import safe_yaml
from bot.paths import CONTENT_DIR
from bot.safe_yaml import beyond_limits

Lang = Literal["hi", "en", "both"]
LANG_CHOICES: tuple[Lang, ...] = ("hi", "en", "both")
STRINGS_DIR: Path = CONTENT_DIR / "strings"
MAX_STRINGS_FILE_BYTES = 512 * 1024  # interface text is small; a huge file is a mistake, not text


@dataclass(frozen=True, slots=True)
class Bilingual:
    """One text in English and in Hindi."""

    en: str
    hi: str

    @classmethod
    def same(cls, text: str) -> Bilingual:
        """A text that reads the same in both languages (a number, a formula, a name)."""
        return cls(en=text, hi=text)

    def pick(self, lang: str, *, one_line: bool = False) -> str:
        """The text in `lang`. 'both': Hindi then English on lines of their own, or (`one_line`, for
        buttons and titles) the Hindi alone, which keeps the English technical terms; once when equal."""
        if lang == "hi":
            return self.hi
        if lang == "both":
            if self.hi == self.en or one_line:
                return self.hi
            return f"{self.hi}\n{self.en}"
        return self.en

    def map(self, change: Any) -> Bilingual:
        """This text with `change(text)` applied to each language (e.g. clipping, a prefix)."""
        return Bilingual(en=change(self.en), hi=change(self.hi))

    def __str__(self) -> str:
        return self.en


def join(parts: Iterable[Bilingual | str], sep: str = "\n") -> Bilingual:
    """Texts joined per language (plain strings read the same in both); empty parts are left out."""
    items = [Bilingual.same(p) if isinstance(p, str) else p for p in parts]
    return Bilingual(en=sep.join(p.en for p in items if p.en), hi=sep.join(p.hi for p in items if p.hi))


class StringsProblem(ValueError):
    """A strings file that cannot be used: too big, not a mapping, a key without both languages."""


def _read(path: Path) -> dict[str, Bilingual]:
    if path.stat().st_size > MAX_STRINGS_FILE_BYTES:
        raise StringsProblem(f"{path}: larger than {MAX_STRINGS_FILE_BYTES} bytes")
    text = path.read_text(encoding="utf-8")
    if (beyond := beyond_limits(text)) is not None:  # safe_load would recurse or expand without end
        line, problem = beyond
        raise StringsProblem(f"{path}:{line}: {problem}")
    data = safe_yaml.load(text)[1] or {}
    if not isinstance(data, Mapping):
        raise StringsProblem(f"{path}: expected a mapping of keys to {{en, hi}}")
    area = path.stem
    table: dict[str, Bilingual] = {}
    for name, value in data.items():
        if (
            not isinstance(value, Mapping)
            or not isinstance(value.get("en"), str)
            or not isinstance(value.get("hi"), str)
        ):
            raise StringsProblem(f"{path}: {name!r} needs an en and a hi text")
        table[f"{area}.{name}"] = Bilingual(en=value["en"], hi=value["hi"])
    return table


@lru_cache(maxsize=1)
def _table() -> dict[str, Bilingual]:
    table: dict[str, Bilingual] = {}
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        table.update(_read(path))
    return table


def keys() -> frozenset[str]:
    """Every interface-text key (`area.name`)."""
    return frozenset(_table())


def has(key: str) -> bool:
    """Whether `key` names an interface text."""
    return key in _table()


def _in(value: object, lang: str) -> object:
    """A `Bilingual` value in `lang`; any other value as it is."""
    return value.pick(lang) if isinstance(value, Bilingual) else value


def _fill(template: str, lang: str, values: Mapping[str, object]) -> str:
    return template.format(**{name: _in(value, lang) for name, value in values.items()})


def tr(key: str, **values: object) -> Bilingual:
    """Interface text `key` in both languages, formatted with `values` (bilingual values per language).

    An unknown key is a programming error: KeyError (tests/test_i18n.py checks every key the code
    asks for, so a learner never sees a raw key).
    """
    found = _table().get(key)
    if found is None:
        raise KeyError(f"no interface text {key!r} under {STRINGS_DIR}")
    return Bilingual(en=_fill(found.en, "en", values), hi=_fill(found.hi, "hi", values))


def say(key: str, lang: str, **values: object) -> str:
    """`tr(key, **values)` in `lang`."""
    return tr(key, **values).pick(lang)


def reload_strings() -> None:
    """Forget cached strings (after /reload-content, or when a test points STRINGS_DIR elsewhere)."""
    _table.cache_clear()
