"""Comparison and why-questions ("relu vs sigmoid", "why does my loss go up"): answered from the course's
concepts (content/concepts.yaml), with the lesson section that teaches them."""

from __future__ import annotations

from bot.content.schema import Concept
from bot.core.learners import Learner
from bot.core.replies import Card, Reply
from bot.core.tutor import Tutor
from bot.i18n import tr


def concept_reply(tutor: Tutor, learner: Learner, concept: Concept) -> Reply:
    """The answer in the learner's language, and where to read on: the lesson, its section, the command."""
    lang = learner.lang
    lesson = tutor.catalog.lesson(concept.lesson)
    number = next(i for i, s in enumerate(lesson.sections, start=1) if s.id == concept.section)
    section = lesson.sections[number - 1]
    footer = tr(
        "concepts.read_on",
        order=lesson.order,
        title=lesson.title,
        number=f"{lesson.order}.{number}",
        section=section.title,
    )
    card = Card(
        title=concept.title.pick(lang, one_line=True),
        body=concept.answer.pick(lang),
        footer=footer.pick(lang),
        tone="teaching",
    )
    return Reply(cards=(card,))


def concept(tutor: Tutor, learner: Learner, concept_id: str) -> Reply:
    """The concept with this id (from the router); NotFound for an id the content no longer has."""
    return concept_reply(tutor, learner, tutor.catalog.concept(concept_id))
