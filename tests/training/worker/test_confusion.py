"""The confusion matrix of a classification run: counted on the held-out points (else the training
points), it sums to that set's size, agrees with the accuracy, and a perfect model fills the diagonal."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from bot.training.results import Confusion
from bot.training.spec import make_spec
from bot.training.worker.datasets import make_dataset
from bot.training.worker.runner import confusion_matrix
from bot.training.worker.runner import train as train_run


@pytest.mark.parametrize("dataset", ["moons", "circles", "spiral", "gauss"])
def test_a_split_dataset_counts_its_held_out_points(dataset: str) -> None:
    result = train_run(make_spec(dataset, epochs=200)).result
    data = make_dataset(dataset, 0)
    confusion = result.confusion
    assert confusion is not None and confusion.on == "test"
    assert confusion.total == data.x_test.shape[0]
    assert len(confusion.matrix) == data.n_classes
    # each row holds the test points of that true class
    for c, row in enumerate(confusion.matrix):
        assert sum(row) == int((data.y_test == c).sum())
    assert result.test_accuracy == pytest.approx(confusion.correct / confusion.total)


def test_a_gate_counts_its_training_points_and_a_perfect_run_is_diagonal() -> None:
    result = train_run(make_spec("xor")).result  # XOR with Adam reaches 100 % (test_runner)
    assert result.train_accuracy == 1.0
    assert result.confusion == Confusion("train", ((2, 0), (0, 2)))


def test_a_model_that_knows_every_answer_gives_a_diagonal() -> None:
    spec = make_spec("spiral", epochs=1)
    data = make_dataset("spiral", 0)
    answers = {tuple(x.tolist()): int(y) for x, y in zip(data.x_test, data.y_test, strict=True)}

    class Oracle(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            scores = torch.zeros(x.shape[0], 3)
            for i, point in enumerate(x):
                scores[i, answers[tuple(point.tolist())]] = 1.0
            return scores

    confusion = confusion_matrix(spec, Oracle(), data)
    assert confusion is not None
    per_class = [int((data.y_test == c).sum()) for c in range(3)]
    assert confusion.matrix == tuple(tuple(per_class[r] if r == c else 0 for c in range(3)) for r in range(3))


def test_a_model_that_always_says_class_0_fills_the_first_column() -> None:
    spec = make_spec("moons", epochs=1)
    data = make_dataset("moons", 0)

    class Zero(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return torch.full((x.shape[0], 1), -5.0)  # a BCE logit far below 0: class 0

    confusion = confusion_matrix(spec, Zero(), data)
    assert confusion is not None
    assert [row[1] for row in confusion.matrix] == [0, 0]
    assert [row[0] for row in confusion.matrix] == [int((data.y_test == c).sum()) for c in range(2)]


def test_regression_has_no_confusion_matrix() -> None:
    assert train_run(make_spec("linear", epochs=20)).result.confusion is None


def test_the_table_and_the_contract() -> None:
    confusion = Confusion("test", ((26, 1), (3, 20)))
    assert confusion.contract() == {"on": "test", "matrix": [[26, 1], [3, 20]], "total": 50}
    assert confusion.table().splitlines() == ["true\\pred   0   1", "0          26   1", "1           3  20"]
    assert "50 held-out test points" in confusion.text("en")
    assert "50 training points" in Confusion("train", ((25, 0), (0, 25))).text("en")
    assert "अलग रखे गए 50 test points" in confusion.text("hi")
