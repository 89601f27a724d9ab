"""Hindi names and descriptions of every slash command, option and choice, for Discord's Hindi clients.

They come from content/strings/command.yaml like every other text: descriptions are found by their
English text, names under `name.<english name>`. A test checks that every string the cogs declare has
its Hindi.
"""

from __future__ import annotations

from functools import lru_cache

from discord import Locale, app_commands

from bot.i18n import keys, tr

AREA = "command."
NAMES = AREA + "name."


@lru_cache(maxsize=1)
def hindi_names() -> dict[str, str]:
    """English command or option name -> its Hindi name."""
    return {key.removeprefix(NAMES): tr(key).hi for key in keys() if key.startswith(NAMES)}


@lru_cache(maxsize=1)
def hindi_descriptions() -> dict[str, str]:
    """English description or choice name -> its Hindi text."""
    found = (tr(key) for key in keys() if key.startswith(AREA) and not key.startswith(NAMES))
    return {text.en: text.hi for text in found}


class HindiTranslator(app_commands.Translator):
    """Gives Discord the Hindi name or description of each command string; other locales keep English."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale is not Locale.hindi:
            return None
        if context.location in (
            app_commands.TranslationContextLocation.command_name,
            app_commands.TranslationContextLocation.parameter_name,
        ):
            return hindi_names().get(string.message)
        return hindi_descriptions().get(string.message)
