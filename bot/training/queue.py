"""The distributed backend: jobs through a Dramatiq queue on Redis, run by `python -m bot worker` processes.

`QueueExecutor` is the bot's side (no torch): it sends a job as a Dramatiq message (target string and
plain-data kwargs, JSON) and reads the job's events back from a Redis list of its own with redis.asyncio:
"started" (which worker, which attempt), "progress", then "ok" or "error". Results are pickled by the
worker and unpickled here by an unpickler that only builds the result types of `bot.training.results`
(plus the specs and texts they hold), so a stranger writing into Redis cannot make the bot run code.

A worker (`serve`, one process, one Dramatiq thread) warms up as the local pool's workers do (worker
side imported, an optimizer step, a figure) before it takes a message, registers itself in a Redis hash
with a heartbeat, and runs only targets under `ALLOWED_PREFIXES`. `supervise` keeps N such processes
alive and replaces one that dies. Limits: Dramatiq's `TimeLimit` interrupts a job past its wall-time
limit (`timeout`); the bot also stops waiting at the limit plus a grace. A worker killed mid-job leaves
its message unacknowledged; Dramatiq's Redis broker hands it to another worker once the dead one's
heartbeat is `HEARTBEAT_TIMEOUT` old, and the job runs again, once: a third delivery is answered with
`worker_crashed` instead of running. With no worker alive the job waits (the learner is told so) until
one appears or `wait_seconds` pass (`wait_too_long`); nothing is trained locally. A job the bot stopped
waiting for (cancelled, refused) is marked gone: a worker skips it, or drops it at its next progress
report. A train job's answer outlives the bot process that sent it (bot/training/handover.py): a
stopping process `hand_over`s the jobs it follows (left running, their events left in Redis) and
another process `follow`s them from where it stopped reading. Not here yet: the `Scheduler`'s
fairness, per-learner budgets and batching across processes (the queue serves first come, first served).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import itertools
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for_any
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

import dramatiq
import redis
import redis.asyncio as aioredis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries, TimeLimit, TimeLimitExceeded

from bot.errors import TutorError
from bot.log import setup_logging
from bot.training.executor import (
    ALLOWED_PREFIXES,
    JOB_SENT,
    RESPAWN_DELAYS,
    WORKER_NICENESS,
    Job,
    JobWatcher,
    ProgressCallback,
    QueuedCallback,
    check_target,
    error_payload,
    progress_to,
    rebuild_error,
    resolve,
)

log = logging.getLogger(__name__)

QUEUE_NAME = "tutor-jobs"
ACTOR_NAME = "run_job"
NAMESPACE = "dramatiq"  # Dramatiq's own keys: the queue list is NAMESPACE:QUEUE_NAME
KEYS = "tutor:queue"  # our keys: job events and states, the worker registry
WORKERS_KEY = f"{KEYS}:workers"  # hash: worker id -> "pid host last-beat-time"
HEARTBEAT_SECONDS = 1.0  # how often a worker says it is alive
ALIVE_SECONDS = 5.0  # a worker not heard from for this long counts as gone
FORGET_SECONDS = 600.0  # and after this long it leaves the registry
# a killed worker's message goes to another after this long without its heartbeat: long enough that a
# busy machine's worker is not taken for dead, short enough that a learner waits seconds, not minutes
HEARTBEAT_TIMEOUT = 10.0
MAINTENANCE_CHANCE = 10_000  # of a million broker calls run the dead-worker check: every few seconds
# an idle worker asks Redis for work at least this often (ms): Dramatiq's backoff between empty fetches
# grows up to it, and it is also the gap after a job before the next is fetched (500 ms cost a lone job
# 2.3 × the local pool's time in benchmarks/bench_queue.py)
FETCH_MS = 100
MAX_ATTEMPTS = 2  # a job whose worker died runs once more; a third delivery reports `worker_crashed`
GRACE_SECONDS = 15.0  # past the time limit, how long the bot still waits for the worker's own "timeout"
KEY_TTL = 3600  # job keys outlive any wait; nothing is left behind in Redis for long
QUEUED_AFTER = 0.25  # seconds without a "started" before the learner is told the job waits
POLL_SECONDS = 0.5
STEADY_SECONDS = 60.0  # a worker that dies sooner after its start is replaced only after a pause


def beat_ages(beats: Mapping[Any, Any], now: float) -> dict[Any, float]:
    """Worker id -> seconds since its last heartbeat, from the registry hash (WORKERS_KEY)."""
    return {worker: now - float(value.split()[-1]) for worker, value in beats.items()}


def queue_problem(url: str, timeout: float = 5.0) -> str | None:
    """None when the broker answers and at least one worker is alive, else the reason (one line, the
    URL's password left out): what `python -m bot health` says of the job queue."""
    where = url.rsplit("@", 1)[-1]
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        beats = client.hgetall(WORKERS_KEY)
    except redis.RedisError as exc:
        return f"the job queue's broker does not answer ({where}): {type(exc).__name__}"
    finally:
        client.close()
    if not any(age < ALIVE_SECONDS for age in beat_ages(beats, time.time()).values()):
        return f"no training worker is alive on the job queue ({where}): start `python -m bot worker`"
    return None


def make_broker(url: str) -> RedisBroker:
    """The Dramatiq broker both sides use, with the one actor registered (it only runs in workers)."""
    broker = RedisBroker(
        url=url,
        namespace=NAMESPACE,
        heartbeat_timeout=int(HEARTBEAT_TIMEOUT * 1000),
        maintenance_chance=MAINTENANCE_CHANCE,
        # errors are answered to the learner, not retried: only a dead worker's job runs again
        middleware=[TimeLimit(interval=200), Retries(max_retries=0)],
    )
    dramatiq.Actor(
        run_job,
        broker=broker,
        actor_name=ACTOR_NAME,
        queue_name=QUEUE_NAME,
        priority=0,
        options={"max_retries": 0},
    )
    return broker


def _events_key(job_id: str) -> str:
    return f"{KEYS}:job:{job_id}:events"


def _state_key(job_id: str) -> str:
    return f"{KEYS}:job:{job_id}"


# --- the results' way back: pickled by the worker, rebuilt here from the result types only ---

SAFE_MODULES = ("bot.training.results", "bot.training.spec", "bot.training.custom_data", "bot.i18n")
SAFE_BUILTINS = frozenset({"tuple", "list", "dict", "set", "frozenset", "bytes", "bytearray", "complex"})


class _ResultUnpickler(pickle.Unpickler):
    """Builds only the tutor's result types and plain containers; any other class is refused."""

    def find_class(self, module: str, name: str) -> Any:
        if (module == "builtins" and name in SAFE_BUILTINS) or module in SAFE_MODULES:
            return super().find_class(module, name)
        if module == "copyreg" and name == "_reconstructor":
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"a job event may not build {module}.{name}")


