"""The chain rule written out (models.Chain) gives autograd's gradients, bit for bit."""

from __future__ import annotations

import pytest
import torch

from bot.training.spec import make_spec
from bot.training.worker.datasets import make_dataset
from bot.training.worker.models import Chain, build_model, criterion, prepare_targets


@pytest.mark.parametrize(
    ("dataset", "options"),
    [
        ("xor", {"activation": "tanh"}),
        ("moons", {"activation": "sigmoid", "hidden": "6,4"}),
        ("circles", {"activation": "relu"}),
        ("spiral", {"activation": "leaky_relu"}),  # three classes: cross-entropy
        ("gauss", {"loss": "mse"}),  # a sigmoid output under MSE
        ("gauss", {"loss": "mae"}),
        ("linear", {}),  # regression
        ("and", {"model": "perceptron"}),
    ],
)
def test_chain_rule_gives_autograds_loss_and_gradients_exactly(
    dataset: str, options: dict[str, object]
) -> None:
    spec = make_spec(dataset, **options)  # type: ignore[arg-type]
    model = build_model(spec)
    data = make_dataset(dataset, 3)
    x, y = data.x_train, prepare_targets(spec, data.y_train)
    params = list(model.parameters())
    expected_loss = criterion(spec)(model(x), y)
    expected = torch.autograd.grad(expected_loss, params)
    chain = Chain(spec, model)
    with torch.no_grad():
        out, inputs = chain.forward(x)
        loss, d_out = chain.loss_and_grad(out, y)
        grads = chain.gradients(out, inputs, d_out)
    assert torch.equal(loss, expected_loss.detach())
    assert len(grads) == len(expected)
    for mine, theirs in zip(grads, expected, strict=True):
        assert mine.shape == theirs.shape and torch.equal(mine, theirs)
