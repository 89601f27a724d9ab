"""Pictures the use cases show besides training results: lesson figures (drawn once, cached) and the
progress chart, drawn in the workers' picture lane (never behind training jobs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.status import Status
from bot.core.tutor import Tutor
from bot.errors import TutorError
from bot.log import get_logger

log = get_logger(__name__)


class WorkersBusy(Exception):
    """A picture would have to wait for a worker (every one busy drawing): the reply goes out without it."""


async def _give_up_when_queued(position: int) -> None:
    raise WorkersBusy(position)


async def lesson_figure(tutor: Tutor, name: str, lang: str, learner_id: int, status: Status) -> bytes | None:
    """Figure `name` in `lang`: cached, else drawn now (after `status.working`), else None when every
    worker is busy or the pool refuses (the page then says the picture is missing)."""
    png = tutor.figures.get(name, lang)
    if png is not None:
        return png
    await status.working("")
    try:
        drawing = await tutor.jobs.lesson_figure(
            name, lang, learner=f"figure:{learner_id}", on_queued=_give_up_when_queued
        )
    except WorkersBusy:
        log.info("lesson figure %s skipped: every worker is busy", name)
        return None
    except TutorError as error:
        log.info("lesson figure %s not drawn: %s", name, error.code)
        return None
    png = drawing.pictures[0].png
    tutor.figures.put(name, lang, png)
    return png


async def class_heatmap(tutor: Tutor, data: Mapping[str, Any], learner_id: int) -> bytes | None:
    """A class's mastery heat map, or None when the workers cannot draw it now."""
    try:
        drawing = await tutor.jobs.class_heatmap(dict(data), learner=f"class:{learner_id}")
    except TutorError as error:
        log.info("class heat map not drawn: %s", error.code)
        return None
    return drawing.pictures[0].png


async def progress_chart(
    tutor: Tutor, series: Mapping[str, Sequence[Any]], lang: str, learner_id: int
) -> bytes | None:
    """The 30-day XP and accuracy chart, or None when the workers cannot draw it now."""
    try:
        drawing = await tutor.jobs.progress_chart(dict(series), lang, learner=f"chart:{learner_id}")
    except TutorError as error:
        log.info("progress chart not drawn: %s", error.code)
        return None
    return drawing.pictures[0].png