def decode_event(data: bytes) -> tuple[str, Any]:
    """One job event as (kind, payload), unpickled with only the result types allowed."""
    kind, payload = _ResultUnpickler(io.BytesIO(data)).load()
    return str(kind), payload


# --- the worker side ---

_client: redis.Redis | None = None  # the worker's Redis connection for events, set by `serve`
_worker_id = ""
_reports: Connection | None = None  # to the supervisor: (outcome, seconds) of each job, set by `serve`


def _push(job_id: str, kind: str, payload: Any) -> None:
    assert _client is not None
    key = _events_key(job_id)
    pipe = _client.pipeline()
    pipe.rpush(key, pickle.dumps((kind, payload), protocol=pickle.HIGHEST_PROTOCOL))
    pipe.expire(key, KEY_TTL)
    pipe.execute()


class Abandoned(Exception):
    """The bot stopped waiting for a running job (cancelled, timed out): it stops at its next report."""


def _report(job_id: str, progress: Any) -> None:
    """A running job's progress: pushed to the bot, unless the bot no longer waits for the job."""
    assert _client is not None
    if _client.hget(_state_key(job_id), "gone"):
        raise Abandoned(job_id)  # the learner cancelled: free this worker for the next one now
    _push(job_id, "progress", progress)


def _ended(job_id: str, how: str) -> None:
    """Record how the job's run ended in its state hash (`redis-cli hgetall tutor:queue:job:<id>`)."""
    assert _client is not None
    _client.hset(_state_key(job_id), "ended", how)


