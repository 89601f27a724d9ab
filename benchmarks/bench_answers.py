"""Recorded quiz answers per second and p99 latency on SQLite: 8 concurrent learners vs 1 (baseline).

Each answer is the full path the bot takes: load the session, grade, guarded update, insert the
answer, XP event and FSRS card, and a COMMIT before the caller gets feedback (answers arriving together
share one group commit). Every acknowledged answer is counted in the database afterwards.
Run: `.venv/bin/python benchmarks/bench_answers.py [--rounds 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # runnable without installing the project

from sqlalchemy import func, select

from bot.content.schema import QuizBank
from bot.db.engine import create_engine, session_factory, upgrade
from bot.db.models import QuizAnswer
from bot.quiz.bank import MemoryBank
from bot.quiz.session import MAX_QUESTIONS, QuizService


def _bank() -> MemoryBank:
    text = {"en": "Pick the right one.", "hi": "सही वाला चुनें।"}
    questions = [
        {
            "id": f"q{i}",
            "kind": "mcq",
            "difficulty": "easy",
            "prompt": text,
            "explanation": text,
            "options": [{"id": "a", "text": "right"}, {"id": "b", "text": "wrong", "why_wrong": text}],
            "answer": "a",
        }
        for i in range(MAX_QUESTIONS)
    ]
    return MemoryBank([QuizBank.model_validate({"lesson": "bench", "questions": questions})])


@dataclass
class Result:
    learners: int
    answers: int
    seconds: float
    cpu_seconds: float  # this process, all threads: robust to other load on the machine
    latencies: list[float]
    group: float  # mean answers per commit

    @property
    def rate(self) -> float:
        return self.answers / self.seconds

    def percentile(self, q: float) -> float:
        return statistics.quantiles(self.latencies, n=1000)[int(q * 1000) - 1] * 1000

    def line(self, label: str) -> str:
        return (
            f"{label:<22} learners={self.learners:<2} answers={self.answers:<5} "
            f"{self.rate:8.0f} answers/s  "
            f"p50={self.percentile(0.5):6.2f} ms  p99={self.percentile(0.99):6.2f} ms  "
            f"cpu/answer={self.cpu_seconds / self.answers * 1000:5.2f} ms  "
            f"answers/commit={self.group:4.1f}"
        )


async def _run(url: str, learners: int, per_learner: int, first_id: int) -> Result:
    engine = create_engine(url)
    sessions = session_factory(engine)
    quiz = QuizService(sessions, _bank(), rng=random.Random(0))
    latencies: list[float] = []

    async def learner(learner_id: int) -> None:
        rng = random.Random(learner_id)
        view = await quiz.start(learner_id, "bench", count=MAX_QUESTIONS)
        for _ in range(per_learner):
            began = time.perf_counter()
            feedback = await quiz.answer(view.session_id, learner_id, rng.choice("ab"), number=view.number)
            latencies.append(time.perf_counter() - began)
            view = feedback.next or await quiz.start(learner_id, "bench", count=MAX_QUESTIONS)

    ids = [first_id + i for i in range(learners)]
    runner = quiz.runner
    groups, units = runner.groups, runner.units
    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(learner(learner_id) for learner_id in ids))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    # Answers commit in groups; quiz starts (one per MAX_QUESTIONS answers) are units of their own.
    group = (runner.units - units) / max(1, runner.groups - groups)
    quiz.close()
    async with sessions() as db:
        stored = await db.scalar(
            select(func.count()).select_from(QuizAnswer).where(QuizAnswer.learner_id.in_(ids))
        )
    await engine.dispose()
    if stored != len(latencies):
        raise SystemExit(f"{len(latencies)} answers acknowledged but {stored} stored")
    return Result(learners, len(latencies), seconds, cpu, latencies, group)


async def main(per_learner: int, learners: int, rounds: int) -> None:
    rates: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        await _run(url, 1, 50, first_id=1)  # warm-up: imports, statement caches
        for index in range(rounds):
            first = 1000 * (index + 1)
            baseline = await _run(url, 1, per_learner, first_id=first)
            concurrent = await _run(url, learners, per_learner, first_id=first + 100)
            print(baseline.line("baseline (1 learner)"))
            print(concurrent.line(f"{learners} concurrent"))
            print(f"throughput ratio {concurrent.rate / baseline.rate:.2f}x")
            rates.append(concurrent.rate)
    verdict = "met" if min(rates) >= 1000 else "NOT met"
    print(
        f"{learners} concurrent learners: {min(rates):.0f}-{max(rates):.0f} answers/s over {rounds} "
        f"round(s); target >= 1000 answers/s {verdict}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500, help="answers per learner")
    parser.add_argument("--learners", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1, help="repeat baseline and concurrent runs")
    options = parser.parse_args()
    asyncio.run(main(options.answers, options.learners, options.rounds))
