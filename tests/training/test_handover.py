"""Bot processes' shared state in a real redis-server (bot/training/handover.py): deliveries are taken
over only from a dead owner and by one process alone, cancels travel by learner, the token stays out of
the log; and `QueueExecutor.follow` on a job whose answer is already gone."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.errors import TutorError
from bot.training import handover as handover_module
from bot.training.delivery import Delivery
from bot.training.executor import JOB_SENT
from bot.training.handover import BOTS_KEY, Handover
from bot.training.jobs import train_job
from bot.training.parse import parse_request
from bot.training.queue import KEYS, QueueExecutor
from bot.training.spec import TrainSpec
from tests.training.redis_server import redis_server, require_redis_server

pytestmark = pytest.mark.slow

require_redis_server()

TOKEN = "interaction-token-that-must-not-be-logged"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with redis_server() as served:
        yield served


@pytest.fixture
async def started(url: str) -> AsyncIterator[list[Handover]]:
    """Handovers made by a test (start them with `_start`); closed after it, the database emptied."""
    made: list[Handover] = []
    yield made
    for handover in made:
        await handover.close()
    cleaner = Handover(url)
    await cleaner.start(lambda _: None)
    await cleaner.client.flushdb()
    await cleaner.close()


async def _start(url: str, made: list[Handover], cancels: list[int] | None = None) -> Handover:
    handover = Handover(url)
    await handover.start((cancels if cancels is not None else []).append)
    made.append(handover)
    return handover


def _delivery(job_id: str, learner_id: int = 5) -> Delivery:
    return Delivery(
        job_id=job_id,
        kind="train",
        learner_id=learner_id,
        name="Asha",
        guild_id=7,
        lang="hi",
        private=False,
        spec="xor;mlp;8;relu;bce;adam;0.01;300;0",
        address={"application_id": "42", "token": TOKEN},
    )


async def test_a_delivery_of_a_live_owner_is_not_taken(url: str, started: list[Handover]) -> None:
    owner, other = await _start(url, started), await _start(url, started)
    await owner.record(_delivery("job-live"))
    assert await other.claim_orphans() == []


async def test_a_dead_owners_delivery_is_taken_by_exactly_one_process(
    url: str, started: list[Handover]
) -> None:
    owner = await _start(url, started)
    await owner.record(_delivery("job-orphan"))
    await owner.close()  # says goodbye: at once as good as dead
    claimers = [await _start(url, started) for _ in range(4)]
    taken = await asyncio.gather(*(claimer.claim_orphans() for claimer in claimers))
    winners = [claimer for claimer, got in zip(claimers, taken, strict=True) if got]
    assert len(winners) == 1
    (delivery,) = taken[claimers.index(winners[0])]
    assert delivery.job_id == "job-orphan" and delivery.owner == winners[0].process_id
    assert delivery.address["token"] == TOKEN and delivery.lang == "hi"
    for claimer in claimers:  # taken now by a live process: nobody else takes it
        assert await claimer.claim_orphans() == []


async def test_an_owner_whose_heartbeat_stopped_is_taken_for_dead_after_a_while(
    url: str, started: list[Handover]
) -> None:
    owner = await _start(url, started)
    await owner.record(_delivery("job-silent"))
    stale = time.time() - handover_module.DEAD_SECONDS - 1
    for task in owner._tasks:  # killed: no beat any more, and no goodbye either
        task.cancel()
    await owner.client.hset(BOTS_KEY, owner.process_id, f"{stale:.3f}")
    other = await _start(url, started)
    assert [d.job_id for d in await other.claim_orphans()] == ["job-silent"]


async def test_a_delivered_job_is_forgotten(url: str, started: list[Handover]) -> None:
    owner = await _start(url, started)
    await owner.record(_delivery("job-done"))
    await owner.done(_delivery("job-done"))
    await owner.close()
    other = await _start(url, started)
    assert await other.claim_orphans() == []
    assert not await other.cancel_elsewhere(5)  # nobody follows a job of learner 5 now


async def test_a_cancel_reaches_every_process_by_learner(url: str, started: list[Handover]) -> None:
    heard: list[int] = []
    follower = await _start(url, started, heard)
    asker = await _start(url, started)
    assert not await asker.cancel_elsewhere(5)  # no delivery for learner 5: nothing to cancel
    await follower.record(_delivery("job-cancel", learner_id=5))
    await asyncio.sleep(0.2)  # the follower's subscription is in place
    assert await asker.cancel_elsewhere(5)
    for _ in range(50):
        if heard:
            break
        await asyncio.sleep(0.05)
    assert heard == [5]


async def test_the_token_never_reaches_the_log(
    url: str, started: list[Handover], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    owner = await _start(url, started)
    await owner.record(_delivery("job-secret"))
    await owner.close()
    other = await _start(url, started)
    (taken,) = await other.claim_orphans()
    await other.done(taken)
    assert "job-secret" in caplog.text  # the log does speak of the delivery
    assert TOKEN not in caplog.text and TOKEN not in repr(taken)


async def test_following_a_job_whose_answer_is_gone_says_result_gone(url: str) -> None:
    spec = parse_request("train xor with adam epochs 100")
    assert isinstance(spec, TrainSpec)
    queue = QueueExecutor(url, timeout_seconds=30.0, wait_seconds=5.0)
    await queue.start()
    try:
        assert queue._redis is not None
        # a worker ran it and another process read its answer (the events are gone)
        await queue._redis.hset(f"{KEYS}:job:job-gone", mapping={"attempts": 1, "ended": "ok"})
        with pytest.raises(TutorError) as gone:
            await queue.follow(train_job(spec, "en"), "job-gone", learner="someone")
        assert gone.value.code == "result_gone"
        assert "could not be recovered" in gone.value.message("en")
    finally:
        await queue.close()


@pytest.mark.parametrize("stopping", [True, False])
async def test_a_job_handed_over_by_a_stopping_process_is_left_for_another(url: str, stopping: bool) -> None:
    spec = parse_request("train xor with adam epochs 100")
    assert isinstance(spec, TrainSpec)
    queue = QueueExecutor(url, timeout_seconds=30.0, wait_seconds=60.0)
    await queue.start()
    sent: list[str] = []

    async def record(job_id: str) -> None:
        sent.append(job_id)

    told = JOB_SENT.set(record)
    try:
        follow = asyncio.create_task(queue.submit(train_job(spec, "en"), learner="5"))  # no worker: waits
    finally:
        JOB_SENT.reset(told)
    try:
        for _ in range(100):
            if sent:
                break
            await asyncio.sleep(0.05)
        (job_id,) = sent
        if stopping:
            queue.hand_over()
            await asyncio.sleep(1.0)  # its follower stops reading within a poll
        follow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await follow
        assert queue._redis is not None
        gone = await queue._redis.hget(f"{KEYS}:job:{job_id}", "gone")
        assert (gone is None) == stopping  # a learner's cancel frees the job; a hand-over keeps it
    finally:
        await queue.close()
