"""Grade one typed answer against one question, per question kind.

Forgiving of form (case, spaces, punctuation, Hindi and romanized yes/no, decimal commas) but never
loose: free text must match a whole accepted answer, up to a small typo ("chair" is not "air").
An answer that is not an answer at all (a word for a number, a letter that is no option) is a
domain error, so a slip of the keyboard never counts as wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from rapidfuzz import fuzz

from bot.content.schema import (
    CodeOutput,
    FreeText,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    Text,
    TrueFalse,
)
from bot.errors import InvalidRequest

# Free text: the whole answer must be this similar (rapidfuzz ratio, 0..100) to an accepted one ...
FUZZY_THRESHOLD = 85.0
# ... and answers shorter than this must match exactly (one letter off in "loss" is "lose").
FUZZY_MIN_LENGTH = 5
MAX_ANSWER_LENGTH = 500

_TRUE_WORDS = "true t yes y haan han haa ha ji sahi sach right correct सही सच हाँ हां हा जी ठीक 1"
_FALSE_WORDS = "false f no n nahin nahi nahiin nhi na galat galt wrong incorrect गलत ग़लत नहीं नही ना झूठ 0"


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: right or wrong, and the option the learner picked, if any."""

    correct: bool
    chosen: Option | None = None


def normalize(text: str) -> str:
    """NFC, case-folded, punctuation turned into spaces, runs of spaces collapsed."""
    text = unicodedata.normalize("NFC", text).casefold()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        # Marks (Mn/Mc) are Devanagari vowel signs: keep them; drop punctuation and symbols.
        if category[0] in "PS" and char not in "+-*/^=<>.":
            kept.append(" ")
        else:
            kept.append(char)
    joined = "".join(kept)
    # A full stop is punctuation unless it sits inside a number (0.5); a hyphen unless it signs one.
    joined = re.sub(r"(?<!\d)\.|\.(?!\d)|-(?![\d.])", " ", joined)
    return " ".join(joined.split())


_TRUE = frozenset(normalize(w) for w in _TRUE_WORDS.split())
_FALSE = frozenset(normalize(w) for w in _FALSE_WORDS.split())


def _option_text(option: Option, lang: str) -> str:
    return option.text.get(lang) if isinstance(option.text, Text) else option.text


def _empty() -> InvalidRequest:
    return InvalidRequest("quiz.empty_answer", "Please type an answer.", "कृपया एक answer लिखें।")


def _not_an_option(options: list[Option]) -> InvalidRequest:
    letters = ", ".join(o.id for o in options)
    return InvalidRequest(
        "quiz.not_an_option",
        f"Answer with one of the options: {letters}.",
        f"इनमें से किसी एक option से जवाब दें: {letters}।",
        options=letters,
    )


def _letter(given: str, options: list[Option]) -> Option | None:
    match = re.fullmatch(r"\(?\s*([a-dA-D])\s*[).:]?", given.strip())
    if match is None:
        return None
    letter = match.group(1).lower()
    return next((o for o in options if o.id == letter), None)


def grade_choice(question: MultipleChoice, given: str) -> Grade:
    """Multiple choice: the option letter (any case, "b)" too) or the option's text in either language."""
    option = _letter(given, question.options)
    if option is None:
        wanted = normalize(given)
        option = next(
            (
                o
                for o in question.options
                if wanted in {normalize(_option_text(o, lang)) for lang in ("en", "hi")}
            ),
            None,
        )
    if option is None:
        raise _not_an_option(question.options)
    return Grade(option.id == question.answer, option)


def _squash(text: str) -> str:
    return " ".join(text.split())


def grade_code_output(question: CodeOutput, given: str) -> Grade:
    """'What does this print?': an option letter, or the printed output itself (whitespace aside)."""
    option = _letter(given, question.options)
    if option is None:
        typed = _squash(given)
        option = next(
            (
                o
                for o in question.options
                if typed in {_squash(_option_text(o, lang)) for lang in ("en", "hi")}
            ),
            None,
        )
    if option is None:
        return Grade(False)  # a typed output that is no option is simply a wrong output
    return Grade(option.id == question.answer, option)


def parse_bool(given: str) -> bool:
    """True/false in English, romanized Hindi or Devanagari; InvalidRequest for anything else."""
    word = normalize(given)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InvalidRequest(
        "quiz.not_true_false",
        "Answer true or false (yes/no, haan/nahin).",
        "सही या गलत में जवाब दें (हाँ/नहीं, true/false)।",
    )


