"""One logger per module, and a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import os

_SECRET_ENV_VARS = ("DISCORD_TOKEN", "TUTOR_DISCORD_TOKEN")


class RedactSecrets(logging.Filter):
    """Replace the Discord token (and any other configured secret) with '[redacted]' in log records."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        found = [os.environ.get(name, "") for name in _SECRET_ENV_VARS]
        self.secrets = [s for s in [*(secrets or []), *found] if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if self._shows_secret(message):
            record.msg, record.args = self._redact(message), None
        # the traceback is text too: the exception's message or a frame's source line may hold the token
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text and self._shows_secret(record.exc_text):
            # the formatted text stands in for the exception, so no handler formats the original again
            record.exc_text, record.exc_info = self._redact(record.exc_text), None
        if record.stack_info and self._shows_secret(record.stack_info):
            record.stack_info = self._redact(record.stack_info)
        return True

    def _shows_secret(self, text: str) -> bool:
        return any(secret in text for secret in self.secrets)

    def _redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


_FORMATTER = logging.Formatter()


def get_logger(name: str) -> logging.Logger:
    """The logger for module `name`."""
    return logging.getLogger(name)


class OneLine(logging.Formatter):
    """Each record on one line: an exception is named with its message, without the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if not (record.exc_info or record.exc_text):
            return text
        line = text.splitlines()[0]
        # RedactSecrets drops exc_info when the exception showed the token: then the message alone
        error = record.exc_info[1] if record.exc_info else None
        if error is None:
            return line
        detail = next((part.strip() for part in str(error).splitlines() if part.strip()), "")
        return f"{line} ({type(error).__name__}: {detail})" if detail else f"{line} ({type(error).__name__})"


def setup_logging(level: str = "INFO", secrets: list[str] | None = None, *, tracebacks: bool = True) -> None:
    """Configure the root logger once, with secret redaction on every handler; without `tracebacks`
    each record is one line (the console: a caught error must not print a traceback at the learner)."""
    root = logging.getLogger()
    if getattr(root, "_tutor_configured", False):
        return
    handler = logging.StreamHandler()
    kind = logging.Formatter if tracebacks else OneLine
    handler.setFormatter(kind("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root.addHandler(handler)
    root.setLevel(level.upper())
    root._tutor_configured = True  # type: ignore[attr-defined]
