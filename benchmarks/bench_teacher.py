"""/teacher report and /teacher export for a server of 1,000 learners with 50 answers each.

A fresh database (SQLite file in WAL mode as the bot sets it up; PostgreSQL too with --postgres or
TUTOR_TEST_POSTGRES_URL) is filled with a class: every learner has joined the server, read lessons, has
one quiz session of 50 answers (right 70 % of the time), XP for each right answer and a few review
cards. Then the core use cases run as the cog calls them, with the warm worker pool drawing the
heat map: `teacher.report` (embed page and heat-map PNG) and `teacher.export` with the per-answer CSV.

Figures per use case: median and max time to reply over the rounds, and the event loop's longest stall
meanwhile (a task that wakes every 5 ms records how late it woke: a use case that blocks the loop for
100 ms shows a ~100 ms stall). Baseline, same run and database: the same use case for a class of 30
learners (a real class), whose time the 1,000-learner figure is also given as a multiple of.

Run: `.venv/bin/python benchmarks/bench_teacher.py [--rounds 5] [--learners 1000] [--answers 50]`
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project

os.environ.setdefault("MPLBACKEND", "Agg")

from sqlalchemy import insert, make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import Settings
from bot.core import teacher
from bot.core.learners import Learner, identify
from bot.core.tutor import Tutor, freeze_start_up_objects
from bot.db.models import GuildMember, LessonProgress, QuizAnswer, QuizSession, ReviewCard, XpEvent
from bot.db.models import Learner as LearnerRow

BIG, SMALL = 1_000_001, 1_000_002  # the two servers' ids
TARGET_SECONDS = 2.0
TICK = 0.005


async def fill(tutor: Tutor, guild_id: int, learners: int, answers: int, first_id: int) -> None:
    """A class of `learners`, each with `answers` answers in server `guild_id` (bulk inserts)."""
    rng = random.Random(guild_id)
    now = datetime.now(UTC)
    lessons = [lesson.id for lesson in tutor.catalog.lessons]
    questions = {lid: [q.id for q in tutor.catalog.quiz(lid).questions] for lid in lessons}
    ids = list(range(first_id, first_id + learners))
    names = [f"छात्र {i}" if i % 3 == 0 else f"learner {i}" for i in ids]  # Devanagari names too
    async with tutor.sessions() as db, db.begin():
        await db.execute(
            insert(LearnerRow),
            [
                {"id": i, "display_name": n, "timezone": "Asia/Kolkata", "created_at": now}
                for i, n in zip(ids, names, strict=True)
            ],
        )
        await db.execute(
            insert(GuildMember),
            [
                {"guild_id": guild_id, "learner_id": i, "joined_at": now, "display_name": n}
                for i, n in zip(ids, names, strict=True)
            ],
        )
        await db.execute(
            insert(LessonProgress),
            [
                {
                    "learner_id": i,
                    "lesson_id": lid,
                    "page": 3,
                    "last_page": 3,
                    "updated_at": now,
                    "completed_at": now if rng.random() < 0.5 else None,
                }
                for i in ids
                for lid in lessons[: rng.randint(1, len(lessons))]
            ],
        )
        sessions = []
        for i in ids:
            lid = rng.choice(lessons)
            sessions.append(
                QuizSession(
                    learner_id=i,
                    guild_id=guild_id,
                    mode="lesson",
                    lesson_id=lid,
                    questions=[[lid, q, 0] for q in questions[lid][:answers]],
                    position=answers,
                    status="finished",
                    started_at=now,
                    shown_at=now,
                )
            )
        db.add_all(sessions)
        await db.flush()
        rows, xp, cards, carded = [], [], [], set()
        for session in sessions:
            for position in range(answers):
                lid = rng.choice(lessons)
                correct = rng.random() < 0.7
                at = now - timedelta(minutes=rng.randint(0, 60 * 24 * 30))
                qid = rng.choice(questions[lid])
                rows.append(
                    {
                        "session_id": session.id,
                        "learner_id": session.learner_id,
                        "guild_id": guild_id,
                        "position": position,
                        "lesson_id": lid,
                        "question_id": qid,
                        "given": "a",
                        "correct": correct,
                        "skipped": False,
                        "seconds": 5.0,
                        "answered_at": at,
                    }
                )
                if correct:
                    xp.append(
                        {
                            "learner_id": session.learner_id,
                            "guild_id": guild_id,
                            "kind": "correct_answer",
                            "amount": 10,
                            "ref": f"quiz:{session.id}",
                            "created_at": at,
                        }
                    )
                elif position % 5 == 0 and (session.learner_id, qid) not in carded:
                    carded.add((session.learner_id, qid))
                    cards.append(
                        {
                            "learner_id": session.learner_id,
                            "question_id": qid,
                            "lesson_id": lid,
                            "state": 1,
                            "due": at,
                            "reps": 1,
                            "lapses": 1,
                            "created_at": at,
                        }
                    )
        for start in range(0, len(rows), 5_000):
            await db.execute(insert(QuizAnswer), rows[start : start + 5_000])
        for start in range(0, len(xp), 5_000):
            await db.execute(insert(XpEvent), xp[start : start + 5_000])
        if cards:
            await db.execute(insert(ReviewCard), cards)


async def timed(work: object) -> tuple[float, float]:
    """Seconds `work` (a coroutine) took, and the event loop's longest stall meanwhile."""
    stall = 0.0
    running = True

    async def watch() -> None:
        nonlocal stall
        while running:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            stall = max(stall, time.perf_counter() - before - TICK)

    watcher = asyncio.create_task(watch())
    await asyncio.sleep(0)
    start = time.perf_counter()
    await work  # type: ignore[misc]
    took = time.perf_counter() - start
    running = False
    await watcher
    return took, stall


