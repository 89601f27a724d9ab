"""A learner's running job: what they read while it waits and runs, and who may cancel it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from bot.core import training
from bot.core.learners import Learner
from bot.core.running import JobWatch, cancel_run, progress_bar
from bot.core.status import JobReport
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.training.executor import Job
from bot.training.parse import parse_request
from bot.training.results import Progress
from bot.training.spec import TrainSpec

XOR = parse_request("train xor with adam epochs 300")
assert isinstance(XOR, TrainSpec)


class Shown:
    """A status that keeps every report."""

    def __init__(self) -> None:
        self.reports: list[JobReport] = []
        self.finishes = 0

    async def working(self, text: str) -> None:
        """Not used by jobs."""

    async def progress(self, report: JobReport) -> None:
        self.reports.append(report)

    async def finished(self) -> None:
        self.finishes += 1


class Waiting:
    """A pool whose job waits at place 3, reports half its epochs, then never ends (until cancelled)."""

    def __init__(self, warming: bool = False, no_worker: bool = False) -> None:
        self.warming = warming
        self.no_worker = no_worker  # a job queue that no worker serves now
        self.started = asyncio.Event()

    def stats(self) -> dict[str, Any]:
        return {
            "warming": 1 if self.warming else 0,
            "running": 0 if self.warming else 2,
            "waiting_for_worker": self.no_worker,
        }

    async def close(self) -> None:
        """Nothing to stop."""

    async def submit(
        self, job: Job, *, learner: str, server: Any = None, on_queued: Any = None, on_progress: Any = None
    ) -> Any:
        await on_queued(3)
        await on_progress(Progress(150, 300, 0.04213))
        self.started.set()
        await asyncio.Event().wait()


def test_the_bar_shows_the_share_done() -> None:
    assert progress_bar(0.0) == "░░░░░░░░░░ 0 %"
    assert progress_bar(0.5) == "▓▓▓▓▓░░░░░ 50 %"
    assert progress_bar(1.0) == "▓▓▓▓▓▓▓▓▓▓ 100 %"


async def test_a_run_reports_its_place_and_progress_and_its_learner_cancels_it(
    tutor: Tutor, asha: Learner
) -> None:
    pool = Waiting()
    tutor.pool = pool  # type: ignore[assignment]
    shown = Shown()
    run = asyncio.create_task(training.train(tutor, asha, XOR, shown))
    await pool.started.wait()
    stages = [(r.stage, r.line) for r in shown.reports]
    assert stages == [
        ("starting", ""),
        ("queued", "⏳ Queued: position 3. Training starts soon…"),
        ("running", "▓▓▓▓▓░░░░░ 50 % · epoch 150/300 · loss 0.04213"),
    ]
    assert all(r.title.startswith("⚙️ Training `mlp") and r.cancel is not None for r in shown.reports)
    assert shown.reports[0].cancel is not None and shown.reports[0].cancel.args == (asha.id,)
    with pytest.raises(InvalidRequest) as refused:
        await cancel_run(tutor, replace(asha, id=202), asha.id)  # someone else
    assert refused.value.code == "cancel_not_yours" and not run.done()
    await cancel_run(tutor, asha, asha.id)
    reply = await run
    assert reply.note.startswith("✖️ Run cancelled") and not reply.cards
    assert shown.finishes == 1 and not tutor.runs.running(asha.id)
    assert await tutor.progress.training_runs(asha.id) == []  # nothing recorded
    with pytest.raises(InvalidRequest) as late:
        await cancel_run(tutor, asha, asha.id)
    assert late.value.code == "nothing_to_cancel"


async def test_a_run_made_during_the_warm_up_says_so_in_hindi(tutor: Tutor, asha: Learner) -> None:
    pool = Waiting(warming=True)
    tutor.pool = pool  # type: ignore[assignment]
    shown = Shown()
    hindi = replace(asha, lang="hi")
    run = asyncio.create_task(training.train(tutor, hindi, XOR, shown))
    await pool.started.wait()
    assert shown.reports[1].stage == "warming" and "तैयार हो रहे हैं" in shown.reports[1].line
    assert "300 में से 150 epochs पूरे" in shown.reports[2].line
    run.cancel()  # the caller itself stops (the bot shuts down): not a learner's cancel
    with pytest.raises(asyncio.CancelledError):
        await run
    assert not tutor.runs.running(asha.id)


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "No training worker is running"), ("hi", "कोई training worker नहीं")]
)
async def test_a_run_on_a_queue_no_worker_serves_says_it_waits_for_one(
    tutor: Tutor, asha: Learner, lang: str, words: str
) -> None:
    pool = Waiting(no_worker=True)
    tutor.pool = pool  # type: ignore[assignment]
    shown = Shown()
    run = asyncio.create_task(training.train(tutor, replace(asha, lang=lang), XOR, shown))
    await pool.started.wait()
    assert shown.reports[1].stage == "queued" and words in shown.reports[1].line
    assert "3" not in shown.reports[1].line  # no queue place: the wait is for a worker, not for others
    run.cancel()
    with pytest.raises(asyncio.CancelledError):
        await run


async def test_a_second_run_while_one_runs_is_refused(tutor: Tutor, asha: Learner) -> None:
    pool = Waiting()
    tutor.pool = pool  # type: ignore[assignment]
    spec = XOR
    first = asyncio.create_task(training.train(tutor, asha, spec, Shown()))
    await pool.started.wait()
    with pytest.raises(InvalidRequest) as refused:
        await training.train(tutor, asha, spec, Shown())
    assert refused.value.code == "already_running" and tutor.runs.running(asha.id)
    await cancel_run(tutor, asha, asha.id)
    await first


async def test_a_watch_without_a_pool_stats_never_claims_a_warm_up(tutor: Tutor, asha: Learner) -> None:
    class NoStats:
        async def close(self) -> None:
            """Nothing to stop."""

    tutor.pool = NoStats()  # type: ignore[assignment]
    shown = Shown()
    await JobWatch(tutor, asha, shown, "title").queued(2)
    assert shown.reports[0].stage == "queued"
