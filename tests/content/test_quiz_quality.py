"""The bundled quizzes as a teacher needs them: no repeats, four real options, no letter pattern."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import check_content
from bot.content.quality import choice_balance, duplicates
from bot.content.schema import AnyQuestion, CodeOutput, MultipleChoice, Option, QuizBank
from bot.i18n import Bilingual
from bot.paths import CONTENT_DIR
from bot.quiz.grading import printed_form

# Options that test nothing: a learner can rule them in or out without knowing the topic.
FILLER = (
    "all of the above",
    "none of the above",
    "both",
    "neither",
    "i don't know",
    "not sure",
    "sab",
    "कोई नहीं",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, problems = check_content(CONTENT_DIR)
    assert problems == [], "\n".join(str(p) for p in problems)
    assert loaded is not None
    return loaded


def _option_text(option: Option, lang: str = "en") -> str:
    return option.text.pick(lang) if isinstance(option.text, Bilingual) else option.text


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFKC", text).casefold()).split())


def _choice(catalog: Catalog) -> list[MultipleChoice | CodeOutput]:
    return [q for q in catalog.all_questions() if isinstance(q, MultipleChoice | CodeOutput)]


def test_at_least_150_questions_in_all(catalog: Catalog) -> None:
    assert len(catalog.all_questions()) >= 150


def test_four_options_on_at_least_80_percent_of_choice_questions(catalog: Catalog) -> None:
    balance = choice_balance(catalog.all_questions())
    assert balance.questions >= 60
    assert balance.four_option_share >= 0.8, balance


def test_no_correct_letter_above_35_percent(catalog: Catalog) -> None:
    balance = choice_balance(catalog.all_questions())
    assert balance.largest_letter_share <= 0.35, balance.letters
    assert min(balance.letters.values()) > 0, balance.letters


def test_no_two_questions_ask_the_same_thing(catalog: Catalog) -> None:
    assert duplicates(catalog.all_questions()) == []


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_options_of_a_question_are_all_different(catalog: Catalog, lang: str) -> None:
    """Also as grading reads them: two printed outputs equal by value would be one answer."""
    for question in _choice(catalog):
        same = (
            printed_form if isinstance(question, CodeOutput) else (lambda t: " ".join(t.casefold().split()))
        )
        texts = [same(_option_text(o, lang)) for o in question.options]
        assert len(set(texts)) == len(texts), (question.id, texts)


def test_no_filler_distractors(catalog: Catalog) -> None:
    for question in _choice(catalog):
        for option in question.options:
            for lang in ("en", "hi"):
                assert _plain(_option_text(option, lang)) not in {_plain(f) for f in FILLER}, question.id


def test_every_wrong_option_says_why_in_its_own_words(catalog: Catalog) -> None:
    for question in _choice(catalog):
        reasons = [o.why_wrong for o in question.options if o.id != question.answer]
        assert all(r is not None and len(r.en) >= 20 and len(r.hi) >= 15 for r in reasons), question.id
        assert len({r.en for r in reasons if r}) == len(reasons), question.id  # no copied reason


def test_every_section_of_a_question_is_in_its_own_lesson(catalog: Catalog) -> None:
    for lesson in catalog.lessons:
        sections = {section.id for section in lesson.sections}
        for question in catalog.quiz(lesson.id).questions:
            assert question.section in sections, (question.id, question.section)


def test_most_sections_are_asked_about(catalog: Catalog) -> None:
    """A quiz covers its lesson: at least two thirds of every lesson's sections have a question."""
    for lesson in catalog.lessons:
        asked = {q.section for q in catalog.quiz(lesson.id).questions}
        assert len(asked) >= 2 * len(lesson.sections) / 3, (lesson.id, sorted(asked))


def _bank(*questions: dict[str, object]) -> list[AnyQuestion]:
    return list(QuizBank.model_validate({"lesson": "x", "questions": list(questions)}).questions)


TEXT = {"en": "Why?", "hi": "क्यों?"}


def _numeric(qid: str, prompt: str, formula: str, answer: float) -> dict[str, object]:
    return {
        "id": qid,
        "section": "s",
        "kind": "numeric",
        "difficulty": "easy",
        "prompt": {"en": prompt, "hi": "प्रश्न " + prompt},
        "explanation": TEXT,
        "answer": answer,
        "tolerance": 0.001,
        "formula": formula,
    }


def _code(qid: str, code: str, right: str, wrong: str) -> dict[str, object]:
    why = {"en": "Not this one.", "hi": "यह नहीं।"}
    return {
        "id": qid,
        "section": "s",
        "kind": "code_output",
        "difficulty": "easy",
        "prompt": {"en": "What does this print?", "hi": "यह क्या print करता है?"},
        "explanation": TEXT,
        "code": code,
        "options": [{"id": "a", "text": right}, {"id": "b", "text": wrong, "why_wrong": why}],
        "answer": "a",
    }


def test_the_duplicate_check_finds_the_pairs_the_review_found() -> None:
    questions = _bank(
        _numeric("update-a", "w = 0.5, η = 0.1, ∂L/∂w = 2. New w = ?", "0.5 - 0.1*2", 0.3),
        _numeric(
            "update-b",
            "A weight w = 0.5 with η = 0.1 and gradient 2: what is w after one step?",
            "0.5-0.1 * 2",
            0.3,
        ),
        _code("update-c", "w = 0.5\nlr = 0.1\ngrad = 2\nprint(round(w - lr * grad, 4))", "0.3", "0.7"),
        _numeric("slope-a", "σ′(z) = σ(z)(1 − σ(z)). What is σ′(0)?", "dsigmoid(0)", 0.25),
        _code("slope-b", "z = torch.tensor(0.0)\nprint(slope(z))", "tensor(0.2500)", "tensor(0.5000)"),
        _numeric("mse-a", "MSE(2.5, 3) = ? (4 decimals)", "mse(2.5, 3)", 0.25),
        _numeric("mse-b", "mse(2.5, 3) = ?", "(3 - 2.5)**2", 0.25),
    )
    found = set(duplicates(questions))
    assert {("update-a", "update-b"), ("update-a", "update-c"), ("update-b", "update-c")} <= found
    assert ("slope-a", "slope-b") in found
    assert ("mse-a", "mse-b") in found


def test_the_duplicate_check_leaves_different_questions_alone() -> None:
    questions = _bank(
        _numeric("relu", "ReLU(−3) = ?", "relu(-3)", 0),
        _numeric("step", "step(0.6·1 + 0.9·0 − 0.2·1 − 0.5) = ?", "step(0.6 - 0.2 - 0.5)", 0),
        _code("square", "w = 3\nprint(2 * w)", "6", "9"),
        _code("three-times", "g = 0\nfor _ in range(3):\n    g += 2\nprint(g)", "6", "2"),
        _numeric("softmax", "softmax([2, 2]) first value = ?", "softmax([2, 2], 0)", 0.5),
        _numeric("sigmoid", "σ(0) = ?", "sigmoid(0)", 0.5),
    )
    assert duplicates(questions) == []
