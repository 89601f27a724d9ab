"""`Tutor`: the services every use case shares (content, database, quiz, review, progress, learners,
training jobs), built once at start-up by `Tutor.create` and closed by `Tutor.close`.

It holds no Discord or terminal state; the use cases in `bot/core/` take it as their first argument.
"""

from __future__ import annotations

import asyncio
import gc
from collections import OrderedDict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.classroom.assignments import AssignmentService
from bot.classroom.live import LiveGame, LiveRecorder
from bot.classroom.questions import ServerBank, UploadService
from bot.classroom.report import ClassService
from bot.classroom.settings import SettingsService
from bot.classroom.threads import ThreadBook
from bot.config import Settings
from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.db.engine import create_engine, session_factory, upgrade_when_behind
from bot.errors import InvalidRequest
from bot.log import get_logger
from bot.progress.learners import LearnerService
from bot.progress.service import ProgressService
from bot.quiz.review import ReviewService
from bot.quiz.session import QuizService
from bot.training.executor import TrainingPool
from bot.training.jobs import Jobs, training_pool
from bot.training.scheduler import BudgetRule, ComputeBudget

if TYPE_CHECKING:
    from bot.training.handover import Handover
    from bot.training.queue import QueueExecutor  # imported when used: Redis costs 0.1 s at start-up

log = get_logger(__name__)

T = TypeVar("T")
FIGURE_CACHE_SIZE = 48  # every lesson figure in three languages, with room to spare


