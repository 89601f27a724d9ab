"""The offline console's words: thin wrappers over bot.i18n (the text is in content/strings/*.yaml).

A bare key is the console area's own (`say("bye", …)` is `console.bye`); a dotted key is used as it is
(`say("quiz.correct", …)`).
"""

from __future__ import annotations

from bot import i18n

AREA = "console"


def full_key(key: str) -> str:
    """The YAML key that `key` names in the console."""
    return key if "." in key else f"{AREA}.{key}"


def say(key: str, lang: str, **values: object) -> str:
    """The console text `key` in `lang` ('both' gives Hindi, then English), formatted with `values`."""
    return i18n.t(full_key(key), lang, **values)
