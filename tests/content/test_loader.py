"""The loader: the good fixture loads; each broken fixture gives exactly its `file:line: message`.

A broken fixture is a folder of files laid over a copy of the good fixture. Each line that must be
reported carries a comment `# ERROR: <start of the message>`, so the expected line is the line of the
comment and a fixture states its own expectation.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import MAX_FILE_BYTES, ContentProblems, check_content, load_catalog
from bot.errors import ContentError
from bot.safe_yaml import MAX_DEPTH, MAX_VALUES

from .conftest import BROKEN, GOOD

MARKER = re.compile(r"#\s*ERROR:\s*(.+?)\s*$")
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def _expected(case: Path) -> list[tuple[str, int, str]]:
    """(relative path, line, message start) for every marker in the case's files."""
    out = []
    for path in sorted(case.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if match := MARKER.search(line):
                out.append((path.relative_to(case).as_posix(), number, match.group(1)))
    return out


def _reported(problems: list[ContentError], root: Path) -> list[tuple[str, int, str]]:
    return sorted(
        (Path(p.path).resolve().relative_to(root.resolve()).as_posix(), p.line, p.problem) for p in problems
    )


def test_every_kind_of_problem_has_a_broken_fixture() -> None:
    assert {
        "malformed_yaml",
        "missing_language",
        "hindi_not_devanagari",
        "unknown_key",
        "mcq_answer_not_an_option",
        "wrong_option_without_why",
        "duplicate_question_id",
        "duplicate_lesson_id",
        "duplicate_lesson_order",
        "quiz_for_missing_lesson",
        "lesson_without_quiz",
        "unknown_figure",
        "glossary_unknown_lesson",
        "strings_key_missing",
        "strings_placeholder_mismatch",
        "quiz_unknown_section",
        "quiz_missing_section",
        "free_text_unknown_term",
        "free_text_without_answer",
        "concept_unknown_lesson",
        "concept_unknown_section",
    } <= set(CASES)


def test_good_fixture_loads() -> None:
    catalog, problems = check_content(GOOD)
    assert problems == []
    assert isinstance(catalog, Catalog)
    assert [lesson.id for lesson in catalog.lessons] == ["neuron", "perceptron"]


@pytest.mark.parametrize("case", CASES)
def test_broken_fixture_reports_its_exact_lines(case: str, content_copy: Path) -> None:
    shutil.copytree(BROKEN / case, content_copy, dirs_exist_ok=True)
    catalog, problems = check_content(content_copy)
    expected = _expected(BROKEN / case)
    assert expected, f"fixture {case} marks no expected problem"
    assert catalog is None
    reported = _reported(problems, content_copy)
    assert [(path, line) for path, line, _ in reported] == [(path, line) for path, line, _ in expected]
    for (_, _, message), (_, _, start) in zip(reported, expected, strict=True):
        assert message.startswith(start), f"{message!r} should start with {start!r}"


def test_problem_text_is_file_colon_line_colon_message(content_copy: Path) -> None:
    shutil.copytree(BROKEN / "mcq_answer_not_an_option", content_copy, dirs_exist_ok=True)
    with pytest.raises(ContentProblems) as raised:
        load_catalog(content_copy)
    [problem] = raised.value.problems
    path = (content_copy / "quizzes" / "perceptron.yaml").resolve()
    assert str(problem) == f"{path}:11: questions[0].answer: answer 'c' is not among the options ['a', 'b']"


def test_paths_below_the_working_directory_are_relative(
    monkeypatch: pytest.MonkeyPatch, content_copy: Path
) -> None:
    shutil.copytree(BROKEN / "unknown_figure", content_copy, dirs_exist_ok=True)
    monkeypatch.chdir(content_copy.parent)
    _, [problem] = check_content(Path("content"))
    assert problem.path == str(Path("content/lessons/01_neuron.yaml"))


def test_a_missing_folder_is_one_problem(tmp_path: Path) -> None:
    catalog, [problem] = check_content(tmp_path / "nowhere")
    assert catalog is None
    assert problem.problem == "content folder not found"


def test_missing_required_files_are_reported(content_copy: Path) -> None:
    (content_copy / "glossary.yaml").unlink()
    for strings in (content_copy / "strings").glob("*.yaml"):
        strings.unlink()
    _, problems = check_content(content_copy)
    missing = {Path(p.path).name for p in problems if p.problem == "missing file"}
    assert missing == {"glossary.yaml", "common.yaml"}


def test_each_error_in_one_file_is_reported(content_copy: Path) -> None:
    """Several problems in one file are all listed, each at its own line."""
    path = content_copy / "lessons" / "02_perceptron.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('hi: "Perceptron बनाना।"', 'hi: "Perceptron banana."')
    text = text.replace("order: 2", "order: 2\nextra: 1")
    path.write_text(text, encoding="utf-8")
    _, problems = check_content(content_copy)
    assert [(p.line, p.problem) for p in problems] == [
        (3, "unknown key 'extra'"),
        (7, "objectives[0].hi: Hindi text must be written in Devanagari"),
    ]


def test_a_file_over_the_size_limit_is_refused_unread(content_copy: Path) -> None:
    path = content_copy / "lessons" / "01_neuron.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    catalog, [problem] = check_content(content_copy)
    assert catalog is None
    assert (Path(problem.path).name, problem.line) == ("01_neuron.yaml", 1)
    assert problem.problem.startswith("the file has ") and f"limit of {MAX_FILE_BYTES:,}" in problem.problem


def test_deep_nesting_is_a_problem_at_its_line_not_a_recursion_error(content_copy: Path) -> None:
    path = content_copy / "lessons" / "01_neuron.yaml"
    path.write_text("id: neuron\norder: 1\ndeep: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    catalog, [problem] = check_content(content_copy)
    assert catalog is None
    assert (Path(problem.path).name, problem.line) == ("01_neuron.yaml", 3)
    assert problem.problem == f"nested deeper than {MAX_DEPTH} levels"


def test_a_billion_laughs_file_is_refused_at_the_alias_that_blows_up(content_copy: Path) -> None:
    """Nine levels of nine aliases stand for 9**9 values; the walk over them must not expand them."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    (content_copy / "strings" / "common.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    catalog, [problem] = check_content(content_copy)
    assert catalog is None
    # a5 is the first level past MAX_VALUES: 9 + 81 + … + 9**6 values
    assert (Path(problem.path).name, problem.line) == ("common.yaml", 6)
    assert problem.problem == f"aliases expand to more than {MAX_VALUES:,} values"


def test_a_few_aliases_still_load(content_copy: Path) -> None:
    path = content_copy / "strings" / "common.yaml"
    text = path.read_text(encoding="utf-8")
    text += 'shared_one: &same {en: "Same", hi: "वही"}\nshared_two: *same\n'
    path.write_text(text, encoding="utf-8")
    catalog, problems = check_content(content_copy)
    assert problems == [] and catalog is not None
