"""A job's pending delivery (bot.core.training with a `Handover`): recorded once its job is sent,
forgotten once answered, kept when this process stops; a taken-over run whose result is gone; any other
job taken over, abandoned and answered that its result is lost; a cancel that reaches a process not
following the job."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from bot.core import training
from bot.core.learners import Learner
from bot.core.running import cancel_run
from bot.core.status import JobReport
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, TutorError
from bot.training.delivery import Delivery
from bot.training.executor import JOB_SENT, Job
from bot.training.parse import parse_request
from bot.training.spec import TrainSpec

XOR = parse_request("train xor with adam epochs 300")
assert isinstance(XOR, TrainSpec)
ADDRESS = {"application_id": "42", "token": "secret-interaction-token"}


class Placeholder:
    """An answerable status (as Discord's deferred placeholder is) that keeps its reports."""

    def __init__(self, address: dict[str, str] | None = ADDRESS) -> None:
        self.reports: list[JobReport] = []
        self._address = address

    def address(self) -> dict[str, str] | None:
        return self._address

    async def working(self, text: str) -> None:
        """Not used by jobs."""

    async def progress(self, report: JobReport) -> None:
        self.reports.append(report)

    async def finished(self) -> None:
        """Nothing to clear."""


class Book:
    """A handover that keeps deliveries in a dict."""

    def __init__(self, elsewhere: bool = False) -> None:
        self.pending: dict[str, Delivery] = {}
        self.elsewhere = elsewhere
        self.cancels: list[int] = []

    async def record(self, delivery: Delivery) -> None:
        self.pending[delivery.job_id] = delivery

    async def done(self, delivery: Delivery) -> None:
        self.pending.pop(delivery.job_id, None)

    async def cancel_elsewhere(self, learner_id: int) -> bool:
        self.cancels.append(learner_id)
        return self.elsewhere

    async def close(self) -> None:
        """Nothing to stop."""


class Sent:
    """A queue-like pool: the job is sent (JOB_SENT told), then it fails, or never ends."""

    def __init__(self, error: TutorError | None = None) -> None:
        self.error = error
        self.sent = asyncio.Event()
        self.abandoned: list[tuple[str, str]] = []

    async def close(self) -> None:
        """Nothing to stop."""

    async def submit(self, job: Job, **_: Any) -> Any:
        told = JOB_SENT.get()
        assert told is not None
        await told("job-1")
        self.sent.set()
        if self.error is not None:
            raise self.error
        await asyncio.Event().wait()

    async def follow(self, job: Job, job_id: str, *, learner: str, on_progress: Any = None) -> Any:
        assert job_id == "job-1"
        raise TutorError("result_gone")

    async def abandon(self, job_id: str, *, learner: str) -> None:
        self.abandoned.append((job_id, learner))


async def test_a_run_answered_forgets_its_pending_delivery(tutor: Tutor, asha: Learner) -> None:
    book, pool = Book(), Sent(TutorError("timeout", seconds=60))
    tutor.handover, tutor.pool = book, pool  # type: ignore[assignment]
    run = asyncio.create_task(training.train(tutor, asha, XOR, Placeholder()))
    await pool.sent.wait()
    delivery = book.pending["job-1"]
    assert (delivery.learner_id, delivery.guild_id, delivery.kind) == (asha.id, 7, "train")
    assert training.decode_spec(delivery.spec) == XOR and delivery.address == ADDRESS
    with pytest.raises(TutorError):
        await run
    assert book.pending == {}  # its error was the answer


async def test_a_run_of_a_stopping_process_keeps_its_delivery_for_the_next(
    tutor: Tutor, asha: Learner
) -> None:
    book, pool = Book(), Sent()
    tutor.handover, tutor.pool = book, pool  # type: ignore[assignment]
    run = asyncio.create_task(training.train(tutor, asha, XOR, Placeholder()))
    await pool.sent.wait()
    run.cancel()  # the process stops under it
    with pytest.raises(asyncio.CancelledError):
        await run
    assert list(book.pending) == ["job-1"]


async def test_a_run_nobody_else_could_answer_records_no_delivery(tutor: Tutor, asha: Learner) -> None:
    book, pool = Book(), Sent(TutorError("timeout", seconds=60))
    tutor.handover, tutor.pool = book, pool  # type: ignore[assignment]
    recorded: list[str] = []
    original = book.record

    async def spy(delivery: Delivery) -> None:
        recorded.append(delivery.job_id)
        await original(delivery)

    book.record = spy  # type: ignore[method-assign]
    with pytest.raises(AssertionError):  # the pool is told of no delivery to record
        await training.train(tutor, asha, XOR, Placeholder(address=None))
    assert recorded == []


@pytest.mark.parametrize(("lang", "words"), [("en", "could not be recovered"), ("hi", "वापस नहीं मिल सका")])
async def test_a_taken_over_run_whose_result_is_gone_says_so_in_the_learners_language(
    tutor: Tutor, asha: Learner, lang: str, words: str
) -> None:
    tutor.pool = Sent()  # type: ignore[assignment]
    delivery = Delivery(
        job_id="job-1",
        kind="train",
        learner_id=asha.id,
        name=asha.name,
        guild_id=7,
        lang=lang,
        private=False,
        spec=training.encode_spec(XOR),
        address=ADDRESS,
    )
    status = Placeholder()
    reply = await training.resume_delivery(tutor, delivery, status)
    assert words in reply.note and not reply.cards
    assert status.reports and status.reports[0].cancel is not None  # it showed the run with its Cancel
    assert await tutor.progress.training_runs(asha.id) == []


def test_a_delivery_shown_leaves_its_token_out() -> None:
    delivery = Delivery("job-1", "train", 1, "Asha", None, "en", False, "code", address=ADDRESS)
    assert "secret-interaction-token" not in repr(delivery)
    assert Delivery.from_fields("job-1", {k.encode(): v.encode() for k, v in delivery.fields().items()}) == (
        delivery
    )


async def test_a_cancel_for_a_job_another_process_follows_is_sent_there(tutor: Tutor, asha: Learner) -> None:
    book = Book(elsewhere=True)
    tutor.handover = book  # type: ignore[assignment]
    await cancel_run(tutor, asha, asha.id)  # no refusal: the process following it cancels it
    assert book.cancels == [asha.id]
    book.elsewhere = False
    with pytest.raises(InvalidRequest) as refused:
        await cancel_run(tutor, asha, asha.id)
    assert refused.value.code == "nothing_to_cancel"
    with pytest.raises(InvalidRequest) as other:
        await cancel_run(tutor, replace(asha, id=202), asha.id)
    assert other.value.code == "cancel_not_yours" and book.cancels == [asha.id, asha.id]


async def test_a_compare_and_a_run_on_own_points_are_recorded_as_lost_if_their_process_stops(
    tutor: Tutor, asha: Learner
) -> None:
    book, pool = Book(), Sent()
    tutor.handover, tutor.pool = book, pool  # type: ignore[assignment]
    compare = parse_request("compare optimizers on xor epochs 200")
    own = parse_request("train with adam points: 0 0 0; 1 1 0; 0 1 1; 1 0 1")
    assert isinstance(own, TrainSpec) and own.data is not None
    for use_case in (
        training.compare(tutor, asha, compare, Placeholder()),
        training.train(tutor, asha, own, Placeholder()),
    ):
        run = asyncio.create_task(use_case)
        await pool.sent.wait()
        delivery = book.pending.pop("job-1")
        # no other process can finish it: it is marked lost, and carries no spec
        assert (delivery.kind, delivery.spec, delivery.learner_id) == ("lost", "", asha.id)
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        pool.sent.clear()


@pytest.mark.parametrize(("lang", "words"), [("en", "could not be recovered"), ("hi", "वापस नहीं मिल सका")])
async def test_a_lost_job_taken_over_is_abandoned_and_its_learner_told_in_their_language(
    tutor: Tutor, asha: Learner, lang: str, words: str
) -> None:
    pool = Sent()
    tutor.pool = pool  # type: ignore[assignment]
    delivery = Delivery("job-9", "lost", asha.id, asha.name, 7, lang, False, "", address=ADDRESS)
    reply = await training.resume_delivery(tutor, delivery, Placeholder())
    assert words in reply.note and not reply.cards
    assert pool.abandoned == [("job-9", str(asha.id))]  # no worker runs it for nobody; the place is free
