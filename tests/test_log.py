"""The log filter keeps the Discord token out of every part of a record (issue 16: exception text leaked)."""

from __future__ import annotations

import io
import logging

import pytest

from bot.log import OneLine, RedactSecrets

TOKEN = "MTIzNDU2Nzg5.fake-token.abcdefghijklmnop"


@pytest.fixture
def logged() -> tuple[logging.Logger, io.StringIO]:
    """A logger writing through the filter into a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(RedactSecrets([TOKEN]))
    logger = logging.getLogger("tests.log.redaction")
    logger.propagate = False
    logger.handlers = [handler]
    return logger, stream


def test_the_token_in_a_message_or_its_values_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    logger.warning("token %s rejected", TOKEN)
    logger.warning(f"plain {TOKEN}")
    assert TOKEN not in stream.getvalue()
    assert stream.getvalue().count("[redacted]") == 2


def test_the_token_in_an_exception_message_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    try:
        raise RuntimeError(f"login with {TOKEN} failed")
    except RuntimeError:
        logger.exception("could not connect")
    text = stream.getvalue()
    assert TOKEN not in text
    assert "RuntimeError: login with [redacted] failed" in text
    assert "Traceback" in text  # the traceback itself is still logged


def test_the_token_in_a_stack_is_redacted(logged: tuple[logging.Logger, io.StringIO]) -> None:
    """A stack shows source lines, and a source line may hold the token (as the comment below does)."""
    logger, stream = logged
    logger.error("here", stack_info=True)  # MTIzNDU2Nzg5.fake-token.abcdefghijklmnop
    assert "[redacted]" in stream.getvalue() and TOKEN not in stream.getvalue()


def test_a_record_without_the_token_is_left_as_it_is(logged: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = logged
    try:
        raise ValueError("nothing secret")
    except ValueError:
        logger.exception("failed %d times", 2)
    assert "failed 2 times" in stream.getvalue() and "ValueError: nothing secret" in stream.getvalue()


def test_one_line_records_name_the_exception_without_its_traceback() -> None:
    """The console's log: a caught error is one line on stderr, not a traceback at the learner."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLine("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.log.one_line")
    logger.propagate = False
    logger.handlers = [handler]
    try:
        raise OSError("disk full\nsecond line")
    except OSError:
        logger.exception("console command failed: %s", "/train xor")
    assert stream.getvalue() == "ERROR console command failed: /train xor (OSError: disk full)\n"
