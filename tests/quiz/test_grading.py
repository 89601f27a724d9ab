"""Grading per question kind: forgiving of form, strict about content."""

from __future__ import annotations

from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.schema import CodeOutput, FreeText, MultipleChoice, Numeric, TrueFalse
from bot.errors import InvalidRequest
from bot.quiz.grading import free_text_matches, grade, normalize, parse_bool, parse_number, printed_form
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


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
@given(st.floats(min_value=-0.9, max_value=0.9))
def test_numbers_within_tolerance_are_right(fraction: float) -> None:
    assert grade(NUM, repr(NUM.answer + fraction * NUM.tolerance)).correct


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
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


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
@given(st.lists(st.text(alphabet=WORD_CHARS, min_size=1, max_size=8), min_size=1, max_size=4))
def test_any_answer_matches_itself_in_other_case_spacing_and_punctuation(words: list[str]) -> None:
    answer = " ".join(words)
    typed = "  " + " ,  ".join(w.upper() for w in words) + "!"
    assert free_text_matches(typed, answer)


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
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


# ---- regressions: right answers that were marked wrong ---------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"), [("सत्य", True), ("satya", True), ("असत्य", False), ("asatya", False)]
)
def test_hindi_true_false_words_satya_and_asatya(typed: str, value: bool) -> None:
    assert parse_bool(typed) is value


@pytest.mark.parametrize(
    ("typed", "value"), [("0,001", 0.001), ("0,25", 0.25), ("-0,5", -0.5), ("12,5", 12.5)]
)
def test_a_decimal_comma_is_read_as_a_decimal_point(typed: str, value: float) -> None:
    assert parse_number(typed) == pytest.approx(value)


def _printed(*outputs: str) -> CodeOutput:
    """A code_output question whose option a is right, the others wrong."""
    text = {"en": "What does this print?", "hi": "यह क्या print करता है?"}
    why = {"en": "Not this.", "hi": "यह नहीं।"}
    options = [
        {"id": "abcd"[i], "text": o, **({"why_wrong": why} if i else {})} for i, o in enumerate(outputs)
    ]
    return CodeOutput.model_validate(
        {
            "id": "t-code",
            "section": "code",
            "kind": "code_output",
            "difficulty": "easy",
            "prompt": text,
            "explanation": text,
            "code": "print(1)",
            "options": options,
            "answer": "a",
        }
    )


SLOPE = _printed("tensor(0.2500)", "tensor(0.5000)", "tensor(1.)", "tensor(0.)")
TANH = _printed("tensor([-0.7616,  0.0000,  0.7616])", "tensor([0.2689, 0.5000, 0.7311])")


@pytest.mark.parametrize("typed", ["tensor(0.25)", "tensor(0.2500)", "tensor( 0.250 )", "TENSOR(0.25)"])
def test_printed_numbers_compare_by_value_not_padding(typed: str) -> None:
    result = grade(SLOPE, typed)
    assert result.correct and result.chosen is not None and result.chosen.id == "a"


@pytest.mark.parametrize("typed", ["tensor([-0.7616, 0, 0.7616])", "tensor([-0.7616,0.0,0.7616])"])
def test_printed_tensors_compare_by_value_and_ignore_spaces(typed: str) -> None:
    assert grade(TANH, typed).correct


@pytest.mark.parametrize(
    ("typed", "chosen"), [("tensor(0.5)", "b"), ("tensor(1)", "c"), ("tensor(0.0)", "d")]
)
def test_a_value_equal_to_a_wrong_option_picks_that_option(typed: str, chosen: str) -> None:
    result = grade(SLOPE, typed)
    assert not result.correct and result.chosen is not None and result.chosen.id == chosen


@pytest.mark.parametrize("typed", ["tensor(0.2501)", "tensor(0.25, 0)", "tensor(25)", "0.25"])
def test_a_different_value_or_shape_is_still_wrong(typed: str) -> None:
    assert not grade(SLOPE, typed).correct


def test_printed_form_keeps_digits_inside_names() -> None:
    assert printed_form("W1 = 2.50, x2: 1e-05") == printed_form("W1=2.5,x2:0.00001")
    assert printed_form("W1 = 1") != printed_form("W01 = 1")


def test_numbers_separated_by_spaces_stay_apart() -> None:
    assert printed_form("1 23") != printed_form("12 3")
    assert printed_form("0 0 1") != printed_form("001")
    assert printed_form("0 1 1") == printed_form("0  1   1")
