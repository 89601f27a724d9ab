"""Discord: a locked database reaches the learner as one bilingual "try again in a moment", for a slash
command and for a mention (issue 16: a raw OperationalError)."""

from __future__ import annotations

from pathlib import Path

import pytest
import simcord

from bot.errors import Unavailable
from bot.i18n import say
from tests.cogs.conftest import World
from tests.db.support import write_locked


@pytest.fixture
def database_file(tmp_path: Path) -> Path:
    """The SQLite file of the test's Tutor (see the `settings` fixture)."""
    return tmp_path / "tutor.db"


async def test_a_slash_command_on_a_locked_database_is_one_bilingual_line(
    world: World, env: simcord.Env, database_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await env.bot.tutor.engine.dispose()  # type: ignore[attr-defined]  # new connections wait briefly
    with write_locked(database_file, monkeypatch):
        result = await world.alice.slash(world.channel, "lesson", topic="neuron")
    assert result.ephemeral and result.response is not None
    # the learner's language is in the database that failed: both languages
    assert result.response.content == say("error.database_unavailable", "both")
    assert [type(e.__cause__) for e in env.errors] == [Unavailable]
    env.errors.clear()


async def test_a_mention_on_a_locked_database_is_one_line(
    world: World, env: simcord.Env, database_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await env.bot.tutor.engine.dispose()  # type: ignore[attr-defined]
    with write_locked(database_file, monkeypatch):
        await world.alice.send(world.channel, f"<@{env.bot.user.id}> train XOR with Adam")  # type: ignore[union-attr]
    assert world.last.author.id == env.bot.user.id  # type: ignore[union-attr]
    assert world.last.content == say("error.database_unavailable", "en")
