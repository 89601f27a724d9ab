"""Free text in the console, routed by the core: nonsense gets a hint, thanks a friendly word, and a
training sentence trains instead of opening the lesson it names."""

from __future__ import annotations

import pytest

from tests.console.conftest import Session


@pytest.mark.parametrize("line", ["asdkjh qwe zzz", "ok", "zorbulator"])
async def test_nonsense_is_not_understood_rather_than_a_missing_term(session: Session, line: str) -> None:
    reply = await session.say(line)
    assert "I did not understand" in reply and "/help" in reply
    assert "glossary" not in reply


@pytest.mark.parametrize("line", ["thanks", "shukriya", "धन्यवाद", "thank you so much"])
async def test_thanks_gets_a_friendly_reply(session: Session, line: str) -> None:
    assert "You're welcome" in await session.say(line)


async def test_a_training_sentence_trains_instead_of_opening_a_lesson(session: Session) -> None:
    reply = await session.say("perceptron on xor")
    assert "⚙️" in reply and "xor" in reply.lower()  # the spec; the pool is not started here
    assert "Perceptron and Multi-layer" not in reply and "Page 1/" not in reply
