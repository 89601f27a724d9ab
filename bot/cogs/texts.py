"""The Discord front door's words: thin wrappers over bot.i18n (the text is in content/strings/*.yaml).

A bare key is the Discord area's own (`say("quiz_expired", …)` is `discord.quiz_expired`); a dotted key
is used as it is (`short("quiz.correct", …)`).

In 'both' each language's text is composed whole (Hindi, then English): a value that has both
languages (a content `Text`, a quiz `Said`, a `Both`) is filled in per language, never as a Hindi-and-
English fragment inside one sentence; a text that reads the same in both ("+10 XP") is given once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from bot import i18n

AREA = "discord"


@runtime_checkable
class Bilingual(Protocol):
    """A value with a Hindi and an English form (bot.content.schema.Text, bot.quiz.views.Said, Both)."""

    en: str
    hi: str


@dataclass(frozen=True)
class Both:
    """A value composed in each language, for a text another text is composed around."""

    hi: str
    en: str


def full_key(key: str) -> str:
    """The YAML key that `key` names in the Discord front door."""
    return key if "." in key else f"{AREA}.{key}"


def in_lang(value: object, lang: str) -> object:
    """`value` in one language ('hi' or 'en'): a bilingual value gives that form, anything else itself."""
    if isinstance(value, Bilingual):
        return value.hi if lang == "hi" else value.en
    return value


def both_lines(hindi: str, english: str) -> str:
    """Hindi, then English, on lines of their own; once when they are the same."""
    return hindi if hindi == english else f"{hindi}\n{english}"


def say(key: str, lang: str, **values: object) -> str:
    """Text `key` in `lang` ('hi', 'en' or 'both': Hindi, then English), formatted with `values`."""
    if lang == "both":
        return both_lines(say(key, "hi", **values), say(key, "en", **values))
    return i18n.t(full_key(key), lang, **{name: in_lang(value, lang) for name, value in values.items()})


def short(key: str, lang: str, **values: object) -> str:
    """A one-line label (buttons, titles): Hindi for 'hi' and 'both', else English."""
    one = "hi" if lang in ("hi", "both") else "en"
    return i18n.t(full_key(key), one, **{name: in_lang(value, one) for name, value in values.items()})
