"""How late the event loop wakes up: a sampler that sleeps a fixed tick and records each overshoot.

A reply can only be as quick as the loop is free; this is the figure that shows a blocking call
(a slow query, a picture drawn in the main process) that latency averages hide.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque

TICK_SECONDS = 0.05
KEPT_SAMPLES = 72_000  # an hour of ticks: enough for a class, bounded for a bot that runs for weeks


class LoopLag:
    """Records the loop's wake-up lag from ticks meant to come every `tick` seconds (the bot drives it
    with a `discord.ext.tasks` loop); `summary()` gives p50/p99/max in milliseconds."""

    def __init__(self, tick: float = TICK_SECONDS, kept: int = KEPT_SAMPLES) -> None:
        self.tick = tick
        self.samples: deque[float] = deque(maxlen=kept)
        self._last: float | None = None

    def ticked(self, now: float) -> None:
        """One tick arrived at `now` (loop time): its lateness is how much longer than `tick` it took."""
        if self._last is not None:
            self.samples.append(max(0.0, now - self._last - self.tick))
        self._last = now

    def restart(self) -> None:
        """The ticks stopped and start again: the pause between is not lag."""
        self._last = None

    async def run(self) -> None:
        """Tick with plain sleeps until cancelled (for a loop without a bot)."""
        loop = asyncio.get_running_loop()
        self.restart()
        while True:
            self.ticked(loop.time())
            await asyncio.sleep(self.tick)

    def quantile(self, q: float) -> float | None:
        """The `q` quantile of the lag in seconds (nearest rank), None before the first sample."""
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]

    def summary(self) -> dict[str, float | int | None]:
        """Lag p50, p99 and max in milliseconds, and how many samples they come from."""

        def ms(value: float | None) -> float | None:
            return None if value is None else round(value * 1000, 1)

        return {
            "loop_lag_p50_ms": ms(self.quantile(0.5)),
            "loop_lag_p99_ms": ms(self.quantile(0.99)),
            "loop_lag_max_ms": ms(max(self.samples, default=None)),
            "loop_lag_samples": len(self.samples),
        }
