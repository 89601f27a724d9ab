"""Fair order, per-learner limits and compute budgets of the queue backend across bot processes (issue 13):
two `QueueExecutor`s on one redis-server stand for two bot processes (Discord shards).

Most cases check the Lua pick against a bare redis-server (no worker: fast); a few run real
`python -m bot worker` jobs on one training worker process (and one picture-lane process). Skipped
when redis-server is not installed, unless
TUTOR_REQUIRE_REDIS=1 (as .ci/run sets).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis

from bot.config import Settings
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, TutorError
from bot.training.executor import Job
from bot.training.jobs import Jobs
from bot.training.parse import parse_request
from bot.training.queue import (
    GRACE_SECONDS,
    KEYS,
    NAMESPACE,
    PICTURE_QUEUE,
    QUEUE_NAME,
    TICKETS_KEY,
    WORKERS_KEY,
    Beat,
    QueueExecutor,
    lanes_alive,
    read_beat,
    take_ticket,
)
from bot.training.results import Progress, TrainOutcome
from bot.training.scheduler import BudgetRule
from bot.training.spec import TrainSpec
from tests.training.redis_server import bot_workers, redis_server, require_redis_server, wait_for_workers

pytestmark = pytest.mark.slow

require_redis_server()

QUICK = Job("bot.training.worker.tasks:train", {})  # never run: the bare server has no worker


def _spec(text: str) -> TrainSpec:
    spec = parse_request(text)
    assert isinstance(spec, TrainSpec)
    return spec


# --- the pick, the limit and the budget against a bare redis-server ---


@pytest.fixture(scope="module")
def bare() -> Iterator[str]:
    """A redis-server no worker serves."""
    with redis_server() as url:
        yield url


@pytest.fixture
def client(bare: str) -> Iterator[redis.Redis]:
    """A client on the bare server, emptied before each test."""
    connection = redis.Redis.from_url(bare)
    connection.flushdb()
    yield connection
    connection.close()


@pytest.fixture
async def bots(bare: str, client: redis.Redis) -> AsyncIterator[tuple[QueueExecutor, QueueExecutor]]:
    """Two bot processes' executors on the same Redis."""
    budget = BudgetRule(worker_seconds=3.0, window_seconds=1.0, min_charge=1.0)
    pair = (
        QueueExecutor(bare, wait_seconds=60.0, learner_queue=9, budget=budget),
        QueueExecutor(bare, wait_seconds=60.0, learner_queue=9, budget=budget),
    )
    for queue in pair:
        await queue.start()
    yield pair
    for queue in pair:
        await queue.close()


def _take_all(client: redis.Redis) -> list[str]:
    """The job ids workers run, one token each, until no ticket waits."""
    taken = []
    for number in range(1000):
        job_id = take_ticket(client, f"token-{number}")
        if job_id is None:
            return taken
        taken.append(job_id)
    raise AssertionError("tickets never ran out")


