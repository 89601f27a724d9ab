"""Free-text grading: articles and Hindi wrappers peeled, typos forgiven by length, parts never accepted."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.content.loader import load_catalog
from bot.content.schema import FreeText, Numeric, Question
from bot.errors import InvalidRequest
from bot.i18n import Bilingual
from bot.paths import CONTENT_DIR
from bot.quiz.grading import answer_words, free_text_matches, grade, typo_allowance
from tests.db.support import sample_banks


def _free(*accept: str) -> FreeText:
    text = Bilingual(en="Name it.", hi="इसका नाम बताइए।")
    return FreeText(
        id="t-free",
        section="intro",
        kind="free_text",
        difficulty="easy",
        prompt=text,
        explanation=text,
        accept=list(accept),
    )


# Modelled on the bundled quizzes, but fixed here so content edits cannot change what these rows test.
BIAS = _free("bias", "बायस", "bayas")
EPOCH = _free("epoch", "epochs", "एपॉक", "epok")
SOMA = _free("soma", "cell body", "सोमा")
XOR = _free("xor", "x-or", "exclusive or", "xor problem")
HIDDEN = _free("hidden", "hidden layer", "hidden layers", "हिडन", "छिपी")
RELU = _free("relu", "rectified linear unit", "रेलू")
SOFTMAX = _free("softmax", "सॉफ़्टमैक्स")
RATE = _free("learning rate", "lr", "सीखने की दर", "seekhne ki dar")
SIGMOID = _free("sigmoid", "सिग्मॉइड")
WEIGHT = _free("वज़न", "weights")
AIR, HAIR, CHAIR, TANH = _free("air"), _free("hair"), _free("chair"), _free("tanh")

ACCEPTED = [
    (BIAS, "the bias"),  # QA
    (EPOCH, "an epoch"),  # QA
    (SOMA, "the soma"),  # QA
    (XOR, "the XOR problem"),  # QA
    (EPOCH, "epcoh"),  # QA: a transposition is one edit
    (HIDDEN, "hiden"),  # QA
    (BIAS, "The Bias."),
    (BIAS, "a bias"),
    (BIAS, "bias है"),
    (BIAS, "bias hai"),
    (BIAS, "bias hota hai"),
    (BIAS, "बायस होता है।"),
    (BIAS, "bais"),
    (BIAS, "baias"),
    (BIAS, "the bias term"),
    (EPOCH, "एक epoch"),
    (EPOCH, "Epok"),
    (SOMA, "the cell body"),
    (SOMA, "सोमा है"),
    (XOR, "X-OR"),
    (XOR, "the exclusive-or problem"),
    (XOR, "XOR समस्या"),
    (HIDDEN, "the hidden layers"),
    (HIDDEN, "हिडन लेयर"),
    (RELU, "ReLU"),
    (RELU, "the ReLU function"),
    (RELU, "ReLU activation"),
    (RELU, "रेलू"),
    (SOFTMAX, "सॉफ्टमैक्स"),  # typed without the nukta
    (SOFTMAX, "सॉफ\u093c्टमैक्स"),  # nukta as a separate code point
    (SOFTMAX, "सॉफ्\u200dटमैक्स"),  # a zero-width joiner from a Hindi keyboard
    (SOFTMAX, "soft max"),
    (RATE, "the learning rate"),
    (RATE, "learning rtae"),
    (RATE, "LR"),
    (RATE, "seekhne ki dar hai"),
    (RATE, "सीखने की दर"),
    (SIGMOID, "sigmoids"),
    (SIGMOID, "sigmiod"),
    (WEIGHT, "वजन"),  # accepted with a nukta, typed without
    (WEIGHT, "weigths"),
]

REJECTED = [
    (AIR, "chair"),
    (AIR, "hair"),
    (CHAIR, "air"),
    (HAIR, "air"),
    (TANH, "tan"),
    (RELU, "relu6"),  # another function, not a typo
    (RELU, "gelu"),
    (RELU, "elu"),
    (RELU, "leaky relu"),
    (HIDDEN, "hidden function"),  # a category noun may be added, not swapped
    (XOR, "xor function"),
    (XOR, "or"),
    (BIAS, "weight"),
    (BIAS, "bias weight"),
    (BIAS, "the"),
    (BIAS, "?!"),
    (WEIGHT, "heights"),
    (SOMA, "som"),
    (SOMA, "सोना"),  # one vowel sign off, but a two-letter word allows no edit
    (SOMA, "cell"),
    (RATE, "learning"),
    (RATE, "rate"),
    (SIGMOID, "sig"),
    (SIGMOID, "sigmoid function of x"),
    (SIGMOID, "softmax"),
    (EPOCH, "batch"),
]


@pytest.mark.parametrize(("question", "typed"), ACCEPTED)
def test_accepted(question: FreeText, typed: str) -> None:
    assert grade(question, typed).correct


@pytest.mark.parametrize(("question", "typed"), REJECTED)
def test_rejected(question: FreeText, typed: str) -> None:
    assert not grade(question, typed).correct


def test_allowance_grows_with_length() -> None:
    assert [typo_allowance(n) for n in (1, 3, 4, 7, 8, 20)] == [0, 0, 1, 1, 2, 2]


def test_two_edits_only_for_long_answers() -> None:
    assert free_text_matches("lerning rtae", "learning rate")  # a deletion and a swap, 12 letters
    assert not free_text_matches("lerning rtea", "learning rate")  # three edits
    assert not free_text_matches("epcho", "epoch")  # two edits in five letters


def test_framing_words_peel_from_both_ends_but_never_the_last_word() -> None:
    assert answer_words("The, a bias hota hai!") == ("bias",)
    assert answer_words("the") == ("the",)
    assert answer_words("hai") == ("hai",)


def test_head_noun_restricted_to_the_questions_own_category() -> None:
    # Called without a question, any category noun may be added to an answer that has none.
    assert free_text_matches("hidden function", "hidden")
    assert not grade(HIDDEN, "hidden function").correct


def _catalog_free_text() -> list[FreeText]:
    return [q for q in load_catalog(CONTENT_DIR).all_questions() if isinstance(q, FreeText)]


REAL = _catalog_free_text()


def test_the_catalog_has_free_text_questions() -> None:
    assert len(REAL) >= 5


@pytest.mark.parametrize("question", REAL, ids=lambda q: q.id)
def test_every_real_accept_entry_grades_correct_with_and_without_an_article(question: FreeText) -> None:
    for accepted in question.accept:
        for typed in (accepted, "the " + accepted, accepted.upper() + ".", "an " + accepted + " है"):
            assert grade(question, typed).correct, (question.id, typed)


@pytest.mark.parametrize("question", REAL, ids=lambda q: q.id)
def test_no_real_answer_is_accepted_for_another_question(question: FreeText) -> None:
    others = [a for q in REAL if q.id != question.id for a in q.accept]
    assert [a for a in others if grade(question, a).correct] == []


ALL_QUESTIONS: list[Question] = [
    *(q for bank in sample_banks() for q in bank.questions),
    *load_catalog(CONTENT_DIR).all_questions(),
]
FREE_QUESTIONS = [q for q in ALL_QUESTIONS if isinstance(q, FreeText)] + [
    BIAS,
    EPOCH,
    XOR,
    HIDDEN,
    SOFTMAX,
    WEIGHT,
]
A_NUMERIC = next(q for q in ALL_QUESTIONS if isinstance(q, Numeric))
ALWAYS = {"quiz.empty_answer", "quiz.answer_too_long"}
DOMAIN_ERRORS = {
    "mcq": ALWAYS | {"quiz.not_an_option"},
    "true_false": ALWAYS | {"quiz.not_true_false"},
    "numeric": ALWAYS | {"quiz.not_a_number"},
    "code_output": ALWAYS,
    "free_text": ALWAYS,
}


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
@given(st.sampled_from(ALL_QUESTIONS), st.text(max_size=520))
@example(A_NUMERIC, "9" * 400 + "/1")  # float() of that fraction overflowed
def test_grading_never_raises_except_the_documented_domain_errors(question: Question, typed: str) -> None:
    try:
        result = grade(question, typed)
    except InvalidRequest as err:
        assert err.code in DOMAIN_ERRORS[question.kind]
    else:
        assert isinstance(result.correct, bool)


ARTICLES = st.sampled_from(["the", "The", "a", "an", "AN", "एक", "ek"])


@st.composite
def dressed_accepted(draw: st.DrawFn) -> tuple[FreeText, str]:
    """An accepted answer as a learner might type it: case, spaces, punctuation, articles, 'है'."""
    question = draw(st.sampled_from(FREE_QUESTIONS))
    typed = draw(st.sampled_from(question.accept))
    if draw(st.booleans()):
        typed = typed.upper() if draw(st.booleans()) else typed.title()
    if draw(st.booleans()):
        typed = f"{draw(ARTICLES)} {typed}"
    if draw(st.booleans()):
        typed = f"{typed} {draw(st.sampled_from(['है', 'hai', 'होता है', 'hota hai']))}"
    punctuation = st.text(alphabet=" .,!?।'\"", max_size=3)
    return question, draw(punctuation) + typed + draw(punctuation)


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
@given(dressed_accepted())
def test_an_accepted_answer_always_grades_correct(case: tuple[FreeText, str]) -> None:
    question, typed = case
    assert grade(question, typed).correct


@st.composite
def near_answers(draw: st.DrawFn) -> tuple[FreeText, str]:
    """Arbitrary text, or an accepted answer with one random edit: often right, sometimes wrong."""
    question = draw(st.sampled_from(FREE_QUESTIONS))
    if draw(st.booleans()):
        return question, draw(st.text(min_size=1, max_size=30))
    typed = draw(st.sampled_from(question.accept))
    at = draw(st.integers(min_value=0, max_value=len(typed)))
    char = draw(st.sampled_from("aeiorstxyzक ्ा"))
    edit = draw(st.sampled_from(["insert", "delete", "replace"]))
    if edit == "insert":
        return question, typed[:at] + char + typed[at:]
    if edit == "delete":
        return question, typed[:at] + typed[at + 1 :]
    return question, typed[:at] + char + typed[at + 1 :]


@settings(deadline=None)  # a busy machine's timing is no verdict on grading
@given(near_answers(), ARTICLES)
def test_adding_an_article_never_turns_a_right_answer_wrong(case: tuple[FreeText, str], article: str) -> None:
    question, typed = case
    if typed.strip() and grade(question, typed).correct:
        assert grade(question, f"{article} {typed}").correct


# ---- answers taken from the glossary -----------------------------------------------------------------

CATALOG = load_catalog(CONTENT_DIR)


def _asking_for(term_id: str) -> FreeText:
    """The bundled free-text question whose answer is this glossary term."""
    return next(q for q in REAL if q.term == term_id)


@pytest.mark.parametrize(
    ("term_id", "typed"),
    [
        ("epoch", "इपॉक"),  # the glossary's own Hindi headword
        ("xor", "EX-OR"),  # the usual Indian textbook spelling
        ("xor", "EXOR"),
        ("learning-rate", "ईटा"),  # η read aloud
        ("soma", "soma (cell body)"),  # "Cell Body (Soma)" passed, the other order did not
        ("soma", "Cell Body (Soma)"),
        ("soma", "cell body / soma"),
        ("soma", "कोशिका काय"),
        ("hidden-layer", "हिडन लेयर्स"),
        ("bias", "अभिनति"),
        ("relu", "आरईएलयू"),
    ],
)
def test_right_answers_that_were_marked_wrong(term_id: str, typed: str) -> None:
    assert grade(_asking_for(term_id), typed).correct


def test_questions_name_their_glossary_term() -> None:
    assert len([q for q in REAL if q.term is not None]) >= 12


@pytest.mark.parametrize("question", [q for q in REAL if q.term is not None], ids=lambda q: q.id)
def test_every_name_of_the_glossary_term_answers_its_question(question: FreeText) -> None:
    term = CATALOG.term(question.term or "")
    names = term.answer_names()
    assert names and set(names) <= set(question.accept)
    for name in names:
        assert grade(question, name).correct, (question.id, name)
    for alias in term.aliases:
        assert alias in question.accept or len(alias.strip()) == 1, alias  # a symbol such as b is not a name


@pytest.mark.parametrize("typed", ["soma (axon)", "axon (soma)", "soma / dendrites", "cell body (synapse)"])
def test_a_gloss_that_names_something_else_is_wrong(typed: str) -> None:
    assert not grade(_asking_for("soma"), typed).correct


def test_a_one_letter_symbol_is_not_a_name_of_its_term() -> None:
    assert not grade(_asking_for("bias"), "b").correct
