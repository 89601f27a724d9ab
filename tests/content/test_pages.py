"""Lesson pages: objectives first, summary and practice last, tables aligned, every page fits an embed."""

from __future__ import annotations

import pytest
import yaml

from bot.content.pages import PAGE_LIMIT, TITLE_LIMIT, display_width, lesson_pages, render_table
from bot.content.schema import Lesson, Table
from bot.paths import CONTENT_DIR

from .conftest import GOOD

LANGS = ["hi", "en", "both"]


def _lesson(path: str) -> Lesson:
    return Lesson.model_validate(yaml.safe_load((GOOD / path).read_text(encoding="utf-8")))


def _real_lessons() -> list[Lesson]:
    paths = sorted((CONTENT_DIR / "lessons").glob("*.yaml"))
    return [Lesson.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_of_every_real_lesson_fits_an_embed(lang: str) -> None:
    lessons = _real_lessons()
    assert len(lessons) == 7
    for lesson in lessons:
        pages = lesson_pages(lesson, lang)
        assert len(pages) >= len(lesson.sections) + 2
        for page in pages:
            assert 0 < len(page.body) <= PAGE_LIMIT, (lesson.id, page.number, len(page.body))
            assert 0 < len(page.title) <= TITLE_LIMIT
            assert page.body.count("```") % 2 == 0, (lesson.id, page.number)  # every code block closed
        assert [p.index for p in pages] == list(range(len(pages)))
        assert {p.total for p in pages} == {len(pages)}
        figures = [p.figure for p in pages if p.figure]
        assert figures == [s.figure for s in lesson.sections if s.figure]


def test_objectives_first_summary_and_practice_last() -> None:
    lesson = _lesson("lessons/01_neuron.yaml")
    pages = lesson_pages(lesson, "en")
    assert pages[0].title == "1. Biological vs Artificial Neuron"
    assert pages[0].body.startswith("**Learning objectives**\n• Compare a biological neuron")
    assert "1. Parts of a neuron\n2. A neuron in PyTorch" in pages[0].body
    last = pages[-1]
    assert last.body.startswith("**Summary**\n• A neuron sums weighted inputs.")
    assert "**1.** What does the axon do?\n||Answer: It carries the signal onward.||" in last.body
    assert [p.number for p in pages] == [1, 2, 3, 4]


def test_section_page_has_body_formula_where_table_and_figure() -> None:
    page = lesson_pages(_lesson("lessons/01_neuron.yaml"), "hi")[1]
    assert page.title == "1.1 Neuron के हिस्से"
    assert page.figure == "neuron-diagram"
    assert page.body.startswith("Neuron **dendrites** से signals लेता है")
    assert "```\ny = f(Σ wᵢxᵢ + b)\n```" in page.body
    assert "**artificial neuron** — w weights हैं, b bias है, f activation है।" in page.body
    assert "```\nजैविक    | कृत्रिम\n--------+-------\nडेंड्राइट्स | Inputs\nएक्सॉन   | Output\n```" in page.body


def test_code_page_shows_source_output_and_explanation() -> None:
    page = lesson_pages(_lesson("lessons/01_neuron.yaml"), "en")[2]
    assert "```py\nimport torch\nx = torch.tensor([1.0, 2.0])" in page.body
    assert "**Output**\n```\ntensor(0.1000)\n```" in page.body
    assert page.body.endswith("0.5·1 − 0.25·2 + 0.1 = 0.1")


def test_both_shows_hindi_then_english() -> None:
    page = lesson_pages(_lesson("lessons/01_neuron.yaml"), "both")[1]
    assert page.title == "1.1 Neuron के हिस्से / Parts of a neuron"
    hindi = page.body.index("Neuron **dendrites**")
    english = page.body.index("A neuron receives signals")
    assert hindi < english


def test_display_width_ignores_combining_marks() -> None:
    assert display_width("abc") == 3
    assert display_width("न्यूरॉन") == 5  # न य र ा न: the virama, the u-sign and the candra are marks
    assert display_width("中文") == 4


def test_table_columns_align_by_display_width() -> None:
    table = Table.model_validate(
        {
            "headers": [{"en": "Term", "hi": "शब्द"}, {"en": "Meaning", "hi": "अर्थ"}],
            "rows": [[{"en": "Weight", "hi": "वज़न"}, "w"], [{"en": "Bias", "hi": "बायस"}, "b"]],
        }
    )
    for lang in ("hi", "en"):
        lines = render_table(table, lang).splitlines()
        bars = {display_width(line[: line.index("|")]) for line in lines if "|" in line}
        assert len(bars) == 1, lines
        assert lines[1].startswith("-") and "+" in lines[1]


def test_long_cells_wrap_inside_their_column() -> None:
    long_text = "a rather long description that cannot fit in one narrow column of a Discord embed at all"
    table = Table.model_validate(
        {"headers": [{"en": "A", "hi": "क"}, {"en": "B", "hi": "ख"}], "rows": [["short", long_text]]}
    )
    lines = render_table(table, "en").splitlines()
    assert len(lines) > 3
    assert all(display_width(line) <= 60 for line in lines)
    assert " ".join(line.split("| ", 1)[1].strip() for line in lines[2:]) == long_text


def test_an_oversized_section_continues_on_the_next_page() -> None:
    lesson = _lesson("lessons/01_neuron.yaml")
    section = lesson.sections[1]
    assert section.code is not None
    big_code = section.code.model_copy(update={"source": "print(1)\n" * 700})
    lesson = lesson.model_copy(
        update={"sections": [lesson.sections[0], section.model_copy(update={"code": big_code})]}
    )
    pages = lesson_pages(lesson, "en")
    code_pages = [p for p in pages if "print(1)" in p.body]
    assert len(code_pages) >= 2
    assert code_pages[1].title.endswith("(continued)")
    for page in code_pages:
        assert len(page.body) <= PAGE_LIMIT
        assert page.body.count("```") % 2 == 0
    assert sum(p.body.count("print(1)") for p in code_pages) == 700
