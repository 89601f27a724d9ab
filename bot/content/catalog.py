"""The validated course: lessons in teaching order, quiz banks, the glossary, and forgiving lookup.

Lookup normalises what a learner types (case, spacing, punctuation, the nukta in वज़न/वजन) and
allows a few typos, measured as an edit distance that counts a swap of two letters as one edit.
The allowance grows with the length of the word, so short words must match exactly ("air" never
matches "chair") while "backprpagation" still finds backpropagation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Generic, TypeVar

from rapidfuzz.distance import OSA

from bot.content.lookup_words import DEVANAGARI_DIGITS, LESSON_NUMBER, PREFIXES, SUFFIXES
from bot.content.schema import AnyQuestion, Concept, Glossary, GlossaryTerm, Lesson, QuizBank
from bot.errors import NotFound
from bot.i18n import tr

T = TypeVar("T")
NUKTA = "\u093c"


def normalize(text: str) -> str:
    """Lower case, NFC, no nukta, punctuation and `_`/`-` as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.casefold()).replace(NUKTA, "")
    composed = unicodedata.normalize("NFC", decomposed).translate(DEVANAGARI_DIGITS)
    # keep letters, digits and Devanagari signs (categories M*); everything else separates words
    kept = "".join(ch if ch.isalnum() or unicodedata.category(ch)[0] == "M" else " " for ch in composed)
    return " ".join(kept.split())


def _strip_wrappers(query: str) -> str:
    """`query` without the question words around a name, applied until nothing changes."""
    changed = True
    while changed:
        changed = False
        for prefix in PREFIXES:
            if query.startswith(prefix + " "):
                query, changed = query[len(prefix) + 1 :], True
        for suffix in SUFFIXES:
            if query.endswith(" " + suffix):
                query, changed = query[: -len(suffix) - 1], True
    return query


def _allowed_edits(length: int) -> int:
    """Typos forgiven for a word of `length` letters: none for short words, more for long ones."""
    if length < 4:
        return 0
    if length <= 6:
        return 1
    if length <= 11:
        return 2
    return 3


def _names(*texts: str) -> list[str]:
    """Each text normalised, plus its parts in and outside parentheses ("Bias (बायस)" → "bias", "बायस")."""
    out = []
    for text in texts:
        out.append(normalize(text))
        out.extend(normalize(part) for part in re.split(r"[()]", text))
    return [name for name in out if name]


class _Index(Generic[T]):
    """Normalised names → items, with exact, contained and typo-tolerant lookup."""

    def __init__(self) -> None:
        self.exact: dict[str, T] = {}
        self.entries: list[tuple[str, T]] = []

    def add(self, names: Iterable[str], item: T) -> None:
        for name in names:
            for key in {name, name.replace(" ", "")}:
                if key not in self.exact:
                    self.exact[key] = item
                    self.entries.append((key, item))

    def get(self, query: str) -> T | None:
        return self.exact.get(query) or self.exact.get(query.replace(" ", ""))

    def contained(self, query: str) -> T | None:
        """The item whose longest name appears in `query` as whole words (names of 4+ letters)."""
        padded = f" {query} "
        best: tuple[int, T] | None = None
        for key, item in self.entries:
            if len(key) >= 4 and f" {key} " in padded and (best is None or len(key) > best[0]):
                best = (len(key), item)
        return best[1] if best else None

    def fuzzy(self, query: str) -> T | None:
        """The item with the closest name within the typo allowance.

        The allowance follows the shorter of the two words, so a short name ("air") is never
        reached from a longer word ("hair", "chair") by edits.
        """
        compact = query.replace(" ", "")
        if _allowed_edits(len(compact)) == 0:
            return None
        best: tuple[int, T] | None = None
        for key, item in self.entries:
            name = key.replace(" ", "")
            limit = _allowed_edits(min(len(name), len(compact)))
            if limit == 0 or abs(len(name) - len(compact)) > limit:
                continue
            distance = OSA.distance(compact, name, score_cutoff=limit)
            if distance <= limit and (best is None or distance < best[0]):
                best = (distance, item)
        return best[1] if best else None


