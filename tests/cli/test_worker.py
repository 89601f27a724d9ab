"""`python -m bot worker` needs a job queue to serve (the queue itself is tested in tests/training)."""

from __future__ import annotations

import logging

import pytest

from bot.__main__ import main
from bot.config import get_settings


def test_the_worker_without_a_broker_url_exits_2_and_says_what_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TUTOR_BROKER_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert main(["worker"]) == 2
    finally:
        get_settings.cache_clear()
    assert "TUTOR_BROKER_URL" in capsys.readouterr().err


def test_the_worker_refuses_a_process_count_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker", "--broker", "redis://127.0.0.1:1/0", "--processes", "0"]) == 2
    assert "--processes" in capsys.readouterr().err


def test_a_refused_worker_command_leaves_the_logging_as_it_was(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handlers = list(root.handlers)
    assert main(["worker", "--broker", "redis://127.0.0.1:1/0", "--processes", "0"]) == 2
    # a handler on this test's captured stderr would outlive it: later logging hits a closed file
    assert root.handlers == handlers and not getattr(root, "_tutor_configured", False)
