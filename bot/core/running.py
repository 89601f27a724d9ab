"""A learner's running job: what they are told while it waits and runs (queue place, the workers'
warm-up, a progress bar with epochs and loss), and the one rule for stopping it (only the learner who
asked may; both front doors call `cancel_run`: Discord's Cancel button, the console's Ctrl-C)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TypeVar

from bot.core.learners import Learner
from bot.core.replies import Action, Reply, notice
from bot.core.status import JobReport, Stage, Status
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest
from bot.i18n import say, tr
from bot.training.results import Progress

T = TypeVar("T")
BAR_CELLS = 10
CANCEL = "train.cancel"  # the Cancel button's action kind


async def cancel_run(tutor: Tutor, learner: Learner, owner: int) -> None:
    """Cancel the job `owner` asked for, when `learner` is that learner: anyone else is refused
    ("cancel_not_yours"), a job already over is "nothing_to_cancel". With the queue, a job this process
    does not follow (another bot process took it over) is cancelled there, through Redis."""
    if learner.id != owner:
        raise InvalidRequest("cancel_not_yours")
    if tutor.runs.cancel(owner):
        return
    if tutor.handover is None or not await tutor.handover.cancel_elsewhere(owner):
        raise InvalidRequest("nothing_to_cancel")


def cancelled(learner: Learner) -> Reply:
    """What a learner reads in place of a run they cancelled."""
    return notice(say("train.cancelled", learner.lang), private=learner.private)


def progress_bar(fraction: float, cells: int = BAR_CELLS) -> str:
    """`fraction` (0 to 1) as a bar of filled and empty cells with its percentage."""
    filled = round(max(0.0, min(1.0, fraction)) * cells)
    return f"{'▓' * filled}{'░' * (cells - filled)} {round(fraction * 100):d} %"


def _warming(tutor: Tutor) -> bool:
    """Whether a job that waits now waits for the workers' warm-up (none runs a job, some are warming)."""
    stats = getattr(tutor.pool, "stats", None)
    if stats is None:
        return False
    figures = stats()
    return bool(figures.get("warming", 0)) and not figures.get("running", 0)


def _no_worker(tutor: Tutor) -> bool:
    """Whether jobs go to a queue that no worker serves now (they wait; nothing trains locally)."""
    stats = getattr(tutor.pool, "stats", None)
    return stats is not None and bool(stats().get("waiting_for_worker", False))


@dataclass
class JobWatch:
    """Tells `status` where one learner's job is; its callbacks go to `Jobs.train/compare/sweep`."""

    tutor: Tutor
    learner: Learner
    status: Status
    title: str

    def _report(self, stage: Stage, line: str = "", fraction: float | None = None) -> JobReport:
        label = tr("train.cancel_button").pick(self.learner.lang, one_line=True)
        button = Action(CANCEL, label, (self.learner.id,), "danger", "✖️")
        return JobReport(stage, self.title, line, fraction, button)

    async def start(self) -> None:
        """The request is taken: its title, with the Cancel button."""
        await self.status.progress(self._report("starting"))

    async def queued(self, position: int) -> None:
        """The job waits: its place, that the workers are still warming up, or that none serves the queue."""
        lang = self.learner.lang
        if _no_worker(self.tutor):
            await self.status.progress(self._report("queued", say("train.waiting_for_worker", lang)))
        elif _warming(self.tutor):
            await self.status.progress(self._report("warming", say("train.warming_up", lang)))
        else:
            await self.status.progress(self._report("queued", say("train.queued", lang, position=position)))

    async def progress(self, progress: Progress) -> None:
        """The job runs: a bar, the epoch and the latest loss."""
        lang, bar = self.learner.lang, progress_bar(progress.fraction)
        if progress.loss is None:
            line = say("train.progress", lang, bar=bar, done=progress.done, total=progress.total)
        else:
            line = say(
                "train.progress_loss",
                lang,
                bar=bar,
                done=progress.done,
                total=progress.total,
                loss=f"{progress.loss:.4g}",
            )
        await self.status.progress(self._report("running", line, progress.fraction))

    async def run(self, work: Awaitable[T]) -> T | None:
        """`work` as the learner's cancellable job; None when they cancelled it. The status shows no
        progress once it is over."""
        try:
            return await self.tutor.runs.run(self.learner.id, work)
        finally:
            with contextlib.suppress(Exception):  # showing progress must never fail the answer
                await self.status.finished()
