"""Fonts for pictures: DejaVu Sans for Latin, Noto Sans Devanagari for Hindi.

matplotlib (3.11, with libraqm) shapes Devanagari correctly when a Devanagari font is on the family
fallback list. The font ships inside the package (bot/assets/fonts/, SIL OFL 1.1, its licence beside it)
and is registered with matplotlib's font manager at import, so no system font and no font-cache reset
is needed. Should it ever be missing, pictures fall back to English labels rather than broken glyphs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, rcParams

from bot.i18n import Bilingual
from bot.paths import ASSETS_DIR

DEVANAGARI_FONT = "Noto Sans Devanagari"
DEVANAGARI_FILE = ASSETS_DIR / "fonts" / "NotoSansDevanagari-Regular.ttf"
# the bold weight too: a bold Hindi label (a table's header cell, a diagram's symbol) would otherwise be
# drawn in the regular weight, with a "findfont: Failed to find font weight bold" warning on stderr
DEVANAGARI_BOLD_FILE = ASSETS_DIR / "fonts" / "NotoSansDevanagari-Bold.ttf"
FONT_FAMILY: list[str] = ["DejaVu Sans", DEVANAGARI_FONT]


@lru_cache(maxsize=1)
def devanagari_available() -> bool:
    """Whether a font that can draw Devanagari is known to matplotlib (the bundled one, registered here)."""
    for weight in (DEVANAGARI_FILE, DEVANAGARI_BOLD_FILE):
        if weight.is_file():
            font_manager.fontManager.addfont(str(weight))
    try:
        font_manager.findfont(font_manager.FontProperties(family=DEVANAGARI_FONT), fallback_to_default=False)
    except ValueError:
        return False
    return True


def setup_fonts() -> None:
    """Put the Latin + Devanagari fallback list into matplotlib's defaults (idempotent)."""
    families = FONT_FAMILY if devanagari_available() else FONT_FAMILY[:1]
    # a list of concrete families (not the generic "sans-serif") is what enables per-glyph fallback
    rcParams["font.family"] = list(families)
    rcParams["axes.unicode_minus"] = True


def picture_lang(lang: str) -> str:
    """The language a picture can actually use: 'hi'/'both' fall back to 'en' without a Devanagari font."""
    if lang in ("hi", "both") and not devanagari_available():
        return "en"
    return lang if lang in ("hi", "en", "both") else "en"


LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,=%≤≥+-]*")


def says_the_english(text: Bilingual) -> bool:
    """Whether the Hindi label already carries every English word of the English one (the Hindi word
    for class followed by "(class 0)" for "class 0"; "Decision boundary (…) · accuracy 90%" for
    "Decision boundary · accuracy 90%"), so that 'both' would only repeat it."""
    english = LATIN_WORD.findall(text.en.casefold())
    hindi = set(LATIN_WORD.findall(text.hi.casefold()))
    return bool(english) and all(word in hindi for word in english)


BOTH_ON_ONE_LINE = 32  # characters: longer 'Hindi / English' pairs are stacked, so none runs off the edge


def label(text: Bilingual, lang: str) -> str:
    """A label in the picture's language: Hindi, English, or for 'both' Hindi then English.

    For 'both', a Hindi label that already carries every English word ("<Hindi word> (train)") stands
    alone; a short pair shares a line ("<Hindi> / Fitted line"), a long one is stacked on two lines.
    Without a Devanagari font every language falls back to the English label.
    """
    use = picture_lang(lang)
    if use == "hi":
        return text.hi
    if use == "both":
        if says_the_english(text):
            return text.hi
        joined = f"{text.hi} / {text.en}"
        return joined if len(joined) <= BOTH_ON_ONE_LINE else f"{text.hi}\n{text.en}"
    return text.en
