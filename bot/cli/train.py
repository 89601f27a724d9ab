"""`python -m bot train "<free text>" [--out FILE.png] [--json] [--dry-run] [--lang en|hi|both]`, and
`python -m bot train --replay CODE [--more M] [--json]` (the run a replay code names; M epochs further);
`--gif FILE.gif` also writes the run learning as an animated GIF; `--data FILE.csv` trains on the
learner's own points (`x1,x2,label` or `x,y` per line; such a run has no replay code: `replay` is null).
`--show units` also draws each unit of the first hidden layer (`hidden_units`, written next to the
other pictures and listed in `images`).

Runs the same entry point as the bot's workers (`bot.training.worker.tasks.train`), in this process:
the command line is not the bot, so it may import torch (inside `run`, never at module level); with
TUTOR_BROKER_URL set it goes to the job queue's workers instead (`bot.cli.tasks.run_task`).
Like a worker it trains on one intra-op thread: `runner.train` sets that for whichever process runs it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.refusal import report_refusal
from bot.errors import InvalidRequest, TutorError
from bot.i18n import say, tr

if TYPE_CHECKING:
    from bot.training.custom_data import CustomData
    from bot.training.results import Picture, RunResult
    from bot.training.spec import TrainSpec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the train subcommand."""
    parser.add_argument(
        "text",
        nargs="?",
        default=None,
        help='what to train, e.g. "train XOR with Adam" or "xor ko adam se train karo"',
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="train on your own points: FILE.csv of x1,x2,label or x,y rows",
    )
    parser.add_argument("--replay", default=None, help="the replay code under a run: train that run again")
    parser.add_argument(
        "--more", type=int, default=0, help="then keep training M epochs further (its weights and optimizer)"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help="write the loss curve here (FILE.png); the second picture "
        "(decision boundary or fitted line) goes next to it as FILE_<name>.png"
    )  # fmt: skip
    parser.add_argument(
        "--gif", type=Path, default=None, help="also write the run learning as an animated GIF (FILE.gif)"
    )
    parser.add_argument(
        "--show",
        choices=("units",),
        action="append",
        default=[],
        help="also draw a picture: 'units' = each hidden unit's own boundary (2-D classification only)",
    )
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object")
    parser.add_argument("--dry-run", action="store_true", help="parse and validate only; print the spec")
    parser.add_argument(
        "--lang", choices=("en", "hi", "both"), default="en", help="language of text and pictures"
    )


def _write_images(pictures: Sequence[Picture], out: Path) -> list[str]:
    out.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, picture in enumerate(pictures):
        path = out if i == 0 else out.with_name(f"{out.stem}_{picture.name}{out.suffix or '.png'}")
        path.write_bytes(picture.png)
        paths.append(str(path))
    return paths


def _summary(result: RunResult, lang: str) -> str:
    acc = "—" if result.accuracy is None else f"{result.accuracy * 100:.1f}%"
    summary = tr(
        "train.summary",
        epochs=result.epochs_run,
        loss=result.final_loss,
        accuracy=acc,
        seconds=result.seconds,
    )
    lines = [summary.pick(lang)]
    explanation = result.explanation_in(lang)  # why it diverged, crawled or cannot work
    if explanation:
        lines.append(explanation)
    if result.confusion is not None:
        lines.append(result.confusion.text(lang, fenced=False))  # a terminal: no markdown
    return "\n".join(lines)


def _requested_spec(args: argparse.Namespace) -> TrainSpec:
    """The spec the text or the replay code asks for (a code comes alone)."""
    from bot.training.parse import parse_request
    from bot.training.replay import spec_of_replay
    from bot.training.spec import TrainSpec

    if args.replay is not None:
        if args.text is not None or args.data is not None:
            raise InvalidRequest("replay_with_options")
        return spec_of_replay(args.replay)
    data = read_data_file(args.data) if args.data is not None else None
    if (args.text is None or not args.text.strip()) and data is None:
        raise InvalidRequest("need_request")
    spec = parse_request(args.text or "", data)
    if not isinstance(spec, TrainSpec):
        raise InvalidRequest("use_compare")
    return spec


def read_data_file(path: Path) -> CustomData:
    """The points of `--data FILE.csv`: its size checked before it is read; a missing file is refused."""
    from bot.training.custom_data import MAX_CSV_BYTES, read_csv

    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise InvalidRequest("data_file_too_large", max_kb=MAX_CSV_BYTES // 1024, kb=-(-size // 1024))
        return read_csv(path.read_bytes())
    except OSError:
        raise InvalidRequest("data_no_file", name=str(path)[:60].replace("`", "'")) from None


def run(args: argparse.Namespace) -> int:
    """Parse, train and report; a refused request exits 2 with {"error": {...}} (JSON) or its message."""
    from bot.training.spec import check_shows_units, longer_run

    units = "units" in args.show
    try:
        spec = _requested_spec(args)
        if args.more:
            shown = longer_run(spec, args.more)  # refuses a total past the epochs limit
        if units:
            check_shows_units(spec)  # regression or a perceptron: nothing to draw, refused before training
    except InvalidRequest as err:
        return report_refusal(err, args, 2)
    if args.dry_run:
        planned = shown if args.more else spec
        print(
            json.dumps({"spec": planned.to_dict()}, ensure_ascii=False) if args.json else planned.describe()
        )
        return 0

    from bot.cli.tasks import run_task
    from bot.training.jobs import ANIMATE, TRAIN

    try:
        kwargs = {"spec": spec.to_dict(), "lang": args.lang, "more": args.more, "units": units}
        outcome = run_task(TRAIN, kwargs, args.lang)
        animation = run_task(ANIMATE, {"spec": outcome.spec.to_dict()}, args.lang) if args.gif else None
    except TutorError as err:
        return report_refusal(err, args, 1)
    paths = _write_images(outcome.pictures, args.out) if args.out else []
    if animation is not None:
        args.gif.parent.mkdir(parents=True, exist_ok=True)
        args.gif.write_bytes(animation.gif)
    if args.json:
        images = [
            {"name": picture.name, "bytes": len(picture.png), **({"path": paths[i]} if paths else {})}
            for i, picture in enumerate(outcome.pictures)
        ]
        if animation is not None:
            images.append({"name": "training_animation", "bytes": len(animation.gif), "path": str(args.gif)})
        result = outcome.contract(args.lang)
        print(
            json.dumps(
                {"spec": outcome.spec.to_dict(), "result": result, "images": images}, ensure_ascii=False
            )
        )
        return 0
    print(outcome.spec.describe())
    print(_summary(outcome.result, args.lang))
    if outcome.replay is None:  # the learner's own points: no short code can carry them
        print(say("train.own_data_footer_cli", args.lang))
    else:
        print(say("train.replay_footer", args.lang, code=outcome.replay))
    for path in paths:
        print(path)
    if args.gif:
        print(args.gif)
    return 0
