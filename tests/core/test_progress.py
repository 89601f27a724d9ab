"""Progress and leaderboards through the core."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import pytest

from bot.core import progress
from bot.core.learners import Learner, identify
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, NotFound
from bot.i18n import Bilingual
from bot.training.executor import Job, QueuedCallback
from bot.training.results import Drawing, Picture


async def test_someone_unknown_is_named_in_the_refusal(tutor: Tutor, asha: Learner) -> None:
    with pytest.raises(NotFound) as raised:
        await progress.progress(tutor, asha, Silent(), (999, "Bilal"))
    assert "Bilal" in raised.value.message_en
    assert "you" not in raised.value.message_en.lower()


async def test_progress_lists_xp_streak_and_mastery(tutor: Tutor, asha: Learner) -> None:
    reply = await progress.progress(tutor, asha, Silent())
    names = [f.name for f in reply.cards[0].fields]
    assert names[:2] == ["XP", "Streak"]
    assert "Asha" in reply.cards[0].title


async def test_the_leaderboard_needs_a_server_and_a_known_period(tutor: Tutor) -> None:
    in_dm = await identify(tutor, 5, "Dev")
    with pytest.raises(InvalidRequest) as raised:
        await progress.leaderboard(tutor, in_dm, "week")
    assert raised.value.code == "leaderboard_needs_server"
    in_server = await identify(tutor, 5, "Dev", guild_id=7)
    with pytest.raises(InvalidRequest) as raised:
        await progress.leaderboard(tutor, in_server, "year")
    assert "year" in raised.value.message_en
    monthly = await progress.leaderboard(tutor, in_server, "month")
    assert monthly.cards[0].title == "Leaderboard (this month)"


PNG = b"\x89PNG\r\n\x1a\n"


class OneJobPerLearner:
    """Stands in for the training pool with its rule, one job per learner key (`already_running`);
    records every key and how many jobs ran at once. A job yields a few times so that jobs overlap."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.keys: list[str] = []
        self.most_at_once = 0

    async def submit(
        self,
        job: Job,
        *,
        learner: str,
        server: str | None = None,
        on_queued: QueuedCallback | None = None,
        on_progress: Any = None,
    ) -> Any:
        if learner in self.running:
            raise InvalidRequest("already_running")
        self.running.add(learner)
        self.keys.append(learner)
        self.most_at_once = max(self.most_at_once, len(self.running))
        try:
            for _ in range(5):
                await asyncio.sleep(0)
            return Drawing((Picture("progress", PNG, Bilingual.same("chart")),))
        finally:
            self.running.discard(learner)

    async def close(self) -> None:
        """Nothing to stop."""


async def test_viewing_a_classmate_training_needs_no_training_slot(tutor: Tutor, asha: Learner) -> None:
    """Issue 16: /progress member:X took X's training slot ("You already have a training job running")."""
    bilal = await identify(tutor, 202, "Bilal", guild_id=7)
    pool = OneJobPerLearner()
    tutor.pool = pool  # type: ignore[assignment]
    pool.running.add(str(bilal.id))  # Bilal is training right now
    teacher = dataclasses.replace(asha, teacher=True)  # a teacher may look at a classmate's progress
    reply = await progress.progress(tutor, teacher, Silent(), (bilal.id, bilal.name))
    assert reply.pictures and reply.pictures[0].png == PNG  # the chart was drawn
    assert pool.keys == [f"chart:{asha.id}"]
    assert str(bilal.id) in pool.running  # his run is untouched


async def test_many_look_ups_at_once_take_one_slot(tutor: Tutor, asha: Learner) -> None:
    """Eight classmates looked up at once filled the queue; now one asker draws one chart at a time (the
    others are shown without it) and nobody's training slot is used."""
    members = [await identify(tutor, 300 + i, f"Member {i}", guild_id=7) for i in range(8)]
    pool = OneJobPerLearner()
    tutor.pool = pool  # type: ignore[assignment]
    teacher = dataclasses.replace(asha, teacher=True)
    replies = await asyncio.gather(
        *(progress.progress(tutor, teacher, Silent(), (m.id, m.name)) for m in members)
    )
    assert all(reply.cards for reply in replies)  # every look-up answered
    assert pool.most_at_once == 1
    assert set(pool.keys) == {f"chart:{asha.id}"}
