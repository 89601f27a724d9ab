"""Picture labels: the bundled Devanagari font is found, bold too; else English; 'both' repeats no term."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from matplotlib import font_manager

from bot.i18n import Bilingual, tr
from bot.training.worker.draw import fonts

TRAIN = Bilingual(en="train", hi="प्रशिक्षण (train)")


def test_devanagari_font_is_found_on_this_machine() -> None:
    # the font ships in bot/assets/fonts; without it every Hindi picture would fall back to English
    assert fonts.devanagari_available()


def test_without_a_devanagari_font_labels_fall_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "devanagari_available", lambda: False)
    assert fonts.picture_lang("hi") == "en"
    assert fonts.label(TRAIN, "hi") == "train"
    assert fonts.label(TRAIN, "both") == "train"


def test_both_languages_do_not_repeat_an_english_term() -> None:
    assert fonts.label(TRAIN, "both") == "प्रशिक्षण (train)"
    assert fonts.label(Bilingual(en="Fitted line", hi="सीखी गई रेखा"), "both") == "सीखी गई रेखा / Fitted line"


def test_a_long_pair_is_stacked_in_both_languages() -> None:
    stalled = tr("picture.stalled")
    assert fonts.label(stalled, "both") == f"{stalled.hi}\n{stalled.en}"
    assert fonts.label(stalled, "hi") == stalled.hi and fonts.label(stalled, "en") == stalled.en


def test_both_does_not_repeat_an_english_title_the_hindi_already_carries() -> None:
    title = tr("picture.boundary_title_test_accuracy", accuracy="100%")
    assert fonts.label(title, "both") == "Decision boundary (निर्णय सीमा) · test accuracy 100%"


@pytest.mark.parametrize("number", [0, 1, 2])
def test_a_class_is_numbered_in_hindi_too(number: int) -> None:
    shown = fonts.label(tr("picture.boundary_class", number=number), "both")
    assert shown == f"वर्ग {number} (class {number})"
    assert fonts.label(tr("picture.boundary_class", number=number), "hi") == shown


def test_bold_hindi_is_drawn_in_the_bundled_bold_weight_without_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fonts.setup_fonts()
    bold = font_manager.FontProperties(family=fonts.DEVANAGARI_FONT, weight="bold")
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        found = font_manager.findfont(bold, fallback_to_default=False)
    assert Path(found).name == "NotoSansDevanagari-Bold.ttf"
    assert not [r for r in caplog.records if "Failed to find font weight" in r.getMessage()]
