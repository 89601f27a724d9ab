"""The shape of every content file (lessons, quizzes, glossary, concepts), checked with pydantic.

Each learner-facing text is a `Text`: the one bilingual type (`bot.i18n.Bilingual`), checked here to
have both languages, Hindi in Devanagari with technical terms kept in English. Language-neutral values
(numbers, printed program output, formulas) are plain strings.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.i18n import Bilingual

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Id = Annotated[str, Field(pattern=ID_PATTERN, max_length=64)]


class ContentValueError(ValueError):
    """A validation failure that knows where, below the object being checked, it lies.

    The loader appends `loc` to pydantic's location so `file:line` points at the offending key.
    """

    def __init__(self, message: str, loc: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.loc = loc


class Strict(BaseModel):
    """Base for content models: unknown keys are an error (a typo must not vanish silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _content_text(text: Bilingual) -> Bilingual:
    """Both languages written, and the Hindi in Devanagari."""
    for lang in ("en", "hi"):
        if not getattr(text, lang):
            raise ContentValueError("String should have at least 1 character", (lang,))
    if not DEVANAGARI.search(text.hi):
        raise ContentValueError("Hindi text must be written in Devanagari", ("hi",))
    return text


# One learner-facing text in both languages (an `en:` and a `hi:` key, nothing else).
Text = Annotated[Bilingual, AfterValidator(_content_text)]


class Formula(Strict):
    """A formula written in Unicode so it reads well in a Discord message (no raw LaTeX)."""

    name: str = Field(min_length=1, description="Short English name, e.g. 'sigmoid'")
    text: str = Field(min_length=1, description="e.g. 'σ(z) = 1 / (1 + e⁻ᶻ)'")
    where: Text | None = Field(default=None, description="What each symbol means")


class CodeSample(Strict):
    """A runnable Python sample and exactly what it prints (the tests run it and compare)."""

    source: str = Field(min_length=1)
    output: str = Field(description="Exact stdout, without the trailing newline")
    explain: Text | None = None


class Table(Strict):
    """A small table (the notes' comparison tables); rendered as aligned text in a code block."""

    headers: list[Text] = Field(min_length=2)
    rows: list[list[Text | str]] = Field(min_length=1)

    @model_validator(mode="after")
    def rows_match_headers(self) -> Table:
        for index, row in enumerate(self.rows):
            if len(row) != len(self.headers):
                raise ContentValueError(
                    f"row {index + 1} has {len(row)} cells, headers have {len(self.headers)}", ("rows", index)
                )
        return self


class Section(Strict):
    """One page of a lesson: short enough for one Discord embed."""

    id: Id
    title: Text
    body: Text
    formulas: list[Formula] = Field(default_factory=list)
    table: Table | None = None
    code: CodeSample | None = None
    figure: str | None = Field(default=None, description="Name of a teaching figure drawn by bot/training")

    @field_validator("body")
    @classmethod
    def fits_an_embed(cls, value: Text) -> Text:
        for lang in ("en", "hi"):
            if len(getattr(value, lang)) > 1800:
                raise ContentValueError(
                    f"{lang} body is longer than 1800 characters: split the section", (lang,)
                )
        return value


class PracticeQuestion(Strict):
    """One of the notes' practice questions, with a model answer."""

    id: Id
    question: Text
    answer: Text


class Lesson(Strict):
    """A lesson of the course, in teaching order."""

    id: Id
    order: int = Field(ge=1)
    title: Text
    aliases: list[str] = Field(default_factory=list, description="How a learner may name the topic")
    objectives: list[Text] = Field(min_length=1)
    sections: list[Section] = Field(min_length=1)
    summary: list[Text] = Field(min_length=1)
    practice: list[PracticeQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_ids(self) -> Lesson:
        _require_unique([s.id for s in self.sections], "section", "sections")
        _require_unique([p.id for p in self.practice], "practice question", "practice")
        return self


Difficulty = Literal["easy", "medium", "hard"]


class Option(Strict):
    """A multiple-choice option. Wrong options say why they are wrong."""

    id: Annotated[str, Field(pattern=r"^[a-d]$")]
    text: Text | str
    why_wrong: Text | None = None


class _QuestionBase(Strict):
    id: Id
    section: Id = Field(description="The id of the section of the bank's lesson that teaches the answer")
    difficulty: Difficulty
    prompt: Text
    explanation: Text = Field(description="Shown after any answer: why the right answer is right")


class MultipleChoice(_QuestionBase):
    kind: Literal["mcq"]
    options: list[Option] = Field(min_length=2, max_length=4)
    answer: str = Field(description="The id of the correct option")

    @model_validator(mode="after")
    def answer_is_an_option(self) -> MultipleChoice:
        _check_options(self.options, self.answer)
        return self


class CodeOutput(_QuestionBase):
    """'What does this print?': the correct option's text is exactly what `code` prints."""

    kind: Literal["code_output"]
    code: str = Field(min_length=1)
    options: list[Option] = Field(min_length=2, max_length=4)
    answer: str

    @model_validator(mode="after")
    def answer_is_an_option(self) -> CodeOutput:
        _check_options(self.options, self.answer)
        return self


class TrueFalse(_QuestionBase):
    kind: Literal["true_false"]
    answer: bool


class Numeric(_QuestionBase):
    """A number with a tolerance; `formula` recomputes the answer (a safe arithmetic expression)."""

    kind: Literal["numeric"]
    answer: float
    tolerance: float = Field(gt=0)
    formula: str = Field(min_length=1, description="e.g. 'bce(0.9, 1)' or 'relu(-3)'")


class FreeText(_QuestionBase):
    """A short typed answer, matched forgivingly (case, spaces, small typos) against `accept`.

    With `term`, the loader adds every name of that glossary term (its headwords and aliases, see
    `GlossaryTerm.answer_names`) before the question's own `accept` entries, so a spelling the glossary
    knows is never marked wrong; `accept` then holds only what the glossary does not say (η, "lr").
    """

    kind: Literal["free_text"]
    term: Id | None = Field(default=None, description="Glossary term id whose names are right answers")
    accept: list[str] = Field(
        default_factory=list, description="Accepted answers: English, Devanagari, romanized"
    )

    @model_validator(mode="after")
    def has_an_answer(self) -> FreeText:
        if not self.accept and self.term is None:
            raise ContentValueError("a free_text question needs `accept` answers or a glossary `term`", ())
        return self


AnyQuestion = MultipleChoice | CodeOutput | TrueFalse | Numeric | FreeText
Question = Annotated[AnyQuestion, Field(discriminator="kind")]


class QuizBank(Strict):
    """All quiz questions of one lesson."""

    lesson: Id
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_ids(self) -> QuizBank:
        _require_unique([q.id for q in self.questions], "question", "questions")
        return self


class GlossaryTerm(Strict):
    """One term: its headword in both languages, a definition, the ways a learner may type it."""

    id: Id
    term: Text
    definition: Text
    aliases: list[str] = Field(min_length=1, description="English, Devanagari and romanized spellings")
    lesson: Id | None = Field(default=None, description="The lesson that teaches the term")

    def answer_names(self) -> list[str]:
        """Every name of the term that answers "what is this called?", headwords first.

        Headwords are split at parentheses and at a spaced slash ("Cell body (soma)" gives Cell body
        and soma; "Train/test split" stays whole). A one-character alias is a symbol for looking the
        term up (w, b, σ), not a name.
        """
        names: list[str] = []
        for headword in (self.term.en, self.term.hi):
            names += [part.strip() for part in re.split(r"[()]| / ", headword)]
        names += [alias for alias in self.aliases if len(alias.strip()) > 1]
        return list(dict.fromkeys(name for name in names if name))


class Glossary(Strict):
    terms: list[GlossaryTerm] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_ids(self) -> Glossary:
        _require_unique([t.id for t in self.terms], "glossary term", "terms")
        return self


ConceptKind = Literal["compare", "why"]


class Concept(Strict):
    """A comparison ("relu vs sigmoid") or a why-question ("why does my loss go up"), answered from the
    course, with the lesson section that teaches it.

    A learner's question asks for it when it carries a cue of its `kind` (difference, vs, फ़र्क़ …;
    why, kyon, क्यों …) and names one word of every group in `words` (words are matched whole, after
    the lookup normalisation: case, nukta).
    """

    id: Id
    kind: ConceptKind
    words: list[list[Annotated[str, Field(min_length=1)]]] = Field(
        min_length=1, description="Groups of words; the question names one word of every group"
    )
    title: Text
    answer: Text
    lesson: Id = Field(description="The lesson that teaches it")
    section: Id = Field(description="The section of that lesson to read next")

    @field_validator("words")
    @classmethod
    def groups_not_empty(cls, value: list[list[str]]) -> list[list[str]]:
        for index, group in enumerate(value):
            if not group:
                raise ContentValueError("a word group needs at least one word", (index,))
        return value

    @field_validator("answer")
    @classmethod
    def fits_an_embed(cls, value: Text) -> Text:
        for lang in ("en", "hi"):
            if len(getattr(value, lang)) > 1800:
                raise ContentValueError(f"{lang} answer is longer than 1800 characters", (lang,))
        return value


class Concepts(Strict):
    concepts: list[Concept] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_ids(self) -> Concepts:
        _require_unique([c.id for c in self.concepts], "concept", "concepts")
        return self


def _require_unique(ids: list[str], what: str, field: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise ContentValueError(f"duplicate {what} id {item!r}", (field, index, "id"))
        seen.add(item)


def _check_options(options: list[Option], answer: str) -> None:
    ids = [o.id for o in options]
    _require_unique(ids, "option", "options")
    if answer not in ids:
        raise ContentValueError(f"answer {answer!r} is not among the options {ids}", ("answer",))
    for index, option in enumerate(options):
        if option.id != answer and option.why_wrong is None:
            raise ContentValueError(f"option {option.id!r} is wrong but has no why_wrong", ("options", index))
