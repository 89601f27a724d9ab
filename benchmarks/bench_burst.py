"""A class burst: 300 learners answer one quiz question each within one second, on SQLite and PostgreSQL.

Every learner's quiz is started beforehand; then each learner's answer call starts at a random offset
in [0, spread) seconds (asyncio tasks in one process, as the bot serves them). Acknowledgement latency
is call start → `QuizService.answer` returned (committed). Afterwards every acknowledged answer is looked
up in the database: "lost" counts the acknowledged ones missing (must be 0), "failed" the calls that
raised (e.g. "database is locked"; must be 0).

Baseline, measured in the same run on the same database: the same kind of answer issued one at a time
by other learners (no contention), whose p50 is the cost of one answer; the burst's p99 is reported as a
multiple of it. `--sustained` adds the throughput of 8 learners answering back to back (answers/s;
what bench_answers.py measured before it was folded in here).

`--load N` keeps N other processes busy on the CPU during every round, as the training workers are
when learners train networks while others answer a quiz (the product's default is 2 workers);
`--load-nice K` runs them at niceness K.

Run: `.venv/bin/python benchmarks/bench_burst.py [--rounds 3] [--postgres URL] [--load 2]`
(PostgreSQL also when TUTOR_TEST_POSTGRES_URL is set; each round uses a fresh schema, dropped after).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project

from sqlalchemy import text, tuple_
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.schema import QuizBank
from bot.db.engine import create_engine, session_factory, upgrade
from bot.db.models import QuizAnswer
from bot.quiz.bank import MemoryBank
from bot.quiz.session import QuizService

QUESTIONS = 5
TARGET_P99_SECONDS = 1.0


def _bank() -> MemoryBank:
    """Multiple-choice questions: 'a' is right, 'b' wrong (a wrong answer also writes a review card)."""
    said = {"en": "Pick the right one.", "hi": "सही वाला चुनें।"}
    questions = [
        {
            "id": f"q{i}",
            "kind": "mcq",
            "difficulty": "easy",
            "prompt": said,
            "explanation": said,
            "options": [{"id": "a", "text": "right"}, {"id": "b", "text": "wrong", "why_wrong": said}],
            "answer": "a",
        }
        for i in range(QUESTIONS)
    ]
    return MemoryBank([QuizBank.model_validate({"lesson": "bench", "questions": questions})])


@dataclass
class Burst:
    """The outcome of one burst (or one sequential baseline)."""

    latencies: list[float] = field(default_factory=list)  # acknowledged answers only
    failures: Counter[str] = field(default_factory=Counter)
    wall: float = 0.0
    lost: int = 0

    def percentile(self, q: float) -> float:
        """The q-quantile of the acknowledgement latency, in seconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@asynccontextmanager
