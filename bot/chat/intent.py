"""What a learner asked for, as plain data: a kind plus the arguments the front doors need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

IntentKind = Literal[
    "lesson",
    "glossary",
    "concept",
    "quiz",
    "review",
    "train",
    "compare",
    "backprop",
    "activation",
    "progress",
    "leaderboard",
    "language",
    "help",
    "thanks",
    "unknown",
]
INTENT_KINDS: tuple[str, ...] = IntentKind.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Intent:
    """One routed request.

    `raw` is the cleaned text (mentions removed); train and compare hand it to
    `bot.training.parse.parse_request`. `topic` names a lesson (lesson, quiz), `term` a glossary
    entry, an activation function or a concept's id, `lang` a language choice ('hi' | 'en' | 'both'),
    `count` a number of quiz questions or a lesson number, `nav` a page move ('next' | 'prev'),
    `period` a leaderboard period ('week' | 'month' | 'all').
    """

    kind: IntentKind
    raw: str = ""
    topic: str | None = None
    term: str | None = None
    lang: str | None = None
    count: int | None = None
    nav: str | None = None
    period: str | None = None
