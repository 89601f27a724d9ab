"""Names of the teaching figures that lessons may show (drawn by bot/training/worker/lesson_figures.py).

Kept here, free of matplotlib, so the content check can verify references without drawing.
"""

from __future__ import annotations

FIGURES: dict[str, str] = {
    "neuron-diagram": "one artificial neuron: inputs, weights, weighted sum + bias, activation, output",
    "neuron-comparison": "a biological neuron beside an artificial one, each part paired with its twin",
    "perceptron-diagram": "a perceptron: inputs straight to one output unit with a step function",
    "mlp-diagram": "a multi-layer perceptron: input, hidden layer(s), output",
    "perceptron-xor": "a perceptron trained on XOR: its straight decision boundary fails",
    "mlp-xor": "a small MLP trained on XOR: its curved decision boundary succeeds",
    "activations": "sigmoid, tanh, ReLU, leaky ReLU and their derivatives; vanishing and dying regions",
    "loss-functions": "MSE, MAE and BCE as the prediction moves away from the target",
    "lr-sweep": "one problem trained with a too-small, a good and a too-large learning rate",
    "optimizers": "SGD, Momentum, RMSProp and Adam from the same start on one problem",
    "training-loop": "forward pass, loss, backward pass, optimizer step, repeated for epochs",
}
