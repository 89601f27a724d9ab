"""`python -m bot console` start-up: a Ctrl-C at any moment of it leaves cleanly."""

from __future__ import annotations

import argparse

import pytest

from bot.cli import console
from bot.console.first_line import FirstLine


def test_a_ctrl_c_as_the_first_prompt_shows_says_bye_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted_while_showing_the_prompt() -> FirstLine:
        # the reader thread has written "> " and the learner pressed Ctrl-C before the call returned
        raise KeyboardInterrupt

    monkeypatch.setattr("bot.console.first_line.read_first_line", interrupted_while_showing_the_prompt)
    args = argparse.Namespace(lang="en", db=None, out_dir=None)
    assert console.run(args) == 0
    assert capsys.readouterr().out == "\nBye! Your progress is saved.\n"