async def _database(backend: str, postgres_url: str | None, folder: Path) -> AsyncIterator[AsyncEngine]:
    """A fresh, migrated database: a SQLite file (WAL, as the product sets it up) or a PostgreSQL schema."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{folder / f'burst-{uuid.uuid4().hex[:8]}.db'}"
        engine = create_engine(url)
        try:
            await upgrade(url, engine=engine)
            yield engine
        finally:
            await engine.dispose()
        return
    assert postgres_url is not None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(postgres_url, connect_args={"server_settings": {"search_path": schema}})
    try:
        await upgrade(postgres_url, engine=engine)
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


async def _start(quiz: QuizService, learner_ids: list[int]) -> dict[int, int]:
    """An active quiz per learner (not timed): learner → session id."""
    started = {}
    for learner_id in learner_ids:
        view = await quiz.start(learner_id, "bench", count=QUESTIONS, display_name=f"L{learner_id}")
        started[learner_id] = view.session_id
    return started


async def _answer(quiz: QuizService, session_id: int, learner_id: int, outcome: Burst) -> bool:
    given = "a" if learner_id % 2 else "b"
    began = time.perf_counter()
    try:
        await quiz.answer(session_id, learner_id, given, number=1)
    except Exception as err:  # counted and reported: a learner would have seen this
        outcome.failures[f"{type(err).__name__}: {str(err).splitlines()[0][:60]}"] += 1
        return False
    outcome.latencies.append(time.perf_counter() - began)
    return True


async def _lost(engine: AsyncEngine, acked: list[tuple[int, int]]) -> int:
    """Acknowledged answers (session, position 0) that are not in the database."""
    if not acked:
        return 0
    sessions = session_factory(engine)
    async with sessions() as db:
        rows = await db.execute(
            QuizAnswer.__table__.select()
            .with_only_columns(QuizAnswer.session_id)
            .where(tuple_(QuizAnswer.session_id, QuizAnswer.position).in_([(s, 0) for s, _ in acked]))
        )
        found = {session_id for (session_id,) in rows}
    return sum(1 for session_id, _ in acked if session_id not in found)


async def _burst(
    quiz: QuizService, engine: AsyncEngine, started: dict[int, int], spread: float, seed: int
) -> Burst:
    outcome = Burst()
    rng = random.Random(seed)
    acked: list[tuple[int, int]] = []

    async def learner(learner_id: int, offset: float) -> None:
        await asyncio.sleep(offset)
        if await _answer(quiz, started[learner_id], learner_id, outcome):
            acked.append((started[learner_id], learner_id))

    began = time.perf_counter()
    await asyncio.gather(*(learner(lid, rng.uniform(0, spread)) for lid in started))
    outcome.wall = time.perf_counter() - began
    outcome.lost = await _lost(engine, acked)
    return outcome


async def _sequential(quiz: QuizService, engine: AsyncEngine, started: dict[int, int]) -> Burst:
    outcome = Burst()
    acked = []
    began = time.perf_counter()
    for learner_id, session_id in started.items():
        if await _answer(quiz, session_id, learner_id, outcome):
            acked.append((session_id, learner_id))
    outcome.wall = time.perf_counter() - began
    outcome.lost = await _lost(engine, acked)
    return outcome


async def _sustained(quiz: QuizService, learner_ids: list[int], answers_each: int) -> float:
    """Answers per second of learners answering back to back (a new quiz whenever one ends)."""

    async def learner(learner_id: int) -> None:
        view = await quiz.start(learner_id, "bench", count=QUESTIONS)
        for index in range(answers_each):
            fb = await quiz.answer(view.session_id, learner_id, "ab"[index % 2], number=view.number)
            view = fb.next or await quiz.start(learner_id, "bench", count=QUESTIONS)

    began = time.perf_counter()
    await asyncio.gather(*(learner(learner_id) for learner_id in learner_ids))
    return len(learner_ids) * answers_each / (time.perf_counter() - began)


async def one_round(
    backend: str, postgres_url: str | None, folder: Path, args: argparse.Namespace, seed: int
) -> tuple[Burst, Burst, float | None]:
    """A fresh database: the sequential baseline, then the burst (and optionally sustained throughput)."""
    async with _database(backend, postgres_url, folder) as engine:
        quiz = QuizService(session_factory(engine), _bank(), rng=random.Random(seed))
        started = await _start(quiz, list(range(10_000, 10_000 + args.learners)))
        baseline_started = await _start(quiz, list(range(50_000, 50_000 + args.baseline)))
        baseline = await _sequential(quiz, engine, baseline_started)
        burst = await _burst(quiz, engine, started, args.spread, seed)
        rate = await _sustained(quiz, list(range(90_000, 90_008)), 200) if args.sustained else None
        return baseline, burst, rate


def _line(label: str, burst: Burst, baseline: Burst, rate: float | None) -> str:
    ms = 1000
    failed = sum(burst.failures.values())
    ratio = burst.percentile(0.99) / baseline.percentile(0.5)
    parts = [
        f"{label:<11}",
        f"acked={len(burst.latencies)}",
        f"failed={failed}",
        f"lost={burst.lost}",
        f"p50={burst.percentile(0.5) * ms:7.1f} ms",
        f"p99={burst.percentile(0.99) * ms:7.1f} ms",
        f"max={max(burst.latencies, default=float('nan')) * ms:7.1f} ms",
        f"wall={burst.wall:5.2f} s",
        f"| alone p50={baseline.percentile(0.5) * ms:5.2f} ms",
        f"p99/alone={ratio:6.1f}x",
    ]
    if rate is not None:
        parts.append(f"| sustained 8 learners {rate:6.0f} answers/s")
    return "  ".join(parts)


def _spin(niceness: int) -> None:
    """Burn CPU until terminated (a stand-in for a busy training worker), at `niceness`."""
    os.nice(niceness)
    while True:
        pass


async def main(args: argparse.Namespace) -> None:
    """Run every round on every backend and print one line each, then the verdict per backend."""
    postgres_url = args.postgres or os.environ.get("TUTOR_TEST_POSTGRES_URL")
    backends = [b for b in ["sqlite"] + (["postgresql"] if postgres_url else []) if b in args.backends]
    print(
        f"{args.learners} learners, one answer each, started within {args.spread:g} s; "
        f"baseline: {args.baseline} answers one at a time; {args.load} busy process(es) besides "
        f"(nice {args.load_nice}); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    spinners = [
        multiprocessing.Process(target=_spin, args=(args.load_nice,), daemon=True) for _ in range(args.load)
    ]
    for spinner in spinners:
        spinner.start()
    try:
        await _all_rounds(args, postgres_url, backends)
    finally:
        for spinner in spinners:
            spinner.terminate()
    print(f"load average at the end {os.getloadavg()[0]:.2f} (other work on the machine inflates latency)")


async def _all_rounds(args: argparse.Namespace, postgres_url: str | None, backends: list[str]) -> None:
    verdicts = []
    with tempfile.TemporaryDirectory() as folder:
        for backend in backends:
            p99s, lost, failed = [], 0, 0
            for index in range(args.rounds):
                baseline, burst, rate = await one_round(backend, postgres_url, Path(folder), args, index)
                print(_line(backend, burst, baseline, rate))
                for reason, count in burst.failures.items():
                    print(f"{'':<11}  {count} x {reason}")
                p99s.append(burst.percentile(0.99))
                lost += burst.lost
                failed += sum(burst.failures.values())
            met = max(p99s) <= TARGET_P99_SECONDS and lost == 0 and failed == 0
            verdicts.append(
                f"{backend}: p99 {min(p99s) * 1000:.0f}-{max(p99s) * 1000:.0f} ms over {args.rounds} "
                f"round(s), {failed} failed, {lost} lost; target (p99 <= 1 s, 0 failed, 0 lost) "
                f"{'met' if met else 'NOT met'}"
            )
    print("\n".join(verdicts))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--spread", type=float, default=1.0, help="seconds over which the answers start")
    parser.add_argument("--baseline", type=int, default=100, help="answers issued one at a time")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", help="a postgresql+asyncpg:// URL (default: TUTOR_TEST_POSTGRES_URL)")
    parser.add_argument("--sustained", action="store_true", help="also 8 learners answering back to back")
    parser.add_argument("--load", type=int, default=0, help="processes kept busy on the CPU meanwhile")
    parser.add_argument("--load-nice", type=int, default=0, help="their niceness (os.nice), 0..19")
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    asyncio.run(main(parser.parse_args()))
