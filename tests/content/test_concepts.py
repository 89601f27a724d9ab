"""The concepts (comparison and why-questions): each is taught where it points, and is found by words."""

from __future__ import annotations

import pytest

from bot.content.catalog import Catalog, normalize
from bot.content.loader import check_content, load_default_catalog
from bot.content.schema import Concept

from .conftest import GOOD


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_default_catalog()


def _lesson_text(catalog: Catalog, concept: Concept) -> str:
    lesson = catalog.lesson(concept.lesson)
    texts = [lesson.title.en, lesson.title.hi, *lesson.aliases]
    for section in lesson.sections:
        texts += [section.title.en, section.title.hi, section.body.en, section.body.hi]
        texts += [formula.text for formula in section.formulas]
        if section.code is not None:
            texts.append(section.code.source)
    return f" {normalize(' '.join(texts))} "


def test_the_course_answers_the_issue_s_comparisons_and_why_questions(catalog: Catalog) -> None:
    kinds = {concept.kind for concept in catalog.concepts}
    assert kinds == {"compare", "why"} and len(catalog.concepts) >= 15
    ids = {concept.id for concept in catalog.concepts}
    assert {"relu-vs-sigmoid", "sgd-vs-adam", "mse-vs-mae", "why-loss-goes-up"} <= ids
    assert "why-xor-needs-a-hidden-layer" in ids


def test_the_lesson_a_comparison_points_to_teaches_both_things_it_compares(catalog: Catalog) -> None:
    for concept in catalog.concepts:
        if concept.kind != "compare":
            continue
        text = _lesson_text(catalog, concept)
        for group in concept.words:
            assert any(f" {normalize(word)} " in text for word in group), (concept.id, group)


def test_the_answer_names_what_it_compares_in_both_languages(catalog: Catalog) -> None:
    for concept in catalog.concepts:
        for answer in (concept.answer.en, concept.answer.hi):
            said = f" {normalize(answer)} "
            for group in concept.words:
                assert any(f" {normalize(word)} " in said for word in group), (concept.id, group, answer)


@pytest.mark.parametrize(
    ("text", "kind", "concept"),
    [
        ("relu aur sigmoid me kya fark hai", "compare", "relu-vs-sigmoid"),
        ("Difference between SGD and Adam?", "compare", "sgd-vs-adam"),
        ("gradient descent vs adam", "compare", "sgd-vs-adam"),
        ("sgd with momentum vs plain sgd", "compare", "sgd-vs-momentum"),
        ("mse vs mae", "compare", "mse-vs-mae"),
        ("why does my loss go up", "why", "why-loss-goes-up"),
        ("why XOR needs a hidden layer", "why", "why-xor-needs-a-hidden-layer"),
        ("रेलू और सिग्मोइड", "compare", "relu-vs-sigmoid"),
        ("leaky relu or relu", "compare", "relu-vs-leaky-relu"),  # the most specific concept wins
        ("sigmoids and tanh", "compare", "sigmoid-vs-tanh"),  # a plural
        ("backpropogation and forward", "compare", "forward-vs-backward-pass"),  # a typo
    ],
)
def test_a_concept_is_found_by_one_word_of_every_group(
    catalog: Catalog, text: str, kind: str, concept: str
) -> None:
    found = catalog.find_concept(text, kind)
    assert found is not None and found.id == concept


def test_a_concept_needs_every_group_and_its_own_kind(catalog: Catalog) -> None:
    assert catalog.find_concept("relu", "compare") is None  # one of the two things compared
    assert catalog.find_concept("relu and sigmoid", "why") is None
    assert catalog.find_concept("lossy compression goes up", "why") is None  # whole words only
    assert catalog.find_concept("", "compare") is None


def test_content_without_concepts_still_loads() -> None:
    catalog, problems = check_content(GOOD)
    assert problems == [] and catalog is not None and catalog.concepts == ()
    assert catalog.find_concept("relu vs sigmoid", "compare") is None
