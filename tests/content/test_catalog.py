"""Catalog lookup on the fixture content: ids, numbers, titles, aliases, typos, and what must not match."""

from __future__ import annotations

import pytest

from bot.content.catalog import Catalog, normalize
from bot.content.loader import load_catalog, load_default_catalog
from bot.errors import NotFound

from .conftest import GOOD


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(GOOD)


def test_lessons_are_in_teaching_order(catalog: Catalog) -> None:
    assert [lesson.order for lesson in catalog.lessons] == [1, 2]


def test_lesson_by_id_and_not_found_in_both_languages(catalog: Catalog) -> None:
    assert catalog.lesson("neuron").order == 1
    with pytest.raises(NotFound) as raised:
        catalog.lesson("attention")
    assert raised.value.code == "lesson_not_found"
    assert "attention" in raised.value.message("en")
    assert "नहीं" in raised.value.message("hi")


@pytest.mark.parametrize(
    ("typed", "lesson_id"),
    [
        ("1", "neuron"),
        ("lesson 2", "perceptron"),
        ("Lesson2", "perceptron"),
        ("L2", "perceptron"),
        ("पाठ १", "neuron"),
        ("2nd", "perceptron"),
        ("neuron", "neuron"),
        ("MLP", "perceptron"),
        ("पर्सेप्ट्रॉन", "perceptron"),
        ("Perceptron and MLP", "perceptron"),
        ("Perceptron और MLP", "perceptron"),
        ("perceptorn", "perceptron"),
        ("biological vs artifical neuron", "neuron"),
        ("teach me the perceptron lesson", "perceptron"),
        ("neuron kya hai", "neuron"),
    ],
)
def test_find_lesson(catalog: Catalog, typed: str, lesson_id: str) -> None:
    found = catalog.find_lesson(typed)
    assert found is not None and found.id == lesson_id


@pytest.mark.parametrize("typed", ["", "   ", "3", "lesson 0", "xyzzy", "pizza", "ml", "p"])
def test_find_lesson_refuses_nonsense(catalog: Catalog, typed: str) -> None:
    assert catalog.find_lesson(typed) is None


def test_quizzes_and_questions(catalog: Catalog) -> None:
    assert [q.id for q in catalog.quiz("neuron").questions][:2] == ["neuron-q01", "neuron-q02"]
    assert catalog.question("perceptron-q01").kind == "numeric"
    assert catalog.lesson_of("perceptron-q01").id == "perceptron"
    assert [q.id for q in catalog.all_questions()][-1] == "perceptron-q01"
    assert len(catalog.all_questions()) == 6
    for missing in (catalog.question, catalog.lesson_of):
        with pytest.raises(NotFound):
            missing("nope-q01")
    with pytest.raises(NotFound):
        catalog.quiz("nope")


@pytest.mark.parametrize(
    ("typed", "term_id"),
    [
        ("weight", "weight"),
        ("WEIGHTS", "weight"),
        ("  weight  ", "weight"),
        ("wieght", "weight"),
        ("vajan", "weight"),
        ("वज़न", "weight"),
        ("वजन", "weight"),
        ("what is a weight?", "weight"),
        ("weight kya hai", "weight"),
        ("Neurons", "neuron"),
        ("न्यूरॉन", "neuron"),
        ("air", "air"),
    ],
)
def test_find_term(catalog: Catalog, typed: str, term_id: str) -> None:
    found = catalog.find_term(typed)
    assert found is not None and found.id == term_id


@pytest.mark.parametrize("typed", ["chair", "hair", "airplane", "wait", "", "?", "weighty stuff"])
def test_find_term_is_not_loose(catalog: Catalog, typed: str) -> None:
    assert catalog.find_term(typed) is None


def test_search_terms_for_autocomplete(catalog: Catalog) -> None:
    assert [t.id for t in catalog.search_terms("we")] == ["weight"]
    assert [t.id for t in catalog.search_terms("न्यू")] == ["neuron"]
    assert [t.id for t in catalog.search_terms("")] == ["air", "neuron", "weight"]
    assert [t.id for t in catalog.search_terms("", limit=1)] == ["air"]
    assert catalog.search_terms("zzz") == []


def test_term_by_id(catalog: Catalog) -> None:
    assert catalog.term("air").term.en == "Air"
    with pytest.raises(NotFound):
        catalog.term("water")


def test_normalize_folds_case_spacing_punctuation_and_nukta() -> None:
    assert normalize("  Zero_Grad()  ") == "zero grad"
    assert normalize("वज़न") == normalize("वजन")
    assert normalize("पाठ ३") == "पाठ 3"


def test_default_catalog_is_loaded_once() -> None:
    load_default_catalog.cache_clear()
    try:
        first = load_default_catalog()
        assert load_default_catalog() is first
    finally:
        load_default_catalog.cache_clear()
