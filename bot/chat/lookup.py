"""A lesson from a learner's topic: the whole phrase first, then its parts, then the glossary's lesson."""

from __future__ import annotations

from bot.content.catalog import Catalog
from bot.content.schema import Lesson


def _phrases(words: list[str]) -> list[str]:
    """Every run of consecutive words, longest first, without bare numbers ("lesson 5" is not a part)."""
    out = []
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            part = words[start : start + size]
            if not all(word.isdigit() for word in part):
                out.append(" ".join(part))
    return out


def find_lesson(catalog: Catalog, topic: str) -> Lesson | None:
    """The lesson `topic` names ("loss functions", "loss", "activation functions in hindi"), or None.

    The catalog matches the whole topic forgivingly; when that fails, the longest part of it that names
    a lesson wins; a glossary term (whole, or a part) leads to the lesson that teaches it.
    """
    found = catalog.find_lesson(topic)
    if found is not None:
        return found
    words = topic.split()
    parts = _phrases(words)
    for part in parts:
        if (found := catalog.find_lesson(part)) is not None:
            return found
    for phrase in [topic, *parts]:
        term = catalog.find_term(phrase)
        if term is not None and term.lesson:
            return catalog.lesson(term.lesson)
    return None
