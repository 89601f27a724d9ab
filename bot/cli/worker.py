"""`python -m bot worker [--processes N] [--picture-processes M] [--broker redis://…]`: serve the job queue.

Starts N warm training worker processes (worker side imported, an optimizer step taken and a figure
drawn before each takes a job) and M picture workers (default 1: the picture lane, so lesson figures
and charts never wait behind training), one job at a time each, and replaces one that dies; SIGTERM or
Ctrl-C stops them after their current job. It may run on another machine than the bot: it needs the
same Redis and the package.
With `--metrics-port` (default TUTOR_METRICS_PORT) it serves `/metrics` (`tutor_worker_…` series).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.metrics import MetricsServer, WorkerMetrics


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `worker`."""
    parser.add_argument(
        "--processes", type=int, default=1, help="warm worker processes to keep (one per core is right)"
    )
    parser.add_argument(
        "--picture-processes",
        type=int,
        default=1,
        help="picture-lane processes besides them, drawing lesson figures and charts only (0: none)",
    )
    parser.add_argument(
        "--broker", default=None, help="Redis URL of the job queue (default: TUTOR_BROKER_URL)"
    )
    parser.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        help="serve Prometheus /metrics on this port, 0 for a free one (default: TUTOR_METRICS_PORT)",
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
    if not 0 <= args.picture_processes <= 16:
        print("worker: --picture-processes must be between 0 and 16", file=sys.stderr)
        return 2
    if args.metrics_port is not None and not 0 <= args.metrics_port <= 65535:
        print("worker: --metrics-port must be between 0 and 65535", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    port = args.metrics_port if args.metrics_port is not None else settings.metrics_port
    metrics: WorkerMetrics | None = None
    server: MetricsServer | None = None
    if port is not None:
        from bot.metrics import WorkerMetrics  # prometheus_client only when metrics are served

        metrics = WorkerMetrics()
        try:
            server = metrics.serve(port, settings.metrics_address)
        except OSError as exc:
            print(
                f"worker: cannot serve metrics on {settings.metrics_address}:{port}: {exc}", file=sys.stderr
            )
            return 2
        # stdout, flushed: whoever started it with port 0 reads where it listens
        print(f"worker: metrics on http://{settings.metrics_address}:{server.port}/metrics", flush=True)
    setup_logging(settings.log_level)  # only for a worker that runs: a refusal configures nothing
    timeout = settings.training_timeout_seconds
    try:
        counts = supervise(
            url,
            args.processes,
            (WARM_UP,),
            PRELOAD,
            timeout,
            stop,
            settings.log_level,
            metrics,
            picture_processes=args.picture_processes,
        )
    finally:
        if server is not None:
            server.close()
    print(f"worker: stopped ({counts['started']} processes started, {counts['replaced']} replaced)")
    return 0