def grade_true_false(question: TrueFalse, given: str) -> Grade:
    """True/false."""
    return Grade(parse_bool(given) == question.answer)


_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅛": "1/8", "⅒": "1/10"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?")
_FRACTION = re.compile(r"([+-]?)(?:(\d+)\+)?(\d+)/(\d+)")  # -1/2, 1+1/2 (from "1½")
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{2})*,\d{3}(\.\d+)?")  # 1,000 and Indian 1,00,000


def parse_number(given: str) -> float:
    """A number as people type it: 0.5, 0,5, .5, −0.5, 1/2, ½, 1½, 1e-3, 50%, Devanagari digits."""
    text = unicodedata.normalize("NFC", given).strip().lower()
    for char, fraction in _VULGAR.items():
        text = re.sub(rf"(?<=\d){char}", "+" + fraction, text).replace(char, fraction)
    text = unicodedata.normalize("NFKC", text).replace("⁄", "/")
    text = "".join(
        str(unicodedata.decimal(c)) if unicodedata.decimal(c, None) is not None else c for c in text
    )
    text = text.replace("−", "-").replace("–", "-").replace(" ", "").lstrip("=≈~")
    percent = text.endswith("%")
    text = text.removesuffix("%")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # decimal comma
    value = _parse_plain(text)
    if value is None:
        raise InvalidRequest(
            "quiz.not_a_number",
            "Please answer with a number, for example 0.25.",
            "कृपया एक number में जवाब दें, जैसे 0.25।",
        )
    return value / 100 if percent else value


def _parse_plain(text: str) -> float | None:
    if _NUMBER.fullmatch(text):
        return float(text)
    match = _FRACTION.fullmatch(text)
    if match is None or int(match.group(4)) == 0:
        return None
    sign, whole, numerator, denominator = match.groups()
    value = int(whole or 0) + Fraction(int(numerator), int(denominator))
    return float(-value if sign == "-" else value)


def grade_numeric(question: Numeric, given: str) -> Grade:
    """A number within the question's tolerance."""
    value = parse_number(given)
    return Grade(abs(value - question.answer) <= question.tolerance * (1 + 1e-9))


def free_text_matches(given: str, accepted: str) -> bool:
    """Whole-string match after normalizing; a small typo passes, a part of the answer never does."""
    typed, wanted = normalize(given), normalize(accepted)
    if not typed or not wanted:
        return False
    if typed == wanted or typed.replace(" ", "") == wanted.replace(" ", ""):
        return True
    if min(len(typed), len(wanted)) < FUZZY_MIN_LENGTH:
        return False
    # A typo rarely hits the first letter; requiring it keeps "weights" from matching "heights".
    return typed[0] == wanted[0] and fuzz.ratio(typed, wanted) >= FUZZY_THRESHOLD


def grade_free_text(question: FreeText, given: str) -> Grade:
    """Short typed answer, against every accepted spelling."""
    return Grade(any(free_text_matches(given, accepted) for accepted in question.accept))


def grade(question: Question, given: str) -> Grade:
    """Grade `given` for any question kind; InvalidRequest when it is not an answer at all."""
    if not given or not given.strip():
        raise _empty()
    if len(given) > MAX_ANSWER_LENGTH:
        raise InvalidRequest(
            "quiz.answer_too_long",
            f"Answers are at most {MAX_ANSWER_LENGTH} characters.",
            f"जवाब ज़्यादा से ज़्यादा {MAX_ANSWER_LENGTH} characters का हो सकता है।",
        )
    if isinstance(question, MultipleChoice):
        return grade_choice(question, given)
    if isinstance(question, CodeOutput):
        return grade_code_output(question, given)
    if isinstance(question, TrueFalse):
        return grade_true_false(question, given)
    if isinstance(question, Numeric):
        return grade_numeric(question, given)
    return grade_free_text(question, given)


def correct_answer(question: Question, lang: str) -> str:
    """The right answer as a learner should read it, in `lang`."""
    if isinstance(question, MultipleChoice | CodeOutput):
        option = next(o for o in question.options if o.id == question.answer)
        return f"{option.id}) {_option_text(option, lang)}"
    if isinstance(question, TrueFalse):
        if lang in ("hi", "both"):
            return "सही (True)" if question.answer else "गलत (False)"
        return "True" if question.answer else "False"
    if isinstance(question, Numeric):
        return f"{question.answer:g} (± {question.tolerance:g})"
    return question.accept[0]