async def test_a_second_servers_lone_job_goes_before_the_first_learners_second_one(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    for i in range(5):
        await one._post(f"a{i}", QUICK, "A", "server-1")
    await two._post("b0", QUICK, "B", "server-2")
    assert _take_all(client) == ["a0", "b0", "a1", "a2", "a3", "a4"]


async def test_a_server_with_many_learners_does_not_starve_another_servers_lone_learner(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    for round_ in range(2):
        for learner in range(5):
            await one._post(f"s1-l{learner}-{round_}", QUICK, f"learner-{learner}", "big")
    for i in range(3):
        await two._post(f"z{i}", QUICK, "Z", "small")
    taken = _take_all(client)
    assert [i for i, job in enumerate(taken) if job.startswith("z")] == [1, 3, 5]  # every other turn
    # inside the big server, each learner's first job before anyone's second
    big = [job for job in taken if job.startswith("s1")]
    assert [job[-1] for job in big] == ["0"] * 5 + ["1"] * 5
    assert len(set(job.split("-")[1] for job in big[:5])) == 5


async def test_dms_and_the_console_share_one_server_slot(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    await one._post("dm-x", QUICK, "X", "")
    await one._post("dm-y", QUICK, "Y", "")
    await two._post("guild-w", QUICK, "W", "guild")
    assert _take_all(client) == ["dm-x", "guild-w", "dm-y"]


PICTURE = Job(
    "bot.training.worker.tasks:lesson_figure", {"name": "neuron-diagram", "lang": "en"}, lane="picture"
)


async def test_a_picture_worker_takes_picture_jobs_only(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, _ = bots
    await one._post("training", QUICK, "A", "s")
    await one._post("picture", PICTURE, "B", "s")
    assert take_ticket(client, "picture-token-1", lane="picture") == "picture"
    assert take_ticket(client, "picture-token-2", lane="picture") is None  # training is not its work
    assert _take_all(client) == ["training"]


async def test_a_picture_job_gets_a_picture_lane_token_only_while_a_picture_worker_is_alive(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, _ = bots
    pictures, training = f"{NAMESPACE}:{PICTURE_QUEUE}", f"{NAMESPACE}:{QUEUE_NAME}"
    assert one.picture_workers_alive == 0  # no worker on the bare server
    await one._post("unserved", PICTURE, "A", "s")
    assert client.llen(pictures) == 0  # a token there would wait for nobody, for ever
    one.picture_workers_alive = 1
    await one._post("served", PICTURE, "A", "s")
    await one._post("training", QUICK, "B", "s")
    assert client.llen(pictures) == 1
    assert client.llen(training) == 3  # every job, pictures too, has a token the training workers take


def test_registry_entries_say_each_workers_lane_and_only_fresh_ones_count() -> None:
    beats = {
        b"t1": b"11 box training 100.0",
        b"t2": b"12 box training 90.0",  # silent for 10 s: gone
        b"p1": b"13 box picture 99.0",
    }
    assert read_beat(beats[b"p1"]) == Beat(13, "box", "picture", 99.0)
    assert lanes_alive(beats, now=100.5) == {"training": 1, "picture": 1}


async def test_pictures_go_before_training_as_on_the_local_training_workers(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, _ = bots
    await one._post("training", QUICK, "A", "s")
    await one._post("picture", Job("bot.training.worker.tasks:units", {}, lane="picture"), "A", "s")
    assert _take_all(client) == ["picture", "training"]


async def test_a_redelivered_token_takes_the_same_job_again_and_costs_no_turn(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    await one._post("a0", QUICK, "A", "s")
    await one._post("a1", QUICK, "A", "s")
    await two._post("b0", QUICK, "B", "s")
    assert take_ticket(client, "first") == "a0"
    assert take_ticket(client, "first") == "a0"  # its worker died: the same job, not another one
    assert take_ticket(client, "second") == "b0"  # B's turn still comes before A's second job
    assert take_ticket(client, "third") == "a1"


async def test_a_job_marked_gone_is_never_picked_and_a_token_without_tickets_does_nothing(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    await one._post("cancelled", QUICK, "A", "s")
    await two._post("wanted", QUICK, "B", "t")
    await one._mark_gone("cancelled", "A", QUICK.lane, None)  # what submit does when its caller stops waiting
    assert take_ticket(client, "first") == "wanted"
    assert take_ticket(client, "second") is None
    assert not client.exists(f"{KEYS}:token:second")  # it recorded nothing to run again
    assert client.hlen(TICKETS_KEY) == 0


async def test_a_ticket_no_bot_waits_for_any_more_is_dropped_by_the_next_pick(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, _ = bots
    await one._post("orphan", QUICK, "A", "s")  # its bot died before marking it gone
    later = time.time() + one.wait_seconds + GRACE_SECONDS + 1
    assert take_ticket(client, "token", now=later) is None
    assert client.hlen(TICKETS_KEY) == 0


async def test_the_place_in_line_is_the_place_in_the_fair_order(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    for i in range(3):
        await one._post(f"a{i}", QUICK, "A", "s1")
    await two._post("b0", QUICK, "B", "s2")
    assert [await two._position(job) for job in ("a0", "b0", "a1", "a2")] == [1, 2, 3, 4]
    take_ticket(client, "token")  # a0 runs: its place is gone, the others move up
    assert [await one._position(job) for job in ("b0", "a1", "a2")] == [1, 2, 3]
    assert await one._position("a0") == 3  # no longer waiting: the count waiting


async def test_the_learner_limit_holds_across_two_bot_processes(bare: str, client: redis.Redis) -> None:
    one = QueueExecutor(bare, learner_queue=1)
    two = QueueExecutor(bare, learner_queue=1)
    await one.start()
    await two.start()
    try:
        await one._post("first", QUICK, "L", "s")
        await two._post("second", QUICK, "L", "s")  # one running + one waiting, over both
        for queue, job_id in ((one, "third"), (two, "fourth")):
            with pytest.raises(InvalidRequest) as caught:
                await queue._post(job_id, QUICK, "L", "s")
            assert caught.value.code == "already_running"
        await two._post("other", QUICK, "M", "s")  # another learner is not held back
        await one._mark_gone("first", "L", QUICK.lane, None)
        await two._post("fifth", QUICK, "L", "s")  # freed through the other process
        held = f"{KEYS}:learner:L:held"
        assert 0 < client.ttl(held) <= math.ceil(one.held_seconds)  # it cannot outlive its jobs forever
        assert set(client.hkeys(TICKETS_KEY)) == {b"second", b"other", b"fifth"}  # none for the refused
    finally:
        await one.close()
        await two.close()


async def test_a_held_place_whose_bot_died_is_forgotten_after_its_longest_wait_and_run(
    bare: str, client: redis.Redis
) -> None:
    crashed = QueueExecutor(bare, learner_queue=0)
    await crashed.start()
    try:
        crashed.held_seconds = 0.2  # as if the wait and run limits were that short
        await crashed._post("never-released", QUICK, "L", "s")  # its bot dies: no finally runs
        with pytest.raises(InvalidRequest):
            await crashed._post("too-soon", QUICK, "L", "s")
        await asyncio.sleep(0.3)
        await crashed._post("later", QUICK, "L", "s")
        assert client.zrange(f"{KEYS}:learner:L:held", 0, -1) == [b"later"]
    finally:
        await crashed.close()


def test_a_learner_limit_below_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="learner_queue"):
        QueueExecutor("redis://127.0.0.1:1/0", learner_queue=-1)


async def test_a_charge_made_by_one_bot_process_counts_in_the_other_until_the_window_passes(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots  # 3 worker-seconds per 1 s window, at least 1 s a job
    training = Job("bot.training.worker.tasks:train", {})
    await one._mark_gone("j1", "L", training.lane, ran=0.2)  # charged 1 s (min_charge)
    await two._check_budget("L", training)  # 1 of 3 used: passes
    await one._mark_gone("j2", "L", training.lane, ran=2.5)
    with pytest.raises(InvalidRequest) as caught:
        await two._check_budget("L", training)
    assert caught.value.code == "compute_budget"
    assert caught.value.details["seconds"] == 1 and caught.value.details["used"] == pytest.approx(3.5)
    assert caught.value.details["budget"] == 3.0 and caught.value.details["window"] == 1.0
    await two._check_budget("M", training)  # another learner has its own budget
    picture = Job("bot.training.worker.tasks:units", {}, lane="picture")
    await two._check_budget("L", picture)  # pictures are not budgeted
    assert 0 < client.ttl(f"{KEYS}:learner:L:budget") <= 1  # the charges go with the window
    await asyncio.sleep(1.1)
    await two._check_budget("L", training)  # the window passed: budget again


# --- with a worker process ---


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """A redis-server with one `python -m bot worker` training process and one picture process."""
    with redis_server() as url, bot_workers(url, 1, pictures=1):
        yield url


async def test_with_one_busy_worker_a_second_servers_job_runs_before_the_first_learners_second(
    served: str,
) -> None:
    one = QueueExecutor(served, wait_seconds=120.0, learner_queue=9)
    two = QueueExecutor(served, wait_seconds=120.0, learner_queue=9)
    await one.start()
    await two.start()
    client = redis.Redis.from_url(served)
    busy = asyncio.Event()
    done: list[str] = []

    async def on_progress(progress: Progress) -> None:
        busy.set()

    async def run(queue: QueueExecutor, label: str, learner: str, server: str) -> None:
        outcome = await Jobs(queue).train(
            _spec("train xor with adam epochs 100"), "en", learner=learner, server=server
        )
        assert isinstance(outcome, TrainOutcome)
        done.append(label)  # one worker: the jobs end in the order they ran

    try:
        slow = asyncio.create_task(
            Jobs(one).train(
                _spec("train spiral with adam epochs 5000 hidden 64,64"),
                "en",
                learner="S",
                on_progress=on_progress,
            )
        )
        await asyncio.wait_for(busy.wait(), 60)
        tasks = []
        for i in range(5):
            # one at a time: submits made together reach Redis in any order (each on its own connection)
            tasks.append(asyncio.create_task(run(one, f"a{i}", "A", "server-1")))
            while client.hlen(TICKETS_KEY) < i + 1:
                await asyncio.sleep(0.02)
        tasks.append(asyncio.create_task(run(two, "b0", "B", "server-2")))
        while client.hlen(TICKETS_KEY) < 6:
            await asyncio.sleep(0.02)
        slow.cancel()  # frees the worker at its next progress report
        await asyncio.wait_for(asyncio.gather(*tasks), 120)
    finally:
        client.close()
        await one.close()
        await two.close()
    assert done == ["a0", "b0", "a1", "a2", "a3", "a4"]


async def test_a_learner_who_used_the_budget_through_one_bot_is_refused_through_the_other(
    served: str,
) -> None:
    budget = BudgetRule(worker_seconds=0.5, window_seconds=4.0, min_charge=1.0)
    one = QueueExecutor(served, wait_seconds=120.0, budget=budget)
    two = QueueExecutor(served, wait_seconds=120.0, budget=budget)
    await one.start()
    await two.start()
    spec = _spec("train xor with adam epochs 100")
    try:
        assert isinstance(await Jobs(one).train(spec, "en", learner="spender"), TrainOutcome)
        spent = time.monotonic()
        with pytest.raises(InvalidRequest) as caught:
            await Jobs(two).train(spec, "en", learner="spender")
        assert caught.value.code == "compute_budget"
        assert 1 <= caught.value.details["seconds"] <= 4
        assert caught.value.details["used"] >= 1.0  # at least the min charge
        assert isinstance(await Jobs(two).train(spec, "en", learner="saver"), TrainOutcome)  # within budget
        await asyncio.sleep(max(0.0, 4.1 - (time.monotonic() - spent)))
        assert isinstance(await Jobs(two).train(spec, "en", learner="spender"), TrainOutcome)
    finally:
        await one.close()
        await two.close()


async def test_the_learner_limit_across_two_bots_is_freed_after_ok_error_cancel_and_timeout(
    served: str,
) -> None:
    one = QueueExecutor(served, wait_seconds=120.0, learner_queue=0)
    two = QueueExecutor(served, wait_seconds=120.0, learner_queue=0)
    hasty = QueueExecutor(served, timeout_seconds=0.5, wait_seconds=120.0, learner_queue=0)
    await one.start()
    await two.start()
    client = redis.Redis.from_url(served)
    held = f"{KEYS}:learner:busy:held"
    running = asyncio.Event()

    async def on_progress(progress: Progress) -> None:
        running.set()

    async def refused_through_two() -> None:
        with pytest.raises(InvalidRequest) as caught:
            await Jobs(two).train(_spec("train xor with adam epochs 50"), "en", learner="busy")
        assert caught.value.code == "already_running"

    try:
        # cancelled by its caller while running
        slow = asyncio.create_task(
            Jobs(one).train(
                _spec("train spiral with adam epochs 5000 hidden 64,64"),
                "en",
                learner="busy",
                on_progress=on_progress,
            )
        )
        await asyncio.wait_for(running.wait(), 60)
        await refused_through_two()
        slow.cancel()
        with pytest.raises(asyncio.CancelledError):
            await slow
        assert client.zcard(held) == 0
        # answered ok
        assert isinstance(
            await Jobs(two).train(_spec("train xor with adam epochs 50"), "en", learner="busy"), TrainOutcome
        )
        assert client.zcard(held) == 0
        # answered with an error raised in the worker
        with pytest.raises(InvalidRequest):
            await Jobs(one).activation("swishh", "en", learner="busy")
        assert client.zcard(held) == 0
        assert isinstance(
            await Jobs(two).train(_spec("train xor with adam epochs 50"), "en", learner="busy"), TrainOutcome
        )
        assert client.zcard(held) == 0
        # stopped at its time limit
        with pytest.raises(TutorError) as caught:
            await Jobs(hasty).train(
                _spec("train spiral with adam epochs 5000 hidden 64,64"), "en", learner="busy"
            )
        assert caught.value.code == "timeout"
        assert client.zcard(held) == 0
    finally:
        client.close()
        await one.close()
        await two.close()
        await hasty.close()
    wait_for_workers(served, 2, timeout=30)  # the training worker serves again (beside the picture one)


async def test_a_tutor_on_a_broker_gives_the_queue_its_learner_limit_and_budget(
    bare: str, tmp_path: Path
) -> None:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        heartbeat_file=tmp_path / "heartbeat.json",
        broker_url=bare,
        training_learner_queue=4,
        training_budget_seconds=7.0,
        training_budget_window_seconds=90.0,
        training_min_charge_seconds=2.0,
    )
    tutor = await Tutor.create(settings, start_pool=False)
    try:
        assert isinstance(tutor.pool, QueueExecutor)
        assert tutor.pool.learner_queue == 4
        assert tutor.pool.budget == BudgetRule(worker_seconds=7.0, window_seconds=90.0, min_charge=2.0)
    finally:
        await tutor.close()


async def test_a_lesson_figure_is_drawn_by_the_picture_worker_while_the_training_worker_is_busy(
    served: str,
) -> None:
    queue = QueueExecutor(served, wait_seconds=120.0)
    await queue.start()
    busy = asyncio.Event()

    async def on_progress(progress: Progress) -> None:
        busy.set()

    slow = asyncio.create_task(
        Jobs(queue).train(
            _spec("train spiral with adam epochs 5000 hidden 64,64"),
            "en",
            learner="S",
            on_progress=on_progress,
        )
    )
    client = redis.Redis.from_url(served)
    try:
        await asyncio.wait_for(busy.wait(), 60)
        assert queue.picture_workers_alive == 1
        drawing = await asyncio.wait_for(
            Jobs(queue).lesson_figure("neuron-diagram", "en", learner="figure:1"), 60
        )
        assert drawing.pictures[0].png.startswith(b"\x89PNG")
        assert not slow.done()  # it did not wait for the training worker
        lanes = {
            worker.decode(): read_beat(value).lane for worker, value in client.hgetall(WORKERS_KEY).items()
        }
        assert sorted(lanes[worker] for worker in queue.served) == ["picture", "training"]
    finally:
        slow.cancel()  # frees the training worker at its next progress report
        with contextlib.suppress(asyncio.CancelledError):
            await slow
        client.close()
        await queue.close()


async def test_a_job_keeps_its_own_time_limit_whichever_token_runs_it(served: str) -> None:
    patient = QueueExecutor(served, timeout_seconds=60.0, wait_seconds=120.0)
    hasty = QueueExecutor(served, timeout_seconds=0.5, wait_seconds=120.0)
    await patient.start()
    await hasty.start()
    busy = asyncio.Event()

    async def on_progress(progress: Progress) -> None:
        busy.set()

    slow = asyncio.create_task(
        Jobs(patient).train(
            _spec("train spiral with adam epochs 5000 hidden 64,64"),
            "en",
            learner="S",
            on_progress=on_progress,
        )
    )
    try:
        await asyncio.wait_for(busy.wait(), 60)
        # a spare token with a 60 s limit waits first in line (as a picture job's leaves one behind) ...
        spare = patient._actor.message_with_options(args=("spare-token",), time_limit=60_000)
        await asyncio.to_thread(patient.broker.enqueue, spare)
        # ... so it, not the hasty bot's own token, runs the hasty bot's job: still stopped at 0.5 s
        hurried = asyncio.create_task(
            Jobs(hasty).train(_spec("train spiral with adam epochs 5000 hidden 64,64"), "en", learner="H")
        )
        client = redis.Redis.from_url(served)
        while not client.hlen(TICKETS_KEY):
            await asyncio.sleep(0.02)
        client.close()
        slow.cancel()
        with pytest.raises(TutorError) as caught:
            await asyncio.wait_for(hurried, 60)
        assert caught.value.code == "timeout"
    finally:
        slow.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await slow
        await patient.close()
        await hasty.close()


async def test_an_abandoned_job_leaves_the_line_and_frees_its_learners_place(
    bots: tuple[QueueExecutor, QueueExecutor], client: redis.Redis
) -> None:
    one, two = bots
    await one._post("orphan", QUICK, "L", "s")  # sent by a bot process that stopped
    assert client.zcard(f"{KEYS}:learner:L:held") == 1
    await two.abandon("orphan", learner="L")  # the process that took its delivery over
    assert client.zcard(f"{KEYS}:learner:L:held") == 0 and not client.hexists(TICKETS_KEY, "orphan")
    assert client.hget(f"{KEYS}:job:orphan", "gone") == b"1"  # a worker holding it stops at its next report
    assert take_ticket(client, "late-token") is None
