"""The distributed backend: jobs through a Dramatiq queue on Redis, run by `python -m bot worker` processes.

`QueueExecutor` is the bot's side (no torch): it posts a job (target string and plain-data kwargs, JSON)
in Redis with a Dramatiq message for a worker to take it (the fair order below), and reads the job's
events back from a Redis list of its own with redis.asyncio: "started" (which worker, which attempt),
"progress", then "ok" or "error". Results are pickled by the
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
report. A train job's answer outlives the bot process that sent it (bot/training/handover.py): a stopping
process `hand_over`s the jobs it follows (left running, their events left in Redis, the learner's
place held) and another process `follow`s them from where it stopped reading, then frees the place and
charges the run.

Fairness, per-learner limits and budgets hold across every bot process on the same Redis (several
Discord shards share the queue), by the `Scheduler`'s rules, with the shared state in Redis:
- A submit posts a ticket (job id, learner, server, lane) in one hash, and the job's call (target,
  kwargs, time limit) in its state hash, then enqueues one Dramatiq message that names no job: a token.
  A worker taking a token runs the fairest ticket waiting at that moment (`take_ticket`, one Lua script,
  so two workers never take the same ticket): pictures first (as the local training workers take them),
  then the server served longest ago ("" = DMs and the console share one slot), then its learner served
  longest ago, then the oldest ticket. The script records token -> job id: a token redelivered after its
  worker died runs the same job again (attempts are counted per job, as before). A ticket marked gone
  is taken out of the hash, so it is never picked; a token that finds no ticket does nothing (there is
  one token per ticket, so tokens never run short of tickets). Why tokens and not a dispatcher process:
  no extra process to run, keep alive and fail over; Redis is already the one shared place. Unlike the
  local pool, a learner's second job may start on another idle worker while its first runs when no one
  else waits (the order puts everyone else first; an idle worker is not kept idle). The learner's
  place in line (`on_queued`) is its place in this order, the picks played out on copies of the turns.
- Per-learner limit (`already_running`: one running plus `learner_queue` waiting, over all processes):
  a sorted set per learner of its jobs, each scored with when it is forgotten (the longest a job can
  wait and run, twice), checked and added to in the same Lua script that posts the ticket; released in
  `submit`'s `finally`, whatever way the job ended.
- Compute budget (`compute_budget`, `BudgetRule`'s arithmetic, as the local `ComputeBudget`): a sorted
  set per learner of (charged at, seconds) with a TTL of the window, read before the job is posted and
  charged by the bot that waited for the job with the run time it measured ("started" to the answer, or
  to its cancel), at least `min_charge`; training-lane jobs only. A job is charged when it ends, as
  locally: jobs already in flight are not counted against each other. Times are wall-clock
  (`time.time()`), shared by the bot processes.
Not here: batching across processes (each token runs one job), and `queue_full` (the waiting is bounded
by `wait_seconds` and the per-learner limit). A token's Dramatiq time limit is its sender's: the bot
processes of one queue are meant to share their settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import itertools
import json
import logging
import math
import multiprocessing
import os
import pickle
import signal
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for_any
from multiprocessing.process import BaseProcess
from typing import Any, NamedTuple, Protocol

import dramatiq
import redis
import redis.asyncio as aioredis
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries, TimeLimit, TimeLimitExceeded

from bot.errors import InvalidRequest, TutorError
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
from bot.training.scheduler import LANES, BudgetRule, Lane

log = logging.getLogger(__name__)

QUEUE_NAME = "tutor-jobs"
ACTOR_NAME = "run_job"
# the picture lane: `--picture-processes` workers take tokens from their own queue and run pictures only,
# so a lesson figure never waits behind training (a picture's ticket gets a token on both queues while
# one is alive; the training workers still take pictures first when no picture worker is there)
PICTURE_QUEUE = "tutor-pictures"
PICTURE_ACTOR = "run_picture_job"
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
TICKETS_KEY = f"{KEYS}:tickets"  # hash: job id -> JSON ticket (learner, server, lane, seq, expires)
SEQ_KEY = f"{KEYS}:seq"  # the tickets' order of arrival, the last tie-break
TURN_KEY = f"{KEYS}:turn"  # counts picks: a server's or learner's last turn is a number from it
SERVERS_SERVED_KEY = f"{KEYS}:served:servers"  # hash: server -> its last turn
LEARNERS_SERVED_KEY = f"{KEYS}:served:learners"  # hash: learner -> its last turn
# the turns are forgotten a day after the last pick: then everyone starts equal again, as after a restart
FAIR_TTL = 86400

# the fair order of the waiting tickets, shared by the pick and the rank (a job's place in line)
_ORDER_LUA = """
local function waiting(tickets, now)
  local flat = redis.call('HGETALL', tickets)
  local live = {}
  for i = 1, #flat, 2 do
    local ticket = cjson.decode(flat[i + 1])
    if tonumber(ticket.expires) < now then
      redis.call('HDEL', tickets, flat[i])  -- no bot waits for it any more (its bot died)
    else
      ticket.id = flat[i]
      ticket.lane_rank = (ticket.lane == 'picture') and 0 or 1
      live[#live + 1] = ticket
    end
  end
  return live
end
local function turn_of(cache, hash, name)
  if cache[name] == nil then cache[name] = tonumber(redis.call('HGET', hash, name) or 0) end
  return cache[name]
end
-- the index in `live` of the ticket to run next: pictures first, then the server served longest ago,
-- then its learner served longest ago, then the oldest ticket
local function fairest(live, servers, learners, server_turns, learner_turns)
  local best, best_key = nil, nil
  for i, t in ipairs(live) do
    local key = {t.lane_rank, turn_of(server_turns, servers, t.server),
                 turn_of(learner_turns, learners, t.learner), t.seq}
    local before = best_key == nil
    if not before then
      for k = 1, 4 do
        if key[k] ~= best_key[k] then before = key[k] < best_key[k]; break end
      end
    end
    if before then best, best_key = i, key end
  end
  return best
end
"""
# KEYS: tickets, servers served, learners served, turn, the token's key; ARGV: now, token TTL, FAIR_TTL,
# the only lane to take from ('' for any)
PICK_LUA = (
    _ORDER_LUA
    + """
local known = redis.call('GET', KEYS[5])
if known then return known end  -- a redelivered token: the job it took before
local live = waiting(KEYS[1], tonumber(ARGV[1]))
if ARGV[4] ~= '' then
  local mine = {}
  for _, t in ipairs(live) do
    if t.lane == ARGV[4] then mine[#mine + 1] = t end
  end
  live = mine
end
local index = fairest(live, KEYS[2], KEYS[3], {}, {})
if index == nil then return false end
local best = live[index]
redis.call('HDEL', KEYS[1], best.id)
local turn = redis.call('INCR', KEYS[4])
redis.call('HSET', KEYS[2], best.server, turn)
redis.call('HSET', KEYS[3], best.learner, turn)
for i = 2, 4 do redis.call('EXPIRE', KEYS[i], ARGV[3]) end
redis.call('SET', KEYS[5], best.id, 'EX', ARGV[2])
return best.id
"""
)
# KEYS: tickets, servers served, learners served, turn; ARGV: now, job id -> {its place (0: not
# waiting), the count waiting}: the picks are played out on copies of the turns until the job's own
RANK_LUA = (
    _ORDER_LUA
    + """
local live = waiting(KEYS[1], tonumber(ARGV[1]))
local count = #live
local server_turns, learner_turns = {}, {}
local turn = tonumber(redis.call('GET', KEYS[4]) or 0)
for place = 1, count do
  local index = fairest(live, KEYS[2], KEYS[3], server_turns, learner_turns)
  local best = table.remove(live, index)
  if best.id == ARGV[2] then return {place, count} end
  turn = turn + 1
  server_turns[best.server] = turn
  learner_turns[best.learner] = turn
end
return {0, count}
"""
)
# KEYS: the learner's held set, tickets, seq, the job's state hash; ARGV: now, held until, most held,
# job id, ticket JSON, call JSON, held set TTL, state TTL -> 1 posted, 0 refused (already_running)
POST_LUA = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])  -- jobs of a bot that died, long ago
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[7])
local ticket = cjson.decode(ARGV[5])
ticket.seq = redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[4], 'call', ARGV[6])
redis.call('EXPIRE', KEYS[4], ARGV[8])
redis.call('HSET', KEYS[2], ARGV[4], cjson.encode(ticket))
return 1
"""


class Beat(NamedTuple):
    """A worker's registry entry: its process, machine, lane and last heartbeat (wall clock)."""

    pid: int
    host: str
    lane: Lane
    at: float

    def entry(self) -> str:
        """The registry value read_beat reads back."""
        return f"{self.pid} {self.host} {self.lane} {self.at:.3f}"


def read_beat(value: bytes | str) -> Beat:
    """A registry entry ("pid host lane last-beat-time", see _heartbeat) as a Beat."""
    text = value.decode() if isinstance(value, bytes) else value
    pid, host, lane, beat = text.split()
    return Beat(int(pid), host, "picture" if lane == "picture" else "training", float(beat))


def beat_ages(beats: Mapping[Any, Any], now: float) -> dict[Any, float]:
    """Worker id -> seconds since its last heartbeat, from the registry hash (WORKERS_KEY)."""
    return {worker: now - read_beat(value).at for worker, value in beats.items()}


def lanes_alive(beats: Mapping[Any, Any], now: float) -> Counter[Lane]:
    """How many workers of each lane sent a heartbeat within ALIVE_SECONDS."""
    read = [read_beat(value) for value in beats.values()]
    return Counter(beat.lane for beat in read if now - beat.at < ALIVE_SECONDS)


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
    if not lanes_alive(beats, time.time())["training"]:
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
    for function, name, queue in (
        (run_job, ACTOR_NAME, QUEUE_NAME),
        (run_picture_job, PICTURE_ACTOR, PICTURE_QUEUE),
    ):
        dramatiq.Actor(
            function, broker=broker, actor_name=name, queue_name=queue, priority=0, options={"max_retries": 0}
        )
    return broker


def _events_key(job_id: str) -> str:
    return f"{KEYS}:job:{job_id}:events"


def _state_key(job_id: str) -> str:
    return f"{KEYS}:job:{job_id}"


def _token_key(token: str) -> str:
    return f"{KEYS}:token:{token}"


def _held_key(learner: str) -> str:
    """The learner's jobs running or waiting, over every bot process (a sorted set: job id -> until)."""
    return f"{KEYS}:learner:{learner}:held"


def _budget_key(learner: str) -> str:
    """The learner's compute charges (a sorted set: "job-id seconds" -> charged at, wall clock)."""
    return f"{KEYS}:learner:{learner}:budget"


def take_ticket(
    client: redis.Redis, token: str, now: float | None = None, lane: Lane | None = None
) -> str | None:
    """The job id a worker holding `token` runs: the fairest waiting ticket (of `lane` only, when
    given), taken out of line (or the one this token took before, when it is redelivered); None when
    no ticket waits."""
    keys = [TICKETS_KEY, SERVERS_SERVED_KEY, LEARNERS_SERVED_KEY, TURN_KEY, _token_key(token)]
    args = [time.time() if now is None else now, KEY_TTL, FAIR_TTL, lane or ""]
    picked = client.register_script(PICK_LUA)(keys=keys, args=args)
    return None if picked is None else bytes(picked).decode()


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
_time_limit: TimeLimit | None = None  # the worker broker's, set by `serve`


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


def run_job(token: str) -> None:
    """The Dramatiq actor of the training queue: run the fairest waiting job (`take_ticket`, pictures
    first) and push its events; a token that finds no job waiting (its own was cancelled, another token
    took it) does nothing."""
    _take_and_run(token, None)


def run_picture_job(token: str) -> None:
    """The Dramatiq actor of the picture queue: as run_job, taking picture jobs only."""
    _take_and_run(token, "picture")


def _limit_to(seconds: float) -> None:
    """Time the job now starting by its own limit, not by its token's: tokens are interchangeable, so
    a token one bot sent may run a job another posted (with other settings), or a picture job's spare
    token a training job. Dramatiq's TimeLimit set the token's deadline before the pick; this resets it."""
    if _time_limit is not None:
        _time_limit.manager.add_timeout(threading.get_ident(), seconds * 1000)


def _take_and_run(token: str, lane: Lane | None) -> None:
    assert _client is not None, "run_job runs in a worker started by serve()"
    started = time.perf_counter()
    job_id = take_ticket(_client, token, lane=lane)
    if job_id is None:
        return
    call = _client.hget(_state_key(job_id), "call")
    if call is None:  # its keys outlived KEY_TTL: nobody waits for it
        log.warning("job %s has no call to run any more; skipped", job_id)
        return
    order = json.loads(call)
    _limit_to(float(order["seconds"]))
    outcome = _run(job_id, order["target"], order["kwargs"], float(order["seconds"]))
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


def _heartbeat(client: redis.Redis, worker_id: str, lane: Lane, stop: threading.Event) -> None:
    """Say every HEARTBEAT_SECONDS that this worker is alive, until `stop`; then leave the registry."""
    pid, host = os.getpid(), socket.gethostname()
    while not stop.is_set():
        with contextlib.suppress(redis.RedisError):  # Redis restarting: say it again next beat
            client.hset(WORKERS_KEY, worker_id, Beat(pid, host, lane, time.time()).entry())
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
    lane: Lane = "training",
) -> None:
    """One worker process: warm up, then take jobs from the queue of its `lane` on one thread until
    SIGTERM or `stop`; each job's (outcome, seconds) goes to `reports` (the supervisor's pipe) when given."""
    global _client, _worker_id, _reports, _time_limit
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
    _time_limit = next(m for m in broker.middleware if isinstance(m, TimeLimit))
    # what Dramatiq's own CLI says after booting a worker process: TimeLimit starts its watchdog then
    broker.emit_after("process_boot")
    queue = PICTURE_QUEUE if lane == "picture" else QUEUE_NAME
    worker = dramatiq.Worker(broker, queues={queue}, worker_threads=1, worker_timeout=FETCH_MS)
    worker.queue_prefetch = 1  # take one job at a time: another idle worker gets the next one
    beating = threading.Thread(target=_heartbeat, args=(_client, _worker_id, lane, stop), daemon=True)
    beating.start()
    worker.start()
    log.info("queue %s worker %s ready (%.2fs warm-up)", lane, _worker_id, time.perf_counter() - started)
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
    picture_processes: int = 0,
) -> dict[str, int]:
    """Keep `processes` warm training workers and `picture_processes` picture workers alive (a dead one
    is replaced by one of its lane) until `stop`; then stop them all.

    With a `watcher`, each worker reports its jobs' outcomes and run times on a pipe of its own, read
    here between sentinel checks: only this process serves metrics, from series it alone keeps (no
    prometheus_client multiprocess mode, whose files per pid would outlive the workers it replaces).
    """
    ctx: Any = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(preload))
    counts = {"started": 0, "replaced": 0}

    training: Lane = "training"
    picture: Lane = "picture"
    lanes = [training] * processes + [picture] * picture_processes

    def start(lane: Lane) -> tuple[BaseProcess, Connection | None]:
        receiving, sending = ctx.Pipe(duplex=False) if watcher is not None else (None, None)
        process: BaseProcess = ctx.Process(
            target=serve,
            args=(url, tuple(warmups), timeout_seconds, log_level, None, sending, lane),
            name=f"queue-{lane}-worker",
        )
        process.start()
        if sending is not None:
            sending.close()  # the child holds its own end: EOF here once it dies
        counts["started"] += 1
        if watcher is not None:
            watcher.process_started()
        return process, receiving

    started = [start(lane) for lane in lanes]
    children = [child for child, _ in started]
    pipes: list[Connection | None] = [pipe for _, pipe in started]
    born = [time.monotonic()] * len(lanes)
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
            children[i], pipes[i] = start(lanes[i])
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

    `timeout_seconds` is each job's wall-time limit, `wait_seconds` the longest it waits for a worker,
    `learner_queue` the jobs a learner may have waiting besides the running one and `budget` each
    learner's compute budget (None: none), both over every bot process on the same Redis.
    Holds no worker process and never imports torch.
    """

    def __init__(
        self,
        url: str,
        timeout_seconds: float = 60.0,
        *,
        wait_seconds: float = 300.0,
        learner_queue: int = 2,
        budget: BudgetRule | None = None,
    ) -> None:
        if learner_queue < 0:
            raise ValueError(f"learner_queue must be 0 or more, not {learner_queue!r}")
        self.url = url
        self.timeout_seconds = timeout_seconds
        self.wait_seconds = wait_seconds
        self.learner_queue = learner_queue
        self.budget = budget
        # a learner's job is forgotten by the limit this long after its post, should its bot die: it can
        # wait and run twice (a second attempt after its worker died), each time to the end of its limits
        self.held_seconds = MAX_ATTEMPTS * (
            wait_seconds + timeout_seconds + GRACE_SECONDS + HEARTBEAT_TIMEOUT
        )
        self._began: dict[str, float] = {}  # job id -> when its attempt now started (loop time)
        self.broker = make_broker(url)
        self._actor = self.broker.get_actor(ACTOR_NAME)
        self._picture_actor = self.broker.get_actor(PICTURE_ACTOR)
        self._redis: aioredis.Redis | None = None
        self._closed = False
        self._inflight: dict[
            str, Lane
        ] = {}  # job id -> lane, of the jobs submitted here and not answered yet
        self.running: dict[str, dict[str, Any]] = {}  # job id -> the "started" event of its attempt now
        self.served: Counter[str] = Counter()  # worker id -> jobs it started (attempts)
        self.workers_alive = 0  # training workers, as last read from the registry
        self.picture_workers_alive = 0  # picture-lane workers (`--picture-processes`), likewise
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
        """How many training workers sent a heartbeat within ALIVE_SECONDS (picture workers are
        counted in `picture_workers_alive`)."""
        assert self._redis is not None
        now = time.time()
        beats = await self._redis.hgetall(WORKERS_KEY)
        gone = [worker for worker, age in beat_ages(beats, now).items() if age > FORGET_SECONDS]
        if gone:  # killed workers never say goodbye: the registry forgets them
            await self._redis.hdel(WORKERS_KEY, *gone)
        alive = lanes_alive(beats, now)
        self.workers_alive, self.picture_workers_alive = alive["training"], alive["picture"]
        return self.workers_alive

    async def _alive(self, worker: str) -> bool:
        """Whether `worker` sent a heartbeat within ALIVE_SECONDS."""
        assert self._redis is not None
        beat = await self._redis.hget(WORKERS_KEY, worker)
        return beat is not None and time.time() - read_beat(beat).at < ALIVE_SECONDS

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
        await self._check_budget(learner, job)
        job_id = uuid.uuid4().hex
        loop = asyncio.get_running_loop()
        submitted = loop.time()
        return await self._attended(
            job,
            job_id,
            learner,
            self._post_and_follow(job, job_id, learner, server or "", submitted, on_queued, on_progress),
        )

    async def _post_and_follow(
        self,
        job: Job,
        job_id: str,
        learner: str,
        server: str,
        submitted: float,
        on_queued: QueuedCallback | None,
        on_progress: ProgressCallback | None,
    ) -> Any:
        await self._post(job_id, job, learner, server)
        sent = JOB_SENT.get()
        if sent is not None:  # its answer is recorded as pending: another bot process can finish it
            await sent(job_id)
            self._kept.add(job_id)
        return await self._follow(job, job_id, submitted, on_queued, on_progress)

    async def follow(
        self, job: Job, job_id: str, *, learner: str, on_progress: ProgressCallback | None = None
    ) -> Any:
        """The result of `job`, sent earlier as `job_id` for `learner` by another bot process (which
        stopped): its events are read from where that process left them; TutorError "result_gone" when
        the job ended and its answer was already taken or expired, its own error when it failed. Then the
        learner's place is freed and the run charged, as `submit` does."""
        if self._closed:
            raise TutorError("pool_closed")
        await self.start()
        assert self._redis is not None
        ended = await self._redis.hget(_state_key(job_id), "ended")
        if ended is not None and not await self._redis.exists(_events_key(job_id)):
            raise TutorError("result_gone")
        now = asyncio.get_running_loop().time()
        self._kept.add(job_id)
        # its "started" may have gone to the process that died: then the run is charged from here
        self._began.setdefault(job_id, now)
        return await self._attended(job, job_id, learner, self._follow(job, job_id, now, None, on_progress))

    async def _attended(self, job: Job, job_id: str, learner: str, work: Awaitable[Any]) -> Any:
        """`work` (posting and following `job_id`, or following it only) counted in flight; whatever its
        end, the job is let go (see _let_go)."""
        self._inflight[job_id] = job.lane
        try:
            return await work
        except asyncio.CancelledError:
            self.counts["cancelled"] += 1
            raise
        finally:
            self._inflight.pop(job_id, None)
            await self._let_go(job_id, learner, job)

    async def _let_go(self, job_id: str, learner: str, job: Job) -> None:
        """Stop following `job_id`: no worker should start it now (a worker that runs it finishes unheard),
        the learner's place is free again and the run it had is charged, unless this process is stopping
        and another bot process will finish it (and settle it then)."""
        self.running.pop(job_id, None)
        began = self._began.pop(job_id, None)
        ran = None if began is None else asyncio.get_running_loop().time() - began
        leaving = self._leaving(job_id)
        self._kept.discard(job_id)
        if leaving:
            return
        try:
            await asyncio.shield(self._mark_gone(job_id, learner, job.lane, ran))
        except Exception:  # Redis gone: the held entry and the ticket expire by themselves
            log.exception("settling job %s in Redis failed (its learner's charge is lost)", job_id)

    def hand_over(self) -> None:
        """This bot process stops: the jobs another process can finish (see `JOB_SENT`) are followed no
        further here and left running, so that process reads their answers."""
        self._handing_over = True

    def _leaving(self, job_id: str) -> bool:
        return (self._handing_over or self._closed) and job_id in self._kept

    async def _check_budget(self, learner: str, job: Job) -> None:
        """InvalidRequest `compute_budget` when `learner`'s charges in Redis leave no budget now."""
        assert self._redis is not None
        if self.budget is None or job.lane != "training":
            return
        now = time.time()
        since = now - self.budget.window_seconds
        entries: list[Any] = await self._redis.zrangebyscore(
            _budget_key(learner), f"({since}", "+inf", withscores=True
        )
        # a member is b"job-id seconds", unique per job; its score is when it was charged
        charges = [(float(at), float(bytes(member).split()[-1])) for member, at in entries]
        refused = self.budget.refusal(self.budget.recent(charges, now), now)
        if refused is not None:
            raise refused

    async def _post(self, job_id: str, job: Job, learner: str, server: str) -> None:
        """Post `job`'s ticket and call (InvalidRequest `already_running` when `learner` holds as many
        jobs as allowed, over every bot process), then send one token for a worker to take."""
        assert self._redis is not None
        now = time.time()
        # past `expires` no bot waits for it (it refuses `wait_too_long` before): a worker drops it
        ticket = {
            "learner": learner,
            "server": server,
            "lane": job.lane,
            "expires": now + self.wait_seconds + GRACE_SECONDS,
        }
        call = {"target": job.target, "kwargs": job.kwargs, "seconds": self.timeout_seconds}
        posted = await self._redis.register_script(POST_LUA)(
            keys=[_held_key(learner), TICKETS_KEY, SEQ_KEY, _state_key(job_id)],
            args=[
                now,
                now + self.held_seconds,
                self.learner_queue + 1,
                job_id,
                json.dumps(ticket),
                json.dumps(call),
                math.ceil(self.held_seconds),
                KEY_TTL,
            ],
        )
        if not posted:
            raise InvalidRequest("already_running")
        limit = int(self.timeout_seconds * 1000)
        actors = [self._actor]
        # only while a picture worker is alive: a token no worker takes would stay in Redis
        if job.lane == "picture" and self.picture_workers_alive:
            actors.append(self._picture_actor)
        for actor in actors:  # a short blocking Redis call each
            await asyncio.to_thread(
                self.broker.enqueue, actor.message_with_options(args=(uuid.uuid4().hex,), time_limit=limit)
            )

    async def abandon(self, job_id: str, *, learner: str) -> None:
        """Nobody will follow `job_id` (sent for `learner` by a bot process that stopped, for a use case
        no other process can finish): no worker starts it, a running one stops at its next progress
        report, and the learner's place is free now rather than when it expires."""
        await self.start()
        await self._mark_gone(job_id, learner, None, None)

    async def _mark_gone(self, job_id: str, learner: str, lane: Lane | None, ran: float | None) -> None:
        """The bot waits no more for `job_id`: out of line, its learner's place freed, its run charged."""
        assert self._redis is not None
        state = _state_key(job_id)
        async with self._redis.pipeline() as pipe:
            pipe.hset(state, "gone", 1)
            pipe.expire(state, KEY_TTL)
            pipe.delete(_events_key(job_id))
            pipe.hdel(TICKETS_KEY, job_id)
            pipe.zrem(_held_key(learner), job_id)
            if ran is not None and self.budget is not None and lane == "training":
                charged = self.budget.charged(ran)
                key = _budget_key(learner)
                now = time.time()
                pipe.zadd(key, {f"{job_id} {charged:.6f}": now})
                pipe.zremrangebyscore(key, "-inf", now - self.budget.window_seconds)
                pipe.expire(key, math.ceil(self.budget.window_seconds))  # it outlives no charge in it
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
                            await on_queued(await self._position(job_id))
                    if now - waiting_since > self.wait_seconds:
                        raise TutorError("wait_too_long", seconds=self.wait_seconds)
                elif not await self._alive(self.running[job_id]["worker"]):
                    # its worker died: the broker hands the job to another once the heartbeat is old
                    self.counts["crashes"] += 1
                    log.error("the worker running job %s died; it waits for another", job.target)
                    started_at, waiting_since, told = None, now, False
                    self.running.pop(job_id, None)
                    self._began.pop(job_id, None)  # the dead attempt's time is not the learner's to pay
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
                self._began[job_id] = now  # what the learner's budget is charged from
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

    async def _position(self, job_id: str) -> int:
        """The job's place in the fair order of the tickets waiting now (over every bot process); the
        count waiting when it is not among them (a worker has just taken it)."""
        assert self._redis is not None
        place, count = await self._redis.register_script(RANK_LUA)(
            keys=[TICKETS_KEY, SERVERS_SERVED_KEY, LEARNERS_SERVED_KEY, TURN_KEY], args=[time.time(), job_id]
        )
        return int(place) or max(1, int(count))

    def _tell(self, event: str, job: Job, seconds: float) -> None:
        for watcher in self.watchers:
            try:
                getattr(watcher, event)(job.lane, seconds)
            except Exception:
                log.exception("a job watcher failed")

    def stats(self) -> dict[str, Any]:
        """Health figures: workers alive (last heartbeat read), jobs running and waiting here, counters;
        "lanes" as the local pool's (training, picture) for tutor_jobs_waiting, tutor_workers_alive."""
        waiting = Counter(lane for job_id, lane in self._inflight.items() if job_id not in self.running)
        alive = {"training": self.workers_alive, "picture": self.picture_workers_alive}
        return {
            "backend": "queue",
            "alive": sum(alive.values()),
            "warming": 0,
            "running": len(self.running),
            "waiting": sum(waiting.values()),
            "waiting_for_worker": self.workers_alive == 0,
            "lanes": {lane: {"waiting": waiting[lane], "alive": alive[lane]} for lane in LANES},
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
