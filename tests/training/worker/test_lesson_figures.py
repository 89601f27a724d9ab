"""Every figure a lesson may name can be drawn, in both languages, as a decodable PNG."""

from __future__ import annotations

import re

import pytest

from bot.content.figures import FIGURES
from bot.content.loader import load_catalog
from bot.errors import InvalidRequest
from bot.training import comparison, figures
from bot.training.charts import progress_chart
from bot.training.diagrams import spec_diagram, spec_layers
from bot.training.spec import make_compare_spec, make_spec
from bot.training.visual_jobs import activation_job, backprop_job, diagram_job, figure_job, progress_chart_job
from tests.visuals.conftest import png_size


def test_drawable_names_are_exactly_the_lesson_figures() -> None:
    assert set(figures.DRAWERS) == set(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_figure_renders(name: str, lang: str) -> None:
    width, height = png_size(figures.draw_figure(name, lang))
    assert 700 <= width <= 1200 and 400 <= height <= 900


def test_hindi_and_english_pictures_differ() -> None:
    assert figures.draw_figure("training-loop", "en") != figures.draw_figure("training-loop", "hi")


def test_unknown_figure_is_refused() -> None:
    with pytest.raises(InvalidRequest) as info:
        figures.draw_figure("nonexistent", "en")
    assert info.value.code == "unknown_figure"


def test_perceptron_rule_cannot_do_better_than_three_of_four_on_xor() -> None:
    _, _, accuracy = figures.perceptron_rule(epochs=200)
    assert accuracy == 0.75


def test_activation_derivatives_match_finite_differences() -> None:
    z = figures.Z[(abs(figures.Z) > 0.05)]  # away from ReLU's kink
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        _, slope = figures.activation_values(name, z)
        h = 1e-5
        numeric = (figures.activation_values(name, z + h)[0] - figures.activation_values(name, z - h)[0]) / (
            2 * h
        )
        assert abs(numeric - slope).max() < 1e-5, name


def test_one_activation_on_request_with_typos_and_refusals() -> None:
    assert png_size(activation_job("ReLU", "hi")["images"][0]["png"]) == (1000, 620)
    assert activation_job("all", "en")["images"][0]["name"] == "activations"
    with pytest.raises(InvalidRequest) as info:
        figures.activation_figure("swishh", "en")
    assert info.value.code == "unknown_activation"


def test_diagram_of_any_spec_collapses_wide_layers() -> None:
    spec = make_spec("spiral", hidden=[64, 16, 3], activation="relu")
    layers = spec_layers(spec)
    assert [layer.width for layer in layers] == [2, 64, 16, 3, 3]
    assert layers[-1].activation == "softmax" and layers[1].activation == "relu"
    assert png_size(spec_diagram(spec, "hi")) == (1000, 620)
    assert spec_layers(make_spec("linear"))[-1].activation == "linear"
    out = diagram_job(make_compare_spec("xor").to_dict(), "en")
    assert png_size(out["images"][0]["png"])[0] == 1000


def test_progress_chart_from_either_shape_of_plain_data() -> None:
    days = [f"2025-03-{d:02d}" for d in range(1, 31)]
    xp = [d % 4 * 10 for d in range(30)]
    accuracy = [None if d % 3 == 0 else 0.5 + d / 100 for d in range(30)]
    as_lists = progress_chart({"days": days, "xp": xp, "accuracy": accuracy}, "hi")
    as_rows = progress_chart(
        [{"day": d, "xp": x, "accuracy": a} for d, x, a in zip(days, xp, accuracy, strict=True)], "hi"
    )
    assert as_lists == as_rows
    assert png_size(as_lists) == (1000, 560)
    assert png_size(progress_chart_job({"days": [], "xp": []}, "en")["images"][0]["png"])[0] == 1000
    with pytest.raises(ValueError):
        progress_chart({"days": days, "xp": xp[:3]}, "en")


def test_figure_and_backprop_jobs_return_plain_data() -> None:
    assert figure_job("neuron-diagram", "en")["images"][0]["png"][:4] == b"\x89PNG"
    walk = backprop_job({"network": "2-2-1"}, "hi")
    assert walk["agreement"]["max_abs_diff"] < 1e-9
    assert "हाथ से" in walk["text_hi"]


def test_backprop_job_takes_the_slash_commands_single_numbers() -> None:
    walk = backprop_job({"x": 2.0, "y": 0.0, "w": 0.5, "b": -0.25}, "en")
    assert walk["inputs"]["x"] == [2.0, 0.0]
    assert walk["inputs"]["weights"]["w1"] == 0.5 and walk["inputs"]["weights"]["b"] == -0.25
    assert walk["forward"]["z"] == pytest.approx(0.75)


def test_mlp_diagram_is_the_network_of_the_lessons_pytorch_code() -> None:
    lesson = load_catalog().lesson("perceptron")
    diagram = next(s for s in lesson.sections if s.figure == "mlp-diagram")
    code = next(s.code.source for s in lesson.sections if s.code and "nn.Linear" in s.code.source)
    linears = [(int(a), int(b)) for a, b in re.findall(r"nn\.Linear\((\d+),\s*(\d+)\)", code)]
    sizes = [linears[0][0], *(b for _, b in linears)]
    assert [layer.width for layer in figures.MLP_LAYERS] == sizes == [3, 5, 1]
    assert [layer.activation for layer in figures.MLP_LAYERS[1:]] == ["ReLU", "Sigmoid"]
    assert "3 inputs, 5 hidden neurons" in diagram.body.en


def test_lesson_ones_visual_comparison_shows_the_comparison_figure() -> None:
    lesson = load_catalog().lesson("neuron")
    section = next(s for s in lesson.sections if s.id == "visual")
    assert section.figure == "neuron-comparison" and "neuron-comparison" in FIGURES
    pairs = [(bio[0].split("\n")[0], art[0].split("\n")[0]) for _, _, bio, art in comparison.PAIRS]
    assert pairs == [
        ("dendrites", "inputs"),
        ("synapses", "weights"),
        ("soma", "Σ wᵢxᵢ + b"),
        ("axon hillock", "f(z)"),
        ("axon → terminals", "output"),
    ]
    assert figures.draw_figure("neuron-comparison", "hi") != figures.draw_figure("neuron-comparison", "en")


@pytest.mark.parametrize("name", sorted(set(figures.DRAWERS) - {"perceptron-xor", "mlp-xor"}))
def test_lesson_figures_in_both_languages_use_the_hindi_labels(name: str) -> None:
    # 'both' draws Hindi labels (technical terms stay English in them); no title may stay English-only
    assert figures.draw_figure(name, "both") == figures.draw_figure(name, "hi")


def test_spec_diagram_in_both_languages_uses_the_hindi_title() -> None:
    spec = make_spec("xor")
    assert spec_diagram(spec, "both") == spec_diagram(spec, "hi") != spec_diagram(spec, "en")
