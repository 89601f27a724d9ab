"""`python -m bot db upgrade`: migrate the database named by the settings to the newest revision."""

from __future__ import annotations

import argparse
import asyncio
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `db upgrade`."""
    parser.add_argument("--url", default=None, help="database URL (default: DATABASE_URL from the settings)")
    parser.add_argument("--revision", default="head", help="target revision (default: head)")


def run(args: argparse.Namespace) -> int:
    """Run the migrations; exit 0 on success, 1 with one line on stderr when the database fails."""
    from bot.config import get_settings
    from bot.db.engine import DatabaseUnavailable, masked_url, upgrade

    url = args.url or get_settings().database_url
    try:
        asyncio.run(upgrade(url, args.revision))
    except DatabaseUnavailable as err:
        print(err, file=sys.stderr)
        return 1
    print(f"database {masked_url(url)} is at revision {args.revision}")
    return 0
