"""`python -m bot export "<free text>" [--json] [--lang en|hi|both]`: the PyTorch script of a run on stdout.

Any request `train` or `compare` accepts — one run, an optimizer comparison, one setting compared — is
written as a plain, seeded script that reproduces it and prints its final loss (`final_loss=…`, or
`final_loss[<name>]=…` per run of a comparison). Nothing is trained here: the script does the training.
`--data FILE.csv` (or points typed after 'points:') writes the learner's own points inline.
A refused request exits 2 with its message (`--json`: {"error": {...}}).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.refusal import report_refusal
from bot.errors import InvalidRequest


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the export subcommand."""
    parser.add_argument("text", help='the run to write as code, e.g. "train XOR with Adam"')
    parser.add_argument(
        "--data", type=Path, default=None, help="your own points: FILE.csv of x1,x2,label or x,y rows"
    )
    parser.add_argument("--json", action="store_true", help="a refusal as one JSON object")
    parser.add_argument("--lang", choices=("en", "hi", "both"), default="en", help="language of a refusal")


def run(args: argparse.Namespace) -> int:
    """Parse the request and print its script; a refused request exits 2."""
    from bot.cli.train import read_data_file
    from bot.training.export import export_script
    from bot.training.parse import parse_request

    try:
        data = read_data_file(args.data) if args.data is not None else None
        spec = parse_request(args.text, data)
    except InvalidRequest as err:
        return report_refusal(err, args, 2)
    print(export_script(spec), end="")
    return 0
