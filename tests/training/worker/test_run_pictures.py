"""Every picture decodes as a PNG of the intended size, in every language; no broken Devanagari."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from bot.training import fonts
from bot.training.jobs import train_job
from bot.training.plots import HEIGHT, WIDTH
from bot.training.spec import make_spec

CASES = [
    ("xor", {}, {"loss_curve", "decision_boundary"}),
    ("spiral", {"hidden": [16]}, {"loss_curve", "decision_boundary"}),
    ("linear", {}, {"loss_curve", "fitted_line"}),
    ("moons", {"loss": "mse"}, {"loss_curve", "decision_boundary"}),
    ("circles", {"loss": "ce"}, {"loss_curve", "decision_boundary"}),
]


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        image.load()
        return image.size


@pytest.mark.parametrize("lang", ["en", "hi", "both"])
@pytest.mark.parametrize(("dataset", "extra", "names"), CASES, ids=[c[0] for c in CASES])
def test_every_picture_decodes_at_preview_size(
    lang: str, dataset: str, extra: dict[str, Any], names: set[str]
) -> None:
    out = train_job(make_spec(dataset=dataset, epochs=40, **extra).to_dict(), lang)
    assert {image["name"] for image in out["images"]} == names
    for image in out["images"]:
        assert _size(image["png"]) == (WIDTH, HEIGHT)


def test_diverged_run_still_draws_both_pictures() -> None:
    out = train_job(make_spec(optimizer="sgd", lr=10).to_dict(), "hi")
    assert out["result"]["diverged"]
    assert [_size(image["png"]) for image in out["images"]] == [(WIDTH, HEIGHT)] * 2


def test_devanagari_font_is_found_on_this_machine() -> None:
    # fonts-noto-core is part of the image; without it every Hindi picture would fall back to English
    assert fonts.devanagari_available()


def test_without_a_devanagari_font_labels_fall_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "devanagari_available", lambda: False)
    assert fonts.picture_lang("hi") == "en"
    assert fonts.label("train", "प्रशिक्षण (train)", "hi") == "train"
    assert fonts.label("train", "प्रशिक्षण (train)", "both") == "train"


def test_both_languages_do_not_repeat_an_english_term() -> None:
    assert fonts.label("train", "प्रशिक्षण (train)", "both") == "प्रशिक्षण (train)"
    assert fonts.label("Fitted line", "सीखी गई रेखा", "both") == "सीखी गई रेखा / Fitted line"


def test_perceptron_on_xor_job_carries_the_explanation_in_the_learners_language() -> None:
    spec = make_spec(model="perceptron", optimizer="sgd").to_dict()
    both = train_job(spec, "both")["result"]
    assert both["explanation"].index("सीधी line") < both["explanation"].index("one straight line")
    assert "not linearly separable" in train_job(spec, "en")["result"]["explanation"]
    assert "linearly separable नहीं" in train_job(spec, "hi")["result"]["explanation"]


def test_divergence_explanation_exists_in_both_hindi_first() -> None:
    result = train_job(make_spec(optimizer="sgd", lr=10).to_dict(), "both")["result"]
    text = result["explanation"]
    assert "बहुत बड़ा" in text and "too large" in text
    assert text.index("बहुत बड़ा") < text.index("too large")
