"""`route(text) -> Intent`: rules over normalized tokens, forgiving of typos (rapidfuzz), never raising.

With a catalog (`Tutor.route` passes one) a bare word or two becomes a glossary look-up only when the
glossary or a lesson knows it; without one, only a question about a term ("X kya hai") does. Comparison
and why-questions ("relu vs sigmoid", "why does my loss go up") need the catalog's concepts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Protocol

from rapidfuzz.distance import OSA

from bot.chat import words as w
from bot.chat.intent import Intent
from bot.errors import TutorError
from bot.training.parse import parse_request
from bot.training.parse_words import DEVANAGARI
from bot.training.spec import DATASETS as SPEC_DATASETS

_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")
# Latin words, numbers (with a decimal part), and Devanagari runs including their vowel signs
_TOKEN = re.compile(r"[a-z0-9_']+(?:\.[0-9]+)?|[\u0900-\u0963\u0966-\u097f]+")
_NUKTA = "\u093c"
MAX_TEXT = 2000  # longer input is cut: the router reads intent, not essays
_MAX_TEXT = MAX_TEXT
_Maker = Callable[..., Intent]
# "and"/"or" are datasets to the parser (logic gates) but ordinary words in a sentence
_DATASET_NAMES = (w.DATASETS | frozenset(SPEC_DATASETS)) - {"and", "or"}


class Lookup(Protocol):
    """What the router asks of the content (bot.content.catalog.Catalog has both)."""

    def find_term(self, text: str) -> object | None: ...

    def find_lesson(self, text: str) -> object | None: ...

    def find_concept(self, text: str, kind: str) -> Named | None: ...


class Named(Protocol):
    """A content item the router names by its id (a concept)."""

    @property
    def id(self) -> str: ...


def clean(text: str) -> str:
    """Text with Discord mentions removed and whitespace collapsed (kept for the training parser)."""
    text = _MENTION.sub(" ", str(text)[:_MAX_TEXT])
    return " ".join(text.split())


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower().replace(_NUKTA, "")
    return " ".join(_TOKEN.findall(text))


def _close(token: str, word: str) -> bool:
    """Whether `token` is `word` or a likely typo of it (Latin words only; Devanagari must match)."""
    if token == word:
        return True
    if not token.isascii() or not word.isascii() or token.isdigit():
        return False
    if len(word) <= 3:
        return False
    if len(word) == 4:  # only a swapped pair: 'qiuz' is quiz, 'quit' is not
        return sorted(token) == sorted(word) and OSA.distance(token, word) == 1
    allowed = 1 if len(word) < 8 else 2
    return abs(len(token) - len(word)) <= allowed and OSA.distance(token, word) <= allowed


def _known_words() -> frozenset[str]:
    words: set[str] = set()
    for value in vars(w).values():
        if isinstance(value, frozenset | dict):
            words.update(_normalize(str(word)) for word in value)
    return frozenset(words)


# a word the router knows exactly is never read as a typo of another ('saal', a year, is not 'sawal')
_KNOWN_WORDS = _known_words()


def _find(tokens: list[str], vocabulary: Iterable[str]) -> int | None:
    """Index of the first token that matches a word of `vocabulary` (exact first, then fuzzy)."""
    vocab = [_normalize(v) for v in vocabulary]
    for index, token in enumerate(tokens):
        if token in vocab:
            return index
    for index, token in enumerate(tokens):
        if token not in _KNOWN_WORDS and any(_close(token, word) for word in vocab):
            return index
    return None


def _lookup(tokens: list[str], table: dict[str, str]) -> str | None:
    index = _find(tokens, table)
    if index is None:
        return None
    token = tokens[index]
    for key, value in table.items():
        if _close(token, _normalize(key)):
            return value
    return None


def _rest(tokens: list[str], *drop: Iterable[str]) -> list[str]:
    """Tokens that are neither filler nor (close to) a word of the `drop` vocabularies."""
    dropped = [_normalize(d) for vocab in drop for d in vocab]
    return [t for t in tokens if t not in w.FILLER and not any(_close(t, d) for d in dropped) and t != "'s"]


def _number(tokens: list[str]) -> int | None:
    for token in tokens:
        if token.isdigit() and 0 < int(token) <= 100:
            return int(token)
    return None


def _strip_affixes(text: str, prefixes: Iterable[str], suffixes: Iterable[str]) -> str | None:
    """The part of `text` between a known prefix or before a known suffix, or None."""
    for prefix in sorted(prefixes, key=len, reverse=True):
        if text.startswith(prefix + " "):
            return text[len(prefix) + 1 :]
    for suffix in sorted(suffixes, key=len, reverse=True):
        if text.endswith(" " + suffix):
            return text[: -len(suffix) - 1]
    return None


def _without_language(tokens: list[str]) -> list[str]:
    """Tokens without a language request ("in hindi", "hindi mein", "हिंदी में") around the question."""
    names = {_normalize(k) for k in w.LANGUAGES if len(k) > 2}
    out: list[str] = []
    skip_next = False
    for index, token in enumerate(tokens):
        if skip_next:
            skip_next = False
            continue
        if token in names:
            if out and out[-1] == "in":
                out.pop()
            following = tokens[index + 1] if index + 1 < len(tokens) else ""
            skip_next = following in w.LANGUAGE_PARTICLES
            continue
        out.append(token)
    return out or tokens


def _term(text: str) -> str:
    tokens = [t for t in text.split() if t not in w.ARTICLES]
    return " ".join(tokens)


def _trim_filler(tokens: list[str]) -> list[str]:
    """`tokens` without filler words at either end ("me on loss functions" -> "loss functions")."""
    start, end = 0, len(tokens)
    while start < end and tokens[start] in w.FILLER:
        start += 1
    while end > start and tokens[end - 1] in w.FILLER - w.NAME_PARTS:
        end -= 1
    return tokens[start:end]


def _is_thanks(tokens: list[str]) -> bool:
    if not any(t in w.THANKS for t in tokens):
        return False
    return all(t in w.THANKS or t in w.THANKS_EXTRA or t in w.FILLER for t in tokens)


def _is_training(raw: str, tokens: list[str]) -> bool:
    """A dataset named next to a model, activation, optimizer or setting, in words the parser accepts."""
    names = {DEVANAGARI.get(t, t) for t in tokens}
    if not names & _DATASET_NAMES:
        return False
    if not names & (w.TRAINABLE | w.OPTIMIZERS):
        return False
    try:
        parse_request(raw)
    except TutorError:
        return False
    return True


def _concept(raw: str, tokens: list[str], catalog: Lookup | None) -> str | None:
    """The id of the concept a comparison or why-question asks about, or None.

    A why-question may also be a comparison ("why is relu better than sigmoid"). A comparison that
    names a dataset is an optimizer race ("xor pe sgd vs adam"), and one that asks for a quiz is a quiz.
    """
    if catalog is None or _find(tokens, w.QUIZ_REQUEST) is not None:
        return None  # "quiz me on sigmoid vs tanh" asks for a quiz
    kinds: list[str] = []
    if _find(tokens, w.CONCEPT_WHY) is not None:
        kinds += ["why", "compare"]
    named = {DEVANAGARI.get(t, t) for t in tokens}
    if _find(tokens, w.CONCEPT_COMPARE) is not None and not named & _DATASET_NAMES:
        kinds.append("compare")
    for kind in dict.fromkeys(kinds):
        found = catalog.find_concept(raw, kind)
        if found is not None:
            return found.id
    return None


def route(text: str, catalog: Lookup | None = None) -> Intent:
    """Route a learner's free text to an intent; any input gives an Intent, never an exception."""
    raw = clean(text)
    norm = _normalize(raw)
    tokens = norm.split()
    if not tokens:
        return Intent("help" if not raw else "unknown", raw=raw)
    lang = _lookup(tokens, w.LANGUAGES)

    def make(kind: str, **fields: object) -> Intent:
        return Intent(kind, raw=raw, lang=fields.pop("lang", lang), **fields)  # type: ignore[arg-type]

    if _find(tokens, w.HELP) is not None and not _rest(tokens, w.HELP):
        return make("help", lang=None if tokens == ["hi"] else lang)  # "hi" alone is a greeting
    if _is_thanks(tokens):
        return make("thanks")
    if lang is not None and not _rest(tokens, w.LANGUAGES, w.LANGUAGE_WORDS):
        return make("language")
    concept = _concept(raw, tokens, catalog)
    if concept is not None:
        return make("concept", term=concept)
    if _find(tokens, w.COMPARE) is not None:
        return make("compare")
    if _find(tokens, w.TRAIN) is not None:
        return make("train")
    if _find(tokens, w.QUIZ) is not None:
        # the whole topic ("loss functions"): cutting it to one word can lose the lesson it names
        number = str(_number(tokens) or "")
        kept = [t for t in _without_language(tokens) if t != number]
        topic = " ".join(_trim_filler([t for t in kept if not any(_close(t, q) for q in w.QUIZ)]))
        return make("quiz", topic=topic or None, count=_number(tokens))
    if _find(tokens, w.REVIEW) is not None:
        return make("review")
    if _find(tokens, w.LEADERBOARD) is not None:
        return make("leaderboard", period=_lookup(tokens, w.PERIODS))
    if _find(tokens, w.PROGRESS) is not None:
        return make("progress")
    if _is_training(raw, tokens):
        return make("train")
    shown = _find(tokens, w.SHOW) is not None
    if shown and _find(tokens, w.BACKPROP) is not None:
        return make("backprop")
    activation = _lookup(tokens, w.ACTIVATIONS)
    if activation and (shown or _find(tokens, w.ACTIVATION_WORDS) is not None):
        return make("activation", term=activation)
    if shown and _find(tokens, w.ACTIVATION_WORDS) is not None:
        return make("activation")
    core = _without_language(tokens)
    defined = _strip_affixes(" ".join(core), w.DEFINE_PREFIXES, w.DEFINE_SUFFIXES)
    if defined:
        return make("glossary", term=_term(defined))
    return _route_lesson(core, " ".join(core), make, catalog)


