"""The executor: a pool of warm worker processes that run jobs without blocking the event loop.

The main process never imports torch or matplotlib: a job names its function as a string under
`bot.training.worker.` and the worker imports it (`bot.training.jobs` is the one place that names
them). Workers start from a forkserver whose preloaded modules are imported but have run no torch op
(forking after multi-threaded torch ops hangs children), then each worker runs its warm-up jobs (an
optimizer step, a figure) before it is counted ready.

Limits: a bounded wait queue (`queue_full`) and a bounded wait in it (`wait_too_long`), one job per
learner (`already_running`), a wall-time limit that kills and replaces the worker (`timeout`); a crashed
worker is replaced and its job fails with `worker_crashed` instead of hanging. A cancelled job's worker is
killed (the learner no longer wants the result, so its CPU is freed now) and replaced; a worker that dies
while idle is noticed through its process sentinel and replaced before a learner needs it.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from bot.errors import InvalidRequest, NotFound, TutorError
from bot.training.results import Progress

log = logging.getLogger(__name__)

ALLOWED_PREFIXES: tuple[str, ...] = ("bot.training.worker.",)
READY_TIMEOUT = 180.0  # a cold worker imports torch and matplotlib: seconds, not minutes
RESPAWN_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)  # between failed attempts to replace a worker, then every 30 s

QueuedCallback = Callable[[int], Awaitable[None]]
ProgressCallback = Callable[[Progress], Awaitable[None]]


@dataclass(frozen=True)
class Job:
    """A function a worker runs: `target` is "bot.training.worker.<module>:<function>", kwargs plain data."""

    target: str
    kwargs: dict[str, Any] = field(default_factory=dict)


class Executor(Protocol):
    """What runs jobs for the core: the local warm pool here; a task queue could stand in for it."""

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Run `job` for `learner` and return its result; `on_queued(position)` when it must wait,
        `on_progress(progress)` as the job reports how far it is."""
        ...


_progress_sink: Callable[[Progress], None] | None = None  # set in a worker while it runs a job


def report_progress(progress: Progress) -> None:
    """Inside a worker job: tell the parent how far the job is (does nothing outside a worker)."""
    if _progress_sink is not None:
        _progress_sink(progress)


def _resolve(target: str) -> Callable[..., Any]:
    module_name, _, function_name = target.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module_name), function_name)
    return function


def _error_payload(exc: BaseException) -> dict[str, Any]:
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
            _resolve(target)()
    except BaseException as exc:
        conn.send(("failed", None, _error_payload(exc)))
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
        global _progress_sink
        _progress_sink = functools.partial(_send_progress, conn, job_id)
        try:
            result = _resolve(target)(**kwargs)
        except Exception as exc:
            conn.send(("error", job_id, _error_payload(exc)))
        else:
            conn.send(("ok", job_id, result))
        finally:
            _progress_sink = None


def _send_progress(conn: Connection, job_id: int, progress: Progress) -> None:
    conn.send(("progress", job_id, progress))


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection, number: int) -> None:
        self.process = process
        self.conn = conn
        self.number = number
        self.jobs_done = 0
        self.busy = False
        self.retired = False  # killed or being replaced: never handed out again

    @property
    def usable(self) -> bool:
        """Whether this worker may take a job: not retired and its process alive."""
        return not self.retired and self.process.is_alive()

    def __repr__(self) -> str:
        return f"_Worker(#{self.number}, pid={self.process.pid}, alive={self.process.is_alive()})"


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


def _rebuild_error(payload: dict[str, Any]) -> TutorError:
    kinds: dict[str, type[TutorError]] = {"InvalidRequest": InvalidRequest, "NotFound": NotFound}
    if payload.get("kind") == "exception":
        log.error("training job failed: %s: %s\n%s", payload["type"], payload["text"], payload["trace"])
        return TutorError("job_failed", kind=payload["type"])
    cls = kinds.get(str(payload.get("kind")), TutorError)
    return cls(payload["code"], text=payload["text"])


