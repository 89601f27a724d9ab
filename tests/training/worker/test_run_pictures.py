"""A run's pictures decode as PNGs of the preview size in every language; the job explains the run."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from bot.training.results import TrainOutcome
from bot.training.spec import make_spec
from bot.training.worker import run_pictures
from bot.training.worker.draw.style import RUN_HEIGHT as HEIGHT
from bot.training.worker.draw.style import RUN_WIDTH as WIDTH
from bot.training.worker.tasks import train


def train_job(spec: dict[str, Any], lang: str) -> TrainOutcome:
    """The worker's train entry point, as the pool runs it."""
    return train(spec, lang)


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
    assert {picture.name for picture in out.pictures} == names
    for picture in out.pictures:
        assert _size(picture.png) == (WIDTH, HEIGHT)


def test_diverged_run_still_draws_both_pictures() -> None:
    out = train_job(make_spec(optimizer="sgd", lr=10).to_dict(), "hi")
    assert out.result.diverged
    assert [_size(picture.png) for picture in out.pictures] == [(WIDTH, HEIGHT)] * 2


def test_perceptron_on_xor_job_carries_the_explanation_in_the_learners_language() -> None:
    spec = make_spec(model="perceptron", optimizer="sgd").to_dict()
    both = train_job(spec, "both").result.contract("both")
    assert both["explanation"].index("सीधी line") < both["explanation"].index("one straight line")
    assert "not linearly separable" in train_job(spec, "en").result.contract("en")["explanation"]
    assert "linearly separable नहीं" in train_job(spec, "hi").result.contract("hi")["explanation"]


def test_divergence_explanation_exists_in_both_hindi_first() -> None:
    result = train_job(make_spec(optimizer="sgd", lr=10).to_dict(), "both").result.contract("both")
    text = result["explanation"]
    assert "बहुत बड़ा" in text and "too large" in text
    assert text.index("बहुत बड़ा") < text.index("too large")


ACCURACY_NAMED = [("xor", "training accuracy"), ("moons", "test accuracy")]


def _titles_drawn(
    monkeypatch: pytest.MonkeyPatch, drawer: str, dataset: str
) -> tuple[TrainOutcome, list[str]]:
    """Train `dataset` briefly and record the English title each call of `run_pictures.<drawer>` got."""
    titles: list[str] = []
    drawn = getattr(run_pictures, drawer)

    def recording(*args: Any, **kwargs: Any) -> bytes:
        titles.append(kwargs["title"].pick("en"))
        result: bytes = drawn(*args, **kwargs)
        return result

    monkeypatch.setattr(run_pictures, drawer, recording)
    return train_job(make_spec(dataset=dataset, epochs=50).to_dict(), "en"), titles


@pytest.mark.parametrize(("dataset", "measured"), ACCURACY_NAMED)
def test_the_boundary_title_says_which_accuracy_it_shows(
    dataset: str, measured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XOR's four points are all trained on; moons holds points out, and its title shows those."""
    outcome, titles = _titles_drawn(monkeypatch, "decision_boundary_png", dataset)
    held_out = outcome.result.test_accuracy is not None
    assert held_out is (dataset == "moons")
    assert titles and measured in titles[0]


@pytest.mark.parametrize(("dataset", "measured"), ACCURACY_NAMED)
def test_the_loss_curve_title_names_the_same_accuracy_as_the_boundary(
    dataset: str, measured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, titles = _titles_drawn(monkeypatch, "loss_curve_png", dataset)
    assert titles and f"· {measured} " in titles[0], titles
