"""Recorded quiz answers per second and p99 latency on SQLite: 8 concurrent learners vs 1 (baseline).

Each answer is the full path the bot takes: load the session, grade, guarded update, insert the
answer, XP event and FSRS card, commit. Run: `.venv/bin/python benchmarks/bench_answers.py`.
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

from bot.content.schema import QuizBank
from bot.db.engine import create_engine, session_factory, upgrade
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
            f"cpu/answer={self.cpu_seconds / self.answers * 1000:5.2f} ms"
        )


async def _run(url: str, learners: int, per_learner: int, first_id: int) -> Result:
    engine = create_engine(url)
    quiz = QuizService(session_factory(engine), _bank(), rng=random.Random(0))
    latencies: list[float] = []

    async def learner(learner_id: int) -> None:
        rng = random.Random(learner_id)
        view = await quiz.start(learner_id, "bench", count=MAX_QUESTIONS)
        for _ in range(per_learner):
            began = time.perf_counter()
            feedback = await quiz.answer(view.session_id, learner_id, rng.choice("ab"), number=view.number)
            latencies.append(time.perf_counter() - began)
            view = feedback.next or await quiz.start(learner_id, "bench", count=MAX_QUESTIONS)

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(learner(first_id + i) for i in range(learners)))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    quiz.close()
    await engine.dispose()
    return Result(learners, len(latencies), seconds, cpu, latencies)


async def main(per_learner: int, learners: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await upgrade(url)
        await _run(url, 1, 50, first_id=1)  # warm-up: imports, statement caches
        baseline = await _run(url, 1, per_learner, first_id=100)
        concurrent = await _run(url, learners, per_learner, first_id=200)
    print(baseline.line("baseline (1 learner)"))
    print(concurrent.line(f"{learners} concurrent"))
    print(
        f"throughput ratio {concurrent.rate / baseline.rate:.2f}x; target >= 1000 answers/s with {learners}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=500, help="answers per learner")
    parser.add_argument("--learners", type=int, default=8)
    options = parser.parse_args()
    asyncio.run(main(options.answers, options.learners))
