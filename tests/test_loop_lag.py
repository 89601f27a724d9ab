"""The loop-lag sampler sees a blocked loop and reports nearest-rank quantiles in milliseconds."""

from __future__ import annotations

import asyncio
import time

from bot.loop_lag import LoopLag


def test_quantiles_are_nearest_rank_and_none_before_any_sample() -> None:
    lag = LoopLag()
    assert lag.quantile(0.99) is None and lag.summary()["loop_lag_p99_ms"] is None
    lag.samples.extend(i / 1000 for i in range(1, 101))  # 1 ms … 100 ms
    assert lag.quantile(0.5) == 0.050 and lag.quantile(0.99) == 0.099
    assert lag.summary() == {
        "loop_lag_p50_ms": 50.0,
        "loop_lag_p99_ms": 99.0,
        "loop_lag_max_ms": 100.0,
        "loop_lag_samples": 100,
    }


async def test_a_call_that_blocks_the_loop_shows_as_lag() -> None:
    lag = LoopLag(tick=0.01)
    sampler = asyncio.create_task(lag.run())
    await asyncio.sleep(0.05)
    time.sleep(0.2)  # a blocking call on the loop, the thing the sampler is there to catch
    await asyncio.sleep(0.05)
    sampler.cancel()
    worst = lag.quantile(1.0)
    assert worst is not None and worst >= 0.15


def test_a_late_tick_counts_its_lateness_and_a_restart_forgets_the_pause() -> None:
    lag = LoopLag(tick=0.05)
    for now in (10.0, 10.05, 10.30, 10.35):  # the third tick came 0.2 s late
        lag.ticked(now)
    assert [round(sample, 3) for sample in lag.samples] == [0.0, 0.2, 0.0]
    lag.restart()
    lag.ticked(99.0)  # the sampler was stopped for a minute: not lag
    assert len(lag.samples) == 3
