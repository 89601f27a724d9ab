"""Glossary look-ups: a term in both scripts, its definition and the lesson that teaches it."""

from __future__ import annotations

import re

from bot.content.schema import GlossaryTerm
from bot.core.learners import Learner
from bot.core.numbers import clip
from bot.core.replies import Card, Reply
from bot.core.tutor import Tutor
from bot.errors import NotFound
from bot.i18n import tr

PARENTHESES = re.compile(r"\s*\([^)]*\)")
SHOWN = 60


def find_term(tutor: Tutor, query: str) -> GlossaryTerm | None:
    """The entry for an id (from autocomplete) or free text (any spelling, forgiving of typos)."""
    return next((t for t in tutor.catalog.terms if t.id == query), None) or tutor.catalog.find_term(query)


def term_reply(tutor: Tutor, learner: Learner, term: GlossaryTerm) -> Reply:
    """A glossary entry: its name in both scripts, the definition, and where it is taught."""
    lang = learner.lang
    english, hindi = term.term.en, term.term.hi
    bare_hindi = PARENTHESES.sub("", hindi).strip() or hindi  # without its "(ReLU)"
    title = hindi if lang == "hi" else english if bare_hindi == english else f"{english} · {bare_hindi}"
    footer = ""
    lesson = next((x for x in tutor.catalog.lessons if x.id == term.lesson), None)
    if lesson is not None:
        footer = tr("glossary.taught_in", order=lesson.order, title=lesson.title).pick(lang)
    card = Card(title=title, body=term.definition.pick(lang), footer=footer, tone="teaching")
    return Reply(cards=(card,))


def glossary(tutor: Tutor, learner: Learner, query: str) -> Reply:
    """The entry for `query`; NotFound quoting it when the glossary has none."""
    term = find_term(tutor, query)
    if term is None:
        raise NotFound("term_not_found", term=clip(query, SHOWN))
    return term_reply(tutor, learner, term)
