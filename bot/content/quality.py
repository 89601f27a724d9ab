"""Measures of a quiz as a whole: repeated questions, how many options, where the right letter sits.

A teacher reads these in `python -m bot content check`; the tests hold the bundled quizzes to them.
Two questions ask the same thing when their prompts (with their code) read the same once case,
spacing and punctuation are ignored, when two numeric questions have the same formula, or when
they have the same answer and the same numbers: the numbers of one are all among the other's,
and either the smaller set has three numbers or more, or the larger has at most two ("w = 0.5,
η = 0.1, ∂L/∂w = 2: new w?" asked twice; "σ′(0)" asked as a number and as autograd code).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from bot.content.schema import AnyQuestion, CodeOutput, MultipleChoice, Numeric
from bot.i18n import Bilingual

# A number standing on its own ("0.5", "−0.25", "3"), not the digit of a name such as W1 or q01.
_NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?![\w])")
# "(4 decimals)" in a prompt says how to answer, not what is asked
_PRECISION = re.compile(r"\(\s*\d+\s*decimals?\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class ChoiceBalance:
    """Choice questions (mcq and code_output): how many, how many with four options, the right letters."""

    questions: int
    with_four_options: int
    letters: dict[str, int]

    @property
    def four_option_share(self) -> float:
        """The fraction of choice questions that offer four options."""
        return self.with_four_options / self.questions if self.questions else 1.0

    @property
    def largest_letter_share(self) -> float:
        """The fraction of choice questions whose answer is the most common letter."""
        return max(self.letters.values(), default=0) / self.questions if self.questions else 0.0


def choice_balance(questions: Iterable[AnyQuestion]) -> ChoiceBalance:
    """How the choice questions among `questions` are built."""
    choice = [q for q in questions if isinstance(q, MultipleChoice | CodeOutput)]
    letters = Counter(q.answer for q in choice)
    return ChoiceBalance(
        questions=len(choice),
        with_four_options=sum(1 for q in choice if len(q.options) == 4),
        letters={letter: letters.get(letter, 0) for letter in "abcd"},
    )


def _words(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def _numbers(text: str) -> frozenset[float]:
    return frozenset(float(n.replace("−", "-")) for n in _NUMBER.findall(_PRECISION.sub(" ", text)))


def _asked(question: AnyQuestion) -> str:
    code = question.code if isinstance(question, CodeOutput) else ""
    return f"{question.prompt.en}\n{code}"


def _answer(question: AnyQuestion) -> object:
    """What counts as the same answer: a numeric value, or the numbers of a printed output."""
    if isinstance(question, Numeric):
        return round(question.answer, 6)
    if isinstance(question, CodeOutput):
        right = next(o for o in question.options if o.id == question.answer)
        text = right.text.en if isinstance(right.text, Bilingual) else right.text
        found = [float(n.replace("−", "-")) for n in _NUMBER.findall(text)]
        if len(found) == 1:
            return round(found[0], 6)  # "tensor(0.2500)" answers what the number 0.25 answers
        return tuple(found) if found else _words(text)
    return None


def _same_numbers(a: frozenset[float], b: frozenset[float]) -> bool:
    small, large = sorted((a, b), key=len)
    return bool(small) and small <= large and (len(small) >= 3 or len(large) <= 2)


def _formula(question: AnyQuestion) -> str | None:
    return "".join(question.formula.split()) if isinstance(question, Numeric) else None


def duplicates(questions: Sequence[AnyQuestion]) -> list[tuple[str, str]]:
    """Pairs of question ids that ask the same thing (module docstring)."""
    pairs = []
    for a, b in combinations(questions, 2):
        same_prompt = _words(_asked(a)) == _words(_asked(b))
        same_formula = _formula(a) is not None and _formula(a) == _formula(b)
        answer = _answer(a)
        same_sum = (
            answer is not None
            and answer == _answer(b)
            and _same_numbers(_numbers(_asked(a)), _numbers(_asked(b)))
        )
        if same_prompt or same_formula or same_sum:
            pairs.append((a.id, b.id))
    return pairs