def run_job(job_id: str, target: str, kwargs: dict[str, Any], seconds: float) -> None:
    """The Dramatiq actor: run `target(**kwargs)` for job `job_id` within `seconds` and push its events."""
    started = time.perf_counter()
    outcome = _run(job_id, target, kwargs, seconds)
    if _reports is not None:
        # one Dramatiq thread per process: no other send on this pipe at the same time
        with contextlib.suppress(OSError):  # the supervisor is gone: this worker stops soon anyway
            _reports.send((outcome, time.perf_counter() - started))


def _run(job_id: str, target: str, kwargs: dict[str, Any], seconds: float) -> str:
    """`run_job`'s work; returns how the job ended (a `bot.metrics.WORKER_OUTCOMES` word)."""
    assert _client is not None, "run_job runs in a worker started by serve()"
    state = _state_key(job_id)
    attempt = int(_client.hincrby(state, "attempts", 1))
    _client.expire(state, KEY_TTL)
    if _client.hget(state, "gone"):
        _ended(job_id, "not started: nobody waits for it")
        return (
            "skipped"  # the bot stopped waiting for it (cancelled, timed out or refused): no CPU for nobody
        )
    if attempt > MAX_ATTEMPTS:
        log.error("job %s killed its worker %d times; reporting worker_crashed", job_id, attempt - 1)
        _push(job_id, "error", error_payload(TutorError("worker_crashed")))
        _ended(job_id, "worker_crashed")
        return "worker_crashed"
    _push(job_id, "started", {"worker": _worker_id, "pid": os.getpid(), "attempt": attempt})
    try:
        module, sep, function = target.partition(":")
        if not sep or not function or not module.startswith(ALLOWED_PREFIXES):
            raise ValueError(f"job target {target!r} is not a function under {ALLOWED_PREFIXES}")
        with progress_to(functools.partial(_report, job_id)):
            result = resolve(target)(**kwargs)
    except Abandoned:
        _ended(job_id, "abandoned")
        return "abandoned"
    except TimeLimitExceeded:
        _push(job_id, "error", error_payload(TutorError("timeout", seconds=seconds)))
        _ended(job_id, "timeout")
        return "timeout"
    except Exception as exc:
        _push(job_id, "error", error_payload(exc))
        _ended(job_id, "error")
        return "error"
    _push(job_id, "ok", result)
    _ended(job_id, "ok")
    return "ok"


def _heartbeat(client: redis.Redis, worker_id: str, stop: threading.Event) -> None:
    """Say every HEARTBEAT_SECONDS that this worker is alive, until `stop`; then leave the registry."""
    info = f"{os.getpid()} {socket.gethostname()}"
    while not stop.is_set():
        with contextlib.suppress(redis.RedisError):  # Redis restarting: say it again next beat
            client.hset(WORKERS_KEY, worker_id, f"{info} {time.time():.3f}")
        stop.wait(HEARTBEAT_SECONDS)
    with contextlib.suppress(redis.RedisError):
        client.hdel(WORKERS_KEY, worker_id)


def serve(
    url: str,
    warmups: Sequence[str],
    timeout_seconds: float,
    log_level: str = "INFO",
    stop: threading.Event | None = None,
    reports: Connection | None = None,
) -> None:
    """One worker process: warm up, then take jobs from the queue on one thread until SIGTERM or `stop`;
    each job's (outcome, seconds) goes to `reports` (the supervisor's pipe) when given."""
    global _client, _worker_id, _reports
    setup_logging(log_level)  # a forkserver child starts with no logging set up
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the supervisor's business
    stop = stop or threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    os.nice(WORKER_NICENESS)  # as the local pool's workers: the bot's own process comes first
    started = time.perf_counter()
    for target in warmups:
        resolve(target)()
    _client = redis.Redis.from_url(url)
    _reports = reports
    _worker_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    broker = make_broker(url)
    # what Dramatiq's own CLI says after booting a worker process: TimeLimit starts its watchdog then
    broker.emit_after("process_boot")
    worker = dramatiq.Worker(broker, queues={QUEUE_NAME}, worker_threads=1, worker_timeout=FETCH_MS)
    worker.queue_prefetch = 1  # take one job at a time: another idle worker gets the next one
    beating = threading.Thread(target=_heartbeat, args=(_client, _worker_id, stop), daemon=True)
    beating.start()
    worker.start()
    log.info("queue worker %s ready (%.2fs warm-up)", _worker_id, time.perf_counter() - started)
    stop.wait()
    worker.stop(timeout=int((timeout_seconds + 5) * 1000))
    beating.join(5)
    broker.close()


