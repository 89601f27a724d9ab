"""The hidden-units entry point: the same trained network as the run's, refused where there are no
2-D classes or no hidden layer, in both languages."""

from __future__ import annotations

import re

import numpy as np
import pytest

from bot.errors import InvalidRequest
from bot.training.spec import TrainSpec, make_spec
from bot.training.worker.run_pictures import UNIT_GRID, first_layer_grids
from bot.training.worker.runner import train as train_run
from bot.training.worker.tasks import train, units


def test_the_run_with_units_draws_the_same_picture_as_the_button() -> None:
    spec = make_spec("moons", epochs=80).to_dict()
    outcome = train(spec, "en", units=True)
    assert [p.name for p in outcome.pictures] == ["loss_curve", "decision_boundary", "hidden_units"]
    assert outcome.pictures[2].png == units(spec, "en").pictures[0].png  # retrained from its seed


def test_the_grids_are_each_units_weighted_input_and_its_activation() -> None:
    run = train_run(make_spec("xor", hidden=[3], activation="tanh", epochs=30))
    outputs, weighted = first_layer_grids(run, (-1.0, 2.0, -1.0, 2.0))
    assert outputs.shape == weighted.shape == (3, UNIT_GRID, UNIT_GRID)
    np.testing.assert_allclose(outputs, np.tanh(weighted), atol=1e-6)
    layer = run.model[0]
    w, b = layer.weight.detach().numpy(), layer.bias.detach().numpy()
    # the grid's corner (x₁, x₂) = (-1, -1) and its far corner (2, 2)
    np.testing.assert_allclose(weighted[:, 0, 0], w @ np.array([-1.0, -1.0]) + b, atol=1e-5)
    np.testing.assert_allclose(weighted[:, -1, -1], w @ np.array([2.0, 2.0]) + b, atol=1e-5)


@pytest.mark.parametrize(
    ("spec", "code"),
    [
        (make_spec("linear", epochs=5), "units_need_2d_classes"),
        (make_spec("gauss", model="perceptron", epochs=5), "units_need_hidden"),
    ],
)
def test_no_units_to_draw_is_refused_before_training(spec: TrainSpec, code: str) -> None:
    for call in (lambda: units(spec.to_dict(), "en"), lambda: train(spec.to_dict(), "en", units=True)):
        with pytest.raises(InvalidRequest) as refused:
            call()
        assert refused.value.code == code
        assert "hidden" in refused.value.message("en").lower()
        assert re.search("[\u0900-\u097f]", refused.value.message("hi"))  # said in Hindi too
