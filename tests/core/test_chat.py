"""Free text to training: a request longer than the router reads is refused, never trained on a cut copy."""

from __future__ import annotations

import pytest

from bot.chat.router import MAX_TEXT
from bot.core.chat import answer_text
from bot.core.learners import Learner
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.errors import InvalidRequest


async def test_typed_points_past_the_routers_cut_are_refused(tutor: Tutor, asha: Learner) -> None:
    rows = "; ".join(f"{i / 100:.2f} {i % 7 / 10:.1f} {i % 2}" for i in range(200))
    text = f"train with adam points: {rows}"
    assert len(text) > MAX_TEXT  # the router would read only the first rows
    with pytest.raises(InvalidRequest) as caught:
        await answer_text(tutor, asha, text, Silent(), "discord")
    assert caught.value.code == "too_long"