class WorkerWatcher(Protocol):
    """What hears of a `supervise`d command's processes and jobs (`bot.metrics.WorkerMetrics`)."""

    def job_done(self, outcome: str, seconds: float) -> None:
        """A worker process ended a job with `outcome` after `seconds`."""

    def process_started(self) -> None:
        """A worker process was started."""

    def processes_alive(self, alive: int) -> None:
        """`alive` worker processes are alive now."""


def _drain(reports: Connection, watcher: WorkerWatcher) -> bool:
    """Hand every report waiting on `reports` to `watcher`; False once the pipe is closed or garbled."""
    try:
        while reports.poll():
            outcome, seconds = reports.recv()
            watcher.job_done(str(outcome), float(seconds))
    except (EOFError, OSError, ValueError, TypeError, pickle.UnpicklingError):
        return False  # its worker died (mid-send, perhaps): the pipe is replaced with the worker
    return True


def supervise(
    url: str,
    processes: int,
    warmups: Sequence[str],
    preload: Sequence[str],
    timeout_seconds: float,
    stop: threading.Event,
    log_level: str = "INFO",
    watcher: WorkerWatcher | None = None,
) -> dict[str, int]:
    """Keep `processes` warm workers alive (a dead one is replaced) until `stop`; then stop them all.

    With a `watcher`, each worker reports its jobs' outcomes and run times on a pipe of its own, read
    here between sentinel checks: only this process serves metrics, from series it alone keeps (no
    prometheus_client multiprocess mode, whose files per pid would outlive the workers it replaces).
    """
    ctx: Any = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    counts = {"started": 0, "replaced": 0}

    def start() -> tuple[BaseProcess, Connection | None]:
        receiving, sending = ctx.Pipe(duplex=False) if watcher is not None else (None, None)
        process: BaseProcess = ctx.Process(
            target=serve,
            args=(url, tuple(warmups), timeout_seconds, log_level, None, sending),
            name="queue-worker",
        )
        process.start()
        if sending is not None:
            sending.close()  # the child holds its own end: EOF here once it dies
        counts["started"] += 1
        if watcher is not None:
            watcher.process_started()
        return process, receiving

    started = [start() for _ in range(processes)]
    children = [child for child, _ in started]
    pipes: list[Connection | None] = [pipe for _, pipe in started]
    born = [time.monotonic()] * processes
    early_deaths = 0  # in a row: a worker that cannot even warm up must not be restarted in a tight loop
    while not stop.is_set():
        if watcher is not None:
            watcher.processes_alive(sum(1 for child in children if child.is_alive()))
        waits: list[Any] = [child.sentinel for child in children] + [p for p in pipes if p is not None]
        wait_for_any(waits, timeout=0.5)
        for i, pipe in enumerate(pipes):
            if pipe is not None and watcher is not None and not _drain(pipe, watcher):
                pipe.close()
                pipes[i] = None
        for i, child in enumerate(children):
            if child.is_alive() or stop.is_set():
                continue
            log.error("queue worker pid %s died (exit %s); starting another", child.pid, child.exitcode)
            child.join()
            early_deaths = early_deaths + 1 if time.monotonic() - born[i] < STEADY_SECONDS else 0
            if early_deaths:
                stop.wait(RESPAWN_DELAYS[min(early_deaths, len(RESPAWN_DELAYS)) - 1])
            old = pipes[i]
            if old is not None:
                if watcher is not None:
                    _drain(old, watcher)  # what it said before it died still counts
                old.close()
            children[i], pipes[i] = start()
            born[i] = time.monotonic()
            counts["replaced"] += 1
    for child in children:
        if child.is_alive():
            child.terminate()  # SIGTERM: the worker finishes its job, then stops
    deadline = time.monotonic() + timeout_seconds + 10
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(5)
    for pipe in pipes:
        if pipe is not None:
            if watcher is not None:
                _drain(pipe, watcher)  # the jobs finished while stopping count too
            pipe.close()
    if watcher is not None:
        watcher.processes_alive(0)
    return counts


