"""`python -m bot`: the command-line contract of docs/architecture.md.

Each subcommand lives in its own module under bot/cli/ with `add_arguments(parser)` and
`run(args) -> int`. Only the chosen command's module is imported, and those modules import nothing
heavy at module level (heavy imports happen inside `run`), so the main process never imports torch.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# command words -> (module under bot.cli, one-line help)
COMMANDS: dict[tuple[str, ...], tuple[str, str]] = {
    ("run",): ("run", "run the bot: Discord when DISCORD_TOKEN is set, else the offline console"),
    ("console",): ("console", "the offline console: lessons, quizzes, training, progress"),
    ("train",): ("train", "train a small network from a free-text request"),
    ("compare",): ("compare", "compare optimizers, or one setting's values, on one dataset"),
    ("export",): ("export", "print the PyTorch script that reproduces a run"),
    ("backprop",): ("backprop", "the backprop walkthrough with real numbers"),
    ("content", "check"): ("content_check", "validate every file under content/"),
    ("db", "upgrade"): ("db_upgrade", "migrate the database to the newest revision"),
    ("health",): ("health", "exit 0 when the database answers and the bot is connected"),
    ("worker",): ("worker", "serve the job queue of TUTOR_BROKER_URL: warm training workers"),
}


def _selected(argv: list[str]) -> tuple[str, ...] | None:
    """The command words that `argv` starts with, if any."""
    for words in COMMANDS:
        if tuple(argv[: len(words)]) == words:
            return words
    return None


def build_parser(selected: tuple[str, ...] | None = None) -> argparse.ArgumentParser:
    """The full command tree; only the selected command's module is imported to add its options."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    groups: dict[str, argparse._SubParsersAction[argparse.ArgumentParser]] = {}
    for words, (module_name, help_text) in COMMANDS.items():
        if len(words) == 1:
            sub = commands.add_parser(words[0], help=help_text, description=help_text)
        else:
            if words[0] not in groups:
                group_parser = commands.add_parser(words[0], help=f"{words[0]} commands")
                groups[words[0]] = group_parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
                group_parser.set_defaults(module=None, group_parser=group_parser)
            sub = groups[words[0]].add_parser(words[1], help=help_text, description=help_text)
        if words == selected:
            importlib.import_module(f"bot.cli.{module_name}").add_arguments(sub)
        sub.set_defaults(module=module_name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; `python -m bot` alone means `run`."""
    args_list = list(sys.argv[1:] if argv is None else argv) or ["run"]
    parser = build_parser(_selected(args_list))
    args = parser.parse_args(args_list)
    if getattr(args, "module", None) is None:
        (getattr(args, "group_parser", None) or parser).print_help()
        return 2
    module = importlib.import_module(f"bot.cli.{args.module}")
    try:
        return int(module.run(args))
    except BrokenPipeError:
        return _reader_gone()


SIGPIPE_EXIT = 141  # what a shell reports for a program stopped by SIGPIPE (128 + 13)


def _reader_gone() -> int:
    """The output's reader (`| head`) stopped reading: end quietly, as Unix tools do."""
    # Python flushes stdout once more at exit; pointing it at /dev/null keeps that from failing too
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return SIGPIPE_EXIT


if __name__ == "__main__":
    sys.exit(main())
