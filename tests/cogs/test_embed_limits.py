"""Every lesson page and every quiz question fits Discord's embed limits, in hi, en and both, unclipped."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from dataclasses import replace
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.cogs import render
from bot.cogs.bot import EXTENSIONS
from bot.config import Settings
from bot.content.pages import lesson_pages
from bot.content.schema import CodeOutput, MultipleChoice, Text
from bot.core import lessons, quiz
from bot.core.learners import Learner
from bot.core.replies import Card, Field, Reply
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.i18n import Bilingual, Lang
from bot.quiz.grading import correct_answer
from bot.quiz.views import Feedback, QuestionView

LANGS: tuple[Lang, ...] = ("hi", "en", "both")
OWNER = 123456789012345678901  # the longest id a custom id must carry
FAKE_PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def tutor(settings: Settings) -> AsyncIterator[Tutor]:
    """The real course content over a fresh database, without workers: a figure is either cached or
    missing (the pool refuses)."""
    made = await Tutor.create(settings, start_pool=False)
    yield made
    await made.close()


@pytest.fixture(scope="module", autouse=True)
def buttons_registered() -> None:
    """Each feature cog registers its buttons when imported (the bot loads them as extensions)."""
    for name in EXTENSIONS:
        importlib.import_module(name)


def client_stub() -> Any:
    """What a TimedView needs of the bot: the registry of live views."""
    return SimpleNamespace(live_views={}, command_ids={})


def test_limit_problems_finds_each_broken_limit() -> None:
    big = discord.Embed(title="t" * 257, description="d" * 4097)
    big.set_footer(text="f" * 2049)
    big.set_author(name="a" * 257)
    for _ in range(26):
        big.add_field(name="n", value="v" * 1025)
    problems = render.limit_problems([big])
    for part in ("title", "description", "footer", "author", "fields 26", "field 1 value", "total"):
        assert any(part in problem for problem in problems), part
    assert render.limit_problems([discord.Embed(title="ok", description="fine")]) == []


def test_fields_stop_at_25_and_values_at_1024() -> None:
    card = Card(title="title", fields=tuple(Field(f"f{number}", "x" * 2000) for number in range(30)))
    (out,) = render.embed(card)
    assert len(out.fields) == render.FIELDS_MAX
    assert {len(f.value or "") for f in out.fields} == {render.FIELD_VALUE_MAX}
    total = len("title") + sum(len(f"f{n}") + render.FIELD_VALUE_MAX for n in range(25))
    assert render.embed_size(out) == total
    assert render.limit_problems([out]) == [f"embeds total {total} > 6000"]  # a caller's problem, reported


@pytest.mark.parametrize("lang", LANGS)
async def test_every_lesson_page_fits_unclipped(tutor: Tutor, lang: Lang) -> None:
    learner = Learner(7, "learner", lang)  # recorded in the database; the buttons get the longest owner
    checked = 0
    for lesson in tutor.catalog.lessons:
        for page in lesson_pages(lesson, lang):
            for png in (None, FAKE_PNG) if page.figure else (None,):
                tutor.figures.clear()
                if page.figure and png:
                    tutor.figures.put(page.figure, lang, png)
                reply = await lessons.show_page(tutor, learner, lesson.id, page.index, Silent())
                answer = render.message(replace(reply, owner=OWNER), client_stub())
                where = f"{lesson.id} page {page.number} ({lang}, png={png is not None})"
                assert render.limit_problems(answer.embeds) == [], where
                (shown,) = answer.embeds
                assert (shown.title, shown.description) == (page.title, page.body), where
                assert len(answer.files()) == (1 if png else 0), where
                # the pager's three buttons, the lesson's quiz and the next lesson on its last page, the menu
                assert answer.view is not None and len(answer.view.children) == len(reply.actions), where
                assert [a.kind for a in reply.actions][:3] == ["lesson.prev", "lesson.next", "lesson.lang"]
                assert reply.actions[-1].kind == "lesson.section", where
                ids = [item.custom_id for item in answer.view.children]  # type: ignore[attr-defined]
                assert all(0 < len(i) <= 100 for i in ids), where
                checked += 1
    assert checked > 60


def question_view(tutor: Tutor, question: Any) -> QuestionView:
    """The question as the 10th of 10 (the widest footer)."""
    lesson = tutor.catalog.lesson_of(question.id)
    return QuestionView(
        session_id=2**31, mode="lesson", lesson_id=lesson.id, number=10, total=10, score=9, question=question
    )


@pytest.mark.parametrize("lang", LANGS)
async def test_every_quiz_question_and_feedback_fits_unclipped(tutor: Tutor, lang: Lang) -> None:
    questions = tutor.catalog.all_questions()
    assert len(questions) > 30
    learner = Learner(OWNER, "learner", lang)
    for question in questions:
        asked = render.message(
            quiz.question_reply(tutor, learner, question_view(tutor, question)), client_stub()
        )
        (shown,) = asked.embeds
        assert render.limit_problems([shown]) == [], question.id
        assert asked.view is not None
        ids = [item.custom_id for item in asked.view.children]  # type: ignore[attr-defined]
        assert all(0 < len(i) <= 100 for i in ids), question.id
        body = shown.description or ""
        assert question.prompt.pick(lang) in body, question.id  # nothing clipped
        if isinstance(question, CodeOutput):
            assert question.code in body, question.id
        if isinstance(question, MultipleChoice | CodeOutput):
            last = question.options[-1]
            assert quiz.option_line(last.id, last.text, lang) in body, question.id
            whys: list[Text | None] = [o.why_wrong for o in question.options if o.why_wrong is not None]
        else:
            whys = []
        for why in whys or [None]:  # wrong answers: the right one, why the pick is wrong, the explanation
            feedback = Feedback(
                session_id=1,
                question_id=question.id,
                correct=False,
                skipped=False,
                correct_answer=Bilingual(
                    en=correct_answer(question, "en"), hi=correct_answer(question, "hi")
                ),
                explanation=question.explanation,
                why_wrong=why,
                score=9,
                answered=10,
                total=10,
                xp=0,
                finished=True,
                next=None,
            )
            (told,) = render.embed(quiz.feedback_card(tutor, lang, feedback))
            assert render.limit_problems([told]) == [], question.id
            assert question.explanation.pick(lang) in (told.description or ""), question.id


def _unfenced(pieces: list[str]) -> str:
    """The pieces joined back, the fences the splitter added at each break taken out again."""
    joined = pieces[0]
    for piece in pieces[1:]:
        closed = joined.endswith("\n```") and piece.startswith("```")
        joined = (
            joined.removesuffix("\n```") + "\n" + piece.split("\n", 1)[1] if closed else joined + "\n" + piece
        )
    return joined


def test_a_long_body_is_split_at_lines_with_its_fence_closed_and_reopened() -> None:
    body = "intro line\n```\n" + "\n".join(f"line {n} " + "x" * 60 for n in range(200)) + "\n```\nafter"
    pieces = render.split_body(body)
    assert len(pieces) > 2
    assert all(len(piece) <= render.DESCRIPTION_MAX for piece in pieces)
    assert all(piece.count("```") % 2 == 0 for piece in pieces)  # every fence closed where it is cut
    assert _unfenced(pieces) == body


async def test_a_reply_too_long_for_one_message_continues_in_pages_never_cut() -> None:
    long = "\n".join(f"{n}: " + "क" * 70 for n in range(150))  # ~11 000 characters
    reply = Reply(note="note", cards=(Card(title="Walkthrough", body=long), Card(body="tail")))
    shown = render.message(reply, client_stub())
    pages = [shown, *shown.rest]
    assert len(pages) >= 2
    for page in pages:
        assert render.limit_problems(page.embeds) == []
    assert shown.embeds[0].title == "Walkthrough"
    assert "content" in shown.send_kwargs() and all("content" not in p.send_kwargs() for p in shown.rest)
    descriptions = [e.description or "" for page in pages for e in page.embeds]
    assert "\n".join(descriptions[:-1]) == long and descriptions[-1] == "tail"
