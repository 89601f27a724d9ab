"""Domain errors: each carries what the learner should read, in English and in Hindi."""

from __future__ import annotations

from typing import Any


class TutorError(Exception):
    """A problem the learner caused or can fix; front doors show `message(lang)` instead of a traceback."""

    def __init__(self, code: str, message_en: str, message_hi: str, **details: Any) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_hi = message_hi
        self.details = details

    def message(self, lang: str) -> str:
        """The message in `lang` ('hi', 'en' or 'both')."""
        if lang == "hi":
            return self.message_hi
        if lang == "both":
            return f"{self.message_hi}\n{self.message_en}"
        return self.message_en

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_en": self.message_en, "message_hi": self.message_hi}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message_en={self.message_en!r})"


class NotFound(TutorError):
    """A lesson, question, session or learner that does not exist."""


class InvalidRequest(TutorError):
    """A request whose values are out of range or unknown (training specs, quiz answers, settings)."""


class ContentError(Exception):
    """A problem in a content file, located as `file:line: message`."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.problem = message
