"""bot/console/terminal.py: reading a line at a terminal prompt, Ctrl-D, and a line typed during start-up."""

from __future__ import annotations

import builtins
import io

import pytest

from bot.console.terminal import EarlyInput, _read_line


def test_ctrl_d_at_a_terminal_prompt_ends_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)

    def eof(prompt: str) -> str:
        out.write(prompt)
        raise EOFError

    monkeypatch.setattr(builtins, "input", eof)
    assert _read_line(io.StringIO(), "quiz> ", tty=True) is None
    assert out.getvalue() == "quiz> \n"


def test_a_line_typed_during_start_up_is_used_first() -> None:
    assert _read_line(io.StringIO("later\n"), "> ", tty=True, early="/help\n") == "/help\n"


def test_a_piped_line_is_echoed_after_the_prompt(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)
    assert _read_line(io.StringIO("/help"), "> ", tty=False) == "/help"
    assert out.getvalue() == "> /help\n"


@pytest.mark.parametrize(
    ("line", "seen", "leaves"),
    [("quit\n", True, True), (None, True, True), ("/help\n", True, False), (None, False, False)],
)
def test_quitting_or_closing_input_during_the_warm_up_leaves(
    line: str | None, seen: bool, leaves: bool
) -> None:
    assert EarlyInput(line=line, seen=seen).wants_out is leaves
