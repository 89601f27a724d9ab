"""Progress and leaderboards through the core."""

from __future__ import annotations

import pytest

from bot.core import progress
from bot.core.learners import Learner, identify
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest, NotFound


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
