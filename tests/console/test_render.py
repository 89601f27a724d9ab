"""bot/console/render.py: a core reply as terminal text — Discord markdown made plain, options lettered
with their later lines hanging under the letter, and 'both' composed whole per language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.console import render
from bot.content.schema import CodeOutput, MultipleChoice
from bot.core import quiz
from bot.core.learners import Learner
from bot.core.replies import Card, Picture, Reply
from bot.core.tutor import Tutor
from bot.i18n import Bilingual, Lang
from bot.quiz.views import Feedback, QuestionView
from tests.console.conftest import Session

PNG = b"\x89PNG\r\n\x1a\n"
HANG = "  "  # the core's option indent (two em spaces) as the terminal shows it


def _view(tutor: Tutor, qid: str) -> QuestionView:
    q = tutor.catalog.question(qid)
    return QuestionView(session_id=1, mode="lesson", lesson_id="x", number=1, total=1, score=0, question=q)


def _question_text(tutor: Tutor, qid: str, lang: Lang) -> list[str]:
    """The question as the console prints it, line by line."""
    reply = quiz.question_reply(tutor, Learner(0, "tester", lang), _view(tutor, qid))
    return render.reply_text(reply, lang, tty=False).splitlines()


def _in(text: object, lang: str) -> str:
    """An option's text in `lang` (options are a plain string or a Text)."""
    return text if isinstance(text, str) else str(getattr(text, lang))


def _wrong_feedback(qid: str, xp: int = 0) -> Feedback:
    return Feedback(
        session_id=1,
        question_id=qid,
        correct=False,
        skipped=False,
        correct_answer=Bilingual(en="c) core wording", hi="c) core wording"),
        explanation=Bilingual(en="Because.", hi="क्योंकि।"),  # type: ignore[arg-type]
        why_wrong=None,
        score=0,
        answered=1,
        total=1,
        xp=xp,
        finished=True,
        next=None,
    )


def _feedback_text(tutor: Tutor, feedback: Feedback, lang: Lang) -> str:
    return render.card_text(quiz.feedback_card(tutor, lang, feedback), lang, tty=False)


def _bilingual_choice(tutor: Tutor) -> MultipleChoice:
    return next(
        q
        for q in tutor.catalog.all_questions()
        if isinstance(q, MultipleChoice) and any(_in(o.text, "hi") != _in(o.text, "en") for o in q.options)
    )


# ---- Discord markdown as terminal text ------------------------------------------------------------


def test_markdown_becomes_terminal_text() -> None:
    body = "**Practice**\nUse `torch.relu` here.\n||Answer: 42||\n```\n**kept** `as is`\n```"
    plain = render.markdown_to_text(body, "en", tty=False)
    assert plain.splitlines()[:3] == ["Practice", "Use torch.relu here.", "Answer: 42"]
    assert "    **kept** `as is`" in plain  # code blocks are shown exactly
    coloured = render.markdown_to_text(body, "en", tty=True)
    assert "\033[1mPractice\033[0m" in coloured


def test_a_spoiler_without_its_label_gets_one() -> None:
    assert render.markdown_to_text("||0.5||", "hi") == "उत्तर: 0.5"
    assert render.markdown_to_text("||0.5||", "both") == "उत्तर / Answer: 0.5"
    assert render.markdown_to_text("||उत्तर / Answer: 0.5||", "both") == "उत्तर / Answer: 0.5"


async def test_lesson_pages_show_no_discord_markdown(session: Session) -> None:
    await session.say("/lesson 1")
    for _ in range(20):
        if "last page" in await session.say("/next"):
            break
    text = session.buffer.getvalue()
    assert "||" not in text and "**" not in text
    assert "Answer:" in text


# ---- quiz questions and feedback ------------------------------------------------------------------


