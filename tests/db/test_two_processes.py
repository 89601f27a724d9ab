"""Two processes answering on one SQLite file at once (the bot and the console): every answer waits
for the write lock instead of failing with "database is locked", and every one is recorded."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import func, select

from bot.db.engine import session_factory
from bot.db.models import QuizAnswer
from bot.paths import PROJECT_ROOT
from tests.db.support import Database

LEARNERS, ANSWERS_EACH = 6, 16

CHILD = textwrap.dedent(
    """
    import asyncio, random, sys
    from bot.db.engine import create_engine, session_factory
    from bot.quiz.bank import MemoryBank
    from bot.quiz.session import QuizService
    from tests.db.support import sample_banks, right_answer

    url, first, learners, answers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    sessions = session_factory(create_engine(url))
    quiz = QuizService(sessions, MemoryBank(sample_banks()), rng=random.Random(first))

    async def learner(learner_id):
        view = await quiz.start(learner_id, None, count=8)
        for _ in range(answers):
            typed = right_answer(view.question)
            feedback = await quiz.answer(view.session_id, learner_id, typed, view.number)
            view = feedback.next or await quiz.start(learner_id, None, count=8)

    async def main():
        await asyncio.gather(*(learner(first + i) for i in range(learners)))

    asyncio.run(main())
    print("done")
    """
)


@pytest.mark.parametrize("empty_db", ["sqlite"], indirect=True)
async def test_two_processes_answering_at_once_both_succeed(database: Database) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, database.url, str(first), str(LEARNERS), str(ANSWERS_EACH)],
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for first in (100, 200)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0 and out.strip() == "done", err
    sessions = session_factory(database.new_engine())
    async with sessions() as db:
        stored = await db.scalar(select(func.count()).select_from(QuizAnswer))
    assert stored == 2 * LEARNERS * ANSWERS_EACH
