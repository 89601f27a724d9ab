"""A process killed in the middle of group-committed answers loses none that it acknowledged."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from bot.db.engine import session_factory
from bot.db.models import QuizAnswer, QuizSession
from bot.paths import PROJECT_ROOT
from tests.db.support import Database

LEARNERS, ACKS_BEFORE_KILL = 8, 60

# The child answers concurrently for 8 learners, prints each answer it got feedback for, and dies
# abruptly (no close, no checkpoint, other answers still in flight) after ACKS_BEFORE_KILL of them.
CHILD = textwrap.dedent(
    """
    import asyncio, os, random, sys
    from bot.db.engine import create_engine, session_factory
    from bot.quiz.bank import MemoryBank
    from bot.quiz.session import QuizService
    from tests.db.support import sample_banks, right_answer

    url, learners, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    quiz = QuizService(session_factory(create_engine(url)), MemoryBank(sample_banks()), rng=random.Random(4))
    acked = 0

    async def learner(learner_id):
        global acked
        view = await quiz.start(learner_id, None, count=8)
        while True:
            typed = right_answer(view.question)
            feedback = await quiz.answer(view.session_id, learner_id, typed, view.number)
            print(f"ack {view.session_id} {view.number - 1}", flush=True)
            acked += 1
            if acked >= limit:
                os._exit(3)
            view = feedback.next or await quiz.start(learner_id, None, count=8)

    async def main():
        await asyncio.gather(*(learner(100 + i) for i in range(learners)))

    asyncio.run(main())
    """
)


@pytest.mark.parametrize("empty_db", ["sqlite"], indirect=True)
async def test_acknowledged_answers_survive_a_killed_process(database: Database) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, database.url, str(LEARNERS), str(ACKS_BEFORE_KILL)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert child.returncode == 3, child.stderr
    acked = {
        (int(session), int(position))
        for _, session, position in (line.split() for line in child.stdout.splitlines())
    }
    assert len(acked) == ACKS_BEFORE_KILL
    sessions = session_factory(database.new_engine())
    async with sessions() as db:
        answers = await db.execute(select(QuizAnswer.session_id, QuizAnswer.position))
        stored = {(session_id, position) for session_id, position in answers}
        quizzes = await db.execute(select(QuizSession.id, QuizSession.position))
        positions = {session_id: position for session_id, position in quizzes}
    assert acked <= stored
    # Each quiz's position agrees with its answers: nothing half-written survived the kill.
    for session_id, position in positions.items():
        assert {p for s, p in stored if s == session_id} == set(range(position))
