"""QA findings on the console: bilingual composition, refusals, review outlook, resume, markdown, Ctrl-D."""

from __future__ import annotations

import builtins
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from bot.console_render import feedback, markdown_to_text, question

from bot.config import Settings
from bot.console import LOCAL_LEARNER_ID, _read_line
from bot.content.schema import CodeOutput, MultipleChoice
from bot.core.tutor import Tutor
from bot.quiz.views import Feedback, QuestionView, Said
from tests.console.test_commands import Session

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def tutor(tmp_path: Path) -> AsyncIterator[Tutor]:
    settings = Settings(_env_file=None).model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"}
    )
    tutor = await Tutor.create(settings, start_pool=False)
    yield tutor
    await tutor.engine.dispose()


async def _session(tutor: Tutor, tmp_path: Path, lang: str) -> Session:
    s = Session(tutor, tmp_path / "out", lang=lang)
    await s.console.start()
    return s


def _view(tutor: Tutor, qid: str) -> QuestionView:
    q = tutor.catalog.question(qid)
    return QuestionView(session_id=1, mode="lesson", lesson_id="x", number=1, total=1, score=0, question=q)


def _in(text: object, lang: str) -> str:
    """An option's text in `lang` (options are a plain string or a Text)."""
    return text if isinstance(text, str) else str(getattr(text, lang))


def _wrong_feedback(qid: str, xp: int = 0) -> Feedback:
    return Feedback(
        session_id=1,
        question_id=qid,
        correct=False,
        skipped=False,
        correct_answer=Said(en="c) core wording", hi="c) core wording"),
        explanation=Said(en="Because.", hi="क्योंकि।"),  # type: ignore[arg-type]
        why_wrong=None,
        score=0,
        answered=1,
        total=1,
        xp=xp,
        finished=True,
        next=None,
    )


# ---- 'both': whole Hindi line, then whole English line; identical lines once ------------------------


async def test_a_picture_path_is_printed_once_in_both(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "both")
    path = s.console.save_picture("loss curve", PNG)
    out = s.buffer.getvalue()
    assert out.count(str(path)) == 1
    assert f"चित्र / picture: {path}" in out


def test_xp_is_printed_once_in_both(tutor: Tutor) -> None:
    qid = next(q.id for q in tutor.catalog.all_questions() if isinstance(q, MultipleChoice))
    text = feedback(_wrong_feedback(qid, xp=10), "both", tutor.catalog.question(qid))
    assert text.count("+10 XP") == 1


async def test_the_leaderboard_header_is_one_line_per_language(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "both")
    await s.say("/lesson 1")
    board = await s.say("/leaderboard")
    lines = board.splitlines()
    assert lines[0] == "इस हफ़्ते का Leaderboard"
    assert lines[1] == "Leaderboard (this week)"


def test_second_language_lines_of_options_hang_under_their_letter(tutor: Tutor) -> None:
    q = next(
        q
        for q in tutor.catalog.all_questions()
        if isinstance(q, MultipleChoice) and any(_in(o.text, "hi") != _in(o.text, "en") for o in q.options)
    )
    option = next(o for o in q.options if _in(o.text, "hi") != _in(o.text, "en"))
    shown = question(_view(tutor, q.id), "both")
    head = f"  {option.id.upper()}) "
    expected = head + _in(option.text, "hi").splitlines()[0]
    assert expected in shown.splitlines()
    after = shown.splitlines()[shown.splitlines().index(expected) + 1]
    assert after == " " * len(head) + _in(option.text, "en").splitlines()[0]


def test_multi_line_code_output_options_are_indented_under_their_letter(tutor: Tutor) -> None:
    q = tutor.catalog.question("loss-optim-q22")
    assert isinstance(q, CodeOutput)
    shown = question(_view(tutor, q.id), "en").splitlines()
    for option in q.options:
        first, *rest = _in(option.text, "en").splitlines()
        at = shown.index(f"  {option.id.upper()}) {first}")
        assert shown[at + 1 : at + 1 + len(rest)] == [f"     {line}" for line in rest]


def test_the_right_answer_names_the_option_as_it_was_shown(tutor: Tutor) -> None:
    q = tutor.catalog.question("loss-optim-q22")
    assert isinstance(q, CodeOutput)
    text = feedback(_wrong_feedback(q.id), "en", q)
    letter = q.answer.upper()
    first = _in(next(o for o in q.options if o.id == q.answer).text, "en").splitlines()[0]
    assert f"Right answer: {letter}) {first}" in text
    assert f"{q.answer.lower()})" not in text


# ---- review, refusals, resume -------------------------------------------------------------------


async def test_review_after_mistakes_says_what_is_scheduled(tutor: Tutor, tmp_path: Path) -> None:
    for lang, words in (("en", ("card(s) scheduled", "due in")), ("hi", ("card तय हैं", "में आएगा"))):
        s = await _session(tutor, tmp_path, lang)
        await s.say("/quiz neuron 2")
        await s.say("/skip")
        await s.say("/skip")
        count, due = await tutor.review_outlook(LOCAL_LEARNER_ID)
        assert count >= 2 and due is not None
        reply = await s.say("/review")
        assert f"{count} " in reply and all(word in reply for word in words), reply
        assert "Nothing is due for review. Take" not in reply


