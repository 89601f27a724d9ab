"""`python -m bot worker` needs a job queue to serve (the queue itself is tested in tests/training)."""

from __future__ import annotations

import logging
import socket

import pytest

from bot.__main__ import main
from bot.config import get_settings


@pytest.fixture(autouse=True)
def own_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """The root logger as before each test: `worker` sets it up on the test's stderr, closed after it
    (a later test logging there would print "Logging error")."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    monkeypatch.setattr(root, "_tutor_configured", False, raising=False)


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


def test_the_worker_refuses_a_metrics_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker", "--broker", "redis://127.0.0.1:1/0", "--metrics-port", "70000"]) == 2
    assert "--metrics-port" in capsys.readouterr().err


def test_the_worker_exits_2_when_its_metrics_port_is_taken(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        # it says so before starting any worker process (the broker is never reached)
        assert main(["worker", "--broker", "redis://127.0.0.1:1/0", "--metrics-port", str(port)]) == 2
    assert f"cannot serve metrics on 127.0.0.1:{port}" in capsys.readouterr().err
