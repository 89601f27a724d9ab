"""Who runs next: admission, fair order, batches and compute budgets for jobs waiting for a worker.

Pure bookkeeping (no processes, no asyncio, no Discord), so any backend can consult it: the local warm
pool (`bot.training.executor.TrainingPool`) asks `pick` whenever a worker frees; the queue backend
(`bot.training.queue`) applies the same rules to state it keeps in Redis. Times are passed in (`now`,
seconds on any monotonic clock), which also makes every rule testable without waiting.

- Admission (`admit`): a learner has at most one running job plus `learner_queue` waiting
  (`already_running`), the queue holds at most `queue_seconds` of estimated work (`queue_full`; a job
  always fits into an empty queue), and a training job needs compute budget left (`compute_budget`).
- Order (`pick`): lanes are served in the order asked (a picture worker asks for pictures only); inside a
  lane the server served longest ago goes first, and inside it the learner served longest ago, so a
  learner with ten jobs waiting delays another learner's first one by one job at most.
- Batches: the head jobs of other learners with the same batch key join the first one, up to
  `batch_limit`; only heads, so a batch is one turn for each learner in it.
- Budget (`ComputeBudget`): worker-seconds a learner's training used over a sliding window, each job
  charged at least `min_charge`; refused with the number of seconds until the next run fits. The rule
  itself is `BudgetRule`, which the queue backend applies to charges it keeps in Redis.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.errors import InvalidRequest

Lane = Literal["training", "picture"]
LANES: tuple[Lane, ...] = ("training", "picture")


@dataclass(frozen=True)
class Ticket:
    """One job's place in line: whose it is, which lane, its estimated cost and batch key."""

    id: int
    learner: str
    server: str = ""  # "" for a DM or the console: they share one rotation slot
    lane: Lane = "training"
    cost: float = 0.1  # estimated worker-seconds
    batch_key: str | None = None  # jobs with equal keys may run as one worker call


@dataclass
class BudgetRule:
    """The compute budget's arithmetic alone: at most `worker_seconds` of charges over a sliding window of
    `window_seconds`, each job charged at least `min_charge`. `ComputeBudget` keeps the charges in this
    process; the queue backend keeps them in Redis (`bot.training.queue`) and applies the same rule."""

    worker_seconds: float
    window_seconds: float
    min_charge: float = 0.5

    def __post_init__(self) -> None:
        if not self.worker_seconds > 0 or not self.window_seconds > 0 or not self.min_charge >= 0:
            raise ValueError(
                f"a compute budget needs worker_seconds > 0, window_seconds > 0 and min_charge >= 0, not "
                f"{self.worker_seconds!r}, {self.window_seconds!r}, {self.min_charge!r}"
            )

    def charged(self, seconds: float) -> float:
        """What a job that used `seconds` is charged: at least `min_charge`."""
        return max(self.min_charge, seconds)

    def recent(self, charges: Iterable[tuple[float, float]], now: float) -> list[tuple[float, float]]:
        """The (charged_at, seconds) charges still inside the window ending at `now`, oldest first."""
        return sorted(charge for charge in charges if charge[0] > now - self.window_seconds)

    def wait_seconds_for(self, recent: Sequence[tuple[float, float]], now: float) -> float:
        """Seconds from `now` until the learner with the `recent` charges (oldest first) has budget left."""
        used = sum(seconds for _, seconds in recent)
        wait = 0.0
        for charged_at, seconds in recent:  # oldest first: each one leaving the window frees its seconds
            if used < self.worker_seconds:
                break
            used -= seconds
            wait = charged_at + self.window_seconds - now
        return max(0.0, wait)

    def refusal(self, recent: Sequence[tuple[float, float]], now: float) -> InvalidRequest | None:
        """InvalidRequest `compute_budget` (with the seconds to wait) when the `recent` charges leave no
        budget at `now`, else None."""
        wait = self.wait_seconds_for(recent, now)
        if wait <= 0:
            return None
        return InvalidRequest(
            "compute_budget",
            seconds=math.ceil(wait),
            used=sum(seconds for _, seconds in recent),
            budget=self.worker_seconds,
            window=self.window_seconds,
        )


@dataclass
class ComputeBudget(BudgetRule):
    """Worker-seconds per learner over a sliding window of `window_seconds`, at most `worker_seconds`,
    the charges kept in this process."""

    _charges: dict[str, deque[tuple[float, float]]] = field(default_factory=dict, repr=False)

    def _recent(self, learner: str, now: float) -> deque[tuple[float, float]]:
        charges = self._charges.get(learner, deque())
        while charges and charges[0][0] <= now - self.window_seconds:
            charges.popleft()
        if not charges:
            self._charges.pop(learner, None)
        return charges

    def used(self, learner: str, now: float) -> float:
        """Worker-seconds `learner` was charged within the window ending at `now`."""
        return sum(seconds for _, seconds in self._recent(learner, now))

    def charge(self, learner: str, seconds: float, now: float) -> float:
        """Charge `learner` for a job that used `seconds` (at least `min_charge`); returns the charge."""
        charged = self.charged(seconds)
        self._recent(learner, now)
        self._charges.setdefault(learner, deque()).append((now, charged))
        return charged

    def wait_seconds(self, learner: str, now: float) -> float:
        """Seconds until `learner` has budget left again (0 when it has some now)."""
        return self.wait_seconds_for(self._recent(learner, now), now)

    def check(self, learner: str, now: float) -> None:
        """InvalidRequest `compute_budget` (with the seconds to wait) when `learner` has no budget left."""
        refused = self.refusal(self._recent(learner, now), now)
        if refused is not None:
            raise refused


