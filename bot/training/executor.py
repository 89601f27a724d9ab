"""The executor: a pool of warm worker processes that run jobs without blocking the event loop.

The main process never imports torch or matplotlib: a job names its function as a string under
`bot.training.worker.` and the worker imports it (`bot.training.jobs` is the one place that names
them). Workers start from a forkserver whose preloaded modules are imported but have run no torch op
(forking after multi-threaded torch ops hangs children), then each worker runs its warm-up jobs (an
optimizer step, a figure) before it is counted ready.

Who runs next is the `bot.training.scheduler.Scheduler`'s business (admission, fair order, batches,
compute budgets); the pool asks it whenever a worker frees. Training workers take pictures first, then
training; the picture lane's own workers take pictures only, so a picture never waits behind training.
Limits: a queue bounded by estimated work (`queue_full`) and a bounded wait in it (`wait_too_long`), one
running job per learner and a few waiting (`already_running`), a compute budget per learner
(`compute_budget`), a wall-time limit that kills and replaces the worker (`timeout`); a crashed worker is
replaced and its job fails with `worker_crashed` instead of hanging. Compatible training jobs run as one
batched call; a batch that fails as a whole runs its members one by one. A cancelled job's worker is
killed (the learner no longer wants the result, so its CPU is freed now) and replaced; a worker that dies
while idle is noticed through its process sentinel and replaced before a learner needs it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import importlib
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Literal, Protocol

from bot.errors import InvalidRequest, NotFound, TutorError
from bot.training.results import Progress
from bot.training.scheduler import ComputeBudget, Lane, Scheduler, Ticket

log = logging.getLogger(__name__)

ALLOWED_PREFIXES: tuple[str, ...] = ("bot.training.worker.",)
READY_TIMEOUT = 180.0  # a cold worker imports torch and matplotlib: seconds, not minutes
RESPAWN_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # between failed attempts to replace a worker, then every 30 s

QueuedCallback = Callable[[int], Awaitable[None]]
ProgressCallback = Callable[[Progress], Awaitable[None]]
SentCallback = Callable[[str], Awaitable[None]]
# set around a submit by a use case whose answer can outlive this process (bot.core.training.train): an
# executor whose jobs outlive it (the queue's) awaits it with the job id once the job is sent; the local
# pool's jobs die with the process, so it ignores it
JOB_SENT: contextvars.ContextVar[SentCallback | None] = contextvars.ContextVar("JOB_SENT", default=None)


DRAWING_SECONDS = 0.1  # a picture's estimated worker time (two PNGs take about that)


@dataclass(frozen=True)
class Batching:
    """How a job joins others: jobs with equal `key` may run as one call of `target` (see `batch_call`)."""

    key: str
    target: str


@dataclass(frozen=True)
class Job:
    """A function a worker runs: `target` is "bot.training.worker.<module>:<function>", kwargs plain data;
    `cost` its estimated worker-seconds, `lane` the workers it may use, `batch` how it joins a batch."""

    target: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    cost: float = DRAWING_SECONDS
    lane: Lane = "training"
    batch: Batching | None = None


def batch_call(jobs: Sequence[Job]) -> Job:
    """One call running every job of a batch: `specs` = each job's `spec`, its other arguments shared
    (equal batch keys mean equal other arguments); results come back as a list in the same order."""
    first = jobs[0]
    if first.batch is None:
        raise ValueError(f"{first.target} does not batch")
    shared = {key: value for key, value in first.kwargs.items() if key != "spec"}
    specs = [job.kwargs["spec"] for job in jobs]
    return Job(first.batch.target, {"specs": specs, **shared}, sum(j.cost for j in jobs), first.lane)


class Executor(Protocol):
    """What runs jobs for the core: the local warm pool here; a task queue could stand in for it."""

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        server: str | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Run `job` for `learner` (in `server`, None for a DM or the console) and return its result;
        `on_queued(position)` when it must wait, `on_progress(progress)` as the job reports how far it is."""
        ...


