"""The scheduler alone (no workers): fair order, batches of heads, a queue sized by work, the budget."""

from __future__ import annotations

import itertools

import pytest

from bot.config import Settings
from bot.errors import InvalidRequest
from bot.training.jobs import train_batch_key, train_job
from bot.training.scheduler import BudgetRule, ComputeBudget, Scheduler, Ticket
from bot.training.spec import make_spec

ids = itertools.count(1)


def ticket(learner: str, server: str = "", cost: float = 0.3, key: str | None = None) -> Ticket:
    return Ticket(next(ids), learner, server, "training", cost, key)


def run_all(scheduler: Scheduler) -> list[str]:
    """Learners in the order one worker serves them, each job finishing before the next pick."""
    served = []
    while picked := scheduler.pick():
        (only,) = picked
        served.append(only.learner)
        scheduler.finish(only, 0.1, now=0.0)
    return served


def test_a_learner_with_ten_waiting_delays_another_learners_first_job_by_one_job_at_most() -> None:
    scheduler = Scheduler(queue_seconds=100, learner_queue=10)
    for _ in range(11):  # one to run now, ten waiting
        scheduler.admit(ticket("asha"), now=0)
    first = scheduler.pick()
    assert [t.learner for t in first] == ["asha"]
    scheduler.admit(ticket("ravi"), now=0)  # arrives while asha's first job runs
    scheduler.finish(first[0], 0.1, now=0)
    served = run_all(scheduler)
    assert served.index("ravi") <= 1 and served.count("asha") == 10


def test_a_newcomer_arriving_late_still_waits_one_job_at_most() -> None:
    scheduler = Scheduler(queue_seconds=100, learner_queue=10)
    for _ in range(11):
        scheduler.admit(ticket("asha"), now=0)
    served = []
    for _ in range(5):  # asha alone for five turns
        (picked,) = scheduler.pick()
        served.append(picked.learner)
        scheduler.finish(picked, 0.1, now=0)
    scheduler.admit(ticket("ravi"), now=0)
    assert run_all(scheduler)[:1] == ["ravi"]


def test_servers_take_turns_before_learners_do() -> None:
    scheduler = Scheduler(queue_seconds=100, learner_queue=0)
    for name in ("a1", "a2", "a3"):
        scheduler.admit(ticket(name, server="big"), now=0)
    scheduler.admit(ticket("b1", server="small"), now=0)
    assert run_all(scheduler) == ["a1", "b1", "a2", "a3"]


def test_one_running_job_per_learner_and_a_bounded_number_waiting() -> None:
    scheduler = Scheduler(queue_seconds=100, learner_queue=1)
    scheduler.admit(ticket("asha"), now=0)
    scheduler.admit(ticket("asha"), now=0)
    with pytest.raises(InvalidRequest) as caught:
        scheduler.admit(ticket("asha"), now=0)
    assert caught.value.code == "already_running"
    assert len(scheduler.pick()) == 1
    assert scheduler.pick() == []  # her second job waits for her first, though a worker is free


def test_a_batch_takes_the_head_job_of_each_learner_with_the_same_key() -> None:
    scheduler = Scheduler(queue_seconds=100, learner_queue=5, batch_limit=3)
    key = train_batch_key(make_spec("xor", "adam"), "en")
    for learner in ("asha", "asha", "ravi", "meera", "dev"):
        scheduler.admit(ticket(learner, key=key), now=0)
    scheduler.admit(ticket("kiran", key="other"), now=0)
    batch = scheduler.pick()
    assert [t.learner for t in batch] == ["asha", "ravi", "meera"]  # batch_limit, one job per learner
    assert [t.learner for t in scheduler.pick()] == ["dev"]  # asha's second waits for her first
    assert [t.learner for t in scheduler.pick()] == ["kiran"]  # another key: its own call


def test_the_batch_key_ignores_optimizer_lr_and_seed_but_not_the_network_or_language() -> None:
    adam = train_batch_key(make_spec("xor", "adam", seed=1), "en")
    assert adam == train_batch_key(make_spec("xor", "sgd", lr=0.3, seed=2), "en")
    assert adam != train_batch_key(make_spec("xor", "adam", seed=1), "hi")
    assert adam != train_batch_key(make_spec("xor", "adam", hidden=[4]), "en")
    assert adam != train_batch_key(make_spec("xor", "adam", epochs=500), "en")
    assert adam != train_batch_key(make_spec("moons", "adam"), "en")


