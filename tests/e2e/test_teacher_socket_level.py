"""/teacher over the wire: the real `python -m bot` process (started once for the whole module) against
the fake Discord on 127.0.0.1, in two servers.

A member without Manage Server is refused every tool; the report is private with its heat map; the CSV
export reads back with Devanagari names; assignments reach the learners' /help; a malformed upload is
refused with `file:line` problems and a good one stays on its server; a reset waits for its teacher's
confirm; a live quiz is played by three learners in a thread with scoreboards; leaderboards count one
server each. A Hindi teacher gets the export, upload, assignment and reset in Hindi.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio

from tests.e2e.bot_process import BotProcess, Member, Server, posted_in

pytestmark = [pytest.mark.slow, pytest.mark.asyncio(loop_scope="module")]

PNG = b"\x89PNG\r\n\x1a\n"
REFUSED_EN = "Only this server's teachers can do that"
REFUSED_HI = "यह सिर्फ़ इस server के teachers कर सकते हैं"
THREADS_ALLOWED = str(1 << 35 | 1 << 38)  # Create Public Threads, Send Messages in Threads

GOOD_UPLOAD = """\
lesson: neuron
questions:
  - id: class-q1
    section: biological
    kind: true_false
    difficulty: easy
    prompt:
      en: "True or false: our class calls dendrites the neuron's ears."
      hi: "सही या ग़लत: हमारी class dendrites को neuron के कान कहती है।"
    answer: true
    explanation:
      en: "We said so in class: dendrites listen to other neurons."
      hi: "हमने class में यही कहा: dendrites दूसरे neurons को सुनते हैं।"
"""

BAD_UPLOAD = """\
lesson: neuron
questions:
  - id: class-q1
    section: biological
    kind: true_false
    difficulty: easy
    prompt:
      en: "An English prompt without its Hindi side"
    answer: maybe
