"""How the CLI runs a worker entry point: in this process, or through the job queue when
TUTOR_BROKER_URL is set (then it trains nothing itself: it waits for a `python -m bot worker`)."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from bot.i18n import say


def run_task(target: str, kwargs: dict[str, Any], lang: str) -> Any:
    """`target(**kwargs)` (a `bot.training.jobs` name), here or on a queue worker; a TutorError either way."""
    from bot.config import get_settings

    url = get_settings().broker_url
    if not url:
        from bot.training.executor import resolve

        return resolve(target)(**kwargs)
    return asyncio.run(_queued(url, target, kwargs, lang))


async def _queued(url: str, target: str, kwargs: dict[str, Any], lang: str) -> Any:
    from bot.config import get_settings
    from bot.training.executor import Job
    from bot.training.queue import QueueExecutor

    settings = get_settings()
    queue = QueueExecutor(url, settings.training_timeout_seconds, wait_seconds=settings.training_wait_seconds)

    async def on_queued(position: int) -> None:
        # on stderr: stdout stays one JSON object with --json
        if queue.stats()["waiting_for_worker"]:
            print(say("train.waiting_for_worker", lang), file=sys.stderr, flush=True)
        else:
            print(say("train.queued", lang, position=position), file=sys.stderr, flush=True)

    try:
        return await queue.submit(Job(target, kwargs), learner="cli", on_queued=on_queued)
    finally:
        await queue.close()
