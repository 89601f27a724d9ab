"""`python -m bot console [--out-dir DIR] [--lang hi|en|both] [--db URL]`: the offline front door."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.console.first_line import FirstLine


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
    from bot.console.first_line import read_first_line

    # the prompt first: the learner types while the settings and the core (SQLAlchemy, content, the
    # database) are imported and built; a line typed meanwhile is told "Starting…" and waits
    try:
        # inside the try: the reader thread shows the prompt, and a Ctrl-C may come before it returns
        first_line = read_first_line()
        return _run(args, first_line)
    except KeyboardInterrupt:  # Ctrl-C at the first prompt, the core still being built: leaving
        from bot.config import get_settings
        from bot.i18n import say

        lang = getattr(args, "lang", None) or get_settings().default_language
        print("\n" + say("console.bye", lang), flush=True)
        return 0


def _run(args: argparse.Namespace, first_line: FirstLine) -> int:
    """Read the settings, then build the core and answer the first line and the ones after it."""
    from bot.config import get_settings
    from bot.i18n import say

    settings = get_settings()
    if getattr(args, "db", None):
        settings = settings.model_copy(update={"database_url": args.db})
    out_dir = getattr(args, "out_dir", None) or settings.out_dir
    lang = getattr(args, "lang", None)
    first_line.while_building(say("console.starting", lang or settings.default_language))
    from bot.console.terminal import run_console

    return run_console(settings, first_line, out_dir=out_dir, lang=lang)
