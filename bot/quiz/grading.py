"""Grade one typed answer against one question, per question kind.

Forgiving of form (case, spaces, punctuation, Hindi and romanized yes/no, decimal commas) but never
loose. An answer that is not an answer at all (a word for a number, a letter that is no option) is a
domain error, so a slip of the keyboard never counts as wrong.

Free text is compared as a whole, never as a part ("chair" is not "air"), in three steps:

1. Both the typed answer and every accepted answer are normalized the same way: NFC, case-folded,
   nukta dropped, chandrabindu written as anusvara, invisible joiners dropped, any
   digit as an ASCII digit, punctuation and symbols (but maths signs) as spaces.
2. Words that frame an answer without changing it are peeled off both: leading articles (the, a, an,
   ek) and a trailing Hindi copula (hai, hota hai, ... in either script). A lone word is never peeled.
3. The remaining words, spaces ignored, must be within a small typo distance of an accepted answer:
   optimal string alignment (a swap of two neighbours is one edit), at most 0 edits when the shorter
   side has 3 letters or fewer, 1 for 4-7 letters, 2 for 8 or more (a Devanagari vowel sign is part
   of its letter, not a letter of its own). The first letter must agree and the digits must be the
   same ("relu6" is another function, not a typo of "relu").

A category noun (problem, function, layer, term, ...) may be added to an accepted answer that has
none ("bias term", "XOR problem") or dropped from one that has it ("hidden" for "hidden layer").
When any accepted answer of a question ends in such a noun, only that noun and its translations
are allowed for that question, so "hidden function" never passes for "hidden layer".

An answer given with a gloss, "soma (cell body)" or "cell body / soma", is right when each of its
parts is an accepted answer of the question: the order of the two names does not matter.

A printed output ("what does this print?") may be typed with other padding or trailing zeros:
numbers are compared by value (tensor(0.25) is tensor(0.2500)), all else as written, case and spaces aside.

The words themselves (true/false, articles, copulas, category nouns) live in bot/quiz/answer_words.py.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from rapidfuzz.distance import OSA

from bot.content.schema import (
    CodeOutput,
    FreeText,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    TrueFalse,
)
from bot.errors import InvalidRequest
from bot.i18n import Bilingual, tr
from bot.quiz import answer_words as vocabulary

MAX_ANSWER_LENGTH = 500


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer: right or wrong, and the option the learner picked, if any."""

    correct: bool
    chosen: Option | None = None


_NUKTA = "\u093c"
_CHANDRABINDU, _ANUSVARA = "\u0901", "\u0902"


def normalize(text: str) -> str:
    """NFC, case-folded, no nukta, ASCII digits, punctuation turned into spaces, runs of spaces collapsed."""
    text = unicodedata.normalize("NFD", text.casefold()).replace(_NUKTA, "").replace(_CHANDRABINDU, _ANUSVARA)
    kept = []
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        digit = unicodedata.decimal(char, None)
        # Marks (Mn/Mc) are Devanagari vowel signs: keep them; drop punctuation and symbols.
        if digit is not None:
            kept.append(str(digit))
        elif category == "Cf":
            continue  # zero-width joiners that Hindi keyboards insert change nothing visible
        elif category[0] in "PS" and char not in "+-*/^=<>.":
            kept.append(" ")
        else:
            kept.append(char)
    joined = "".join(kept)
    # A full stop is punctuation unless it sits inside a number (0.5); a hyphen unless it signs one.
    joined = re.sub(r"(?<!\d)\.|\.(?!\d)|-(?![\d.])", " ", joined)
    return " ".join(joined.split())


_TRUE = frozenset(normalize(w) for w in vocabulary.TRUE_WORDS)
_FALSE = frozenset(normalize(w) for w in vocabulary.FALSE_WORDS)


def _option_text(option: Option, lang: str) -> str:
    return option.text.pick(lang) if isinstance(option.text, Bilingual) else option.text


