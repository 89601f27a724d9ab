"""The offline console's words: thin wrappers over bot.i18n (the text is in content/strings/*.yaml).

A bare key is the console area's own (`say("bye", …)` is `console.bye`); a dotted key is used as it is
(`say("quiz.correct", …)`).

In 'both' the console composes each language's line whole (Hindi, then English): a value that has
both languages (a content `Text`, a quiz `Said`) is filled in per language, and a line that reads the
same in both (“+10 XP”) is printed once.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot import i18n

AREA = "console"


@runtime_checkable
class Bilingual(Protocol):
    """A value with a Hindi and an English form (bot.content.schema.Text, bot.quiz.views.Said)."""

    en: str
    hi: str


def full_key(key: str) -> str:
    """The YAML key that `key` names in the console."""
    return key if "." in key else f"{AREA}.{key}"


def _in(value: object, lang: str) -> object:
    if isinstance(value, Bilingual):
        return value.hi if lang == "hi" else value.en
    return value


def say(key: str, lang: str, **values: object) -> str:
    """The console text `key` in `lang` ('both': Hindi, then English, once when equal), with `values`."""
    if lang == "both":
        hindi, english = say(key, "hi", **values), say(key, "en", **values)
        return hindi if hindi == english else f"{hindi}\n{english}"
    return i18n.t(full_key(key), lang, **{name: _in(value, lang) for name, value in values.items()})
