"""The bundled content/ folder: it validates, it is complete, and every number in it is right."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from bot.content.catalog import Catalog
from bot.content.formula import evaluate
from bot.content.loader import check_content
from bot.content.schema import DEVANAGARI, Numeric, Text
from bot.i18n import Bilingual
from bot.paths import CONTENT_DIR

LESSON_IDS = [
    "neuron",
    "perceptron",
    "activation",
    "forward-pass",
    "loss-optim",
    "backprop",
    "generalization",
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, problems = check_content(CONTENT_DIR)
    assert problems == [], "\n".join(str(p) for p in problems)
    assert loaded is not None
    return loaded


def test_content_validates_with_no_problem(catalog: Catalog) -> None:
    assert isinstance(catalog, Catalog)


def test_seven_lessons_in_teaching_order(catalog: Catalog) -> None:
    assert [lesson.id for lesson in catalog.lessons] == LESSON_IDS
    assert [lesson.order for lesson in catalog.lessons] == [1, 2, 3, 4, 5, 6, 7]


def test_no_lesson_shows_the_same_figure_twice(catalog: Catalog) -> None:
    for lesson in catalog.lessons:
        shown = Counter(section.figure for section in lesson.sections if section.figure)
        assert [name for name, times in shown.items() if times > 1] == [], lesson.id


def test_quiz_banks_are_big_and_varied(catalog: Catalog) -> None:
    for lesson in catalog.lessons:
        questions = catalog.quiz(lesson.id).questions
        assert len(questions) >= 15, lesson.id
        assert len({q.kind for q in questions}) >= 3, lesson.id
        assert len({q.difficulty for q in questions}) >= 2, lesson.id
    assert len(catalog.all_questions()) >= 150


def test_practice_and_glossary_counts(catalog: Catalog) -> None:
    assert sum(len(lesson.practice) for lesson in catalog.lessons) >= 30
    assert all(len(lesson.practice) >= 5 for lesson in catalog.lessons)
    assert len(catalog.terms) >= 30


def test_every_lesson_has_a_glossary_term(catalog: Catalog) -> None:
    taught = Counter(term.lesson for term in catalog.terms)
    assert set(LESSON_IDS) <= set(taught)


def _texts(value: object) -> list[Text]:
    """Every Text inside a model, found by walking its fields."""
    if isinstance(value, Bilingual):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, BaseModel):
        return [text for name in type(value).model_fields for text in _texts(getattr(value, name))]
    return []


def test_every_learner_facing_text_has_both_languages_and_devanagari_hindi(catalog: Catalog) -> None:
    texts = [t for lesson in catalog.lessons for t in _texts(lesson)]
    texts += [t for q in catalog.all_questions() for t in _texts(q)]
    texts += [t for term in catalog.terms for t in _texts(term)]
    assert len(texts) > 500
    for text in texts:
        assert text.en.strip() and text.hi.strip()
        assert DEVANAGARI.search(text.hi), text.hi


def test_mcq_answers_vary_across_letters(catalog: Catalog) -> None:
    letters = Counter(q.answer for q in catalog.all_questions() if q.kind == "mcq")
    assert len(letters) >= 3, letters


def test_every_numeric_answer_equals_its_formula(catalog: Catalog) -> None:
    numeric = [q for q in catalog.all_questions() if isinstance(q, Numeric)]
    assert len(numeric) >= 12
    for question in numeric:
        value = evaluate(question.formula)
        assert math.isclose(value, question.answer, abs_tol=question.tolerance), (
            question.id,
            question.formula,
            value,
        )


def test_glossary_finds_what_learners_type(catalog: Catalog) -> None:
    cases = {
        "weight": "weight",
        "Weights": "weight",
        "vajan": "weight",
        "वज़न": "weight",
        "वजन": "weight",
        "बायस": "bias",
        "bias kya hai": "bias",
        "what is the learning rate?": "learning-rate",
        "learningrate": "learning-rate",
        "Vanishing  Gradient": "vanishing-gradient",
        "dying relu": "dying-relu",
        "backprpagation": "backpropagation",
        "zero_grad()": "zero-grad",
        "optimizer.zero_grad()": "zero-grad",
        "epoc": "epoch",
        "सिग्मॉइड": "sigmoid",
        "cross entropy": "cross-entropy",
        "binary cross entropy": "bce",
        "xor": "xor",
    }
    for typed, term_id in cases.items():
        found = catalog.find_term(typed)
        assert found is not None and found.id == term_id, typed
    for nonsense in ["chair", "banana", "qwerty", "", "a"]:
        assert catalog.find_term(nonsense) is None, nonsense


def test_lessons_found_by_number_name_and_typo(catalog: Catalog) -> None:
    cases = {
        "3": "activation",
        "lesson 5": "loss-optim",
        "Lesson-6": "backprop",
        "lesson 7": "generalization",
        "overfitting": "generalization",
        "train test split": "generalization",
        "पाठ ४": "forward-pass",
        "backprop": "backprop",
        "perceptron": "perceptron",
        "activaton functions": "activation",
    }
    for typed, lesson_id in cases.items():
        found = catalog.find_lesson(typed)
        assert found is not None and found.id == lesson_id, typed
    for lesson in catalog.lessons:
        assert catalog.find_lesson(lesson.title.en) is lesson
        assert catalog.find_lesson(lesson.title.hi) is lesson
    assert catalog.find_lesson("8") is None
    assert catalog.find_lesson("pizza recipes") is None


def _strings_in(value: object) -> list[str]:
    """Every string inside a loaded YAML value (comments are not values, so they are not read)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings_in(v)]
    return []


NOTES = re.compile(r"\bnotes\b|नोट्स", re.IGNORECASE)


@pytest.mark.parametrize(
    "path", sorted(CONTENT_DIR.rglob("*.yaml")), ids=lambda p: str(p.relative_to(CONTENT_DIR))
)
def test_learners_never_read_about_the_notes(path: Path) -> None:
    """The course notes are where the content came from; a learner has none and reads only lessons."""
    texts = _strings_in(yaml.safe_load(path.read_text(encoding="utf-8")))
    assert [t for t in texts if NOTES.search(t)] == []