"""


@dataclass
class Classroom:
    """Two servers: a class (an English and a Hindi teacher, three learners) and another school."""

    bot: BotProcess
    school: Server
    sir: Member  # a teacher whose Discord speaks English
    guru: Member  # a teacher whose Discord speaks Hindi
    alice: Member
    bob: Member
    meera: Member  # a Devanagari name in this server, Hindi Discord
    other: Server
    principal: Member
    ravi: Member


async def _quiz_once(member: Member) -> None:
    """`member` takes a one-question quiz on the neuron and presses its first answer (or Skip)."""
    question = await member.slash("quiz", topic="neuron", count=1)
    answered = await member.click(question, question.button(f"qz:{member.id}:")["custom_id"])
    assert answered.kind == 7  # the question's message becomes its feedback


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def room(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Classroom]:
    folder: Path = tmp_path_factory.mktemp("teacher-e2e")
    bot = BotProcess(folder)
    try:
        await bot.start()
        school, other = Server(bot.fake), Server(bot.fake)
        found = Classroom(
            bot=bot,
            school=school,
            sir=school.member("sir", teacher=True),
            guru=school.member("guru", teacher=True, locale="hi"),
            alice=school.member("alice"),
            bob=school.member("bob"),
            meera=school.member("meera", nick="मीरा", locale="hi"),
            other=other,
            principal=other.member("principal", teacher=True),
            ravi=other.member("ravi"),
        )
        for learner in (found.alice, found.meera):
            await _quiz_once(learner)
        await found.bob.slash("help")  # bob has used the tutor here, without answering
        await found.ravi.slash("lesson", topic="neuron")
        yield found
    finally:
        log = await bot.stop()
    assert bot.token not in log
    assert "Traceback" not in log, log[-3000:]


async def test_a_member_without_manage_server_is_refused_every_teacher_tool(room: Classroom) -> None:
    asked = {
        "report": {},
        "export": {"answers": True},
        "assign": {"kind": "lesson", "lesson": "neuron"},
        "questions": {},
        "reset": {"member": room.alice},
        "live": {"lesson": "neuron"},
        "upload": {"file": ("class.yaml", GOOD_UPLOAD.encode())},
        "settings": {"leaderboard": False},
    }
    for command, options in asked.items():
        refused = await room.bob.slash(f"teacher {command}", **options)
        assert refused.private and refused.text.startswith(REFUSED_EN), (command, refused.text)
    for command in ("export", "upload", "reset"):
        options = asked[command]
        refused = await room.meera.slash(f"teacher {command}", **options)
        assert refused.private and refused.text.startswith(REFUSED_HI), (command, refused.text)
    # nothing was changed: the board is still on, nobody was reset, no question was stored
    board = await room.bob.slash("leaderboard", period="all")
    assert not board.private and "alice" in board.text
    listed = await room.sir.slash("teacher questions")
    assert "no questions of its own yet" in listed.text


async def test_the_report_is_private_with_a_line_per_learner_and_the_heat_map(room: Classroom) -> None:
    report = await room.sir.slash("teacher report")
    assert report.private
    assert "Class report: the whole course" in report.text
    for name in ("alice", "bob", "मीरा"):
        assert f"**{name}**" in report.text
    assert "Most missed questions" in report.text
    assert list(report.files) == ["class.png"] and report.files["class.png"].startswith(PNG)
    one = await room.sir.slash("teacher report", lesson="neuron")
    assert one.private and "mastery" in one.text


def _csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM that makes spreadsheet programs read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


async def test_the_export_reads_back_with_devanagari_names_in_english_and_hindi(room: Classroom) -> None:
    exported = await room.sir.slash("teacher export", answers=True)
    assert exported.private and sorted(exported.files) == ["answers.csv", "class.csv"]
    assert "with every answer (2)" in exported.text
    learners = {row["name"]: row for row in _csv(exported.files["class.csv"])}
    assert {"alice", "bob", "मीरा"} <= set(learners)
    assert (learners["मीरा"]["learner id"], learners["मीरा"]["answers"]) == (str(room.meera.id), "1")
    assert learners["bob"]["answers"] == "0"
    answers = _csv(exported.files["answers.csv"])
    assert sorted(a["name"] for a in answers) == ["alice", "मीरा"]
    assert all(a["lesson"] == "neuron" for a in answers)
    hindi = await room.guru.slash("teacher export")
    assert hindi.private and hindi.text.startswith("इस server की class की CSV file (")
    rows = _csv(hindi.files["class.csv"])
    assert {"learner की id", "नाम", "जवाब", "सटीकता %"} <= set(rows[0])
    assert "मीरा" in {row["नाम"] for row in rows}


async def test_assignments_reach_the_learners_help_in_their_language(room: Classroom) -> None:
    made = await room.sir.slash("teacher assign", kind="lesson", lesson="neuron", due="2099-12-31")
    assert made.private and made.text.startswith("Assigned: Lesson **") and "2099-12-31" in made.text
    hindi = await room.guru.slash("teacher assign", kind="quiz", lesson="neuron")
    assert hindi.private and hindi.text.startswith("Assign हो गया: क्विज़ (quiz) **")
    assert "**, कोई due date नहीं। Learners इसे </progress:" in hindi.text  # commands are clickable
    mine = await room.alice.slash("help")
    assert "Assigned to you" in mine.text and "2099-12-31" in mine.text
    hers = await room.meera.slash("help")
    assert "आपको दिया गया काम" in hers.text and "बाक़ी" in hers.text
    elsewhere = await room.ravi.slash("help")
    assert "Assigned to you" not in elsewhere.text  # another server assigned nothing
    report = await room.sir.slash("teacher report")
    assert "done by 0 of" in report.text


async def test_a_malformed_upload_lists_its_problems_and_a_good_one_stays_on_its_server(
    room: Classroom,
) -> None:
    bad = await room.sir.slash("teacher upload", file=("myclass.yaml", BAD_UPLOAD.encode()))
    assert bad.private and bad.text.startswith("myclass.yaml was not stored: 3 problems.")
    assert "myclass.yaml:3: questions[0]: missing key 'explanation'" in bad.text
    assert "myclass.yaml:8: questions[0].prompt: missing key 'hi'" in bad.text
    assert "myclass.yaml:9: questions[0].answer: Input should be a valid boolean" in bad.text
    hindi = await room.guru.slash("teacher upload", file=("myclass.yaml", BAD_UPLOAD.encode()))
    assert hindi.text.startswith("myclass.yaml save नहीं हुई: 3 समस्याएँ।")
    assert "myclass.yaml:9:" in hindi.text
    assert "no questions of its own yet" in (await room.sir.slash("teacher questions")).text
    good = await room.guru.slash("teacher upload", file=("myclass.yaml", GOOD_UPLOAD.encode()))
    assert good.private and "1 नए questions, 0 बदले गए" in good.text
    listed = await room.sir.slash("teacher questions")
    assert "This server's own questions (1)" in listed.text and "`class-q1`" in listed.text
    there = await room.principal.slash("teacher questions")
    assert "no questions of its own yet" in there.text  # the other server never sees it
    removed = await room.sir.slash("teacher questions", remove="class-q1")
    assert "Removed question `class-q1`" in removed.text


async def test_a_live_quiz_with_three_learners_and_a_scoreboard(room: Classroom) -> None:
    started = await room.sir.slash("teacher live", lesson="neuron", seconds=60)
    (thread,) = room.bot.fake.threads
    assert (
        started.private and started.text == f"The live quiz is in <#{thread['id']}>: the class answers there."
    )
    channel = {**thread, "guild_id": str(room.school.guild_id)}
    opening = await posted_in(room.bot.fake, thread["id"])
    assert "press Next" in opening.text
    asked = await room.sir.click(opening, opening.button("te:next:")["custom_id"], channel)
    assert not asked.private and "question 1 of" in asked.text
    choices = [b["custom_id"] for b in asked.buttons() if b["custom_id"].startswith("te:ans:")]
    assert len(choices) >= 2
    picks = [(room.alice, choices[0]), (room.bob, choices[0]), (room.meera, choices[1])]
    right = {}
    for learner, choice in picks:
        feedback = await learner.click(asked, choice, channel)
        assert feedback.private  # each learner sees their own feedback only
        right[learner.nick or learner.name] = feedback.text.startswith(("Right!", "सही!"))
    assert right["alice"] == right["bob"]  # the same choice, the same verdict
    assert not (right["alice"] and right["मीरा"])  # one question has one right answer
    assert (await room.meera.click(asked, choices[1], channel)).text == "आप इस question का जवाब दे चुके हैं।"
    paced = await room.bob.click(asked, asked.button("te:next:")["custom_id"], channel)
    assert paced.text.startswith(REFUSED_EN)  # a learner cannot pace the quiz
    board = await room.sir.click(asked, asked.button("te:next:")["custom_id"], channel)
    assert "Scoreboard after question 1" in board.text and "question 2 of" in board.text
    scores = dict(re.findall(r"(\S+): (\d)/1", board.text))
    assert scores == {name: str(int(ok)) for name, ok in right.items()}
    final = await room.sir.click(board, board.button("te:end:")["custom_id"], channel)
    assert "Final scoreboard" in final.text and "/2" in final.text


async def test_leaderboards_count_each_server_on_its_own(room: Classroom) -> None:
    here = await room.alice.slash("leaderboard", period="all")
    there = await room.ravi.slash("leaderboard", period="all")
    assert "alice" in here.text and "ravi" not in here.text
    assert "ravi" in there.text and "alice" not in there.text and "मीरा" not in there.text


async def test_a_reset_waits_for_its_teachers_confirm_in_english_and_hindi(room: Classroom) -> None:
    asked = await room.sir.slash("teacher reset", member=room.alice)
    assert asked.private and "Clear every answer, XP and training run of **alice**" in asked.text
    confirm = asked.button(f"te:reset:{room.sir.id}:{room.alice.id}")["custom_id"]
    other = await room.guru.click(asked, confirm)  # only the teacher who asked may confirm
    assert other.private and other.text == "ये buttons किसी और के हैं। अपने लिए slash command से शुरू करें।"
    done = await room.sir.click(asked, confirm)
    assert done.private and re.match(r"Cleared \*\*alice\*\* in this server: [1-9]\d* answers", done.text)
    hindi = await room.guru.slash("teacher reset", member=room.meera)
    assert hindi.text.startswith("इस server में **मीरा** के सारे जवाब, XP और training runs मिटा दें?")
    button = hindi.button(f"te:reset:{room.guru.id}:")
    assert button["label"] == "मिटाएँ"
    cleared = await room.guru.click(hindi, button["custom_id"])
    assert cleared.text.startswith("इस server में **मीरा** का सब कुछ मिटा दिया:")
    rows = {row["name"]: row for row in _csv((await room.sir.slash("teacher export")).files["class.csv"])}
    assert (rows["alice"]["answers"], rows["मीरा"]["answers"]) == ("0", "0")
    assert rows["alice"]["XP"] == rows["मीरा"]["XP"] == "0"
    board = await room.ravi.slash("leaderboard", period="all")
    assert "ravi" in board.text  # the other server's progress is untouched


async def test_long_work_goes_to_each_learners_own_thread_opened_once(room: Classroom) -> None:
    workshop = Server(room.bot.fake, bot_permissions=THREADS_ALLOWED)
    head, kiran = workshop.member("head", teacher=True), workshop.member("kiran")
    chosen = await head.slash("teacher settings", replies="thread")
    assert chosen.private and "long work (training runs, quizzes) in a thread per learner" in chosen.text
    first = await kiran.slash("quiz", topic="neuron", count=1)
    (thread,) = [t for t in room.bot.fake.threads if t["parent_id"] == str(workshop.channel_id)]
    assert thread["name"] == "kiran's tutor thread" and thread["guild_id"] == str(workshop.guild_id)
    assert first.private and first.text == f"This continues in your own thread: <#{thread['id']}>"
    asked = await posted_in(room.bot.fake, thread["id"])
    assert asked.button(f"qz:{kiran.id}:")  # the question, with its buttons, is in the thread
    added = f"/channels/{thread['id']}/thread-members/{kiran.id}"
    assert any(r.method == "PUT" and r.path == added for r in room.bot.fake.requests)
    channel = {**thread}
    answered = await kiran.click(asked, asked.button(f"qz:{kiran.id}:")["custom_id"], channel)
    assert answered.kind == 7  # answered in place, in the thread
    again = await kiran.slash("quiz", topic="neuron", count=1)
    assert again.text == first.text  # the same thread, not a second one
    assert len([t for t in room.bot.fake.threads if t["parent_id"] == str(workshop.channel_id)]) == 1
    assert (await posted_in(room.bot.fake, thread["id"], after=1)).button(f"qz:{kiran.id}:")
    board = await kiran.slash("leaderboard", period="all")
    assert not board.private and "kiran" in board.text  # a short reply stays in the channel


async def test_without_the_right_to_open_threads_long_work_stays_in_the_channel_and_says_why(
    room: Classroom,
) -> None:
    await room.principal.slash("teacher settings", replies="thread")
    here = await room.ravi.slash("quiz", topic="neuron", count=1)
    assert not here.private and here.text.startswith("I may not open threads in this channel")
    assert here.button(f"qz:{room.ravi.id}:")  # the quiz itself, right here
    assert not [t for t in room.bot.fake.threads if t["parent_id"] == str(room.other.channel_id)]
