"""A real Tutor on a fresh SQLite database per test; no training workers (pictures are left out)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.learners import Learner, identify
from bot.core.tutor import Tutor


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test: its own database, English by default."""
    return Settings(
        _env_file=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        heartbeat_file=tmp_path / "heartbeat.json",
        default_language="en",
    )


@pytest.fixture
async def tutor(settings: Settings) -> AsyncIterator[Tutor]:
    """The Tutor, migrated, with its pool not started."""
    made = await Tutor.create(settings, start_pool=False)
    yield made
    await made.close()


@pytest.fixture
async def asha(tutor: Tutor) -> Learner:
    """A learner in server 7 whose Discord speaks English."""
    return await identify(tutor, 101, "Asha", guild_id=7, client_locale="en-US")
