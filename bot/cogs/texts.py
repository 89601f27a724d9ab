"""The Discord front door's words: thin wrappers over bot.i18n (the text is in content/strings/*.yaml).

A bare key is the Discord area's own (`say("quiz_expired", …)` is `discord.quiz_expired`); a dotted key
is used as it is (`short("quiz.correct", …)`).
"""

from __future__ import annotations

from bot import i18n

AREA = "discord"


def full_key(key: str) -> str:
    """The YAML key that `key` names in the Discord front door."""
    return key if "." in key else f"{AREA}.{key}"


def say(key: str, lang: str, **values: object) -> str:
    """Text `key` in `lang` ('hi', 'en' or 'both': Hindi, then English), formatted with `values`."""
    return i18n.t(full_key(key), lang, **values)


def short(key: str, lang: str, **values: object) -> str:
    """A one-line label (buttons, titles): Hindi for 'hi' and 'both', else English."""
    return i18n.short(full_key(key), lang, **values)
