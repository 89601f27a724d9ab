"""The class heat map: one row per learner, Devanagari names drawn, grey where nothing was answered."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot.training.worker.draw.class_heatmap import NO_ANSWERS, class_heatmap

DATA = {
    "learners": ["Asha", "मीरा"],
    "lessons": ["The neuron", "Perceptron"],
    "scores": [[1.0, None], [0.0, 0.5]],
    "title": "हर learner की हर lesson में महारत",
    "note": "Grey: no quiz answers yet.",
}


def test_cells_are_coloured_by_mastery_and_grey_without_answers() -> None:
    picture = Image.open(io.BytesIO(class_heatmap(DATA))).convert("RGB")
    pixels = np.asarray(picture)
    grey = tuple(int(NO_ANSWERS[i : i + 2], 16) for i in (1, 3, 5))
    colours = {tuple(p) for p in pixels.reshape(-1, 3)}
    assert grey in colours  # Asha has not answered the perceptron
    assert (26, 152, 80) in colours and (215, 48, 31) in colours  # mastered and weak cells
    taller = class_heatmap({**DATA, "learners": DATA["learners"] * 10, "scores": DATA["scores"] * 10})
    assert Image.open(io.BytesIO(taller)).height > picture.height  # a row per learner


def test_scores_that_do_not_fit_the_names_are_refused() -> None:
    with pytest.raises(ValueError, match="one row per learner"):
        class_heatmap({**DATA, "scores": [[1.0, 0.5]]})
