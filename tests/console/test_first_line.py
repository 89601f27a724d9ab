"""The console's prompt comes before the core is built; a line typed meanwhile is told "Starting…" and
answered once the core is ready."""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from bot.cli import console as console_cli
from bot.config import get_settings
from bot.console import terminal
from bot.console.first_line import FirstLine
from bot.core.tutor import Tutor

GUARD = 120.0  # seconds: a guard against a hang only; nothing asserts on time
STARTING = "Starting… (loading content)"


class Screen(io.StringIO):
    """stdout, whose reader can wait for a text to appear."""

    def __init__(self) -> None:
        super().__init__()
        self.changed = threading.Condition()

    def write(self, text: str) -> int:
        with self.changed:
            written = super().write(text)
            self.changed.notify_all()
        return written

    def shows(self, text: str, after: int = 0) -> bool:
        """Wait until `text` is written after offset `after`; False if it never is (the guard ran out)."""
        with self.changed:
            return self.changed.wait_for(lambda: text in self.getvalue()[after:], GUARD)


def _pipe() -> tuple[io.TextIOWrapper, int]:
    read_end, write_end = os.pipe()
    return open(read_end, encoding="utf-8"), write_end


def test_a_line_typed_before_the_core_is_ready_is_told_starting_once() -> None:
    stream, typing = _pipe()
    screen = Screen()
    first = FirstLine(stream, screen, tty=False)
    assert screen.shows("> ")
    first.while_building(STARTING)
    assert STARTING not in screen.getvalue()  # nothing typed yet: nothing said
    os.write(typing, b"/help\n")
    assert screen.shows(STARTING)
    assert first.wait() == "/help\n"
    assert screen.getvalue() == f"> /help\n{STARTING}\n"
    os.close(typing)
    stream.close()


def test_a_line_typed_after_the_core_is_ready_is_not_told_starting() -> None:
    stream, typing = _pipe()
    screen = Screen()
    first = FirstLine(stream, screen, tty=False)
    first.while_building(STARTING)
    os.close(typing)  # end of input
    assert first.wait() is None
    assert screen.getvalue() == "> \n"
    stream.close()


def test_the_console_prompt_comes_before_a_held_core_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    building = Tutor.create.__func__  # type: ignore[attr-defined]

    async def held_create(cls: type[Tutor], settings: Any, *, start_pool: bool = True) -> Tutor:
        await asyncio.to_thread(release.wait, GUARD)  # the core is held until the test has seen the prompt
        return await building(cls, settings, start_pool=False)

    monkeypatch.setattr(Tutor, "create", classmethod(held_create))
    monkeypatch.setattr(terminal, "setup_logging", lambda *_a, **_k: None)  # the test process keeps its log
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("TUTOR_DEFAULT_LANGUAGE", "en")
    get_settings.cache_clear()
    stream, typing = _pipe()
    screen = Screen()
    monkeypatch.setattr(sys, "stdin", stream)
    monkeypatch.setattr(sys, "stdout", screen)
    args = argparse.Namespace(
        out_dir=tmp_path / "out", lang="en", db=f"sqlite+aiosqlite:///{tmp_path / 't.db'}"
    )
    codes: list[int] = []
    console = threading.Thread(target=lambda: codes.append(console_cli.run(args)), daemon=True)
    console.start()
    try:
        assert screen.shows("> "), screen.getvalue()  # the core is held: the prompt did not wait for it
        os.write(typing, b"/help\n")
        assert screen.shows(STARTING), screen.getvalue()
        assert not codes
        mark = len(screen.getvalue())
        release.set()
        assert screen.shows("\n> ", after=mark), screen.getvalue()
        answered = screen.getvalue()[mark:]
        assert "Type /help for commands" in answered and "/lesson" in answered  # greeted, then answered
        os.write(typing, b"quit\n")
        console.join(GUARD)
        assert codes == [0]
    finally:
        release.set()
        os.close(typing)
        get_settings.cache_clear()
    stream.close()