def test_a_failed_batch_comes_back_unbatched_at_the_head_of_each_line() -> None:
    scheduler = Scheduler(queue_seconds=100, learner_queue=2, batch_limit=8)
    for learner in ("asha", "asha", "ravi"):
        scheduler.admit(ticket(learner, key="k"), now=0)
    batch = scheduler.pick()
    assert len(batch) == 2
    scheduler.requeue(batch)
    again = scheduler.pick()
    assert [(t.id, t.batch_key) for t in again] == [(batch[0].id, None)]


def test_the_queue_admits_by_estimated_work_and_thirty_default_runs_fit_at_defaults() -> None:
    settings = Settings(_env_file=None)
    scheduler = Scheduler(queue_seconds=settings.training_queue_seconds, learner_queue=0)
    datasets = ("xor", "moons", "circles")
    for number in range(30):
        spec = make_spec(datasets[number % 3], ("sgd", "adam", "momentum", "rmsprop")[number % 4])
        job = train_job(spec, "en")
        scheduler.admit(
            ticket(f"learner{number}", cost=job.cost, key=job.batch.key if job.batch else None), 0
        )
    assert scheduler.waiting() == 30 and scheduler.queued_seconds < settings.training_queue_seconds / 2

    small = Scheduler(queue_seconds=1.0)
    small.admit(ticket("asha", cost=5.0), now=0)  # one job always fits into an empty queue
    with pytest.raises(InvalidRequest) as caught:
        small.admit(ticket("ravi", cost=0.1), now=0)
    assert caught.value.code == "queue_full"


def test_withdrawing_a_waiting_job_frees_its_place_and_its_work() -> None:
    scheduler = Scheduler(queue_seconds=100)
    waiting = ticket("asha", cost=2.0)
    scheduler.admit(waiting, now=0)
    assert scheduler.withdraw(waiting) and scheduler.queued_seconds == 0 and scheduler.learners == 0
    assert not scheduler.withdraw(waiting)


def default_budget() -> ComputeBudget:
    settings = Settings(_env_file=None)
    return ComputeBudget(
        settings.training_budget_seconds,
        settings.training_budget_window_seconds,
        settings.training_min_charge_seconds,
    )


def test_the_default_budget_lets_quick_runs_through_and_refuses_a_flood_saying_when() -> None:
    budget = default_budget()
    scheduler = Scheduler(queue_seconds=100, learner_queue=0, budget=budget)
    now = 0.0
    for _ in range(3):  # train, look at the curve, try another learning rate: 0.6 s runs, 5 s apart
        scheduler.admit(ticket("asha"), now)
        (run,) = scheduler.pick()
        now += 0.6
        scheduler.finish(run, 0.6, now)
        now += 5
    refused = None
    flood = 0
    while flood < 100:  # a flood: a quick run the moment the last one ended
        flood += 1
        try:
            scheduler.admit(ticket("asha"), now)
        except InvalidRequest as error:
            refused = error
            break
        (run,) = scheduler.pick()
        now += 0.2
        scheduler.finish(run, 0.2, now)
    assert refused is not None and refused.code == "compute_budget" and flood <= 30
    wait = refused.details["seconds"]
    assert 0 < wait <= budget.window_seconds
    assert f"You can train again in {wait} s." in refused.message_en
    assert f"{wait} s बाद फिर train कर सकते हैं" in refused.message_hi
    scheduler.admit(ticket("ravi"), now)  # another learner is not held back by asha's flood
    with pytest.raises(InvalidRequest):
        scheduler.admit(ticket("asha"), now + wait - 1)
    scheduler.admit(ticket("asha"), now + wait)  # at the time the message named, she may train again


def test_every_job_is_charged_at_least_the_minimum_and_charges_leave_the_window() -> None:
    budget = ComputeBudget(worker_seconds=3.0, window_seconds=60.0, min_charge=1.0)
    assert budget.charge("asha", 0.01, now=0) == 1.0
    budget.charge("asha", 2.5, now=10)
    assert budget.used("asha", now=20) == 3.5 and budget.wait_seconds("asha", now=20) == 40.0
    assert budget.used("asha", now=61) == 2.5 and budget.wait_seconds("asha", now=61) == 0.0
    budget.check("asha", now=61)


@pytest.mark.parametrize(
    ("worker_seconds", "window_seconds", "min_charge"),
    [(0.0, 60.0, 1.0), (20.0, 0.0, 1.0), (20.0, 60.0, -0.5), (float("nan"), 60.0, 1.0)],
)
def test_a_budget_with_a_bad_value_is_refused(
    worker_seconds: float, window_seconds: float, min_charge: float
) -> None:
    for rule in (BudgetRule, ComputeBudget):
        with pytest.raises(ValueError, match="compute budget"):
            rule(worker_seconds=worker_seconds, window_seconds=window_seconds, min_charge=min_charge)