# --- the bot's side ---


def _forget(read: asyncio.Future[Any]) -> None:
    """Retrieve an abandoned read's outcome, so asyncio does not log it as never retrieved."""
    if not read.cancelled():
        read.exception()


class QueueExecutor:
    """The `Executor` over the queue: jobs go to whichever `python -m bot worker` takes them first.

    `timeout_seconds` is each job's wall-time limit, `wait_seconds` the longest it waits for a worker.
    Holds no worker process and never imports torch.
    """

    def __init__(self, url: str, timeout_seconds: float = 60.0, *, wait_seconds: float = 300.0) -> None:
        self.url = url
        self.timeout_seconds = timeout_seconds
        self.wait_seconds = wait_seconds
        self.broker = make_broker(url)
        self._actor = self.broker.get_actor(ACTOR_NAME)
        self._redis: aioredis.Redis | None = None
        self._closed = False
        self._inflight = 0  # jobs submitted here and not answered yet
        self.running: dict[str, dict[str, Any]] = {}  # job id -> the "started" event of its attempt now
        self.served: Counter[str] = Counter()  # worker id -> jobs it started (attempts)
        self.workers_alive = 0  # as last read from the registry
        self._watching: asyncio.Task[None] | None = None  # keeps workers_alive fresh (see start)
        self.watchers: list[JobWatcher] = []
        self.counts = {"completed": 0, "failed": 0, "timeouts": 0, "crashes": 0, "retries": 0, "cancelled": 0}
        self._ids = itertools.count(1)
        self._kept: set[str] = set()  # jobs another bot process may finish: left running when this one stops
        self._handing_over = False

    def __repr__(self) -> str:
        return f"QueueExecutor({self.url.split('@')[-1]!r}, workers_alive={self.workers_alive})"

    async def start(self) -> None:
        """Connect to Redis (no worker is started here: workers are `python -m bot worker` processes)."""
        if self._redis is None:
            self._redis = aioredis.Redis.from_url(self.url)
            await self.alive_workers()  # so stats() tells from the start whether anyone serves the queue
            # stats() is synchronous (health, /metrics): it reads the count this task keeps fresh
            self._watching = asyncio.create_task(self._watch_workers(), name="queue-workers-alive")

    async def _watch_workers(self) -> None:
        """Re-read the workers alive every HEARTBEAT_SECONDS * 2 until closed."""
        while not self._closed:
            await asyncio.sleep(HEARTBEAT_SECONDS * 2)
            try:
                await self.alive_workers()
            except (redis.RedisError, OSError):  # Redis restarting: the last count stands until it answers
                log.debug("reading the workers alive failed", exc_info=True)

    async def alive_workers(self) -> int:
        """How many workers sent a heartbeat within ALIVE_SECONDS."""
        assert self._redis is not None
        now = time.time()
        ages = beat_ages(await self._redis.hgetall(WORKERS_KEY), now)
        gone = [worker for worker, age in ages.items() if age > FORGET_SECONDS]
        if gone:  # killed workers never say goodbye: the registry forgets them
            await self._redis.hdel(WORKERS_KEY, *gone)
        self.workers_alive = sum(1 for age in ages.values() if age < ALIVE_SECONDS)
        return self.workers_alive

    async def _alive(self, worker: str) -> bool:
        """Whether `worker` sent a heartbeat within ALIVE_SECONDS."""
        assert self._redis is not None
        beat = await self._redis.hget(WORKERS_KEY, worker)
        return beat is not None and time.time() - float(beat.split()[-1]) < ALIVE_SECONDS

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        server: str | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> Any:
        """Send `job` to the queue and return its result (TutorError on a refusal or a failure);
        `on_queued(position)` when no worker takes it at once (stats()["waiting_for_worker"] says why)."""
        check_target(job, ALLOWED_PREFIXES)
        if self._closed:
            raise TutorError("pool_closed")
        await self.start()
        assert self._redis is not None
        job_id = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        submitted = loop.time()
        message = self._actor.message_with_options(
            args=(job_id, job.target, job.kwargs, self.timeout_seconds),
            time_limit=int(self.timeout_seconds * 1000),
        )
        self._inflight += 1
        try:
            await asyncio.to_thread(self.broker.enqueue, message)  # a short blocking Redis call
            sent = JOB_SENT.get()
            if sent is not None:  # its answer is recorded as pending: another bot process can finish it
                await sent(job_id)
                self._kept.add(job_id)
            return await self._follow(job, job_id, submitted, on_queued, on_progress)
        except asyncio.CancelledError:
            self.counts["cancelled"] += 1
            raise
        finally:
            self._inflight -= 1
            await self._let_go(job_id)

    async def follow(self, job: Job, job_id: str, *, on_progress: ProgressCallback | None = None) -> Any:
        """The result of `job`, sent earlier as `job_id` by another bot process (which stopped): its events
        are read from where that process left them; TutorError "result_gone" when the job ended and its
        answer was already taken or expired, its own error when it failed."""
        if self._closed:
            raise TutorError("pool_closed")
        await self.start()
        assert self._redis is not None
        ended = await self._redis.hget(_state_key(job_id), "ended")
        if ended is not None and not await self._redis.exists(_events_key(job_id)):
            raise TutorError("result_gone")
        self._inflight += 1
        self._kept.add(job_id)
        try:
            return await self._follow(job, job_id, asyncio.get_running_loop().time(), None, on_progress)
        except asyncio.CancelledError:
            self.counts["cancelled"] += 1
            raise
        finally:
            self._inflight -= 1
            await self._let_go(job_id)

    async def _let_go(self, job_id: str) -> None:
        """Stop following `job_id`: no worker should start it now (a worker that runs it finishes unheard),
        unless this process is stopping and another bot process will finish it."""
        self.running.pop(job_id, None)
        leaving = self._leaving(job_id)
        self._kept.discard(job_id)
        if leaving:
            return
        with contextlib.suppress(Exception):
            await asyncio.shield(self._mark_gone(job_id))

    def hand_over(self) -> None:
        """This bot process stops: the jobs another process can finish (see `JOB_SENT`) are followed no
        further here and left running, so that process reads their answers."""
        self._handing_over = True

    def _leaving(self, job_id: str) -> bool:
        return (self._handing_over or self._closed) and job_id in self._kept

    async def _mark_gone(self, job_id: str) -> None:
        assert self._redis is not None
        state = _state_key(job_id)
        async with self._redis.pipeline() as pipe:
            pipe.hset(state, "gone", 1)
            pipe.expire(state, KEY_TTL)
            pipe.delete(_events_key(job_id))
            await pipe.execute()

    async def _follow(
        self,
        job: Job,
        job_id: str,
        submitted: float,
        on_queued: QueuedCallback | None,
        on_progress: ProgressCallback | None,
    ) -> Any:
        """Read `job_id`'s events until its answer; tell the learner when it waits, and why."""
        assert self._redis is not None
        loop = asyncio.get_running_loop()
        key = _events_key(job_id)
        told = False
        waiting_since = submitted  # since when it waits for a worker (again, after its worker died)
        started_at: float | None = None
        while True:
            if self._leaving(job_id):
                await asyncio.Event().wait()  # stopping: leave its events to the process that takes it over
            try:
                item = await self._next_event(key)
            except (redis.RedisError, OSError):
                if self._leaving(job_id):
                    continue  # the connection closed as this process stops
                raise
            now = loop.time()
            if item is None:
                if started_at is None:
                    if not told and now - waiting_since >= QUEUED_AFTER:
                        told = True
                        await self.alive_workers()
                        if on_queued is not None:
                            await on_queued(await self._position())
                    if now - waiting_since > self.wait_seconds:
                        raise TutorError("wait_too_long", seconds=self.wait_seconds)
                elif not await self._alive(self.running[job_id]["worker"]):
                    # its worker died: the broker hands the job to another once the heartbeat is old
                    self.counts["crashes"] += 1
                    log.error("the worker running job %s died; it waits for another", job.target)
                    started_at, waiting_since, told = None, now, False
                    self.running.pop(job_id, None)
                elif now - started_at > self.timeout_seconds + GRACE_SECONDS:
                    self.counts["timeouts"] += 1
                    raise TutorError("timeout", seconds=self.timeout_seconds)
                continue
            data = item[1]
            assert isinstance(data, bytes)  # the client decodes no responses
            kind, payload = decode_event(data)
            if kind == "started":
                log.info(
                    "job %s started on worker %s (pid %s, attempt %d)",
                    job_id,
                    payload["worker"],
                    payload["pid"],
                    payload["attempt"],
                )
                if payload["attempt"] == 1:
                    self._tell("job_waited", job, now - submitted)
                else:
                    self.counts["retries"] += 1
                    log.warning("job %s runs again (attempt %d)", job.target, payload["attempt"])
                started_at = now
                self.running[job_id] = payload
                self.served[payload["worker"]] += 1
            elif kind == "progress":
                if on_progress is not None:
                    try:
                        await on_progress(payload)
                    except Exception:  # a front door failing to show progress must not fail the job
                        log.exception("showing a job's progress failed")
            elif kind == "ok":
                self.counts["completed"] += 1
                self._tell("job_ran", job, now - (started_at or now))
                return payload
            else:
                self.counts["failed"] += 1
                if payload.get("code") == "timeout":
                    self.counts["timeouts"] += 1
                self._tell("job_ran", job, now - (started_at or now))
                raise rebuild_error(payload)

    async def _next_event(self, key: str) -> Any:
        """The next event on `key`, or None after POLL_SECONDS; a cancel of the caller lands at once."""
        assert self._redis is not None
        # awaited directly, a cancel that hit this blocking read inside redis-py was lost (the job ran to
        # its end and returned; seen with redis 8.1, cause not traced): the read runs apart, the caller
        # waits on it through a shield, so the cancel always lands here
        read = asyncio.ensure_future(self._redis.blpop([key], timeout=POLL_SECONDS))
        try:
            return await asyncio.shield(read)
        except asyncio.CancelledError:
            read.cancel()
            read.add_done_callback(_forget)  # its end (a result, a closed connection) interests nobody
            raise

    async def _position(self) -> int:
        """The job's place in line: the messages in the queue now (ours is the last)."""
        assert self._redis is not None
        return max(1, int(await self._redis.llen(f"{NAMESPACE}:{QUEUE_NAME}")))

    def _tell(self, event: str, job: Job, seconds: float) -> None:
        for watcher in self.watchers:
            try:
                getattr(watcher, event)(job.lane, seconds)
            except Exception:
                log.exception("a job watcher failed")

    def stats(self) -> dict[str, Any]:
        """Health figures: workers alive (last heartbeat read), jobs running and waiting here, counters;
        "lanes" as the local pool's (one lane, "queue") for tutor_jobs_waiting, tutor_workers_alive."""
        waiting = self._inflight - len(self.running)
        return {
            "backend": "queue",
            "alive": self.workers_alive,
            "warming": 0,
            "running": len(self.running),
            "waiting": waiting,
            "waiting_for_worker": self.workers_alive == 0,
            "lanes": {"queue": {"waiting": waiting, "alive": self.workers_alive}},
            "workers_used": len(self.served),
            **self.counts,
        }

    async def close(self) -> None:
        """Stop sending jobs and close the Redis connections (the workers go on serving others)."""
        if self._closed:
            return
        self._closed = True
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
        if self._redis is not None:
            await self._redis.aclose()
        await asyncio.to_thread(self.broker.close)
