"""`python -m bot worker [--processes N] [--broker redis://…]`: serve the job queue (issue 13).

Starts N warm worker processes (worker side imported, an optimizer step taken and a figure drawn before
each takes a job), one job at a time each, and replaces one that dies; SIGTERM or Ctrl-C stops them after
their current job. It may run on another machine than the bot: it needs the same Redis and the package.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `worker`."""
    parser.add_argument(
        "--processes", type=int, default=1, help="warm worker processes to keep (one per core is right)"
    )
    parser.add_argument(
        "--broker", default=None, help="Redis URL of the job queue (default: TUTOR_BROKER_URL)"
    )


def run(args: argparse.Namespace) -> int:
    """Serve the queue until SIGTERM or Ctrl-C; exit 2 without a broker URL."""
    from bot.config import get_settings
    from bot.log import setup_logging
    from bot.training.jobs import PRELOAD, WARM_UP
    from bot.training.queue import supervise

    settings = get_settings()
    url = args.broker or settings.broker_url
    if not url:
        print("worker: no job queue: set TUTOR_BROKER_URL=redis://… or pass --broker", file=sys.stderr)
        return 2
    if not 1 <= args.processes <= 64:
        print("worker: --processes must be between 1 and 64", file=sys.stderr)
        return 2
    setup_logging(settings.log_level)  # only for a worker that runs: a refusal configures nothing
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    timeout = settings.training_timeout_seconds
    counts = supervise(url, args.processes, (WARM_UP,), PRELOAD, timeout, stop, settings.log_level)
    print(f"worker: stopped ({counts['started']} processes started, {counts['replaced']} replaced)")
    return 0
