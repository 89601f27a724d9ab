"""`python -m bot backprop [--json] [--network neuron|2-2-1] [--lang en|hi|both]`: the walkthrough."""

from __future__ import annotations

import argparse
import json

from bot.cli.refusal import report_refusal
from bot.errors import InvalidRequest
from bot.training.spec import BACKPROP_NETWORKS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the backprop subcommand."""
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--network", choices=BACKPROP_NETWORKS, default="neuron", help="which network")
    parser.add_argument("--lang", choices=("en", "hi", "both"), default="en", help="language of the text")
    parser.add_argument("--x", default=None, help="the two inputs, e.g. '1,0.5'")
    parser.add_argument("--y", type=float, default=1.0, help="the target (default 1)")
    parser.add_argument(
        "--weights",
        default=None,
        help="weights in order: neuron 'w1,w2,b'; 2-2-1 'w11,w12,w21,w22,b1,b2,v1,v2,c'",
    )
    parser.add_argument(
        "--activation", default="sigmoid", help="sigmoid, tanh, relu or leaky_relu (2-2-1: the hidden layer)"
    )
    parser.add_argument("--loss", default="mse", help="mse or bce")
    parser.add_argument("--lr", type=float, default=0.5, help="learning rate η for the update step")


def _numbers(text: str | None, what: str) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
    except ValueError:
        raise InvalidRequest("backprop_not_a_number", what=what) from None


def run(args: argparse.Namespace) -> int:
    """Print the walkthrough (text or JSON); a refused value exits 2 with its code."""
    from bot.training.worker.backprop import walkthrough

    try:
        walk = walkthrough(
            network=args.network,
            x=_numbers(args.x, "--x"),
            y=args.y,
            weights=_numbers(args.weights, "--weights"),
            activation=args.activation,
            loss=args.loss,
            lr=args.lr,
        )
    except InvalidRequest as err:
        return report_refusal(err, args, 2)
    if args.json:
        print(json.dumps(walk.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(walk.lines(args.lang)))
    return 0