class JobWatcher(Protocol):
    """Told how long each job waited and ran (the bot's metrics); called on the pool's event loop."""

    def job_waited(self, lane: Lane, seconds: float) -> None:
        """A job of `lane` left the line for a worker after waiting `seconds`."""
        ...

    def job_ran(self, lane: Lane, seconds: float) -> None:
        """The worker call that ran a job of `lane` took `seconds` (a batched call: once per job in it)."""
        ...


_progress_sink: Callable[[Progress], None] | None = None  # set in a worker while it runs a job


@contextlib.contextmanager
def progress_to(sink: Callable[[Progress], None]) -> Iterator[None]:
    """Inside a worker, while a job runs: send its `report_progress` calls to `sink`."""
    global _progress_sink
    _progress_sink = sink
    try:
        yield
    finally:
        _progress_sink = None


def check_target(job: Job, allowed_prefixes: Sequence[str]) -> None:
    """ValueError unless the job's targets (its batch target too) are functions under `allowed_prefixes`."""
    for target in (job.target, *([job.batch.target] if job.batch else [])):
        module, sep, function = target.partition(":")
        if not sep or not function or not module.startswith(tuple(allowed_prefixes)):
            raise ValueError(f"job target {target!r} is not a function under {tuple(allowed_prefixes)}")


def report_progress(progress: Progress) -> None:
    """Inside a worker job: tell the parent how far the job is (does nothing outside a worker)."""
    if _progress_sink is not None:
        _progress_sink(progress)


def resolve(target: str) -> Callable[..., Any]:
    """The function a target string "module:function" names (imported on first use)."""
    module_name, _, function_name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module_name), function_name)
    return function


def error_payload(exc: BaseException) -> dict[str, Any]:
    """What a worker sends back for a failed job: a TutorError's code and text, else the exception."""
    if isinstance(exc, TutorError):
        return {"kind": type(exc).__name__, "code": exc.code, "text": exc.text}
    return {
        "kind": "exception",
        "type": type(exc).__name__,
        "text": str(exc)[:500],
        "trace": traceback.format_exc()[-2000:],
    }


WORKER_NICENESS = 10


def _worker_main(conn: Connection, warmups: Sequence[str]) -> None:
    """Worker loop: warm up, say ready, then run (id, target, kwargs) messages until None arrives."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    # Training yields the CPU to the bot's own process: with two busy processes beside it a class burst
    # of 300 answers kept p99 at 0.1-0.3 s at niceness 10, against 1.2-2.8 s at 0 (benchmarks/README).
    os.nice(WORKER_NICENESS)
    started = time.perf_counter()
    try:
        for target in warmups:
            resolve(target)()
    except BaseException as exc:
        conn.send(("failed", None, error_payload(exc)))
        return
    conn.send(("ready", None, {"pid": os.getpid(), "seconds": time.perf_counter() - started}))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job_id, target, kwargs = message
        try:
            with progress_to(functools.partial(_send_progress, conn, job_id)):
                result = resolve(target)(**kwargs)
        except Exception as exc:
            conn.send(("error", job_id, error_payload(exc)))
        else:
            conn.send(("ok", job_id, result))


def _send_progress(conn: Connection, job_id: int, progress: Progress) -> None:
    conn.send(("progress", job_id, progress))


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection, number: int, lane: Lane) -> None:
        self.process = process
        self.conn = conn
        self.number = number
        self.lane = lane
        self.jobs_done = 0
        self.busy = False
        self.retired = False  # killed or being replaced: never handed out again

    @property
    def usable(self) -> bool:
        """Whether this worker may take a job: not retired and its process alive."""
        return not self.retired and self.process.is_alive()

    def __repr__(self) -> str:
        alive = self.process.is_alive()
        return f"_Worker(#{self.number}, {self.lane}, pid={self.process.pid}, alive={alive})"


def _start_and_wait(
    process: BaseProcess, parent: Connection, child: Connection, closing: threading.Event
) -> Any:
    """Start a worker process and wait for its first message ("ready" or "failed"); blocking."""
    process.start()
    child.close()  # only the worker holds this end now, so its death reads as EOF here
    deadline = time.monotonic() + READY_TIMEOUT
    while not parent.poll(0.2):  # in slices, so a pool that closes meanwhile is not kept waiting
        if closing.is_set():
            process.kill()
            raise EOFError("the pool closed during the warm-up")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no word from the worker in {READY_TIMEOUT:g} s")
    return parent.recv()


def rebuild_error(payload: dict[str, Any]) -> TutorError:
    """The TutorError a worker's error payload stands for (an unexpected exception: `job_failed`)."""
    kinds: dict[str, type[TutorError]] = {"InvalidRequest": InvalidRequest, "NotFound": NotFound}
    if payload.get("kind") == "exception":
        log.error("training job failed: %s: %s\n%s", payload["type"], payload["text"], payload["trace"])
        return TutorError("job_failed", kind=payload["type"])
    cls = kinds.get(str(payload.get("kind")), TutorError)
    return cls(payload["code"], text=payload["text"])


