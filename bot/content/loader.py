"""Read every YAML file under content/, validate it, and report each problem as `file:line: message`.

Each file is parsed once (`bot.safe_yaml.load`, the safe loader): the node tree, whose marks turn a
pydantic error location into a line number, and the data built from it. Before either,
a file is refused when it is too big, nested too deep or when its aliases expand to too many values
(`bot.safe_yaml.beyond_limits`).
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot import safe_yaml
from bot.config import get_settings
from bot.content.catalog import Catalog, normalize
from bot.content.figures import FIGURES
from bot.content.formula import FormulaError, evaluate
from bot.content.schema import (
    DEVANAGARI,
    Concepts,
    ContentValueError,
    FreeText,
    Glossary,
    GlossaryTerm,
    Lesson,
    Numeric,
    QuizBank,
)
from bot.errors import ContentError
from bot.paths import CONTENT_DIR
from bot.safe_yaml import beyond_limits

Loc = tuple[str | int, ...]
TEXT_TAG = "function-after[_content_text(), Bilingual]"  # how pydantic names `Text` in a union's location
STRING_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
MAX_FILE_BYTES = 1_000_000  # the largest lesson is ~60 kB
M = TypeVar("M", bound=BaseModel)


class ContentProblems(Exception):
    """The content has problems; `problems` lists each as a `ContentError` (`file:line: message`)."""

    def __init__(self, problems: list[ContentError]) -> None:
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in content:\n{lines}")
        self.problems = problems


@dataclass
class _Doc:
    """One parsed file: where it is, its node tree (for lines) and its data."""

    path: Path
    shown: str
    node: Node | None
    data: Any


class _Report:
    """Collects problems; knows how to turn a location inside a document into a line."""

    def __init__(self) -> None:
        self.problems: list[ContentError] = []

    def add(self, doc: _Doc, line: int, message: str) -> None:
        self.problems.append(ContentError(doc.shown, line, message))

    def at(self, doc: _Doc, loc: Loc, message: str) -> None:
        line, _ = _locate(doc.node, loc)
        self.add(doc, line, message)


def _shown(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else absolute."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(absolute)


def _locate(node: Node | None, loc: Loc) -> tuple[int, str]:
    """The 1-based line of `loc` in the node tree, and the location as text (`sections[0].body.hi`).

    A key that is present gives its own line; a missing key gives the line of its parent mapping.
    Names that are not keys (pydantic's union tags such as `mcq` or `Text`) are skipped.
    """
    if node is None:
        return 1, ".".join(str(p) for p in loc)
    line = node.start_mark.line + 1
    text = ""
    for item in loc:
        if isinstance(node, MappingNode) and isinstance(item, str):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == item:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    text = f"{text}.{item}" if text else item
                    break
            else:
                line = node.start_mark.line + 1
        elif isinstance(node, SequenceNode) and isinstance(item, int) and 0 <= item < len(node.value):
            node = node.value[item]
            line = node.start_mark.line + 1
            text = f"{text}[{item}]"
    return line, text


def _read(path: Path, report: _Report) -> _Doc | None:
    doc = _Doc(path, _shown(path), None, None)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        report.add(doc, 1, f"the file has {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}")
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        report.add(doc, 1, f"not UTF-8 text: {exc.reason}")
        return None
    try:
        if (too_big := beyond_limits(text)) is not None:
            report.add(doc, *too_big)
            return None
        doc.node, doc.data = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        report.add(doc, _yaml_error_line(exc), f"malformed YAML: {_yaml_error_text(exc)}")
        return None
    if doc.node is None:
        report.add(doc, 1, "the file is empty")
        return None
    _check_duplicate_keys(doc, doc.node, report)
    return doc


def _yaml_error_line(exc: yaml.YAMLError) -> int:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else 1


def _yaml_error_text(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        context = exc.context
        if context and exc.context_mark is not None and exc.context_mark.line != _yaml_error_line(exc) - 1:
            context = f"{context} (from line {exc.context_mark.line + 1})"  # where the broken part began
        return "; ".join(p for p in (context, exc.problem) if p) or str(exc)
    return str(exc)


def _check_duplicate_keys(doc: _Doc, node: Node, report: _Report) -> None:
    """safe_load silently keeps the last of two equal keys; a content file must not rely on that."""
    if isinstance(node, MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    report.add(
                        doc, line, f"duplicate key {key_node.value!r} (also on line {seen[key_node.value]})"
                    )
                seen.setdefault(key_node.value, line)
            _check_duplicate_keys(doc, value_node, report)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            _check_duplicate_keys(doc, item, report)


def _validate(doc: _Doc, model: type[M], report: _Report) -> M | None:
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for loc, message in _messages(exc):
            line, where = _locate(doc.node, loc)
            if message.startswith("unknown key"):
                _, where = _locate(doc.node, loc[:-1])  # the message names the key already
            report.add(doc, line, f"{where}: {message}" if where else message)
        return None


def _messages(exc: ValidationError) -> list[tuple[Loc, str]]:
    """Each pydantic error as (location, readable message), without the noise of `Text | str` unions."""
    errors = exc.errors()
    locs: list[Loc] = [tuple(e["loc"]) for e in errors]
    out: list[tuple[Loc, str]] = []
    for error, loc in zip(errors, locs, strict=True):
        kind = error["type"]
        if loc and loc[-1] == "str":
            # a `Text | str` value that failed both ways: the error under `Text` says what is wrong
            prefix = loc[:-1]
            if any(other[: len(prefix) + 1] == (*prefix, TEXT_TAG) for other in locs):
                continue
        if kind == "missing":
            message = f"missing key {loc[-1]!r}"
        elif kind in {"extra_forbidden", "unexpected_keyword_argument"}:
            message = f"unknown key {loc[-1]!r}"
        elif loc and loc[-1] == TEXT_TAG and kind in {"dataclass_type", "dict_type"}:
            message = "expected {en: ..., hi: ...} or a plain string"
        elif kind == "dataclass_type":
            message = "expected {en: ..., hi: ...}"
        else:
            message = str(error["msg"]).removeprefix("Value error, ")
            cause = (error.get("ctx") or {}).get("error")
            if isinstance(cause, ContentValueError):
                loc = (*loc, *cause.loc)
        out.append((loc, message))
    return out


def _files(content_dir: Path, report: _Report) -> dict[str, list[Path]]:
    """Content files by kind; a YAML file anywhere else is reported so nothing is silently ignored."""
    found: dict[str, list[Path]] = {
        "lessons": [],
        "quizzes": [],
        "glossary": [],
        "concepts": [],
        "strings": [],
    }
    for path in sorted(content_dir.rglob("*")):
        if path.suffix not in {".yaml", ".yml"} or not path.is_file():
            continue
        parts = path.relative_to(content_dir).parts
        if path.suffix == ".yaml" and len(parts) == 2 and parts[0] in {"lessons", "quizzes"}:
            found[parts[0]].append(path)
        elif parts == ("glossary.yaml",):
            found["glossary"].append(path)
        elif parts == ("concepts.yaml",):
            found["concepts"].append(path)
        elif path.suffix == ".yaml" and len(parts) == 2 and parts[0] == "strings":
            found["strings"].append(path)
        else:
            doc = _Doc(path, _shown(path), None, None)
            report.add(
                doc,
                1,
                "unexpected file: content is lessons/*.yaml, quizzes/*.yaml, glossary.yaml, "
                "concepts.yaml and strings/*.yaml",
            )
    return found


def _require(content_dir: Path, relative: str, report: _Report) -> None:
    path = content_dir / relative
    if not path.exists():
        report.add(_Doc(path, _shown(path), None, None), 1, "missing file")


@dataclass
class _Loaded:
    """Validated models with the documents they came from (for lines in cross-file checks)."""

    lessons: list[tuple[_Doc, Lesson]]
    banks: list[tuple[_Doc, QuizBank]]
    glossary: tuple[_Doc, Glossary] | None
    concepts: tuple[_Doc, Concepts] | None
    # ids that files declare even when they fail validation: one broken file must not make
    # every file that refers to it report a second, misleading problem
    lesson_ids: set[str]
    banked_ids: set[str]


def _load_all(content_dir: Path, report: _Report) -> _Loaded:
    files = _files(content_dir, report)
    _require(content_dir, "glossary.yaml", report)
    if not files["strings"]:
        _require(content_dir, "strings/common.yaml", report)
    if not files["lessons"]:
        _require(content_dir, "lessons/01_neuron.yaml", report)

    declared: dict[str, set[str]] = {"id": set(), "lesson": set(), "terms": set()}

    def load(paths: list[Path], model: type[M], key: str) -> list[tuple[_Doc, M]]:
        out = []
        for path in paths:
            doc = _read(path, report)
            if doc is None:
                # unreadable: the file name says which id it was meant to declare
                declared[key].add(path.stem.split("_", 1)[-1])
                continue
            if isinstance(doc.data, dict) and isinstance(doc.data.get(key), str):
                declared[key].add(doc.data[key])
            if (item := _validate(doc, model, report)) is not None:
                out.append((doc, item))
        return out

    glossaries = load(files["glossary"], Glossary, "terms")
    concepts = load(files["concepts"], Concepts, "concepts")
    strings = [doc for path in files["strings"] if (doc := _read(path, report)) is not None]
    _check_strings(strings, report)
    lessons = load(files["lessons"], Lesson, "id")
    banks = load(files["quizzes"], QuizBank, "lesson")
    return _Loaded(
        lessons,
        banks,
        next(iter(glossaries), None),
        next(iter(concepts), None),
        declared["id"],
        declared["lesson"],
    )


def _check_unique(
    items: list[tuple[_Doc, Any]],
    key: Callable[[Any], object],
    loc: Callable[[Any], Loc],
    what: str,
    report: _Report,
) -> None:
    """Report every item whose key was already used by an earlier one (in any file)."""
    first: dict[object, tuple[_Doc, Any]] = {}
    for doc, item in items:
        value = key(item)
        if value in first:
            other_doc, other = first[value]
            other_line, _ = _locate(other_doc.node, loc(other))
            report.at(doc, loc(item), f"duplicate {what} {value!r} (also at {other_doc.shown}:{other_line})")
        else:
            first[value] = (doc, item)


def _check_lessons(loaded: _Loaded, report: _Report) -> None:
    lessons = loaded.lessons
    _check_unique(lessons, lambda lesson: lesson.id, lambda _: ("id",), "lesson id", report)
    _check_unique(lessons, lambda lesson: lesson.order, lambda _: ("order",), "lesson order", report)
    for doc, lesson in lessons:
        expected = f"{lesson.order:02d}_{lesson.id}.yaml"
        if doc.path.name != expected:
            report.at(
                doc, ("id",), f"lesson file should be named {expected} (order {lesson.order}, id {lesson.id})"
            )
        if lesson.id not in loaded.banked_ids:
            report.at(doc, ("id",), f"lesson {lesson.id!r} has no quiz bank (quizzes/{lesson.id}.yaml)")
        for index, section in enumerate(lesson.sections):
            if section.figure is not None and section.figure not in FIGURES:
                known = ", ".join(sorted(FIGURES))
                report.at(
                    doc, ("sections", index, "figure"), f"unknown figure {section.figure!r} (known: {known})"
                )


def _check_banks(loaded: _Loaded, report: _Report, *, file_names: bool = True) -> None:
    lesson_ids = loaded.lesson_ids
    questions = [
        (doc, (index, question))
        for doc, bank in loaded.banks
        for index, question in enumerate(bank.questions)
    ]
    _check_unique(
        questions, lambda iq: iq[1].id, lambda iq: ("questions", iq[0], "id"), "question id", report
    )
    _check_unique(
        loaded.banks, lambda bank: bank.lesson, lambda _: ("lesson",), "quiz bank for lesson", report
    )
    sections: dict[str, list[str]] = {}
    for _, lesson in loaded.lessons:  # a duplicated lesson id is reported once; its first file counts
        sections.setdefault(lesson.id, [section.id for section in lesson.sections])
    terms = {term.id for term in loaded.glossary[1].terms} if loaded.glossary else None
    for doc, bank in loaded.banks:
        if bank.lesson not in lesson_ids:
            report.at(doc, ("lesson",), f"quiz bank for lesson {bank.lesson!r}, which does not exist")
        elif file_names and doc.path.name != f"{bank.lesson}.yaml":
            report.at(doc, ("lesson",), f"quiz file should be named {bank.lesson}.yaml")
        taught = sections.get(bank.lesson)  # None: the lesson file itself failed and says so
        for index, question in enumerate(bank.questions):
            loc: Loc = ("questions", index)
            if taught is not None and question.section not in taught:
                report.at(
                    doc,
                    (*loc, "section"),
                    f"question {question.id!r}: section {question.section!r} is not a section of lesson "
                    f"{bank.lesson!r} (sections: {', '.join(taught)})",
                )
            if isinstance(question, Numeric):
                _check_numeric(doc, loc, question, report)
            term = question.term if isinstance(question, FreeText) else None
            if term is not None and terms is not None and term not in terms:
                report.at(doc, (*loc, "term"), f"question {question.id!r}: no glossary term {term!r}")


def _check_numeric(doc: _Doc, loc: Loc, question: Numeric, report: _Report) -> None:
    """The recorded answer must equal its formula, recomputed by the safe evaluator."""
    try:
        value = evaluate(question.formula)
    except FormulaError as exc:
        report.at(doc, (*loc, "formula"), f"formula {question.formula!r}: {exc}")
        return
    if not math.isclose(value, question.answer, rel_tol=0.0, abs_tol=question.tolerance):
        report.at(
            doc,
            (*loc, "answer"),
            f"answer {question.answer} differs from {question.formula} = {value:.6g} "
            f"by more than the tolerance {question.tolerance}",
        )


def _check_glossary(loaded: _Loaded, report: _Report) -> None:
    if loaded.glossary is None:
        return
    doc, glossary = loaded.glossary
    lesson_ids = loaded.lesson_ids
    for index, term in enumerate(glossary.terms):
        if term.lesson is not None and term.lesson not in lesson_ids:
            report.at(
                doc, ("terms", index, "lesson"), f"glossary term {term.id!r}: no lesson {term.lesson!r}"
            )


def _check_concepts(loaded: _Loaded, report: _Report) -> None:
    """Each concept points to a lesson and one of its sections, and every word means something."""
    if loaded.concepts is None:
        return
    doc, concepts = loaded.concepts
    sections = {lesson.id: [section.id for section in lesson.sections] for _, lesson in loaded.lessons}
    for index, concept in enumerate(concepts.concepts):
        loc: Loc = ("concepts", index)
        if concept.lesson not in loaded.lesson_ids:
            report.at(doc, (*loc, "lesson"), f"concept {concept.id!r}: no lesson {concept.lesson!r}")
        elif (taught := sections.get(concept.lesson)) is not None and concept.section not in taught:
            report.at(
                doc,
                (*loc, "section"),
                f"concept {concept.id!r}: section {concept.section!r} is not a section of lesson "
                f"{concept.lesson!r} (sections: {', '.join(taught)})",
            )
        for group_index, group in enumerate(concept.words):
            for word_index, word in enumerate(group):
                if not normalize(word):
                    report.at(
                        doc,
                        (*loc, "words", group_index, word_index),
                        f"concept {concept.id!r}: word {word!r} is only punctuation",
                    )


def _placeholders(text: str) -> set[str]:
    """The {names} of a format string; raises ValueError when the braces are malformed."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _check_strings(docs: list[_Doc], report: _Report) -> None:
    """Each strings file maps a key to its `en:` and `hi:` texts, with the same {placeholders}."""
    for doc in docs:
        if not isinstance(doc.data, dict):
            report.add(doc, 1, "expected a mapping of key: {en: …, hi: …}")
            continue
        for key, value in doc.data.items():
            key_text = str(key)
            if not isinstance(key, str) or not STRING_KEY.match(f"{doc.path.stem}.{key_text}"):
                report.at(doc, (key,), f"key {key_text!r} should be lowercase words joined by _ or .")
            if not isinstance(value, dict) or set(value) != {"en", "hi"}:
                report.at(doc, (key,), f"{key_text}: expected exactly an en: and a hi: text")
                continue
            texts = {lang: value[lang] for lang in ("en", "hi")}
            wrong = [lang for lang, text in texts.items() if not isinstance(text, str)]
            if wrong:
                report.at(doc, (key, wrong[0]), f"{key_text}.{wrong[0]}: expected text")
                continue
            try:
                names = {lang: _placeholders(text) for lang, text in texts.items()}
            except ValueError as exc:
                report.at(doc, (key,), f"{key_text}: malformed placeholder: {exc}")
                continue
            if _needs_devanagari(texts["hi"]):
                report.at(doc, (key, "hi"), f"{key_text}: Hindi text must be written in Devanagari")
            if names["en"] != names["hi"]:
                report.at(
                    doc,
                    (key, "hi"),
                    f"{key_text}: placeholders {sorted(names['hi'])} differ from en's {sorted(names['en'])}",
                )


def _needs_devanagari(value: str) -> bool:
    """Hindi interface text with words but no Devanagari; acronyms such as "XP" alone are neutral."""
    words = re.sub(r"\{[^}]*\}", "", value)
    return bool(re.search(r"[A-Za-z]*[a-z][A-Za-z]*", words)) and not DEVANAGARI.search(words)


def check_content(content_dir: Path | str = CONTENT_DIR) -> tuple[Catalog | None, list[ContentError]]:
    """Validate everything under `content_dir`: the catalog when there is no problem, and the problems."""
    folder = Path(content_dir)
    report = _Report()
    if not folder.is_dir():
        report.add(_Doc(folder, _shown(folder), None, None), 1, "content folder not found")
        return None, report.problems
    loaded = _load_all(folder, report)
    _check_lessons(loaded, report)
    _check_banks(loaded, report)
    _check_glossary(loaded, report)
    _check_concepts(loaded, report)
    if report.problems or loaded.glossary is None:
        return None, sorted(report.problems, key=lambda p: (p.path, p.line))
    glossary = loaded.glossary[1]
    catalog = Catalog(
        lessons=[lesson for _, lesson in loaded.lessons],
        quizzes={bank.lesson: with_glossary_answers(bank, glossary) for _, bank in loaded.banks},
        glossary=glossary,
        concepts=loaded.concepts[1].concepts if loaded.concepts else (),
    )
    return catalog, []


def with_glossary_answers(bank: QuizBank, glossary: Glossary) -> QuizBank:
    """The bank with each `term` question accepting its glossary term's names first, then `accept`."""
    terms: dict[str, GlossaryTerm] = {term.id: term for term in glossary.terms}
    questions = []
    for question in bank.questions:
        if isinstance(question, FreeText) and question.term in terms:
            names = [*terms[question.term].answer_names(), *question.accept]
            question = question.model_copy(update={"accept": list(dict.fromkeys(names))})
        questions.append(question)
    return bank.model_copy(update={"questions": questions})


def load_catalog(content_dir: Path | str = CONTENT_DIR) -> Catalog:
    """The validated catalog of `content_dir`; raises ContentProblems listing every problem."""
    catalog, problems = check_content(content_dir)
    if catalog is None:
        raise ContentProblems(problems)
    return catalog


@lru_cache(maxsize=1)
def load_default_catalog() -> Catalog:
    """The catalog of the configured content folder, loaded and validated once per process."""
    return load_catalog(get_settings().content_dir)


# ------------------------------------------------------------------------------ a teacher's upload
MAX_UPLOAD_BYTES = 64 * 1024  # a quiz file of 50 questions in both languages is ~30 KB
MAX_UPLOAD_QUESTIONS = 50
MAX_UPLOAD_DEPTH = 12  # nesting of mappings and lists; a question needs 5
MAX_UPLOAD_ID = 40  # stored as "<server id>/<id>" in 64 characters


@dataclass(frozen=True)
class QuizUpload:
    """An uploaded quiz file that passed every check: its bank and the line each question starts on."""

    bank: QuizBank
    lines: dict[str, int]  # question id -> line


def _shape_problems(text: str, doc: _Doc, report: _Report) -> None:
    """Refuse what safe_load would accept but an upload must not carry: aliases (a few lines that expand
    into millions of nodes) and deep nesting."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=safe_yaml.SAFE_LOADER):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                report.add(doc, line, "aliases (*name) are not allowed in an upload")
                return
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_UPLOAD_DEPTH:
                    report.add(doc, line, f"nested deeper than {MAX_UPLOAD_DEPTH} levels")
                    return
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        report.add(doc, _yaml_error_line(exc), f"malformed YAML: {_yaml_error_text(exc)}")


def check_quiz_upload(
    data: bytes, name: str, catalog: Catalog
) -> tuple[QuizUpload | None, list[ContentError]]:
    """Check a teacher's quiz file exactly as `content/quizzes/<lesson>.yaml` is checked (schema, the
    lesson and its sections, formulas, glossary terms, unique ids), plus an upload's limits: size,
    question count, id length, no aliases, bounded nesting. Problems are `name:line: message`."""
    report = _Report()
    doc = _Doc(Path(name), name, None, None)
    if len(data) > MAX_UPLOAD_BYTES:
        report.add(doc, 1, f"the file is larger than {MAX_UPLOAD_BYTES // 1024} KB")
        return None, report.problems
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.add(doc, 1, f"not UTF-8 text: {exc.reason}")
        return None, report.problems
    _shape_problems(text, doc, report)
    if report.problems:
        return None, report.problems
    try:
        doc.node, doc.data = safe_yaml.load(text)
    except yaml.YAMLError as exc:
        report.add(doc, _yaml_error_line(exc), f"malformed YAML: {_yaml_error_text(exc)}")
        return None, report.problems
    if doc.node is None:
        report.add(doc, 1, "the file is empty")
        return None, report.problems
    _check_duplicate_keys(doc, doc.node, report)
    questions = doc.data.get("questions") if isinstance(doc.data, dict) else None
    if isinstance(questions, list) and len(questions) > MAX_UPLOAD_QUESTIONS:
        report.at(
            doc, ("questions",), f"{len(questions)} questions: an upload holds at most {MAX_UPLOAD_QUESTIONS}"
        )
        return None, report.problems
    bank = _validate(doc, QuizBank, report)
    if bank is None or report.problems:
        return None, sorted(report.problems, key=lambda p: p.line)
    lessons = [(doc, lesson) for lesson in catalog.lessons]  # the document is only used for lines
    loaded = _Loaded(
        lessons, [(doc, bank)], (doc, catalog.glossary), None, {x.id for x in catalog.lessons}, set()
    )
    for index, question in enumerate(bank.questions):
        if len(question.id) > MAX_UPLOAD_ID:
            report.at(doc, ("questions", index, "id"), f"question id longer than {MAX_UPLOAD_ID} characters")
    _check_banks(loaded, report, file_names=False)  # an upload may be called anything
    if report.problems:
        return None, sorted(report.problems, key=lambda p: p.line)
    lines = {q.id: _locate(doc.node, ("questions", i))[0] for i, q in enumerate(bank.questions)}
    return QuizUpload(with_glossary_answers(bank, catalog.glossary), lines), []
