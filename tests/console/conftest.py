"""A console session in-process, over a Tutor on a temporary SQLite database (no training workers)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console.session import ConsoleSession
from bot.core.tutor import Tutor
from bot.i18n import Lang


@pytest.fixture
async def tutor(tmp_path: Path) -> AsyncIterator[Tutor]:
    """A migrated Tutor whose pool is never started (the pipe tests train)."""
    settings = Settings(_env_file=None).model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"}
    )
    made = await Tutor.create(settings, start_pool=False)
    yield made
    await made.close()


class Session:
    """A ConsoleSession writing into a string buffer."""

    def __init__(self, tutor: Tutor, out_dir: Path, lang: Lang | None = "en") -> None:
        self.buffer = io.StringIO()
        self.console = ConsoleSession(
            tutor, out=self.buffer, out_dir=out_dir, lang=lang, learner_name="tester"
        )

    async def say(self, line: str) -> str:
        """Type `line`; everything printed in answer."""
        start = len(self.buffer.getvalue())
        assert await self.console.handle(line)
        return self.buffer.getvalue()[start:]


@pytest.fixture
def start_session(tutor: Tutor, tmp_path: Path) -> Callable[[Lang], Awaitable[Session]]:
    """Open a console session (greeted, a quiz resumed) speaking the given language."""

    async def start(lang: Lang) -> Session:
        s = Session(tutor, tmp_path / "out", lang=lang)
        await s.console.start()
        return s

    return start


@pytest.fixture
async def session(start_session: Callable[[Lang], Awaitable[Session]]) -> Session:
    """An English console session."""
    return await start_session("en")