async def measure(url: str, label: str, rounds: int, learners: int, answers: int) -> None:
    settings = Settings(_env_file=None, database_url=url, training_workers=1)  # type: ignore[call-arg]
    tutor = await Tutor.create(settings, start_pool=True)
    try:
        started = time.perf_counter()
        await fill(tutor, BIG, learners, answers, 10_000)
        await fill(tutor, SMALL, 30, answers, 900_000)
        filled = time.perf_counter() - started
        print(f"[{label}] filled {learners} + 30 learners x {answers} answers in {filled:.1f} s")
        freeze_start_up_objects()  # as the bot does once it has started
        for guild, size in ((SMALL, 30), (BIG, learners)):
            sir: Learner = await identify(tutor, 7, "Sir", guild_id=guild, manage_server=True)
            await teacher.report(tutor, sir)  # warm: the worker draws its first heat map
            for name, call in (
                ("report", lambda who: teacher.report(tutor, who)),
                ("export", lambda who: teacher.export(tutor, who)),
                ("export+answers", lambda who: teacher.export(tutor, who, answers=True)),
            ):
                took, stalls = zip(*[await timed(call(sir)) for _ in range(rounds)], strict=True)
                result[(label, name, size)] = statistics.median(took)
                ratio = ""
                if size == learners:
                    ratio = (
                        f"  = {statistics.median(took) / result[(label, name, 30)]:.1f}x the 30-learner class"
                    )
                verdict = "✓" if size != learners or max(took) < TARGET_SECONDS else "✗"
                print(
                    f"[{label}] {name:15s} {size:5d} learners: median {statistics.median(took):.3f} s, "
                    f"max {max(took):.3f} s {verdict}; longest loop stall {1000 * max(stalls):.0f} ms{ratio}"
                )
    finally:
        await tutor.close()


result: dict[tuple[str, str, int], float] = {}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--learners", type=int, default=1_000)
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("TUTOR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await measure(
            f"sqlite+aiosqlite:///{folder}/bench.db", "sqlite", args.rounds, args.learners, args.answers
        )
    if args.postgres:  # a fresh database on the same server, dropped after
        name = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_async_engine(args.postgres, isolation_level="AUTOCOMMIT")
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
            await measure(url, "postgres", args.rounds, args.learners, args.answers)
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE "{name}"'))
            await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