def _not_an_option(options: list[Option]) -> InvalidRequest:
    return InvalidRequest("quiz.not_an_option", options=", ".join(o.id for o in options))


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


# A number as Python and PyTorch print it (-0.7616, 1., 3.0, 1e-05), not a digit inside a name (W1).
_PRINTED_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?(?![\w.])", re.IGNORECASE)


def _printed_value(match: re.Match[str]) -> str:
    try:
        value = Decimal(match.group())
    except InvalidOperation:  # the pattern only finds numbers; kept as written if Decimal disagrees
        return match.group()
    return "0" if value.is_zero() else f"{value.normalize():f}"


def printed_form(text: str) -> str:
    """A printed output as compared: numbers by value (0.2500 → 0.25, 1. → 1), case-folded, no spaces."""
    # each number is fenced by a separator no one types, so "1 23" and "12 3" stay different
    return "".join(_PRINTED_NUMBER.sub(lambda m: f"\ue000{_printed_value(m)}\ue000", text.casefold()).split())


def grade_code_output(question: CodeOutput, given: str) -> Grade:
    """'What does this print?': an option letter, or the printed output itself (padding aside)."""
    option = _letter(given, question.options)
    if option is None:
        typed = printed_form(given)
        option = next(
            (
                o
                for o in question.options
                if typed in {printed_form(_option_text(o, lang)) for lang in ("en", "hi")}
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
    raise InvalidRequest("quiz.not_true_false")


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
        raise InvalidRequest("quiz.not_a_number")
    return value / 100 if percent else value


def _parse_plain(text: str) -> float | None:
    if _NUMBER.fullmatch(text):
        value = float(text)
    else:
        match = _FRACTION.fullmatch(text)
        if match is None or int(match.group(4)) == 0:
            return None
        sign, whole, numerator, denominator = match.groups()
        exact = int(whole or 0) + Fraction(int(numerator), int(denominator))
        try:
            value = float(-exact if sign == "-" else exact)
        except OverflowError:  # 999…9/1: too large for a float, so no answer anyone meant
            return None
    # "1e999" is as infinite as "inf", which the number pattern already refuses.
    return value if math.isfinite(value) else None


def grade_numeric(question: Numeric, given: str) -> Grade:
    """A number within the question's tolerance."""
    value = parse_number(given)
    return Grade(abs(value - question.answer) <= question.tolerance * (1 + 1e-9))


Words = tuple[str, ...]


def _phrases(text: str) -> tuple[Words, ...]:
    """Comma-separated phrases, normalized into words, longest first (so "hota hai" beats "hai")."""
    found = {tuple(normalize(p).split()) for p in text.split(",")}
    return tuple(sorted(found, key=len, reverse=True))


# Words that frame a free-text answer without changing it (module docstring, step 2).
_LEADING = _phrases(", ".join(vocabulary.LEADING))
_TRAILING = _phrases(", ".join(vocabulary.TRAILING))
# Category nouns, one group per category (module docstring).
_HEAD_GROUPS = tuple(_phrases(", ".join(group)) for group in vocabulary.HEAD_GROUPS)
HEAD_NOUNS = tuple(sorted({h for group in _HEAD_GROUPS for h in group}, key=len, reverse=True))


def _peel(words: Words, phrases: tuple[Words, ...], *, leading: bool) -> Words:
    """Drop `phrases` from one end of `words` while at least one word remains."""
    peeled = True
    while peeled:
        peeled = False
        for phrase in phrases:
            n = len(phrase)
            end = words[:n] if leading else words[len(words) - n :]
            if len(words) > n and end == phrase:
                words = words[n:] if leading else words[: len(words) - n]
                peeled = True
                break
    return words


def answer_words(text: str) -> Words:
    """The words of a free-text answer that carry its meaning (module docstring, steps 1-2)."""
    words = tuple(normalize(text).split())
    previous: Words = ()
    while words != previous:  # "the bias hai": each side may uncover the other
        previous = words
        words = _peel(_peel(words, _LEADING, leading=True), _TRAILING, leading=False)
    return words


def _head(words: Words, heads: tuple[Words, ...]) -> int:
    """How many trailing words of `words` are a category noun (0 if none; never the whole answer)."""
    return next((len(h) for h in heads if len(words) > len(h) and words[len(words) - len(h) :] == h), 0)


def _letters(text: str) -> int:
    # A Devanagari vowel sign or virama belongs to the letter before it, so it does not lengthen a word.
    return sum(1 for char in text if unicodedata.category(char)[0] != "M")


def typo_allowance(letters: int) -> int:
    """Edits forgiven in an answer of this many letters: 0 up to 3, 1 up to 7, 2 from 8."""
    return 0 if letters <= 3 else 1 if letters <= 7 else 2


def _close(typed: Words, wanted: Words) -> bool:
    """Whole answers equal up to spaces and a small typo (module docstring, step 3)."""
    a, b = "".join(typed), "".join(wanted)
    if not a or not b:
        return False  # nothing left after normalizing ("?!") answers nothing
    if a == b:
        return True
    if a[0] != b[0] or re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    allowance = typo_allowance(min(_letters(a), _letters(b)))
    return OSA.distance(a, b, score_cutoff=allowance) <= allowance


def free_text_matches(given: str, accepted: str, heads: tuple[Words, ...] = HEAD_NOUNS) -> bool:
    """Whole-answer match after normalizing; a small typo or a category noun passes, a part never does."""
    typed, wanted = answer_words(given), answer_words(accepted)
    if _close(typed, wanted):
        return True
    typed_head, wanted_head = _head(typed, heads), _head(wanted, HEAD_NOUNS)
    if typed_head and not wanted_head:  # "bias term" for "bias"
        return _close(typed[:-typed_head], wanted)
    if wanted_head and not typed_head:  # "hidden" for "hidden layer"
        return _close(typed, wanted[:-wanted_head])
    return False


def question_heads(question: FreeText) -> tuple[Words, ...]:
    """The category nouns a question allows: the groups its accepted answers use, else all of them."""
    used: set[Words] = set()
    for accepted in question.accept:
        words = answer_words(accepted)
        if n := _head(words, HEAD_NOUNS):
            used.update(next(g for g in _HEAD_GROUPS if words[-n:] in g))
    return tuple(sorted(used, key=len, reverse=True)) or HEAD_NOUNS


def _glossed_parts(given: str) -> list[str]:
    """The names in "soma (cell body)" or "cell body / soma"; fewer than two parts means no gloss."""
    parts = [part for part in re.split(r"[()/]", given) if normalize(part)]
    return parts if len(parts) >= 2 else []


def grade_free_text(question: FreeText, given: str) -> Grade:
    """Short typed answer, against every accepted spelling (a name with its gloss: both parts)."""
    heads = question_heads(question)

    def accepted(typed: str) -> bool:
        return any(free_text_matches(typed, answer, heads) for answer in question.accept)

    if accepted(given):
        return Grade(True)
    parts = _glossed_parts(given)
    return Grade(bool(parts) and all(accepted(part) for part in parts))


def grade(question: Question, given: str) -> Grade:
    """Grade `given` for any question kind; InvalidRequest when it is not an answer at all."""
    if not given or not given.strip():
        raise InvalidRequest("quiz.empty_answer")
    if len(given) > MAX_ANSWER_LENGTH:
        raise InvalidRequest("quiz.answer_too_long", limit=MAX_ANSWER_LENGTH)
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
        word = tr("quiz.true") if question.answer else tr("quiz.false")
        return word.pick(lang, one_line=True) + (f" ({word.en})" if lang in ("hi", "both") else "")
    if isinstance(question, Numeric):
        return f"{question.answer:g} (± {question.tolerance:g})"
    return question.accept[0]
