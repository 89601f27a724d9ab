"""bot/console/terminal.py: reading a line at a terminal prompt or from a pipe, and Ctrl-D."""

from __future__ import annotations

import builtins
import io

import pytest

from bot.console.terminal import _read_line


def test_ctrl_d_at_a_terminal_prompt_ends_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)

    def eof(prompt: str) -> str:
        out.write(prompt)
        raise EOFError

    monkeypatch.setattr(builtins, "input", eof)
    assert _read_line(io.StringIO(), "quiz> ", tty=True) is None
    assert out.getvalue() == "quiz> \n"


def test_a_piped_line_is_echoed_after_the_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert _read_line(io.StringIO("/help"), "> ", tty=False) == "/help"
    assert out.getvalue() == "> /help\n"
