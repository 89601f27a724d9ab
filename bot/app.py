"""`Tutor`: the container of the core services both front doors (Discord and the console) share.

It builds nothing Discord- or torch-specific: the training pool runs torch in worker processes.
Heavy or not-yet-needed modules are imported inside `Tutor.create`, so importing bot.app stays cheap.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.chat import Intent, route
from bot.config import Settings
from bot.log import get_logger

if TYPE_CHECKING:
    from bot.progress.service import ProgressService
    from bot.quiz.review import ReviewService
    from bot.quiz.session import QuizService
    from bot.training.jobs import Jobs

log = get_logger(__name__)

# The Discord bot writes its heartbeat this often while the gateway is connected;
# `python -m bot health` calls the bot unhealthy when the file is older than HEARTBEAT_STALE_SECONDS.
HEARTBEAT_INTERVAL_SECONDS = 30.0
HEARTBEAT_STALE_SECONDS = 90.0

LANG_CHOICES: tuple[str, ...] = ("hi", "en", "both")


@dataclass
class Tutor:
    """Settings, content, database and services, the chat router and the training pool, in one place."""

    settings: Settings
    catalog: Any  # bot.content.catalog.Catalog
    engine: Any  # sqlalchemy AsyncEngine
    sessions: Any  # async_sessionmaker[AsyncSession]
    pool: Any  # the training executor: bot.training.executor.TrainingPool
    quiz: QuizService
    review: ReviewService
    progress: ProgressService

    @classmethod
    async def create(cls, settings: Settings, *, start_pool: bool = True) -> Tutor:
        """Migrate the database, load content, build the services and (optionally) warm the pool."""
        from bot.content.loader import load_catalog
        from bot.db.engine import create_engine, session_factory, upgrade
        from bot.progress.service import ProgressService
        from bot.quiz.review import ReviewService
        from bot.quiz.session import QuizService
        from bot.training.jobs import training_pool

        await upgrade(settings.database_url)
        catalog = load_catalog(settings.content_dir)
        engine = create_engine(settings.database_url)
        sessions = session_factory(engine)
        pool = training_pool(
            workers=settings.training_workers,
            queue_size=settings.training_queue_size,
            timeout_seconds=settings.training_timeout_seconds,
        )
        review = ReviewService(sessions)
        tutor = cls(
            settings=settings,
            catalog=catalog,
            engine=engine,
            sessions=sessions,
            pool=pool,
            quiz=QuizService(sessions, catalog, review),
            review=review,
            progress=ProgressService(sessions, catalog),
        )
        if start_pool:
            await pool.start()
        log.info("tutor ready: %d lessons, database %s", len(catalog.lessons), engine.url.drivername)
        return tutor

    async def close(self) -> None:
        """Stop the training workers, release the quiz's writer thread, dispose of the database engine."""
        await self.pool.close()
        self.quiz.close()
        await self.engine.dispose()

    def replace_catalog(self, catalog: Any) -> None:
        """Swap in freshly loaded content (Discord's /reload-content); content-reading services follow."""
        from bot.progress.service import ProgressService
        from bot.quiz.session import QuizService

        self.catalog = catalog
        old_quiz, self.quiz = self.quiz, QuizService(self.sessions, catalog, self.review)
        old_quiz.close()  # the new service already shares the writer, so this only drops a reference
        self.progress = ProgressService(self.sessions, catalog)

    def route(self, text: str) -> Intent:
        """Route free text (a mention, a DM, /ask, a console line) to an intent."""
        return route(text, self.catalog)

    @property
    def jobs(self) -> Jobs:
        """Training and pictures through the pool, as typed calls (`await tutor.jobs.train(spec, …)`)."""
        from bot.training.jobs import Jobs

        return Jobs(self.pool)

    async def stored_language(self, learner_id: int) -> str | None:
        """The language the learner chose ('hi' | 'en' | 'both'), or None."""
        from bot.db.models import Learner

        async with self.sessions() as session:
            learner = await session.get(Learner, learner_id)
            return learner.language if learner is not None else None

    async def set_language(self, learner_id: int, lang: str, display_name: str | None = None) -> None:
        """Store the learner's language choice (creating the learner when new)."""
        from bot.db.repository import ensure_learner
        from bot.errors import InvalidRequest

        if lang not in LANG_CHOICES:
            raise InvalidRequest(
                "bad_language",
                "Choose a language: hi, en or both.",
                "भाषा चुनें: hi, en या both.",
            )
        async with self.sessions() as session, session.begin():
            learner = await ensure_learner(session, learner_id, display_name)
            learner.language = lang

    async def language_for(self, learner_id: int, client_locale: str | None = None) -> str:
        """Stored choice, else 'hi' for a Hindi Discord locale, else settings.default_language."""
        stored = await self.stored_language(learner_id)
        if stored in LANG_CHOICES:
            return stored
        if client_locale and str(client_locale).lower().startswith("hi"):
            return "hi"
        return self.settings.default_language

    async def record_lesson_page(
        self, learner_id: int, lesson_id: str, page: int, total: int, *, display_name: str | None = None
    ) -> int:
        """Remember that the learner read `page` (0-based) of `total`; the last page completes the lesson.

        Returns the XP this earned (each page once, the completion once).
        """
        state = await self.progress.record_page(learner_id, lesson_id, page, display_name)
        gained = state.xp
        if page >= total - 1 and not state.completed:
            gained += (await self.progress.complete_lesson(learner_id, lesson_id, display_name)).xp
        return gained

    async def review_outlook(self, learner_id: int) -> tuple[int, datetime | None]:
        """How many review cards the learner has scheduled, and when the earliest one is due."""
        from sqlalchemy import func, select

        from bot.db.models import ReviewCard

        async with self.sessions() as db:
            row = (
                await db.execute(
                    select(func.count(), func.min(ReviewCard.due)).where(ReviewCard.learner_id == learner_id)
                )
            ).one()
            return int(row[0] or 0), row[1]

    async def last_lesson(self, learner_id: int) -> tuple[str, int] | None:
        """The lesson the learner read most recently and the furthest page (0-based) reached in it."""
        from sqlalchemy import select

        from bot.db.models import LessonProgress

        async with self.sessions() as db:
            row = (
                await db.execute(
                    select(LessonProgress.lesson_id, LessonProgress.page)
                    .where(LessonProgress.learner_id == learner_id)
                    .order_by(LessonProgress.updated_at.desc())
                    .limit(1)
                )
            ).first()
            return (str(row[0]), int(row[1])) if row is not None else None

    async def ensure_learner(
        self, learner_id: int, display_name: str | None = None, guild_id: int | None = None
    ) -> None:
        """Create the learner on first sight (remembering a new name) and, with a guild, its membership."""
        from bot.db.base import utcnow
        from bot.db.repository import ensure_learner, join_guild

        now = utcnow()
        async with self.sessions() as db, db.begin():
            await ensure_learner(db, learner_id, display_name, now)
            if guild_id is not None:
                await join_guild(db, learner_id, guild_id, now)

    def write_heartbeat(self, **info: Any) -> None:
        """Record that the Discord gateway is connected (the bot calls this every 30 s)."""
        write_heartbeat(self.settings.heartbeat_file, **info)


def write_heartbeat(path: Path, **info: Any) -> None:
    """Atomically write the heartbeat file: the time now plus `info` (latency, guild count…)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps({"time": time.time(), **info}), encoding="utf-8")
    os.replace(tmp, path)


def heartbeat_age(path: Path) -> float | None:
    """Seconds since the last heartbeat, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return max(0.0, time.time() - float(data["time"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
