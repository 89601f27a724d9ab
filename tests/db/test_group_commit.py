"""Group commit: answers that arrive together share one transaction, yet each caller gets its own outcome.

The writer thread is held on a gate while the answers queue up, so they form one group for certain
(the runner's counters confirm it); no timing is involved.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Awaitable, Sequence
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.db.base import utcnow
from bot.db.engine import session_factory
from bot.db.models import QuizAnswer, XpEvent
from bot.db.prepared import Statement, Tx
from bot.db.repository import add_xp_tx, ensure_learner_tx
from bot.db.runner import Runner
from bot.errors import InvalidRequest, NotFound
from bot.quiz.bank import MemoryBank
from bot.quiz.session import QuizService
from tests.db.support import Clock, Database, right_answer

LEARNERS = (11, 12, 13, 14, 15)


class Gate:
    """Holds the writer thread inside a unit until the test opens it."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._loop = asyncio.get_running_loop()
        self.entered = asyncio.Event()

    def unit(self, _tx: Tx) -> None:
        """A unit of work that says it is running, then waits for `open`."""
        self._loop.call_soon_threadsafe(self.entered.set)
        assert self._event.wait(timeout=60), "the gate was never opened"

    async def open(self) -> None:
        """Open the gate (as a task created after the calls to group, it runs after they queued)."""
        self._event.set()


async def _grouped(runner: Runner, calls: Sequence[Awaitable[Any]]) -> list[Any]:
    """Run `calls` while the writer is held, so that they queue and commit as one group.

    Without group commit (PostgreSQL) each call is its own transaction and there is no writer to hold.
    """
    if not runner.group_commit:
        return await asyncio.gather(*calls, return_exceptions=True)
    gate = Gate()
    held = asyncio.ensure_future(runner.run(gate.unit))
    await gate.entered.wait()  # the writer is inside the gate's group: nothing else can join it
    # Tasks start in creation order and each queues its unit before it first waits, so the gate
    # opens only after every call is queued.
    tasks = [asyncio.ensure_future(call) for call in calls]
    opener = asyncio.ensure_future(gate.open())
    results = await asyncio.gather(*tasks, return_exceptions=True)
    await held
    await opener
    return results


async def test_one_invalid_answer_in_a_group_fails_alone(
    database: Database, bank: MemoryBank, clock: Clock
) -> None:
    sessions = session_factory(database.new_engine())
    quiz = QuizService(sessions, bank, clock=clock, rng=random.Random(2))
    views = {learner: await quiz.start(learner, "activation", count=3) for learner in LEARNERS}
    # act-num needs a number: "three" is not an answer, and it must not take the others down with it.
    typed = {
        learner: "three" if view.question.id == "act-num" else right_answer(view.question)
        for learner, view in views.items()
    }
    invalid = [learner for learner, answer in typed.items() if answer == "three"]
    assert invalid, "the seed must give some learner the numeric question first"
    other = views[LEARNERS[0]]
    groups = quiz.runner.groups
    results = await _grouped(
        quiz.runner,
        [quiz.answer(views[learner].session_id, learner, typed[learner]) for learner in LEARNERS]
        + [quiz.answer(other.session_id, 999, "a")],  # someone else's quiz: NotFound
    )
    if quiz.runner.group_commit:
        assert quiz.runner.groups - groups == 2  # the held unit, then everything that queued behind it
    for learner, result in zip(LEARNERS, results, strict=False):
        if learner in invalid:
            assert isinstance(result, InvalidRequest) and result.code == "quiz.not_a_number"
        else:
            assert not isinstance(result, BaseException), result
            assert result.correct and result.answered == 1
    assert isinstance(results[-1], NotFound) and results[-1].code == "quiz.session_not_found"
    async with sessions() as db:
        recorded = set(await db.scalars(select(QuizAnswer.learner_id)))
    assert recorded == set(LEARNERS) - set(invalid)
    for learner in invalid:  # refused answers leave the quiz where it was
        assert (await quiz.current(views[learner].session_id, learner)).number == 1
    quiz.close()


def _xp_then_fail(tx: Tx, learner_id: int) -> None:
    add_xp_tx(tx, learner_id, "training_run", 15, utcnow())
    raise RuntimeError("the unit failed after writing")


def _xp(tx: Tx, learner_id: int) -> int:
    ensure_learner_tx(tx, learner_id, None, utcnow())
    return add_xp_tx(tx, learner_id, "training_run", 15, utcnow())


async def test_a_unit_failing_after_writing_is_rolled_back_alone(database: Database) -> None:
    sessions = session_factory(database.new_engine())
    runner = Runner(sessions)
    await runner.run(_xp, 1)  # learner 1 exists before the group
    results = await _grouped(runner, [runner.run(_xp, 2), runner.run(_xp_then_fail, 1), runner.run(_xp, 3)])
    assert results[0] == 15 and results[2] == 15
    assert isinstance(results[1], RuntimeError)
    async with sessions() as db:
        rows = (await db.execute(select(XpEvent.learner_id, func.count()).group_by(XpEvent.learner_id))).all()
    assert sorted(tuple(row) for row in rows) == [(1, 1), (2, 1), (3, 1)]  # not the failed unit's event
    runner.close()


_DEFER_FOREIGN_KEYS = Statement(text("PRAGMA defer_foreign_keys = ON"))


def _xp_for_nobody(tx: Tx) -> int:
    # With deferred foreign keys, the missing learner is noticed only at COMMIT.
    tx.run(_DEFER_FOREIGN_KEYS, {})
    return add_xp_tx(tx, 424242, "training_run", 15, utcnow())


@pytest.mark.parametrize("empty_db", ["sqlite"], indirect=True)
async def test_a_failed_commit_acknowledges_no_unit_of_the_group(database: Database) -> None:
    sessions = session_factory(database.new_engine())
    runner = Runner(sessions)
    assert runner.group_commit
    results = await _grouped(runner, [runner.run(_xp, 5), runner.run(_xp_for_nobody), runner.run(_xp, 6)])
    assert all(isinstance(result, Exception) for result in results), results
    async with sessions() as db:
        assert await db.scalar(select(func.count()).select_from(XpEvent)) == 0
    assert await runner.run(_xp, 7) == 15  # the writer recovers for the next group
    runner.close()


async def test_runners_on_one_database_share_its_writer_until_the_last_closes(database: Database) -> None:
    first = Runner(session_factory(database.new_engine()))
    second = Runner(session_factory(database.new_engine()))  # e.g. a quiz rebuilt after a content reload
    assert await first.run(_xp, 8) == 15
    groups = second.groups
    assert await second.run(_xp, 9) == 15
    if first.group_commit:
        assert first.groups == second.groups == groups + 1  # one writer thread, one connection
    first.close()
    first.close()  # idempotent
    with pytest.raises(RuntimeError):
        await first.run(_xp, 10)
    assert await second.run(_xp, 11) == 15  # still open for the other user
    second.close()