async def test_review_outlook_names_minutes_hours_or_days(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    await s.say("/quiz neuron 1")
    await s.say("/skip")
    _, due = await tutor.review_outlook(LOCAL_LEARNER_ID)
    assert due is not None
    assert re.search(r"due in \d+ (min|h|day\(s\))", await s.say("/review"))


async def test_review_with_no_cards_at_all_says_take_a_quiz(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    assert "Take a /quiz" in await s.say("/review")


@pytest.mark.parametrize("args", ["activation 0", "activation abc", "activation 100", "activation -3", "0"])
async def test_a_bad_quiz_count_is_refused_with_the_range(tutor: Tutor, tmp_path: Path, args: str) -> None:
    s = await _session(tutor, tmp_path, "en")
    reply = await s.say(f"/quiz {args}")
    assert "1 to 20 questions" in reply
    assert s.console.quiz_id is None


async def test_a_quiz_topic_of_several_words_is_not_a_count(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    assert "Question 1/5" in await s.say("/quiz loss functions")
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None and view.lesson_id == "loss-optim"


@pytest.mark.parametrize("line", ["/quiz loss", "quiz me on loss functions", "/quiz loss 3"])
async def test_quiz_on_loss_finds_the_loss_lesson(tutor: Tutor, tmp_path: Path, line: str) -> None:
    s = await _session(tutor, tmp_path, "en")
    assert "Question 1/" in await s.say(line)
    view = await tutor.quiz.active_session(LOCAL_LEARNER_ID)
    assert view is not None and view.lesson_id == "loss-optim"


async def test_an_unknown_leaderboard_period_is_refused(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    reply = await s.say("/leaderboard month")
    assert "/leaderboard week" in reply and "/leaderboard all" in reply
    assert "Leaderboard (" not in reply


async def test_lesson_without_a_topic_resumes_where_the_learner_stopped(tutor: Tutor, tmp_path: Path) -> None:
    first = await _session(tutor, tmp_path, "en")
    await first.say("/lesson 3")
    await first.say("/next")
    await first.say("/next")
    second = await _session(tutor, tmp_path, "en")
    reply = await second.say("/lesson")
    assert "Resuming lesson 3" in reply and "page 3" in reply
    assert "Lesson 3:" in reply and "page 3/" in reply


async def test_lesson_without_a_topic_and_no_history_opens_the_first(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    reply = await s.say("/lesson")
    assert "Lesson 1:" in reply and "page 1/" in reply and "Resuming" not in reply


# ---- free text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["asdkjh qwe zzz", "ok", "zorbulator"])
async def test_nonsense_is_not_understood_rather_than_a_missing_term(
    tutor: Tutor, tmp_path: Path, line: str
) -> None:
    s = await _session(tutor, tmp_path, "en")
    reply = await s.say(line)
    assert "I did not understand" in reply and "/help" in reply
    assert "glossary" not in reply


@pytest.mark.parametrize("line", ["thanks", "shukriya", "धन्यवाद", "thank you so much"])
async def test_thanks_gets_a_friendly_reply(tutor: Tutor, tmp_path: Path, line: str) -> None:
    s = await _session(tutor, tmp_path, "en")
    assert "You're welcome" in await s.say(line)


async def test_a_training_sentence_trains_instead_of_opening_a_lesson(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    reply = await s.say("perceptron on xor")
    assert "⚙️" in reply and "xor" in reply.lower()  # the spec; the pool is not started here
    assert "Lesson 2" not in reply


# ---- markdown, Ctrl-D --------------------------------------------------------------------------


def test_markdown_becomes_terminal_text() -> None:
    body = "**Practice**\nUse `torch.relu` here.\n||Answer: 42||\n```\n**kept** `as is`\n```"
    plain = markdown_to_text(body, "en", tty=False)
    assert plain.splitlines()[:3] == ["Practice", "Use torch.relu here.", "Answer: 42"]
    assert "    **kept** `as is`" in plain  # code blocks are shown exactly
    coloured = markdown_to_text(body, "en", tty=True)
    assert "\033[1mPractice\033[0m" in coloured


def test_a_spoiler_without_its_label_gets_one() -> None:
    assert markdown_to_text("||0.5||", "hi") == "उत्तर: 0.5"
    assert markdown_to_text("||0.5||", "both") == "उत्तर / Answer: 0.5"


async def test_lesson_pages_show_no_discord_markdown(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "en")
    await s.say("/lesson 1")
    last = ""
    for _ in range(20):
        last = await s.say("/next")
        if "last page" in last:
            break
    text = s.buffer.getvalue()
    assert "||" not in text and "**" not in text
    assert "Answer:" in text


def test_ctrl_d_at_a_terminal_prompt_ends_the_line(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    monkeypatch.setattr("sys.stdout", out)

    def eof(prompt: str) -> str:
        out.write(prompt)
        raise EOFError

    monkeypatch.setattr(builtins, "input", eof)
    assert _read_line(io.StringIO(), "quiz> ", tty=True) is None
    assert out.getvalue() == "quiz> \n"


def test_a_line_typed_during_start_up_is_used_first() -> None:
    assert _read_line(io.StringIO("later\n"), "> ", tty=True, early="/help\n") == "/help\n"


async def test_unknown_activation_is_refused_in_the_learners_language(tutor: Tutor, tmp_path: Path) -> None:
    s = await _session(tutor, tmp_path, "hi")
    reply = await s.say("/activation wobble")
    assert "“wobble” नाम का activation नहीं है" in reply


async def test_lesson_header_and_welcome_are_one_line_per_language_in_both(
    tutor: Tutor, tmp_path: Path
) -> None:
    s = await _session(tutor, tmp_path, "both")
    welcome = s.buffer.getvalue().splitlines()
    assert "भाषा: हिंदी + अंग्रेज़ी" in welcome[0] and "Language: Hindi + English" in welcome[1]
    lesson = tutor.catalog.lessons[1]
    lines = (await s.say("/lesson 2")).splitlines()
    assert lines[1].startswith(f"Lesson 2: {lesson.title.hi} — ")
    assert lines[2].startswith(f"Lesson 2: {lesson.title.en} — page 1/")