class Catalog:
    """The course content: lessons in teaching order, their quiz banks and the glossary."""

    def __init__(
        self,
        lessons: Sequence[Lesson],
        quizzes: Mapping[str, QuizBank],
        glossary: Glossary,
        concepts: Sequence[Concept] = (),
    ) -> None:
        self.lessons: tuple[Lesson, ...] = tuple(sorted(lessons, key=lambda lesson: lesson.order))
        self.glossary = glossary
        self.terms: tuple[GlossaryTerm, ...] = tuple(glossary.terms)
        self._lessons = {lesson.id: lesson for lesson in self.lessons}
        self._quizzes = dict(quizzes)
        self._questions: dict[str, AnyQuestion] = {}
        self._lesson_of: dict[str, str] = {}
        for lesson in self.lessons:
            bank = self._quizzes.get(lesson.id)
            for question in bank.questions if bank else []:
                self._questions[question.id] = question
                self._lesson_of[question.id] = lesson.id
        self._lesson_index: _Index[Lesson] = _Index()
        for lesson in self.lessons:
            self._lesson_index.add(
                _names(lesson.id, lesson.title.en, lesson.title.hi, *lesson.aliases), lesson
            )
        self._term_index: _Index[GlossaryTerm] = _Index()
        for term in self.terms:
            self._term_index.add(_names(term.id, term.term.en, term.term.hi, *term.aliases), term)
        self._terms_by_id = {term.id: term for term in self.terms}
        self.concepts: tuple[Concept, ...] = tuple(concepts)
        self._concept_words = {
            concept.id: [[normalize(word) for word in group] for group in concept.words]
            for concept in self.concepts
        }

    def __repr__(self) -> str:
        return (
            f"Catalog(lessons={len(self.lessons)}, questions={len(self._questions)}, terms={len(self.terms)})"
        )

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson with this id; raises NotFound."""
        try:
            return self._lessons[lesson_id]
        except KeyError:
            raise _not_found("lesson", lesson_id) from None

    def find_lesson(self, text: str) -> Lesson | None:
        """The lesson a learner means: "3", "lesson 3", an id, an alias or a title, typos allowed."""
        query = normalize(text)
        if not query:
            return None
        number = LESSON_NUMBER.match(query)
        if number:
            order = int(number.group(1))
            return next((lesson for lesson in self.lessons if lesson.order == order), None)
        index = self._lesson_index
        stripped = _strip_wrappers(query)
        return (
            index.get(query)
            or index.get(stripped)
            or index.contained(query)
            or index.fuzzy(stripped)
            or (self.find_lesson(stripped) if stripped != query and LESSON_NUMBER.match(stripped) else None)
        )

    def quiz(self, lesson_id: str) -> QuizBank:
        """The quiz bank of a lesson; raises NotFound."""
        try:
            return self._quizzes[lesson_id]
        except KeyError:
            raise _not_found("lesson", lesson_id) from None

    def question(self, qid: str) -> AnyQuestion:
        """The question with this id, from any quiz bank; raises NotFound."""
        try:
            return self._questions[qid]
        except KeyError:
            raise _not_found("question", qid) from None

    def lesson_of(self, qid: str) -> Lesson:
        """The lesson whose quiz bank holds question `qid`; raises NotFound."""
        try:
            return self._lessons[self._lesson_of[qid]]
        except KeyError:
            raise _not_found("question", qid) from None

    def all_questions(self) -> list[AnyQuestion]:
        """Every question, lesson by lesson in teaching order."""
        return list(self._questions.values())

    def term(self, term_id: str) -> GlossaryTerm:
        """The glossary term with this id; raises NotFound."""
        try:
            return self._terms_by_id[term_id]
        except KeyError:
            raise _not_found("term", term_id) from None

    def find_term(self, text: str) -> GlossaryTerm | None:
        """The glossary term a learner means (English, Devanagari or romanized; small typos allowed)."""
        query = normalize(text)
        if not query:
            return None
        index = self._term_index
        candidates = [query, _strip_wrappers(query)]
        candidates += [c[:-1] for c in candidates if len(c) > 3 and c.endswith("s")]  # plurals
        for candidate in candidates:
            if found := index.get(candidate):
                return found
        for candidate in candidates:
            if found := index.fuzzy(candidate):
                return found
        return None

    def search_terms(self, prefix: str, limit: int = 25) -> list[GlossaryTerm]:
        """Terms for autocomplete: names starting with `prefix` first, then names containing it."""
        query = normalize(prefix)
        if not query:
            return sorted(self.terms, key=lambda term: term.term.en.casefold())[:limit]
        starts: list[GlossaryTerm] = []
        contains: list[GlossaryTerm] = []
        for key, term in self._term_index.entries:
            if key.startswith(query) or key.startswith(query.replace(" ", "")):
                starts.append(term)
            elif query in key:
                contains.append(term)
        fallback = self.find_term(prefix)
        ordered = [*starts, *contains, *([fallback] if fallback else [])]
        unique = list(dict.fromkeys(term.id for term in ordered))
        return [self._terms_by_id[term_id] for term_id in unique][:limit]

    def concept(self, concept_id: str) -> Concept:
        """The concept with this id; raises NotFound."""
        found = next((c for c in self.concepts if c.id == concept_id), None)
        if found is None:
            raise _not_found("concept", concept_id)
        return found

    def find_concept(self, text: str, kind: str) -> Concept | None:
        """The concept of `kind` ('compare' or 'why') whose every word group `text` names, or None.

        When several match, the one with the most groups (the most specific question) wins, then the
        first in the file.
        """
        tokens = normalize(text).split()
        best: tuple[int, Concept] | None = None
        for concept in self.concepts:
            groups = self._concept_words[concept.id]
            if concept.kind != kind or not all(_names_one(tokens, group) for group in groups):
                continue
            if best is None or len(groups) > best[0]:
                best = (len(groups), concept)
        return best[1] if best else None


def _names_one(tokens: list[str], words: list[str]) -> bool:
    """Whether `tokens` contain one of `words` as whole words: exactly, as a plural, or (a Latin word of
    six letters or more) with one typo."""
    padded = f" {' '.join(tokens)} "
    for word in words:
        if f" {word} " in padded:
            return True
        if " " in word or not word.isascii():
            continue
        for token in tokens:
            if token == f"{word}s" or (len(word) >= 6 and OSA.distance(token, word, score_cutoff=1) <= 1):
                return True
    return False


def _not_found(what: str, name: str) -> NotFound:
    return NotFound(f"{what}_not_found", text=tr(f"error.no_such_{what}", name=name), name=name)
