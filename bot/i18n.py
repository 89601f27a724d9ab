"""The product's own interface text, per language, from content/strings/{en,hi}.yaml (the one source).

Keys are `area.name` (see the head of en.yaml). A key missing from hi.yaml falls back to English; a key
missing from en.yaml is a programming error and raises KeyError (tests/unit/test_i18n.py checks every
key the code asks for, so a learner never sees a raw key).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from bot.paths import CONTENT_DIR

Lang = Literal["hi", "en", "both"]
LANGUAGES: tuple[str, ...] = ("en", "hi")
STRINGS_DIR: Path = CONTENT_DIR / "strings"


@lru_cache(maxsize=4)
def _table(lang: str) -> dict[str, str]:
    path = STRINGS_DIR / f"{lang}.yaml"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(k): str(v) for k, v in data.items()}


def keys() -> frozenset[str]:
    """Every key of the English table (hi.yaml has the same ones; the content check says so)."""
    return frozenset(_table("en"))


def text(key: str, lang: str) -> str:
    """The unformatted text of `key` in `lang` ('hi' or 'en'); Hindi falls back to English."""
    found = _table(lang).get(key) if lang in LANGUAGES else None
    if found is None:
        found = _table("en").get(key)
    if found is None:
        raise KeyError(f"no interface text {key!r} in {STRINGS_DIR}/en.yaml")
    return found


def t(key: str, lang: str, **values: object) -> str:
    """Interface text `key` in `lang`, formatted with `values`; 'both' gives Hindi, then English."""
    if lang == "both":
        return f"{t(key, 'hi', **values)}\n{t(key, 'en', **values)}"
    return text(key, lang).format(**values)


def short(key: str, lang: str, **values: object) -> str:
    """A one-line label (buttons, titles): Hindi for 'hi' and 'both', otherwise English."""
    return t(key, "hi" if lang in ("hi", "both") else "en", **values)


def reload_strings() -> None:
    """Forget cached strings (after /reload-content, or when a test points STRINGS_DIR elsewhere)."""
    _table.cache_clear()