def test_second_language_lines_of_options_hang_under_their_letter(tutor: Tutor) -> None:
    q = _bilingual_choice(tutor)
    option = next(o for o in q.options if _in(o.text, "hi") != _in(o.text, "en"))
    shown = _question_text(tutor, q.id, "both")
    expected = f"{option.id.upper()}) " + _in(option.text, "hi").splitlines()[0]
    assert expected in shown
    assert shown[shown.index(expected) + 1] == HANG + _in(option.text, "en").splitlines()[0]


def test_multi_line_code_output_options_are_indented_under_their_letter(tutor: Tutor) -> None:
    q = tutor.catalog.question("loss-optim-q22")
    assert isinstance(q, CodeOutput)
    shown = _question_text(tutor, q.id, "en")
    for option in q.options:
        first, *rest = _in(option.text, "en").splitlines()
        at = shown.index(f"{option.id.upper()}) {first}")
        assert shown[at + 1 : at + 1 + len(rest)] == [HANG + line for line in rest]


def test_the_right_answer_names_the_option_as_it_was_shown(tutor: Tutor) -> None:
    q = tutor.catalog.question("loss-optim-q22")
    assert isinstance(q, CodeOutput)
    text = _feedback_text(tutor, _wrong_feedback(q.id), "en")
    letter = q.answer.upper()
    first = _in(next(o for o in q.options if o.id == q.answer).text, "en").splitlines()[0]
    assert f"Right answer: {letter}) {first}" in text
    assert f"{q.answer.lower()})" not in text


def test_in_both_each_line_names_the_right_answer_in_its_own_language(tutor: Tutor) -> None:
    q = _bilingual_choice(tutor)
    right = next(o for o in q.options if o.id == q.answer)
    lines = _feedback_text(tutor, _wrong_feedback(q.id), "both").splitlines()
    letter = q.answer.upper()
    hindi = lines.index(f"सही उत्तर: {letter}) {_in(right.text, 'hi').splitlines()[0]}")
    english = lines.index(f"Right answer: {letter}) {_in(right.text, 'en').splitlines()[0]}")
    assert hindi < english


def test_xp_is_printed_once_in_both(tutor: Tutor) -> None:
    qid = next(q.id for q in tutor.catalog.all_questions() if isinstance(q, MultipleChoice))
    assert _feedback_text(tutor, _wrong_feedback(qid, xp=10), "both").count("+10 XP") == 1


# ---- 'both': whole Hindi line, then whole English line; identical lines once ------------------------


async def test_a_picture_path_is_printed_once_in_both(
    start_session: Callable[[Lang], Awaitable[Session]],
) -> None:
    s = await start_session("both")
    before = len(s.buffer.getvalue())
    s.console.show(Reply(cards=(Card(title="loss", pictures=(Picture("loss curve", PNG),)),)))
    out = s.buffer.getvalue()[before:]
    (path,) = sorted(s.console.out_dir.glob("*loss-curve.png"))
    assert path.read_bytes() == PNG
    assert out.count(str(path)) == 1
    assert f"चित्र: {path}" in out  # the label on one line, as titles are in 'both'


async def test_the_leaderboard_title_is_one_whole_line_in_both(
    start_session: Callable[[Lang], Awaitable[Session]],
) -> None:
    s = await start_session("both")
    await s.say("/lesson 1")
    lines = (await s.say("/leaderboard")).splitlines()
    assert lines[0] == render.RULE
    assert lines[1] == "इस हफ़्ते का Leaderboard"  # the title in one language, like the Discord embed's


async def test_lesson_header_and_welcome_are_one_line_per_language_in_both(
    tutor: Tutor, start_session: Callable[[Lang], Awaitable[Session]]
) -> None:
    s = await start_session("both")
    welcome = s.buffer.getvalue().splitlines()
    assert "भाषा: हिंदी + अंग्रेज़ी।" in welcome[0] and "Language: Hindi + English." in welcome[1]
    assert "Hindi + English" not in welcome[0] and "हिंदी" not in welcome[1]
    lesson = tutor.catalog.lessons[1]
    lines = (await s.say("/lesson 2")).splitlines()
    assert lines[1] == f"2. {lesson.title.hi} / {lesson.title.en}"  # the heading, whole on one line
