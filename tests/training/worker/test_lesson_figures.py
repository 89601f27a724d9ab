"""Every figure a lesson may name can be drawn, in both languages, as a decodable PNG."""

from __future__ import annotations

import re

import pytest

from bot.content.figures import FIGURES
from bot.content.loader import load_catalog
from bot.errors import InvalidRequest
from bot.training.spec import make_spec
from bot.training.worker import lesson_figures as figures
from bot.training.worker.draw import activations, neuron_comparison
from bot.training.worker.draw.activations import activation_figure
from bot.training.worker.draw.network_diagram import spec_diagram, spec_layers
from tests.training.worker.conftest import png_size


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
    z = activations.Z[(abs(activations.Z) > 0.05)]  # away from ReLU's kink
    for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
        _, slope = activations.activation_values(name, z)
        h = 1e-5
        above, below = (
            activations.activation_values(name, z + h)[0],
            activations.activation_values(name, z - h)[0],
        )
        numeric = (above - below) / (2 * h)
        assert abs(numeric - slope).max() < 1e-5, name


def test_an_unknown_activation_is_refused() -> None:
    with pytest.raises(InvalidRequest) as info:
        activation_figure("swishh", "en")
    assert info.value.code == "unknown_activation"


def test_diagram_of_any_spec_collapses_wide_layers() -> None:
    spec = make_spec("spiral", hidden=[64, 16, 3], activation="relu")
    layers = spec_layers(spec)
    assert [layer.width for layer in layers] == [2, 64, 16, 3, 3]
    assert layers[-1].activation == "softmax" and layers[1].activation == "relu"
    assert png_size(spec_diagram(spec, "hi")) == (1000, 620)
    assert spec_layers(make_spec("linear"))[-1].activation == "linear"


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
    pairs = [
        (neuron_comparison.part_label(part, name).en.split("\n")[0], art.split("\n")[0])
        for _, _, part, name, art in neuron_comparison.PAIRS
    ]
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
