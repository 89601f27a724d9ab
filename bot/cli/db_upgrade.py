"""`python -m bot db upgrade`: migrate the database named by the settings to the newest revision."""

from __future__ import annotations

import argparse
import asyncio


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `db upgrade`."""
    parser.add_argument("--url", default=None, help="database URL (default: DATABASE_URL from the settings)")
    parser.add_argument("--revision", default="head", help="target revision (default: head)")


def run(args: argparse.Namespace) -> int:
    """Run the migrations; exit 0 on success."""
    from bot.config import get_settings
    from bot.db.engine import upgrade

    url = args.url or get_settings().database_url
    asyncio.run(upgrade(url, args.revision))
    print(f"database is at revision {args.revision}")
    return 0
