"""The glossary sends a learner to the lesson that teaches each term, and quizzes take names from it."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pydantic import BaseModel

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.schema import FreeText, GlossaryTerm, Lesson
from bot.i18n import Bilingual
from bot.paths import CONTENT_DIR

CATALOG: Catalog = load_catalog(CONTENT_DIR)


def _plain(text: str) -> str:
    """Case, nukta, hyphens and punctuation ignored: 'Cross-entropy' is found in 'cross entropy'."""
    folded = unicodedata.normalize("NFD", text.casefold()).replace("\u093c", "")
    return " ".join(re.sub(r"[^\w\u0900-\u097f]+", " ", unicodedata.normalize("NFC", folded)).split())


def _texts(value: object, lang: str) -> list[str]:
    if isinstance(value, Bilingual):
        return [value.pick(lang)]
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item, lang)]
    if isinstance(value, BaseModel):
        return [text for name in type(value).model_fields for text in _texts(getattr(value, name), lang)]
    return []


def _lesson_text(lesson: Lesson, lang: str) -> str:
    """Everything a learner reads in the lesson's sections, in one language."""
    return _plain(" ".join(_texts(list(lesson.sections), lang)))


def _main_name(headword: str) -> str:
    """The headword before its parenthesis: 'Mean squared error (MSE)' → 'Mean squared error'."""
    return headword.split("(")[0].strip() or headword


@pytest.mark.parametrize("term", CATALOG.terms, ids=lambda t: t.id)
def test_every_term_is_taught_in_the_lesson_it_points_to(term: GlossaryTerm) -> None:
    assert term.lesson is not None, f"{term.id} names no lesson"
    lesson = CATALOG.lesson(term.lesson)
    english, hindi = _plain(_main_name(term.term.en)), _plain(_main_name(term.term.hi))
    assert english in _lesson_text(lesson, "en") or hindi in _lesson_text(lesson, "hi"), (term.id, lesson.id)


def test_the_terms_the_review_found_misplaced_point_to_the_generalization_lesson() -> None:
    for term_id in ("overfitting", "batch", "tensor", "test-set", "validation-set", "early-stopping"):
        assert CATALOG.term(term_id).lesson == "generalization", term_id


def test_no_alias_is_a_word_with_another_meaning() -> None:
    """'बेच' means 'sell', not 'batch'; an alias of another term would send the learner astray."""
    owners: dict[str, set[str]] = {}
    for term in CATALOG.terms:
        for alias in term.aliases:
            owners.setdefault(_plain(alias), set()).add(term.id)
    assert _plain("बेच") not in owners
    assert {alias: ids for alias, ids in owners.items() if len(ids) > 1} == {}


def test_a_free_text_question_whose_answer_is_a_term_names_the_term() -> None:
    """Its accept list then holds every name the glossary knows (aliases and both headwords)."""
    headwords = {_plain(_main_name(term.term.en)): term.id for term in CATALOG.terms}
    for question in CATALOG.all_questions():
        if not isinstance(question, FreeText):
            continue
        if question.term is None:
            named = [headwords[a] for a in map(_plain, question.accept) if a in headwords]
            assert named == [], (question.id, named)
        else:
            names = {_plain(n) for n in CATALOG.term(question.term).answer_names()}
            assert names <= {_plain(a) for a in question.accept}, question.id
