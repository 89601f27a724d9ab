"""What bot processes share in Redis so that a job outlives the process that asked for it.

With the queue backend (TUTOR_BROKER_URL), a train job's pending delivery is recorded before it is
followed: the job id, the owning bot process, and what finishing the use case needs (the learner, the
spec's code, `more`, and the front door's address: for Discord the application id and the interaction
token, which Discord honours for 15 minutes, so the record lives at most DELIVERY_TTL). Each bot
process beats in `BOTS_KEY`; a process that starts looks for deliveries whose owner stopped beating,
claims each atomically (a Lua compare-and-set on the owner: two processes never both take one), and
finishes them (bot/cogs/resume.py). A cleanly stopping process (SIGTERM) says goodbye at once, so the
next one to start takes its deliveries without waiting.

A learner's Cancel may reach a process that does not follow their job (after a restart the resumer
does): `cancel_elsewhere` publishes the learner on `CANCEL_CHANNEL` when some process records a
delivery for them, and every process cancels that learner's job if it is the one following it.

The token is a secret: it is never logged, and `Delivery`'s repr leaves it out.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable

import redis
import redis.asyncio as aioredis

from bot.training.delivery import BEAT_SECONDS, DEAD_SECONDS, Delivery

log = logging.getLogger(__name__)

KEYS = "tutor:bots"
BOTS_KEY = f"{KEYS}:alive"  # hash: bot process id -> last beat time
DELIVERIES_KEY = f"{KEYS}:deliveries"  # set of job ids with a pending delivery (some may have expired)
CANCEL_CHANNEL = f"{KEYS}:cancel"  # pub/sub: a learner id whose job is to be cancelled
DELIVERY_TTL = 14 * 60  # an interaction token is valid 15 minutes: a delivery is useless after that

# take the delivery when its owner is still the one we saw dead: only one claimer's SET lands
CLAIM = """
local owner = redis.call('HGET', KEYS[1], 'owner')
if owner ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'owner', ARGV[2])
return 1
"""


def _delivery_key(job_id: str) -> str:
    return f"{KEYS}:delivery:{job_id}"


def _learner_key(learner_id: int) -> str:
    return f"{KEYS}:learner:{learner_id}"


class Handover:
    """This bot process's part in the shared state: its heartbeat, its deliveries, cancels by learner."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.process_id = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._redis: aioredis.Redis | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._on_cancel: Callable[[int], object] | None = None
        self._closing = False

    def __repr__(self) -> str:
        return f"Handover({self.process_id!r})"

    @property
    def client(self) -> aioredis.Redis:
        """The Redis connection (after `start`)."""
        assert self._redis is not None, "Handover.start() first"
        return self._redis

    async def start(self, on_cancel: Callable[[int], object]) -> None:
        """Beat, and call `on_cancel(learner_id)` for every cancel any process publishes."""
        if self._redis is not None:
            return
        self._redis = aioredis.Redis.from_url(self.url)
        self._on_cancel = on_cancel
        await self._beat_once()
        self._tasks = [
            asyncio.create_task(self._beat(), name="bot-heartbeat"),
            asyncio.create_task(self._listen(), name="bot-cancels"),
        ]

    async def _beat_once(self) -> None:
        await self.client.hset(BOTS_KEY, self.process_id, f"{time.time():.3f}")

    async def _beat(self) -> None:
        while not self._closing:
            await asyncio.sleep(BEAT_SECONDS)
            try:
                await self._beat_once()
            except (redis.RedisError, OSError):  # Redis restarting: say it again next beat
                log.debug("bot heartbeat failed", exc_info=True)

    async def _listen(self) -> None:
        """Hand each published learner id to `on_cancel` (resubscribing after a lost connection)."""
        while not self._closing:
            try:
                async with self.client.pubsub() as pubsub:
                    await pubsub.subscribe(CANCEL_CHANNEL)
                    async for message in pubsub.listen():
                        if self._closing:
                            break
                        if message.get("type") == "message" and self._on_cancel is not None:
                            with contextlib.suppress(ValueError):
                                self._on_cancel(int(message["data"]))
            except (redis.RedisError, OSError):
                log.debug("listening for cancels failed", exc_info=True)
                await asyncio.sleep(BEAT_SECONDS)

    async def record(self, delivery: Delivery) -> None:
        """Remember `delivery` as this process's until `done` (or DELIVERY_TTL)."""
        owned = dataclasses.replace(delivery, owner=self.process_id)
        key = _delivery_key(delivery.job_id)
        async with self.client.pipeline() as pipe:
            pipe.hset(key, mapping=dict(owned.fields()))  # type: ignore[arg-type]  # redis-py's invariant Mapping
            pipe.expire(key, DELIVERY_TTL)
            pipe.sadd(DELIVERIES_KEY, delivery.job_id)
            pipe.set(_learner_key(delivery.learner_id), delivery.job_id, ex=DELIVERY_TTL)
            await pipe.execute()
        log.info("delivery of job %s recorded for learner %s", delivery.job_id, delivery.learner_id)

    async def done(self, delivery: Delivery) -> None:
        """Forget `delivery`: answered (or answered that it cannot be)."""
        async with self.client.pipeline() as pipe:
            pipe.delete(_delivery_key(delivery.job_id))
            pipe.srem(DELIVERIES_KEY, delivery.job_id)
            await pipe.execute()
        # the learner's key names their latest job: a newer one's stays
        if await self.client.get(_learner_key(delivery.learner_id)) == delivery.job_id.encode():
            await self.client.delete(_learner_key(delivery.learner_id))

    async def dead_owners(self, owners: set[str]) -> set[str]:
        """Which of `owners` have not beaten within DEAD_SECONDS (or said goodbye)."""
        if not owners:
            return set()
        ordered = sorted(owners)
        beats = await self.client.hmget(BOTS_KEY, ordered)
        now = time.time()
        return {
            owner
            for owner, beat in zip(ordered, beats, strict=True)
            if beat is None or now - float(beat) > DEAD_SECONDS
        }

    async def claim_orphans(self) -> list[Delivery]:
        """Take every delivery whose owner is dead (each atomically: no other process gets it)."""
        found: list[Delivery] = []
        for raw in await self.client.smembers(DELIVERIES_KEY):
            job_id = raw.decode() if isinstance(raw, bytes) else str(raw)
            stored: dict[bytes, bytes] = await self.client.hgetall(_delivery_key(job_id))  # type: ignore[assignment]
            if not stored:  # expired: its token is no longer valid either
                await self.client.srem(DELIVERIES_KEY, job_id)
                continue
            found.append(Delivery.from_fields(job_id, stored))
        dead = await self.dead_owners({d.owner for d in found if d.owner != self.process_id})
        claimed = []
        for delivery in found:
            if delivery.owner not in dead:
                continue
            key = _delivery_key(delivery.job_id)
            if await self.client.eval(CLAIM, 1, key, delivery.owner, self.process_id):
                await self.client.set(_learner_key(delivery.learner_id), delivery.job_id, ex=DELIVERY_TTL)
                log.info("took over the delivery of job %s (its bot process is gone)", delivery.job_id)
                claimed.append(dataclasses.replace(delivery, owner=self.process_id))
        return claimed

    async def cancel_elsewhere(self, learner_id: int) -> bool:
        """Ask the process following `learner_id`'s job to cancel it; False when none records one."""
        if not await self.client.exists(_learner_key(learner_id)):
            return False
        await self.client.publish(CANCEL_CHANNEL, str(learner_id))
        return True

    async def close(self) -> None:
        """Stop beating and say goodbye: this process's deliveries are the next process's to take."""
        self._closing = True
        for task in self._tasks:
            task.cancel()
        if self._tasks:  # a cancel landing inside redis-py's pubsub may be swallowed: do not wait forever
            await asyncio.wait(self._tasks, timeout=2.0)
        self._tasks = []
        if self._redis is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                await self._redis.hdel(BOTS_KEY, self.process_id)
            await self._redis.aclose()
            self._redis = None
