"""Domain errors: each carries what the learner should read, in both languages, and a stable code."""

from __future__ import annotations

from typing import Any

from bot.i18n import Bilingual, tr


class TutorError(Exception):
    """A problem the learner caused or can fix; front doors show `message(lang)` instead of a traceback.

    `TutorError("too_deep", max=4, asked=6)` reads its text from `error.too_deep` in
    content/strings/error.yaml, filled with the values (which are also kept as `details`); a text
    composed elsewhere can be given as `text=`.
    """

    def __init__(self, code: str, *, text: Bilingual | None = None, **details: Any) -> None:
        self.code = code
        self.text = text if text is not None else tr(f"error.{code}", **details)
        self.details = details
        super().__init__(self.text.en)

    @property
    def message_en(self) -> str:
        """The English message."""
        return self.text.en

    @property
    def message_hi(self) -> str:
        """The Hindi message."""
        return self.text.hi

    def message(self, lang: str) -> str:
        """The message in `lang` ('hi', 'en' or 'both')."""
        return self.text.pick(lang)

    def to_dict(self) -> dict[str, str]:
        """The CLI contract's error object."""
        return {"code": self.code, "message_en": self.message_en, "message_hi": self.message_hi}

    def __reduce__(self) -> tuple[Any, ...]:
        # worker processes send errors back through a pipe: rebuild from the finished text
        return (_rebuild, (type(self), self.code, self.text, self.details))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message_en={self.message_en!r})"


def _rebuild(cls: type[TutorError], code: str, text: Bilingual, details: dict[str, Any]) -> TutorError:
    return cls(code, text=text, **details)


class NotFound(TutorError):
    """A lesson, question, session or learner that does not exist."""


class InvalidRequest(TutorError):
    """A request whose values are out of range or unknown (training specs, quiz answers, settings)."""


class Unavailable(TutorError):
    """Something the tutor needs is busy or down (the database, the workers): try again in a moment."""


class ContentError(Exception):
    """A problem in a content file, located as `file:line: message`."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.problem = message
