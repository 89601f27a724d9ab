"""`python -m bot console [--out-dir DIR] [--lang hi|en|both] [--db URL]`: the offline front door."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the console (also used by `run` when no token is set)."""
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=None,
        help="where pictures are written (default: TUTOR_OUT_DIR, ./out)",
    )
    parser.add_argument(
        "--lang", choices=("hi", "en", "both"), default=None, help="language (default: your stored choice)"
    )
    parser.add_argument("--db", default=None, help="database URL (default: DATABASE_URL from the settings)")


def run(args: argparse.Namespace) -> int:
    """Start the console on stdin/stdout; exit 0 on quit, end of input or Ctrl-C."""
    from bot.config import get_settings
    from bot.console import run_console

    settings = get_settings()
    if getattr(args, "db", None):
        settings = settings.model_copy(update={"database_url": args.db})
    out_dir = getattr(args, "out_dir", None) or settings.out_dir
    return run_console(settings, out_dir=out_dir, lang=getattr(args, "lang", None))