class Scheduler:
    """The waiting jobs of every lane and the rules for admitting and picking them."""

    def __init__(
        self,
        *,
        queue_seconds: float,
        learner_queue: int = 2,
        batch_limit: int = 8,
        budget: ComputeBudget | None = None,
    ) -> None:
        self.queue_seconds = queue_seconds
        self.learner_queue = learner_queue
        self.batch_limit = batch_limit
        self.budget = budget
        self._waiting: dict[Lane, dict[str, deque[Ticket]]] = {lane: {} for lane in LANES}
        self._running: dict[str, int] = {}  # learner -> jobs running (one, or more in a requeued batch)
        self._order = itertools.count(1)
        self._learner_served: dict[str, int] = {}  # learner -> order number of its last turn
        self._server_served: dict[str, int] = {}
        self.queued_seconds = 0.0

    # ------------------------------------------------------------------ admission
    def admit(self, ticket: Ticket, now: float) -> None:
        """Put `ticket` in line, or raise the refusal (InvalidRequest) that keeps it out."""
        held = self._running.get(ticket.learner, 0) + self._count_waiting(ticket.learner)
        if held > self.learner_queue:
            raise InvalidRequest("already_running")
        if self.queued_seconds > 0 and self.queued_seconds + ticket.cost > self.queue_seconds:
            raise InvalidRequest("queue_full", size=self.waiting())
        if self.budget is not None and ticket.lane == "training":
            self.budget.check(ticket.learner, now)
        self._waiting[ticket.lane].setdefault(ticket.learner, deque()).append(ticket)
        self.queued_seconds += ticket.cost

    def requeue(self, tickets: Iterable[Ticket]) -> None:
        """Put running tickets back at the head of their learners' lines, unbatched and unrefused (a batch
        that failed as a whole runs its members one by one)."""
        for ticket in reversed(list(tickets)):
            self._release(ticket.learner)
            single = Ticket(ticket.id, ticket.learner, ticket.server, ticket.lane, ticket.cost, None)
            self._waiting[ticket.lane].setdefault(ticket.learner, deque()).appendleft(single)
            self.queued_seconds += ticket.cost

    def withdraw(self, ticket: Ticket) -> bool:
        """Take a waiting ticket out of line (cancelled or waited too long); False if it was not waiting."""
        line = self._waiting[ticket.lane].get(ticket.learner)
        found = next((t for t in line or () if t.id == ticket.id), None)
        if line is None or found is None:
            return False
        line.remove(found)
        if not line:
            del self._waiting[ticket.lane][ticket.learner]
        self.queued_seconds = max(0.0, self.queued_seconds - found.cost)
        return True

    def finish(self, ticket: Ticket, seconds: float, now: float) -> None:
        """A running ticket ended after `seconds` of worker time: free its learner and charge the budget."""
        self._release(ticket.learner)
        if self.budget is not None and ticket.lane == "training":
            self.budget.charge(ticket.learner, seconds, now)

    def _release(self, learner: str) -> None:
        left = self._running.get(learner, 0) - 1
        if left > 0:
            self._running[learner] = left
        else:
            self._running.pop(learner, None)

    # ------------------------------------------------------------------ order
    def pick(self, lanes: Sequence[Lane] = LANES) -> list[Ticket]:
        """The tickets one free worker runs next (several: one batched call), now counted as running;
        [] when nothing in `lanes` may run."""
        for lane in lanes:
            heads = self._heads(lane)
            if heads:
                break
        else:
            return []
        lead = heads[0]
        group = [lead]
        if lead.batch_key is not None:
            mates = (t for t in heads[1:] if t.batch_key == lead.batch_key)
            group += itertools.islice(mates, self.batch_limit - 1)
        turn = next(self._order)
        for ticket in group:
            self.withdraw(ticket)
            self._running[ticket.learner] = self._running.get(ticket.learner, 0) + 1
            self._learner_served[ticket.learner] = turn
            self._server_served[ticket.server] = turn
        return group

    def _heads(self, lane: Lane) -> list[Ticket]:
        """The first waiting ticket of each learner with nothing running, in fair order."""
        heads = [line[0] for learner, line in self._waiting[lane].items() if learner not in self._running]
        server, learner = self._server_served, self._learner_served
        return sorted(heads, key=lambda t: (server.get(t.server, 0), learner.get(t.learner, 0), t.id))

    def position(self, ticket: Ticket) -> int:
        """1 + the number of waiting tickets of `ticket`'s lane picked before it in the current order."""
        order = self._heads(ticket.lane)
        for index, head in enumerate(order):
            if head.id == ticket.id:
                return index + 1
        return len(order) + self._count_waiting(ticket.learner)

    # ------------------------------------------------------------------ figures
    def _count_waiting(self, learner: str) -> int:
        return sum(len(lines.get(learner, ())) for lines in self._waiting.values())

    def waiting(self, lane: Lane | None = None) -> int:
        """Tickets waiting (in `lane`, or in all lanes)."""
        lanes = LANES if lane is None else (lane,)
        return sum(len(line) for name in lanes for line in self._waiting[name].values())

    @property
    def learners(self) -> int:
        """Learners with a job running or waiting."""
        waiting = {learner for lines in self._waiting.values() for learner in lines}
        return len(waiting | self._running.keys())
