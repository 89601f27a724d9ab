"""The console driven through a pipe, as a learner would: lesson, quiz, training, progress, quit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.schema import CodeOutput, FreeText, MultipleChoice, Numeric, TrueFalse
from bot.paths import CONTENT_DIR
from tests.console.driver import ConsoleProcess

pytestmark = pytest.mark.slow

TRAIN = {"en": "/train xor adam epochs 60", "hi": "xor ko adam se train karo"}
QUESTION_TITLE = re.compile(r"^(?:Quiz: .+|.+ पर Quiz)\n─+\n", re.MULTILINE)
WORDS = {
    "en": {"page": "Page 1/", "right": "✅ Correct!", "wrong": "❌ Not quite.", "done": "Quiz finished: 1/2"},
    "hi": {"page": "पृष्ठ 1/", "right": "✅ सही!", "wrong": "❌ सही नहीं।", "done": "Quiz पूरा: 2 में से 1 सही"},
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CONTENT_DIR)


def answers(catalog: Catalog, lesson_id: str, reply: str, lang: str) -> tuple[str, str]:
    """A right and a wrong answer to the question shown in `reply` (found by its prompt)."""
    titles = list(QUESTION_TITLE.finditer(reply))  # the question's card: after its title
    assert titles, reply
    question_text = reply[titles[-1].end() :]
    # Several questions can open with the same line ("What does this print?"): the whole prompt and,
    # for code questions, every line of the code must be on screen.
    matches = [
        q
        for q in catalog.quiz(lesson_id).questions
        if q.prompt.pick(lang).strip() in question_text
        and all(line.strip() in question_text for line in getattr(q, "code", "").splitlines())
    ]
    assert len(matches) == 1, (question_text, [q.id for q in matches])
    q = matches[0]
    if isinstance(q, MultipleChoice | CodeOutput):
        wrong = next(o.id for o in q.options if o.id != q.answer)
        return q.answer, wrong
    if isinstance(q, TrueFalse):
        return ("true", "false") if q.answer else ("false", "true")
    if isinstance(q, Numeric):
        return repr(q.answer), repr(q.answer + 1000 + abs(q.answer))
    assert isinstance(q, FreeText)
    return q.accept[0], "zzzz qqqq"


def pictures(reply: str) -> list[Path]:
    """The paths the console printed for saved pictures."""
    return [Path(p.strip()) for p in re.findall(r"🖼\s+\S+: (.+\.png)", reply)]


def assert_png(path: Path) -> None:
    assert path.is_file(), path
    with Image.open(path) as image:
        image.load()  # decodes every pixel
        assert image.format == "PNG" and image.width > 100 and image.height > 100


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_console_session_through_a_pipe(tmp_path: Path, catalog: Catalog, lang: str) -> None:
    out_dir = tmp_path / "out"
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    words = WORDS[lang]
    console = ConsoleProcess(["console", "--out-dir", str(out_dir), "--lang", lang, "--db", db], cwd=tmp_path)
    console.until_prompt()

    lesson = console.send("/lesson 1")
    assert words["page"] in lesson
    assert catalog.lessons[0].title.pick(lang).splitlines()[0] in lesson

    first = console.send("/quiz neuron 2")
    right, _ = answers(catalog, "neuron", first, lang)
    second = console.send(right)
    assert words["right"] in second
    _, wrong = answers(catalog, "neuron", second, lang)
    end = console.send(wrong)
    assert words["wrong"] in end
    assert words["done"] in end

    trained = console.send(TRAIN[lang])  # a command in English, free Hinglish text in Hindi
    assert "Training accuracy" in trained  # which points the accuracy counts (XOR holds none out)
    saved = pictures(trained)
    assert len(saved) == 2, trained
    for path in saved:
        assert path.parent == out_dir
        assert_png(path)

    progress = console.send("/progress")
    assert re.search(r"1/2 · 50 %", progress), progress
    (chart,) = pictures(progress)
    assert_png(chart)

    code, rest = console.finish("quit")
    assert code == 0
    assert "Traceback" not in console.stderr + rest


def test_progress_persists_between_runs_and_end_of_input_exits_cleanly(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    args = ["console", "--out-dir", str(tmp_path / "out"), "--lang", "en", "--db", db]
    first = ConsoleProcess(args, cwd=tmp_path)
    first.until_prompt()
    assert "Page 1/" in first.send("/lesson 1")
    assert "भाषा चुनी गई: हिंदी" in first.send("/language hi")
    assert first.finish(None)[0] == 0  # end of input (Ctrl-D)

    second = ConsoleProcess([*args[:-4], "--db", db], cwd=tmp_path)  # no --lang: the stored choice
    assert second.until_prompt() == "> "  # the prompt before the core; the greeting with the first reply
    board = second.send("/leaderboard all")
    assert "भाषा: हिंदी" in board.split("🥇")[0]
    assert re.search(r"🥇 \S+ — \d+ XP", board), board  # first place, as Discord shows it
    code, _ = second.finish("quit")
    assert code == 0
    assert "Traceback" not in second.stderr


@pytest.mark.parametrize("token", [None, "", "   "])
def test_python_m_bot_without_a_token_says_so_and_opens_the_console(
    tmp_path: Path, token: str | None
) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    env = {"DATABASE_URL": db, "TUTOR_OUT_DIR": str(tmp_path)}
    if token is not None:
        env["DISCORD_TOKEN"] = token  # an empty token is no token
    console = ConsoleProcess([], cwd=tmp_path, env=env)
    greeting = console.until_prompt()
    assert greeting.splitlines() == [
        "No DISCORD_TOKEN set: starting the offline console (type /help; quit to leave).",
        "> ",
    ]
    helped = console.send("/help")
    assert "/help" in helped and "Type /help for commands" in helped  # greeted, then answered
    code, _ = console.finish(None)
    assert code == 0


def test_ctrl_c_at_the_prompt_exits_cleanly(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    console = ConsoleProcess(["console", "--lang", "en", "--db", db], cwd=tmp_path)
    console.until_prompt()
    code, rest = console.interrupt()
    assert code == 0
    assert "Bye! Your progress is saved." in rest
    assert "Traceback" not in console.stderr


def test_quit_typed_at_once_leaves_while_the_workers_still_warm(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    console = ConsoleProcess(["console", "--lang", "en", "--db", db], cwd=tmp_path)
    code, out = console.finish("quit")  # typed at once: the workers are still warming
    assert code == 0
    # the prompt first; "Starting…" when the line came before the core was ready
    bye = r"> quit\n(Starting… \(loading content\)\n)?Bye! Your progress is saved\.\n"
    assert re.fullmatch(bye, out), out
    assert "Traceback" not in console.stderr


def test_a_line_typed_at_once_is_answered_while_the_workers_warm(tmp_path: Path) -> None:
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    console = ConsoleProcess(["console", "--lang", "en", "--db", db], cwd=tmp_path)
    assert console.proc.stdin is not None
    console.proc.stdin.write(b"/help\n")
    console.proc.stdin.flush()
    out = console.until_prompt()
    out += console.until_prompt() if "/leaderboard" not in out else ""
    assert "/leaderboard" in out
    code, _ = console.finish("quit")
    assert code == 0


def test_bilingual_session_prints_each_picture_once(tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    db = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    console = ConsoleProcess(
        ["console", "--out-dir", str(out_dir), "--lang", "both", "--db", db], cwd=tmp_path
    )
    console.until_prompt()
    trained = console.send("/train xor adam epochs 30")
    # the line came before the core was ready: first "Starting…" and the banner, once each
    before_answer = trained.split("─")[0].splitlines()[1:]
    start = next(i for i, line in enumerate(before_answer) if line.startswith("⚙️"))
    assert all("Starting…" in line or "offline console" in line for line in before_answer[1:start:2])
    assert start in (0, 4)
    # then a few plain lines (the run; the warm-up or queue place; the progress), never a spinner's frames
    waiting = before_answer[start:]
    assert 1 <= len(waiting) <= 6 and "\r" not in trained, waiting
    assert waiting[0].startswith("⚙️ Training चल रही है") and "⚙️ Training `mlp" in waiting[0]
    saved = re.findall(r"🖼\s+चित्र: (.+\.png)", trained)  # the label on one line, as titles
    assert len(saved) == 2, trained
    for path in saved:
        assert trained.count(path) == 1
        assert_png(Path(path))
    assert console.finish("quit")[0] == 0
