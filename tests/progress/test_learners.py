"""LearnerService: created on first sight, the language to answer in, the Discord locale remembered."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.errors import InvalidRequest
from bot.progress.learners import LearnerService, is_hindi
from bot.progress.service import ProgressService
from bot.quiz.bank import MemoryBank
from tests.db.support import Clock

ME, YOU = 11, 22
GUILD = 900


@pytest.fixture
def learners(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> LearnerService:
    return LearnerService(sessions, clock=clock)


class Statements:
    """Counts the SQL statements an engine runs."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


async def test_language_order_stored_choice_then_client_then_stored_locale_then_server(
    learners: LearnerService,
) -> None:
    # Nobody known: the client's locale, then the server's, then the default.
    assert await learners.language_for(ME, client_locale="hi") == "hi"
    assert await learners.language_for(ME, client_locale="en-US", guild_locale="hi") == "hi"
    assert await learners.language_for(ME, client_locale="en-US", guild_locale="en-GB") == "en"
    assert await learners.language_for(ME, default="both") == "both"
    # A remembered Hindi client locale answers a mention or DM, which carries no locale of its own.
    await learners.note_locale(ME, "hi")
    assert await learners.language_for(ME) == "hi"
    assert await learners.language_for(ME, client_locale="en-US") == "en"  # the given locale wins
    # The stored choice beats every locale.
    await learners.set_language(ME, "en")
    assert await learners.language_for(ME, client_locale="hi", guild_locale="hi") == "en"


def test_hindi_locales() -> None:
    assert is_hindi("hi") and is_hindi("HI") and is_hindi("hi-IN")
    assert not is_hindi(None) and not is_hindi("en-US") and not is_hindi("hil")


async def test_note_locale_writes_only_when_it_changed(learners: LearnerService, engine: AsyncEngine) -> None:
    await learners.note_locale(ME, "en-US")
    assert (await learners.get(ME)) is not None  # a learner seen first through a command
    statements = Statements(engine)
    await learners.note_locale(ME, "en-US")
    await learners.note_locale(ME, None)  # a message: nothing known, nothing changed
    assert statements.count == 0
    await learners.note_locale(ME, "hi")
    assert statements.count > 0
    info = await learners.get(ME)
    assert info is not None and info.locale == "hi"


async def test_a_value_that_is_no_locale_is_not_stored(learners: LearnerService) -> None:
    await learners.note_locale(ME, "hi")
    await learners.note_locale(ME, "x" * 40)
    await learners.note_locale(ME, "'; drop table learners; --")
    info = await learners.get(ME)
    assert info is not None and info.locale == "hi"


async def test_set_language_creates_the_learner_with_their_name(learners: LearnerService) -> None:
    info = await learners.set_language(YOU, "both", display_name="Ravi")
    assert (info.display_name, info.language) == ("Ravi", "both")
    with pytest.raises(InvalidRequest) as err:
        await learners.set_language(YOU, "fr")
    assert err.value.code == "learner.bad_language" and err.value.message_hi
    assert (await learners.get(YOU)) == info  # a refused choice changes nothing


async def test_ensure_with_a_guild_puts_the_learner_on_its_leaderboard(
    learners: LearnerService, sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock
) -> None:
    info = await learners.ensure(ME, "Asha", guild_id=GUILD)
    assert info.display_name == "Asha"
    await learners.ensure(ME, "Asha", guild_id=GUILD)  # again: no second membership, no error
    await learners.ensure(YOU, "Ravi")  # no guild
    board = await ProgressService(sessions, bank, clock=clock).leaderboard(GUILD, "all")
    assert [row.learner_id for row in board.rows] == [ME]