class FigureCache:
    """Drawn lesson figures by (name, lang); the least recently shown is dropped first."""

    def __init__(self, size: int = FIGURE_CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()

    def get(self, name: str, lang: str) -> bytes | None:
        """The PNG drawn earlier, or None."""
        png = self._items.get((name, lang))
        if png is not None:
            self._items.move_to_end((name, lang))
        return png

    def put(self, name: str, lang: str, png: bytes) -> None:
        """Remember a drawn PNG, forgetting the oldest beyond `size`."""
        self._items[(name, lang)] = png
        self._items.move_to_end((name, lang))
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every figure (content was reloaded)."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class Runs:
    """The jobs running or waiting now, by learner (one each), so the learner can cancel theirs."""

    def __init__(self) -> None:
        self._tasks: dict[int, asyncio.Future[Any]] = {}

    def running(self, learner_id: int) -> bool:
        """Whether `learner_id` has a job running or waiting."""
        return learner_id in self._tasks

    async def run(self, learner_id: int, work: Awaitable[T]) -> T | None:
        """`work`'s result, or None when `cancel(learner_id)` stopped it (a cancellation of the caller
        itself goes on, and stops the work too); InvalidRequest "already_running" for a second job."""
        if learner_id in self._tasks:
            close = getattr(work, "close", None)
            if close is not None:
                close()  # never awaited: say so to the coroutine, not to the log
            raise InvalidRequest("already_running")
        task = asyncio.ensure_future(work)
        self._tasks[learner_id] = task
        try:
            return await task
        except asyncio.CancelledError:
            caller = asyncio.current_task()
            if caller is not None and caller.cancelling():
                raise  # the caller is being cancelled (the bot or the console stops): not a learner's cancel
            return None
        finally:
            self._tasks.pop(learner_id, None)

    def cancel(self, learner_id: int) -> bool:
        """Stop `learner_id`'s job (its worker is killed and replaced); False when none runs."""
        task = self._tasks.get(learner_id)
        if task is None or task.done():
            return False
        task.cancel()
        return True


@dataclass
class Tutor:
    """Settings, content, the database and the services over it, and the training workers."""

    settings: Settings
    catalog: Catalog
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    pool: TrainingPool | QueueExecutor  # the local warm pool, or the job queue when TUTOR_BROKER_URL is set
    bank: ServerBank  # the course's questions and every server's uploaded ones
    quiz: QuizService
    review: ReviewService
    progress: ProgressService
    learners: LearnerService
    servers: SettingsService  # each server's settings, cached
    assignments: AssignmentService
    uploads: UploadService
    classes: ClassService  # class reports and exports
    live: LiveRecorder
    threads: ThreadBook  # each learner's own thread per channel (replies "thread per learner")
    figures: FigureCache = field(default_factory=FigureCache)
    # (guild, learner) -> their name there, recorded this run (a new name is recorded again)
    seen: dict[tuple[int | None, int], str] = field(default_factory=dict)
    games: dict[int, LiveGame] = field(default_factory=dict)  # live quizzes running, by id
    runs: Runs = field(default_factory=Runs)  # each learner's job running or waiting, so they can cancel it
    # with the queue: pending deliveries, this process's heartbeat, cancels from other bot processes
    handover: Handover | None = None

    @classmethod
    async def create(cls, settings: Settings, *, start_pool: bool = True) -> Tutor:
        """Migrate the database when it is behind, load content, build the services and (optionally)
        warm the pool; with `settings.broker_url` jobs go to the queue's workers and no pool starts."""
        await upgrade_when_behind(settings.database_url)
        catalog = load_catalog(settings.content_dir)
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        pool: TrainingPool | QueueExecutor
        handover: Handover | None = None
        if settings.broker_url:
            from bot.training.handover import Handover
            from bot.training.queue import QueueExecutor

            handover = Handover(settings.broker_url)

            pool = QueueExecutor(
                settings.broker_url,
                settings.training_timeout_seconds,
                wait_seconds=settings.training_wait_seconds,
                learner_queue=settings.training_learner_queue,
                budget=BudgetRule(
                    settings.training_budget_seconds,
                    settings.training_budget_window_seconds,
                    settings.training_min_charge_seconds,
                ),
            )
        else:
            pool = training_pool(
                workers=settings.training_workers,
                queue_seconds=settings.training_queue_seconds,
                timeout_seconds=settings.training_timeout_seconds,
                wait_seconds=settings.training_wait_seconds,
                picture_workers=settings.picture_workers,
                learner_queue=settings.training_learner_queue,
                batch_limit=settings.training_batch_size,
                budget=ComputeBudget(
                    settings.training_budget_seconds,
                    settings.training_budget_window_seconds,
                    settings.training_min_charge_seconds,
                ),
            )
        review = ReviewService(sessions)
        bank = ServerBank(catalog)
        tutor = cls(
            settings=settings,
            catalog=catalog,
            engine=engine,
            sessions=sessions,
            pool=pool,
            bank=bank,
            quiz=QuizService(sessions, bank, review),
            review=review,
            progress=ProgressService(sessions, catalog),
            learners=LearnerService(sessions),
            servers=SettingsService(sessions),
            assignments=AssignmentService(sessions),
            uploads=UploadService(sessions, bank),
            classes=ClassService(sessions, bank),
            live=LiveRecorder(sessions, review),
            threads=ThreadBook(sessions),
            handover=handover,
        )
        await tutor.uploads.load()
        if start_pool:
            await pool.start()
            if handover is not None:
                await handover.start(tutor.runs.cancel)
        log.info("tutor ready: %d lessons, database %s", len(catalog.lessons), engine.url.drivername)
        return tutor

    @property
    def jobs(self) -> Jobs:
        """Training and drawing jobs, typed, over the pool."""
        return Jobs(self.pool)

    def hand_over(self) -> None:
        """This process stops: the jobs whose answers another bot process can deliver are left to it."""
        hand_over = getattr(self.pool, "hand_over", None)
        if hand_over is not None:
            hand_over()

    async def close(self) -> None:
        """Stop the training workers and dispose of the database engine."""
        if self.handover is not None:
            await self.handover.close()
        await self.pool.close()
        await self.engine.dispose()

    def replace_catalog(self, catalog: Catalog) -> None:
        """Swap in freshly loaded content; the services that read content follow (uploaded questions stay),
        figures are redrawn."""
        self.catalog = catalog
        self.bank.use_catalog(catalog)
        self.quiz = QuizService(self.sessions, self.bank, self.review)
        self.progress = ProgressService(self.sessions, catalog)
        self.figures.clear()


def freeze_start_up_objects() -> None:
    """Leave what start-up built (content, the database engine, the services) out of every later
    garbage collection. A full collection walks every live object: over them it paused the event loop
    100-230 ms during a 1,000-learner class export (benchmarks/bench_teacher.py); frozen, 10-40 ms.
    The front doors call it once, after `Tutor.create`; garbage made later is still collected."""
    gc.collect()
    gc.freeze()
