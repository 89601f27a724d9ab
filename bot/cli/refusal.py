"""How a command-line command reports a refused request: the contract's JSON error or the message."""

from __future__ import annotations

import argparse
import json
import sys

from bot.errors import TutorError


def report_refusal(err: TutorError, args: argparse.Namespace, exit_code: int = 2) -> int:
    """Print `{"error": {code, message_en, message_hi}}` with --json, else the message on stderr."""
    if args.json:
        print(json.dumps({"error": err.to_dict()}, ensure_ascii=False))
    else:
        print(err.message(args.lang), file=sys.stderr)
    return exit_code
