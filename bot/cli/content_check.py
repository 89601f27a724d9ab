"""`python -m bot content check [--dir DIR]`: validate every content file.

Exit 1 with one `file:line: message` line per problem; exit 0 with the counts of what was loaded.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.content.catalog import Catalog


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `content check`."""
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="content folder to check (default: the configured one, normally ./content)",
    )


def summary(catalog: Catalog) -> list[str]:
    """The counts printed when the content is valid."""
    lines = [f"lessons: {len(catalog.lessons)}"]
    total = 0
    for lesson in catalog.lessons:
        questions = catalog.quiz(lesson.id).questions
        kinds = sorted({q.kind for q in questions})
        total += len(questions)
        lines.append(f"  {lesson.order}. {lesson.id}: {len(questions)} quiz questions ({', '.join(kinds)})")
    from bot.content.quality import choice_balance, duplicates

    questions = catalog.all_questions()
    balance = choice_balance(questions)
    letters = ", ".join(f"{letter} {count}" for letter, count in balance.letters.items())
    practice = sum(len(lesson.practice) for lesson in catalog.lessons)
    sections = [section for lesson in catalog.lessons for section in lesson.sections]
    figures = sum(1 for section in sections if section.figure)
    code = sum(1 for section in sections if section.code)
    lines += [
        f"quiz questions: {total}",
        f"choice questions: {balance.questions}, {balance.with_four_options} with four options "
        f"({balance.four_option_share:.0%}); right letters: {letters}",
        f"duplicate questions: {len(duplicates(questions))}",
        f"practice questions: {practice}",
        f"glossary terms: {len(catalog.terms)}",
        f"concepts: {len(catalog.concepts)} "
        f"({sum(c.kind == 'compare' for c in catalog.concepts)} comparisons, "
        f"{sum(c.kind == 'why' for c in catalog.concepts)} why-questions)",
        f"sections: {len(sections)} ({code} with code)",
        f"figure references: {figures}",
    ]
    return lines


def run(args: argparse.Namespace) -> int:
    """Print the problems and return 1, or print the counts and return 0."""
    from bot.content.loader import check_content

    folder = args.dir
    if folder is None:
        from bot.config import get_settings

        folder = get_settings().content_dir
    catalog, problems = check_content(folder)
    if catalog is None:
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"content OK: {Path(folder)}")
    for line in summary(catalog):
        print(line)
    return 0