def _route_lesson(tokens: list[str], norm: str, make: _Maker, catalog: Lookup | None) -> Intent:
    """Lessons and page moves; then bare topics as glossary look-ups; then dataset + optimizer as training."""
    about = _strip_affixes(norm, (), w.ABOUT_SUFFIXES)
    if about:
        return make("lesson", topic=_term(about))
    if _find(tokens, w.LESSON) is not None or _find(tokens, w.TEACH) is not None:
        topic = " ".join(_rest(tokens, w.LESSON, w.TEACH, w.LANGUAGES))
        return make("lesson", topic=topic or None, count=_number(tokens))
    if len(tokens) <= 2 and _find(tokens, w.NEXT) is not None:
        return make("lesson", nav="next")
    if len(tokens) <= 2 and _find(tokens, w.PREV) is not None:
        return make("lesson", nav="prev")
    if _find(tokens, w.DATASETS) is not None and _find(tokens, w.OPTIMIZERS) is not None:
        return make("train")
    if _find(tokens, w.BACKPROP) is not None and len(tokens) <= 3:
        return make("glossary", term="backprop")
    rest = _rest(tokens, w.LANGUAGES)
    if catalog is not None and 0 < len(rest) <= 3 and not any(t.isdigit() for t in rest):
        words = " ".join(rest)
        if catalog.find_term(words) is not None:
            return make("glossary", term=words)
        if catalog.find_lesson(words) is not None:
            return make("lesson", topic=words)
    return make("unknown")