# what a free worker of each lane takes, first things first: pictures are small and must not wait
LANES_SERVED: dict[Lane, tuple[Lane, ...]] = {"training": ("picture", "training"), "picture": ("picture",)}


@dataclass(eq=False)
class _Entry:
    """A submitted job on the pool's side: its ticket, the future its caller awaits, the run it is in."""

    ticket: Ticket
    job: Job
    future: asyncio.Future[Any]
    on_progress: ProgressCallback | None
    submitted: float = 0.0  # loop time it joined the line
    waited: bool = False  # its wait was reported (a batch member run again alone is not reported twice)
    timer: asyncio.TimerHandle | None = None  # the `wait_too_long` deadline while it waits
    run: asyncio.Task[None] | None = None  # the worker call it is part of, once picked
    group: list[_Entry] = field(default_factory=list)  # every entry of that call (itself included)


class TrainingPool:
    """Warm worker processes in two lanes, fed by a `Scheduler`, with a wall-time limit per call.

    `workers` train (and draw when no picture waits); `picture_workers` only draw. `queue_seconds`
    bounds the estimated work waiting, `learner_queue` the jobs a learner may have waiting besides the
    running one, `batch_limit` the jobs in one batched call (1: no batching), `budget` each learner's
    worker-seconds (None: unlimited). `warmups` are job targets every worker runs (no arguments) before it
    counts as ready; `preload` names modules the forkserver imports once, so each worker starts with them
    imported. `bot.training.jobs.training_pool()` builds the pool the tutor uses.
    """

    def __init__(
        self,
        workers: int = 2,
        queue_seconds: float = 60.0,
        timeout_seconds: float = 60.0,
        *,
        wait_seconds: float = 300.0,
        picture_workers: int = 0,
        learner_queue: int = 2,
        batch_limit: int = 8,
        budget: ComputeBudget | None = None,
        warmups: Sequence[str] = (),
        preload: Sequence[str] = (),
        allowed_prefixes: Sequence[str] = ALLOWED_PREFIXES,
        start_method: str = "forkserver",
    ) -> None:
        self.n_workers = workers
        self.picture_workers = picture_workers
        self.timeout_seconds = timeout_seconds
        self.wait_seconds = wait_seconds
        self.batch_limit = batch_limit
        self.scheduler = Scheduler(
            queue_seconds=queue_seconds, learner_queue=learner_queue, batch_limit=batch_limit, budget=budget
        )
        self.warmups = tuple(warmups)
        self.allowed_prefixes = tuple(allowed_prefixes)
        self._ctx: Any = multiprocessing.get_context(start_method)
        if start_method == "forkserver" and preload:
            self._ctx.set_forkserver_preload(list(preload))
        self._numbers = itertools.count(1)
        self._job_ids = itertools.count(1)
        self._workers: set[_Worker] = set()
        self._idle: list[_Worker] = []
        self._entries: dict[int, _Entry] = {}  # waiting ones, by ticket id
        self._running = 0  # worker calls in progress
        self._spawning: set[asyncio.Task[None]] = set()  # workers warming up, first ones or replacements
        self._runs: set[asyncio.Task[None]] = set()
        self._processes: set[BaseProcess] = set()
        self._closing = threading.Event()  # set by close(); warm-ups waiting in threads read it too
        self._threads = ThreadPoolExecutor(
            max_workers=workers + picture_workers + 2, thread_name_prefix="training-pool"
        )
        self._started = False
        self.watchers: list[JobWatcher] = []  # empty unless the bot serves metrics
        self.batch_sizes: Counter[int] = Counter()  # batched calls by number of jobs in them
        self.counts = {
            "completed": 0,
            "failed": 0,
            "timeouts": 0,
            "crashes": 0,
            "cancelled": 0,
            "idle_deaths": 0,
            "restarts": 0,
            "batches": 0,
            "batch_fallbacks": 0,
        }

    @property
    def _closed(self) -> bool:
        return self._closing.is_set()

    def __repr__(self) -> str:
        alive = len(self._workers)
        return (
            f"TrainingPool(workers={self.n_workers}, picture_workers={self.picture_workers}, "
            f"queue_seconds={self.scheduler.queue_seconds:g}, alive={alive})"
        )

    def _lane_sizes(self) -> tuple[tuple[Lane, int], ...]:
        return (("training", self.n_workers), ("picture", self.picture_workers))

    async def start(self) -> None:
        """Begin warming every worker in the background and return at once; jobs wait in line meanwhile."""
        if self._started:
            return
        self._started = True
        for lane, count in self._lane_sizes():
            for _ in range(count):
                self._add_worker(lane, replacing=None)

    async def ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Return once no worker is still warming (RuntimeError if that takes longer than `timeout`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._spawning:
            remaining = deadline - loop.time()
            _, pending = await asyncio.wait(list(self._spawning), timeout=max(0.0, remaining))
            if pending and loop.time() >= deadline:
                raise RuntimeError(f"training workers did not warm up within {timeout:g} s")

    async def _spawn(self, lane: Lane) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.warmups), daemon=True, name="training-worker"
        )
        self._processes.add(process)  # so close() can kill it even if its warm-up is cut short
        worker = _Worker(process, parent, next(self._numbers), lane)
        loop = asyncio.get_running_loop()
        try:
            # start and warm-up wait in one thread, so they go on while the loop is not running (the
            # console's loop runs only while it answers a line)
            warm_up = functools.partial(_start_and_wait, process, parent, child, self._closing)
            status, _, info = await loop.run_in_executor(self._threads, warm_up)
        except (EOFError, OSError, TimeoutError) as exc:
            await self._kill(worker)
            raise RuntimeError(f"training worker #{worker.number} did not start: {exc!r}") from exc
        if status != "ready":
            await self._kill(worker)
            raise RuntimeError(f"training worker #{worker.number} failed to warm up: {info}")
        log.info("%s worker #%d ready (pid %s, %.2fs)", lane, worker.number, info["pid"], info["seconds"])
        self._workers.add(worker)
        loop.add_reader(process.sentinel, self._on_exit, worker)
        return worker

    def _on_exit(self, worker: _Worker) -> None:
        """The worker's process ended: replace it now if it was idle (a running job notices by itself)."""
        asyncio.get_running_loop().remove_reader(worker.process.sentinel)
        if worker.retired or worker.busy or self._closed:
            return
        self.counts["idle_deaths"] += 1
        log.error("training worker #%d died while idle (exit %s)", worker.number, worker.process.exitcode)
        self._replace(worker)

    async def _kill(self, worker: _Worker) -> None:
        worker.retired = True
        self._workers.discard(worker)
        with contextlib.suppress(ValueError, OSError):  # the sentinel may be closed already
            asyncio.get_running_loop().remove_reader(worker.process.sentinel)
        if worker.process.is_alive():
            worker.process.kill()
        if worker.process.pid is not None:  # it started
            await asyncio.get_running_loop().run_in_executor(self._threads, worker.process.join, 10)
        self._processes.discard(worker.process)
        worker.conn.close()

    def _replace(self, worker: _Worker) -> None:
        """Retire `worker` and warm a new one in the background; the queue keeps its place meanwhile."""
        if worker.retired:
            return
        worker.retired = True
        if worker in self._idle:
            self._idle.remove(worker)
        self._add_worker(worker.lane, replacing=worker)

    def _add_worker(self, lane: Lane, replacing: _Worker | None) -> None:
        """Warm one worker in the background (after killing `replacing`) and let it take waiting jobs."""

        async def add() -> None:
            if replacing is not None:
                await self._kill(replacing)
            for attempt in itertools.count():
                if self._closed:
                    return
                try:
                    fresh = await self._spawn(lane)
                    break
                except RuntimeError:
                    # keep trying: a pool that silently shrinks to nothing would make every wait time out
                    delay = RESPAWN_DELAYS[min(attempt, len(RESPAWN_DELAYS) - 1)]
                    log.exception("warming a training worker failed; retrying in %g s", delay)
                    await asyncio.sleep(delay)
            if replacing is not None:
                self.counts["restarts"] += 1
            if self._closed:
                await self._kill(fresh)
            else:
                self._idle.append(fresh)
                self._dispatch()

        task = asyncio.get_running_loop().create_task(add())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        server: str | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Run `job` on a warm worker when the scheduler picks it and return its result (TutorError on any
        refusal); `on_queued(position)` is awaited when it must wait (raising there leaves the queue)."""
        check_target(job, self.allowed_prefixes)
        if not self._started or self._closed:
            raise TutorError("pool_closed")
        loop = asyncio.get_running_loop()
        key = job.batch.key if job.batch is not None and self.batch_limit > 1 else None
        ticket = Ticket(next(self._job_ids), learner, server or "", job.lane, job.cost, key)
        self.scheduler.admit(ticket, loop.time())
        entry = _Entry(ticket, job, loop.create_future(), on_progress, submitted=loop.time())
        self._entries[ticket.id] = entry
        entry.future.add_done_callback(functools.partial(self._on_done, entry))
        self._dispatch()
        if entry.run is None:  # it waits for a worker
            entry.timer = loop.call_later(self.wait_seconds, self._expire, entry)
            if on_queued is not None:
                try:
                    await on_queued(self.scheduler.position(ticket))
                except BaseException:
                    entry.future.cancel()
                    raise
        try:
            return await entry.future
        except asyncio.CancelledError:
            run = entry.run
            if run is not None and all(member.future.cancelled() for member in entry.group):
                run.cancel()  # now, so the worker is being replaced when this caller hears "cancelled"
                with contextlib.suppress(BaseException):
                    await run
            raise

    def _expire(self, entry: _Entry) -> None:
        """The wait deadline passed while `entry` was still waiting: it leaves the queue, refused."""
        if entry.run is None and not entry.future.done():
            entry.future.set_exception(TutorError("wait_too_long", seconds=self.wait_seconds))

    def _on_done(self, entry: _Entry, future: asyncio.Future[Any]) -> None:
        """`entry`'s caller has its answer (or gave up): a waiting entry leaves the queue; a running call
        is cancelled when every caller in it gave up."""
        if entry.timer is not None:
            entry.timer.cancel()
        if entry.run is None:
            self.scheduler.withdraw(entry.ticket)
            self._entries.pop(entry.ticket.id, None)
        elif future.cancelled() and all(member.future.cancelled() for member in entry.group):
            entry.run.cancel()

    def _dispatch(self) -> None:
        """Give every idle worker what the scheduler picks for its lane, as one call each."""
        loop = asyncio.get_running_loop()
        for worker in sorted(self._idle, key=lambda w: w.lane != "picture"):  # pictures to their lane first
            if not worker.usable:
                self._idle.remove(worker)  # dead while idle: its sentinel has it replaced
                continue
            tickets = self.scheduler.pick(LANES_SERVED[worker.lane])
            if not tickets:
                continue
            self._idle.remove(worker)
            group = [self._entries.pop(ticket.id) for ticket in tickets]
            run = loop.create_task(self._run_group(worker, group))
            self._runs.add(run)
            run.add_done_callback(self._runs.discard)
            for entry in group:
                entry.run = run
                entry.group = group
                if entry.timer is not None:
                    entry.timer.cancel()
                if not entry.waited:
                    entry.waited = True
                    self._tell("job_waited", entry.ticket.lane, loop.time() - entry.submitted)

    async def _run_group(self, worker: _Worker, group: list[_Entry]) -> None:
        """Run `group` on `worker` (one call; batched when several) and settle each member's future."""
        loop = asyncio.get_running_loop()
        batched = len(group) > 1
        job = batch_call([entry.job for entry in group]) if batched else group[0].job
        started = loop.time()
        run = asyncio.current_task()
        try:
            try:
                status, payload = await self._call(worker, job, [entry.on_progress for entry in group])
            except TutorError as error:  # timeout or crash: the call as a whole failed
                status, payload = "refused", error
            except asyncio.CancelledError:
                self._settle(group, loop.time() - started)
                raise
            if batched:
                self._settle_batch(group, status, payload, loop.time() - started)
            else:
                self._settle(group, loop.time() - started)
                self._answer(group[0], status, payload)
        finally:
            # the members this call ran to the end (a failed batch's are back in line, with run None)
            for entry in group:
                if entry.run is run:
                    self._tell("job_ran", entry.ticket.lane, loop.time() - started)
            self._dispatch()

    def _tell(self, event: Literal["job_waited", "job_ran"], lane: Lane, seconds: float) -> None:
        """Report `event` ("job_waited" or "job_ran") to every watcher; a failing watcher fails no job."""
        for watcher in self.watchers:
            try:
                getattr(watcher, event)(lane, seconds)
            except Exception:
                log.exception("a job watcher failed")

    def _settle(self, group: Sequence[_Entry], seconds: float) -> None:
        """The scheduler's part of a finished call: free its learners and charge each its share."""
        now = asyncio.get_running_loop().time()
        for entry in group:
            self.scheduler.finish(entry.ticket, seconds / len(group), now)

    def _settle_batch(self, group: list[_Entry], status: str, payload: Any, seconds: float) -> None:
        self.counts["batches"] += 1
        self.batch_sizes[len(group)] += 1
        if status == "ok" and isinstance(payload, list) and len(payload) == len(group):
            self._settle(group, seconds)
            for entry, result in zip(group, payload, strict=True):
                self._answer(entry, "ok", result)
            return
        if self._closed:  # the workers were stopped under it: nobody will run the members again
            self._settle(group, seconds)
            for entry in group:
                self._answer(entry, "refused", TutorError("pool_closed"))
            return
        # one bad member must not fail the others: each runs alone, at the head of its learner's line
        self.counts["batch_fallbacks"] += 1
        if isinstance(payload, TutorError):
            reason = payload.code
        elif isinstance(payload, dict):  # an error payload from the worker
            reason = f"{payload.get('type', payload.get('code'))}: {str(payload.get('text'))[:200]}"
        else:
            reason = f"a {type(payload).__name__} instead of {len(group)} results"
        log.warning("a batch of %d failed as a whole (%s); its members run one by one", len(group), reason)
        live = [entry for entry in group if not entry.future.done()]
        self.scheduler.requeue(entry.ticket for entry in live)
        for entry in live:
            entry.run = None
            entry.group = []
            self._entries[entry.ticket.id] = entry
        for entry in group:
            if entry.future.done():  # its caller gave up meanwhile: it ran, so it is charged
                self.scheduler.finish(entry.ticket, seconds / len(group), asyncio.get_running_loop().time())

    def _answer(self, entry: _Entry, status: str, payload: Any) -> None:
        if entry.future.done():
            return
        if status == "ok":
            self.counts["completed"] += 1
            entry.future.set_result(payload)
        elif status == "refused":
            entry.future.set_exception(payload)
        else:
            self.counts["failed"] += 1
            entry.future.set_exception(rebuild_error(payload))

    async def _reply(self, worker: _Worker, sinks: Sequence[ProgressCallback | None]) -> Any:
        """The call's final message from `worker`; progress messages met before it go to every sink."""
        loop = asyncio.get_running_loop()
        while True:
            message = await loop.run_in_executor(self._threads, worker.conn.recv)
            if message[0] != "progress":
                return message
            for on_progress in sinks:
                if on_progress is None:
                    continue
                try:
                    await on_progress(message[2])
                except Exception:  # a front door failing to show progress must not fail the job
                    log.exception("showing a job's progress failed")

    async def _call(
        self, worker: _Worker, job: Job, sinks: Sequence[ProgressCallback | None]
    ) -> tuple[str, Any]:
        """Send `job` to `worker` and wait for its reply: (status, payload); the worker goes back idle, or
        is replaced after a timeout (TutorError `timeout`), a crash (`worker_crashed`) or a cancel."""
        job_id = next(self._job_ids)
        self._running += 1
        worker.busy = True
        try:
            try:
                worker.conn.send((job_id, job.target, job.kwargs))
                reply = await asyncio.wait_for(self._reply(worker, sinks), self.timeout_seconds)
            except asyncio.CancelledError:
                self.counts["cancelled"] += 1
                self._replace(worker)  # its reply would arrive on a pipe nobody reads: a fresh worker instead
                raise
            except TimeoutError:
                self.counts["timeouts"] += 1
                self._replace(worker)
                raise TutorError("timeout", seconds=self.timeout_seconds) from None
            except (EOFError, OSError, BrokenPipeError):
                self.counts["crashes"] += 1
                log.error("training worker #%d died during job %s", worker.number, job.target)
                self._replace(worker)
                raise TutorError("worker_crashed") from None
        finally:
            self._running -= 1
            worker.busy = False
        status, _, payload = reply
        worker.jobs_done += 1
        if worker.usable:
            self._idle.append(worker)
        else:  # it died between its reply and now: the sentinel fired while it was busy
            self._replace(worker)
        return status, payload

    def stats(self) -> dict[str, Any]:
        """Health figures: workers per lane, jobs running and waiting, queued work, batches, counters."""
        lanes = {
            lane: {
                "workers": count,
                "alive": sum(1 for w in self._workers if w.lane == lane and w.process.is_alive()),
                "idle": sum(1 for w in self._idle if w.lane == lane),
                "waiting": self.scheduler.waiting(lane),
            }
            for lane, count in self._lane_sizes()
        }
        return {
            "workers": self.n_workers + self.picture_workers,
            "alive": sum(1 for w in self._workers if w.process.is_alive()),
            "idle": len(self._idle),
            "running": self._running,
            "waiting": self.scheduler.waiting(),
            "queued_seconds": round(self.scheduler.queued_seconds, 3),
            "queue_seconds": self.scheduler.queue_seconds,
            "learners": self.scheduler.learners,
            "warming": len(self._spawning),
            "lanes": lanes,
            "batch_sizes": dict(sorted(self.batch_sizes.items())),
            **self.counts,
        }

    async def close(self) -> None:
        """Stop every worker (politely, then by force), also those still warming, and release the threads;
        jobs still waiting are refused with `pool_closed`."""
        if self._closed:
            return
        self._closing.set()
        for entry in list(self._entries.values()):
            if not entry.future.done():
                entry.future.set_exception(TutorError("pool_closed"))
        for worker in self._workers:
            worker.retired = True  # a worker stopping now is no death to report
        for task in list(self._spawning):
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
        loop = asyncio.get_running_loop()
        for worker in list(self._workers):
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
            await loop.run_in_executor(self._threads, worker.process.join, 5)
            await self._kill(worker)
        # a warm-up cut short may still be starting its process in a thread: let it finish, then kill it
        await loop.run_in_executor(
            None, functools.partial(self._threads.shutdown, wait=True, cancel_futures=True)
        )
        for process in list(self._processes):
            if process.pid is not None:
                process.kill()
                process.join(10)
        self._processes.clear()

    async def __aenter__(self) -> TrainingPool:
        await self.start()
        await self.ready()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
