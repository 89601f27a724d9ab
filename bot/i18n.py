"""The product's own interface text, per language, from content/strings/{en,hi}.yaml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from bot.paths import CONTENT_DIR

Lang = Literal["hi", "en", "both"]
LANGUAGES: tuple[str, ...] = ("en", "hi")


@lru_cache(maxsize=4)
def _strings(lang: str, folder: Path = CONTENT_DIR / "strings") -> dict[str, str]:
    path = folder / f"{lang}.yaml"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return {str(k): str(v) for k, v in data.items()}


def t(key: str, lang: str, **values: object) -> str:
    """Interface string `key` in `lang`, formatted with `values`; 'both' gives Hindi then English."""
    if lang == "both":
        return f"{t(key, 'hi', **values)}\n{t(key, 'en', **values)}"
    text = _strings(lang).get(key) or _strings("en").get(key) or key
    return text.format(**values) if values else text


def reload_strings() -> None:
    """Forget cached strings (after /reload-content)."""
    _strings.cache_clear()
