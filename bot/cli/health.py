"""`python -m bot health`: exit 0 when the database answers and, with a token, the heartbeat is fresh."""

from __future__ import annotations

import argparse
import asyncio
import sys

DB_TIMEOUT_SECONDS = 10.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `health`."""
    parser.add_argument("--quiet", action="store_true", help="print nothing when healthy")


async def _ping(url: str) -> None:
    from sqlalchemy import text

    from bot.db.engine import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def check(settings: object | None = None) -> str | None:
    """None when healthy, else the reason (one line)."""
    from bot.app import HEARTBEAT_STALE_SECONDS, heartbeat_age
    from bot.config import Settings, get_settings

    conf = settings if isinstance(settings, Settings) else get_settings()
    try:
        asyncio.run(asyncio.wait_for(_ping(conf.database_url), DB_TIMEOUT_SECONDS))
    except Exception as exc:  # any failure to answer is the reason, not a crash
        return f"database does not answer: {type(exc).__name__}: {exc}".splitlines()[0]
    if conf.discord_token is None:
        return None
    age = heartbeat_age(conf.heartbeat_file)
    if age is None:
        return f"no heartbeat from the Discord bot at {conf.heartbeat_file}"
    if age > HEARTBEAT_STALE_SECONDS:
        return f"the Discord bot's heartbeat is {age:.0f} s old (limit {HEARTBEAT_STALE_SECONDS:.0f} s)"
    return None


def run(args: argparse.Namespace) -> int:
    """Exit 0 when healthy, else 1 with the reason on stderr."""
    reason = check()
    if reason is not None:
        print(f"unhealthy: {reason}", file=sys.stderr)
        return 1
    if not args.quiet:
        print("healthy")
    return 0