class TrainingPool:
    """Warm worker processes with a bounded queue, one job per learner and a wall-time limit per job.

    `warmups` are job targets every worker runs (no arguments) before it counts as ready; `preload`
    names modules the forkserver imports once, so each worker starts with them imported.
    `bot.training.jobs.training_pool()` builds the pool the tutor uses, with the worker's own warm-up.
    """

    def __init__(
        self,
        workers: int = 2,
        queue_size: int = 8,
        timeout_seconds: float = 60.0,
        *,
        wait_seconds: float = 300.0,
        warmups: Sequence[str] = (),
        preload: Sequence[str] = (),
        allowed_prefixes: Sequence[str] = ALLOWED_PREFIXES,
        start_method: str = "forkserver",
    ) -> None:
        self.n_workers = workers
        self.queue_size = queue_size
        self.timeout_seconds = timeout_seconds
        self.wait_seconds = wait_seconds
        self.warmups = tuple(warmups)
        self.allowed_prefixes = tuple(allowed_prefixes)
        self._ctx: Any = multiprocessing.get_context(start_method)
        if start_method == "forkserver" and preload:
            self._ctx.set_forkserver_preload(list(preload))
        self._numbers = itertools.count(1)
        self._job_ids = itertools.count(1)
        self._workers: set[_Worker] = set()
        self._idle: asyncio.Queue[_Worker] | None = None
        self._learners: set[str] = set()
        self._waiting = 0
        self._running = 0
        self._spawning: set[asyncio.Task[None]] = set()  # workers warming up, first ones or replacements
        self._processes: set[BaseProcess] = set()
        self._closing = threading.Event()  # set by close(); warm-ups waiting in threads read it too
        self._threads = ThreadPoolExecutor(max_workers=workers + 2, thread_name_prefix="training-pool")
        self._started = False
        self.counts = {
            "completed": 0,
            "failed": 0,
            "timeouts": 0,
            "crashes": 0,
            "cancelled": 0,
            "idle_deaths": 0,
            "restarts": 0,
        }

    @property
    def _closed(self) -> bool:
        return self._closing.is_set()

    def __repr__(self) -> str:
        alive = len(self._workers)
        return f"TrainingPool(workers={self.n_workers}, queue_size={self.queue_size}, alive={alive})"

    async def start(self) -> None:
        """Begin warming every worker in the background and return at once; jobs wait in line meanwhile."""
        if self._started:
            return
        self._idle = asyncio.Queue()
        self._started = True
        for _ in range(self.n_workers):
            self._add_worker(replacing=None)

    async def ready(self, timeout: float = READY_TIMEOUT) -> None:
        """Return once no worker is still warming (RuntimeError if that takes longer than `timeout`)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._spawning:
            remaining = deadline - loop.time()
            _, pending = await asyncio.wait(list(self._spawning), timeout=max(0.0, remaining))
            if pending and loop.time() >= deadline:
                raise RuntimeError(f"training workers did not warm up within {timeout:g} s")

    async def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main, args=(child, self.warmups), daemon=True, name="training-worker"
        )
        self._processes.add(process)  # so close() can kill it even if its warm-up is cut short
        worker = _Worker(process, parent, next(self._numbers))
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
        log.info("training worker #%d ready (pid %s, %.2fs)", worker.number, info["pid"], info["seconds"])
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
        self._add_worker(replacing=worker)

    def _add_worker(self, replacing: _Worker | None) -> None:
        """Warm one worker in the background (after killing `replacing`) and put it in the idle queue."""

        async def add() -> None:
            if replacing is not None:
                await self._kill(replacing)
            for attempt in itertools.count():
                if self._closed:
                    return
                try:
                    fresh = await self._spawn()
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
            elif self._idle is not None:
                self._idle.put_nowait(fresh)

        task = asyncio.get_running_loop().create_task(add())
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    def _check_target(self, job: Job) -> None:
        module, sep, function = job.target.partition(":")
        if not sep or not function or not module.startswith(self.allowed_prefixes):
            raise ValueError(f"job target {job.target!r} is not a function under {self.allowed_prefixes}")

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Run `job` on a warm worker and return its result (TutorError on any refusal)."""
        self._check_target(job)
        if not self._started or self._closed or self._idle is None:
            raise TutorError("pool_closed")
        if learner in self._learners:
            raise InvalidRequest("already_running")
        worker = self._take_idle()
        if worker is None and self._waiting >= self.queue_size:
            raise InvalidRequest("queue_full", size=self.queue_size)
        self._learners.add(learner)
        try:
            if worker is None:
                worker = await self._wait_for_worker(on_queued)
            return await self._run(worker, job, on_progress)
        finally:
            self._learners.discard(learner)

    def _take_idle(self) -> _Worker | None:
        """An idle usable worker now, or None; dead ones met on the way are being replaced."""
        assert self._idle is not None
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            if worker.usable:
                return worker
        return None

    async def _wait_for_worker(self, on_queued: QueuedCallback | None) -> _Worker:
        """Wait in line for a usable worker, at most `wait_seconds` (`wait_too_long` after that)."""
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait_seconds
        self._waiting += 1
        try:
            if on_queued is not None:
                await on_queued(self._waiting)
            while True:
                try:
                    worker = await asyncio.wait_for(self._idle.get(), max(0.0, deadline - loop.time()))
                except TimeoutError:
                    raise TutorError("wait_too_long", seconds=self.wait_seconds) from None
                if worker.usable:
                    return worker
        finally:
            self._waiting -= 1

    async def _reply(self, worker: _Worker, on_progress: ProgressCallback | None) -> Any:
        """The job's final message from `worker`; progress messages met before it go to `on_progress`."""
        loop = asyncio.get_running_loop()
        while True:
            message = await loop.run_in_executor(self._threads, worker.conn.recv)
            if message[0] != "progress":
                return message
            if on_progress is not None:
                try:
                    await on_progress(message[2])
                except Exception:  # a front door failing to show progress must not fail the job
                    log.exception("showing a job's progress failed")

    async def _run(self, worker: _Worker, job: Job, on_progress: ProgressCallback | None = None) -> Any:
        assert self._idle is not None
        job_id = next(self._job_ids)
        self._running += 1
        worker.busy = True
        try:
            try:
                worker.conn.send((job_id, job.target, job.kwargs))
                reply = await asyncio.wait_for(self._reply(worker, on_progress), self.timeout_seconds)
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
            self._idle.put_nowait(worker)
        else:  # it died between its reply and now: the sentinel fired while it was busy
            self._replace(worker)
        if status == "ok":
            self.counts["completed"] += 1
            return payload
        self.counts["failed"] += 1
        raise _rebuild_error(payload)

    def stats(self) -> dict[str, Any]:
        """Health figures: workers alive and idle, jobs running and waiting, and lifetime counters."""
        return {
            "workers": self.n_workers,
            "alive": sum(1 for w in self._workers if w.process.is_alive()),
            "idle": 0 if self._idle is None else self._idle.qsize(),
            "running": self._running,
            "waiting": self._waiting,
            "queue_size": self.queue_size,
            "learners": len(self._learners),
            "warming": len(self._spawning),
            **self.counts,
        }

    async def close(self) -> None:
        """Stop every worker (politely, then by force), also those still warming, and release the threads."""
        if self._closed:
            return
        self._closing.set()
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
