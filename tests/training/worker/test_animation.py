"""Watch it learn: the GIF decodes, keeps within 60 frames and 2 MB, moves, and spends frames where the
loss changes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from bot.training.spec import TrainSpec, make_spec
from bot.training.worker.animation import MAX_FRAMES, frame_epochs
from bot.training.worker.tasks import animate, train

MAX_BYTES = 2 * 1024 * 1024


def _frames(gif: bytes) -> list[np.ndarray]:
    image = Image.open(io.BytesIO(gif))
    assert image.format == "GIF"
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB")))
    return frames


@pytest.mark.parametrize(
    "spec",
    [
        make_spec("xor", "adam"),
        make_spec("spiral", "adam", hidden="32,32", epochs=1500),
        make_spec("linear", "sgd"),
        make_spec("moons", "momentum", epochs=300, seed=4),
    ],
    ids=lambda spec: spec.dataset,
)
def test_the_gif_decodes_within_limits_and_shows_training_move(spec: TrainSpec) -> None:
    done = animate(spec.to_dict())
    assert len(done.gif) <= MAX_BYTES
    frames = _frames(done.gif)
    assert len(frames) == len(done.epochs) <= MAX_FRAMES
    distinct = {frame.tobytes() for frame in frames}
    assert len(distinct) >= 10
    assert done.epochs[0] == 0 and done.epochs[-1] == spec.epochs
    assert list(done.epochs) == sorted(set(done.epochs))


def test_frames_gather_where_the_loss_changes_most() -> None:
    # a loss that falls fast for 100 epochs, then barely moves for 900
    losses = [1.0 - 0.009 * k for k in range(100)] + [0.1 - 1e-5 * k for k in range(900)]
    epochs = frame_epochs(losses)
    assert len(epochs) <= MAX_FRAMES and epochs[0] == 0 and epochs[-1] == 1000
    early = sum(1 for epoch in epochs if epoch <= 100)
    late = sum(1 for epoch in epochs if epoch >= 500)
    assert early > 2 * late > 0  # most frames where the loss fell; the flat end still moves


def test_a_flat_or_broken_curve_still_gets_even_frames() -> None:
    assert frame_epochs([0.5] * 200) == sorted(set(frame_epochs([0.5] * 200)))
    assert len(frame_epochs([0.5] * 200)) >= 50
    assert frame_epochs([1.0, float("inf"), float("nan")])[-1] == 3
    assert frame_epochs([0.3]) == [0, 1]


def test_the_last_frame_is_the_run_the_learner_saw() -> None:
    spec = make_spec("circles", "adam", epochs=400)
    done = animate(spec.to_dict())
    last = _frames(done.gif)[-1]
    assert done.epochs[-1] == train(spec.to_dict()).result.epochs_run
    assert last.shape[0] == last.shape[1]  # square frames
    # frames mix the regions' colours with the class colours, not one flat colour
    assert len(np.unique(last.reshape(-1, 3), axis=0)) > 4
