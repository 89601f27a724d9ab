"""Grading per question kind: forgiving of form, strict about content."""

from __future__ import annotations

from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.schema import CodeOutput, FreeText, MultipleChoice, Numeric, TrueFalse
from bot.errors import InvalidRequest
from bot.quiz.grading import free_text_matches, grade, normalize, parse_bool, parse_number
from tests.db.support import sample_banks

QUESTIONS = {q.id: q for bank in sample_banks() for q in bank.questions}
K = TypeVar("K")


def _of(kind: type[K], qid: str) -> K:
    question = QUESTIONS[qid]
    assert isinstance(question, kind)
    return question


MCQ = _of(MultipleChoice, "neuron-mcq")
CODE = _of(CodeOutput, "neuron-code")
TF = _of(TrueFalse, "neuron-tf")
NUM = _of(Numeric, "neuron-num")
FREE = _of(FreeText, "act-free")


@pytest.mark.parametrize(
    "typed", ["a", "A", " a ", "a)", "(A)", "a.", "a weighted sum", "A Weighted Sum!", "एक weighted sum"]
)
def test_mcq_accepts_the_letter_or_the_option_text(typed: str) -> None:
    result = grade(MCQ, typed)
    assert result.correct and result.chosen is not None and result.chosen.id == "a"


def test_mcq_wrong_option_reports_which_was_chosen() -> None:
    result = grade(MCQ, "B")
    assert not result.correct
    assert result.chosen is not None and result.chosen.why_wrong is not None
    assert result.chosen.why_wrong.en == "Sorting is not it."


@pytest.mark.parametrize("typed", ["e", "weighted", "zz", "ab"])
def test_mcq_non_option_is_a_domain_error(typed: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        grade(MCQ, typed)
    assert err.value.code == "quiz.not_an_option"
    assert "a, b, c" in err.value.message_hi


@pytest.mark.parametrize(
    ("typed", "correct"),
    [("b", True), ("0", True), ("  0 ", True), ("a", False), ("-3", False), ("7", False)],
)
def test_code_output_by_letter_or_output(typed: str, correct: bool) -> None:
    assert grade(CODE, typed).correct is correct


@pytest.mark.parametrize("typed", ["true", "True", "T", "yes", "haan", "han", "सही", "हाँ", "हां", "sahi!"])
def test_true_words(typed: str) -> None:
    assert parse_bool(typed) is True
    assert grade(TF, typed).correct


@pytest.mark.parametrize("typed", ["false", "F", "no", "nahin", "nahi", "गलत", "ग़लत", "नहीं", "Galat."])
def test_false_words(typed: str) -> None:
    assert parse_bool(typed) is False
    assert not grade(TF, typed).correct


def test_true_false_gibberish_is_a_domain_error() -> None:
    with pytest.raises(InvalidRequest) as err:
        grade(TF, "maybe")
    assert err.value.code == "quiz.not_true_false"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0.5", 0.5),
        ("0,5", 0.5),
        (".5", 0.5),
        ("−0.5", -0.5),
        ("1/2", 0.5),
        ("½", 0.5),
        ("1½", 1.5),
        ("1e-3", 0.001),
        ("50%", 0.5),
        ("०.२५", 0.25),
        ("1,000", 1000.0),
        ("1,00,000", 100000.0),
        ("= 1.25", 1.25),
    ],
)
def test_numbers_as_people_type_them(typed: str, value: float) -> None:
    assert parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize(
    "typed", ["one", "nan", "inf", "1/0", "1..2", "--1", "1,2,3", "1e999", "-1e400", "9" * 400 + "/1"]
)
def test_non_numbers_are_domain_errors_not_wrong_answers(typed: str) -> None:
    with pytest.raises(InvalidRequest) as err:
        grade(NUM, typed)
    assert err.value.code == "quiz.not_a_number"


@given(st.floats(min_value=-0.9, max_value=0.9))
def test_numbers_within_tolerance_are_right(fraction: float) -> None:
    assert grade(NUM, repr(NUM.answer + fraction * NUM.tolerance)).correct


@given(st.floats(min_value=1.1, max_value=1e6), st.sampled_from([-1, 1]))
def test_numbers_outside_tolerance_are_wrong(factor: float, sign: int) -> None:
    assert not grade(NUM, repr(NUM.answer + sign * factor * NUM.tolerance)).correct


@pytest.mark.parametrize("typed", ["sigmoid", "Sigmoid", " SIGMOID. ", "sigmiod", "sigmoidd", "सिग्मॉइड"])
def test_free_text_forgives_case_space_and_a_typo(typed: str) -> None:
    assert grade(FREE, typed).correct


@pytest.mark.parametrize("typed", ["sig", "moid", "tanh", "softmax", "sigmoid function of x", "x"])
def test_free_text_is_not_loose(typed: str) -> None:
    assert not grade(FREE, typed).correct


def test_chair_is_not_air_either_way() -> None:
    assert not free_text_matches("chair", "air")
    assert not free_text_matches("air", "chair")
    assert not free_text_matches("weights", "heights")
    assert free_text_matches("Mean-Squared  Error", "mean squared error")


def test_normalize_unifies_unicode_forms() -> None:
    composed, decomposed = "ग़लत", "ग\u093cलत"
    assert normalize(composed) == normalize(decomposed)


WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789कखगचजटडतदनपबमयरलवसह"


@given(st.lists(st.text(alphabet=WORD_CHARS, min_size=1, max_size=8), min_size=1, max_size=4))
def test_any_answer_matches_itself_in_other_case_spacing_and_punctuation(words: list[str]) -> None:
    answer = " ".join(words)
    typed = "  " + " ,  ".join(w.upper() for w in words) + "!"
    assert free_text_matches(typed, answer)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=6, max_size=20), st.data())
def test_a_strict_part_of_an_answer_never_matches(answer: str, data: st.DataObject) -> None:
    # Any piece at most 70% as long as the whole answer: never accepted ("air" inside "chair").
    length = data.draw(st.integers(min_value=1, max_value=int(len(answer) * 0.7)))
    start = data.draw(st.integers(min_value=0, max_value=len(answer) - length))
    part = answer[start : start + length]
    assert not free_text_matches(part, answer)


def test_empty_and_huge_answers_are_domain_errors() -> None:
    with pytest.raises(InvalidRequest):
        grade(FREE, "   ")
    with pytest.raises(InvalidRequest) as err:
        grade(FREE, "x" * 501)
    assert err.value.code == "quiz.answer_too_long"
