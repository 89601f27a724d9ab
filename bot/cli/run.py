"""`python -m bot` (or `python -m bot run`): Discord when a token is set, otherwise the offline console."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli import console as console_cli


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `run` (the console's, used when no token is set)."""
    console_cli.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Run the Discord bot until stopped, or the console when there is no token."""
    from pydantic import ValidationError

    from bot.config import get_settings, refused_settings

    try:
        settings = get_settings()
    except ValidationError as error:  # one line per refused setting, not a traceback
        print(refused_settings(error), file=sys.stderr)
        return 2
    if not settings.has_token:
        print("No DISCORD_TOKEN set: starting the offline console (type /help; quit to leave).", flush=True)
        return console_cli.run(args)
    from bot.cogs.bot import LoginRefused, MetricsUnavailable, run_bot  # the only path importing discord
    from bot.db.engine import DatabaseUnavailable

    try:
        asyncio.run(run_bot(settings))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    except (DatabaseUnavailable, LoginRefused, MetricsUnavailable) as err:  # one line, not a traceback
        print(err, file=sys.stderr)
        return 1
    return 0
