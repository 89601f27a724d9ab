"""`python -m bot compare "<free text>" [--out FILE.png] [--json] [--dry-run] [--code] [--lang en|hi|both]`.

Optimizers ("compare sgd and adam on xor") or one other setting ("compare relu tanh sigmoid on moons",
"compare 2 4 8 hidden on xor", "compare lr 0.01 0.1 1 on xor with sgd"; JSON `{"spec": {…, "vary",
"values"}, "runs": [{<setting>: value, "final_loss", "accuracy", "diverged", …}], "images"}`).
Runs the same entry points as the bot's workers (`bot.training.worker.tasks.compare` /
`compare_setting`) in this process (through the job queue when TUTOR_BROKER_URL is set); torch is
imported inside `run`, never at module level. `--data FILE.csv` compares on the learner's own points (as
`train --data`).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.refusal import report_refusal
from bot.errors import InvalidRequest, TutorError

if TYPE_CHECKING:
    from bot.i18n import Bilingual
    from bot.training.results import Picture
    from bot.training.spec import VarySpec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the compare subcommand."""
    parser.add_argument("text", help='what to compare, e.g. "compare sgd and adam on xor"')
    parser.add_argument(
        "--data", type=Path, default=None, help="your own points: FILE.csv of x1,x2,label or x,y rows"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the comparison chart here (FILE.png)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    parser.add_argument("--dry-run", action="store_true", help="parse and validate only; print the spec")
    parser.add_argument("--code", action="store_true", help="print the PyTorch script that reproduces it")
    parser.add_argument(
        "--lang", choices=("en", "hi", "both"), default="en", help="language of text and pictures"
    )


def run(args: argparse.Namespace) -> int:
    """Parse, train all optimizers together and report; a refused request exits 2."""
    from bot.cli.train import read_data_file
    from bot.training.parse import parse_request
    from bot.training.spec import CompareSpec, VarySpec

    try:
        points = read_data_file(args.data) if args.data is not None else None
        spec = parse_request(args.text, points)
        if not isinstance(spec, CompareSpec | VarySpec):
            raise InvalidRequest("use_train")
    except InvalidRequest as err:
        return report_refusal(err, args, 2)
    if args.code:
        from bot.training.export import export_script

        print(export_script(spec))
        return 0
    if args.dry_run:
        print(json.dumps({"spec": spec.to_dict()}, ensure_ascii=False) if args.json else spec.describe())
        return 0
    if isinstance(spec, VarySpec):
        return _compare_setting(spec, args)

    from bot.cli.tasks import run_task
    from bot.training.jobs import COMPARE

    try:
        outcome = run_task(COMPARE, {"spec": spec.to_dict(), "lang": args.lang}, args.lang)
    except TutorError as err:
        return report_refusal(err, args, 1)
    image = _saved_chart(outcome.pictures[0], args.out)
    if args.json:
        data = {"spec": outcome.spec.to_dict(), "result": outcome.contract(), "images": [image]}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    _print_table(spec.describe(), outcome.table, image, args.lang)
    return 0


def _saved_chart(picture: Picture, out: Path | None) -> dict[str, Any]:
    """The chart written to `out` when one was given; its entry in the JSON `images`."""
    image: dict[str, Any] = {"name": picture.name, "bytes": len(picture.png)}
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(picture.png)
        image["path"] = str(out)
    return image


def _print_table(described: str, table: Bilingual, image: dict[str, Any], lang: str) -> None:
    """The comparison as text: what was compared, its table, and where the chart was written."""
    print(described)
    # 'both': each table whole, Hindi then English, a blank line between (columns must stay aligned)
    print({"en": table.en, "hi": table.hi}.get(lang, f"{table.hi}\n\n{table.en}"))
    if "path" in image:
        print(image["path"])


def _compare_setting(spec: VarySpec, args: argparse.Namespace) -> int:
    """One setting at several values: the runs, the chart and the table (or the JSON contract)."""
    from bot.cli.tasks import run_task
    from bot.training.jobs import COMPARE_SETTING

    try:
        outcome = run_task(COMPARE_SETTING, {"spec": spec.to_dict(), "lang": args.lang}, args.lang)
    except TutorError as err:
        return report_refusal(err, args, 1)
    image = _saved_chart(outcome.pictures[0], args.out)
    if args.json:
        data = {"spec": spec.to_dict(), "runs": outcome.contract(), "images": [image]}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    _print_table(spec.describe(), outcome.table, image, args.lang)
    return 0
