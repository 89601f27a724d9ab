"""/teacher in a simulated server: who may use it, settings applied everywhere, the class report with its
heat map, the CSV export read back, assignments, uploads checked and kept on their server, resets, and
a live quiz with three learners; leaderboards that do not mix servers."""

from __future__ import annotations

import csv
import io
from typing import Any

import discord
import simcord

from bot.content.schema import CodeOutput, MultipleChoice, TrueFalse
from bot.core.tutor import Tutor
from tests.cogs.conftest import World, embed_text

PNG = b"\x89PNG"

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


class Classroom:
    """The World's server with a teacher (Manage Server) and Meera, whose Discord speaks Hindi."""

    def __init__(self, world: World, env: simcord.Env, locales: dict[int, str]) -> None:
        self.world = world
        staff = world.guild.create_role("staff", permissions=discord.Permissions(manage_guild=True))
        self.teacher = world.guild.add_member(env.create_user("sir"), roles=[staff])
        self.meera = world.guild.add_member(env.create_user("meera"), nick="मीरा")
        locales[self.meera.id] = "hi"

    async def teach(self, command: str, **options: Any) -> simcord.InteractionResult:
        """The teacher runs `/teacher <command>` in #learn."""
        return await self.teacher.slash(self.world.channel, f"teacher {command}", **options)


def _said(result: simcord.InteractionResult) -> str:
    assert result.response is not None
    message = result.response
    return "\n".join([message.content or "", *(embed_text(e) for e in message.embeds)])


def _can_turn(message: discord.Message) -> bool:
    return any(
        getattr(item, "label", None) == "Next" and not getattr(item, "disabled", False)
        for row in message.components
        for item in getattr(row, "children", [])
    )


def _labels(message: discord.Message) -> list[str]:
    return [
        getattr(item, "label", None) or ""
        for row in message.components
        for item in getattr(row, "children", [])
    ]


async def test_a_learner_who_is_no_teacher_is_refused_in_their_language(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    room = Classroom(world, env, locales)
    refused = await world.alice.slash(world.channel, "teacher report")
    assert refused.ephemeral
    assert _said(refused).startswith("Only this server's teachers can do that")
    hindi = await room.meera.slash(world.channel, "teacher settings", leaderboard=False)
    assert _said(hindi).startswith("यह सिर्फ़ इस server के teachers कर सकते हैं")
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["teacher_only"] * 2
    env.errors.clear()
    board = await world.alice.slash(world.channel, "leaderboard", period="all")
    assert not board.ephemeral and board.response is not None  # nothing was changed by the refusal


async def test_a_member_with_the_teacher_role_teaches_once_the_server_names_the_role(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    room = Classroom(world, env, locales)
    teachers = world.guild.create_role("teachers")
    assistant = world.guild.add_member(env.create_user("asst"), roles=[teachers])
    assert _said(await assistant.slash(world.channel, "teacher questions")).startswith("Only this server's")
    env.errors.clear()
    await room.teach("settings", teacher_role=teachers)
    listed = await assistant.slash(world.channel, "teacher questions")
    assert listed.ephemeral and "no questions of its own yet" in _said(listed)


async def test_settings_are_stored_and_applied_everywhere(
    world: World, env: simcord.Env, locales: dict[int, str], tutor: Tutor
) -> None:
    room = Classroom(world, env, locales)
    shown = await room.teach("settings")
    assert shown.ephemeral and "Asia/Kolkata" in _said(shown) and "public, in the channel" in _said(shown)
    changed = await room.teach(
        "settings",
        language="hi",
        replies="private",
        training=False,
        leaderboard=False,
        timezone="Europe/London",
    )
    said = _said(changed)
    assert said.startswith("Save हो गया।") and "Europe/London" in said and "बंद" in said
    # alice chose no language: the server's is hers now; replies are private; training and board are off
    lesson = await world.alice.slash(world.channel, "lesson", topic="neuron")
    assert lesson.ephemeral and lesson.response is not None
    assert any("न्यूरॉन" in embed_text(e) or "Neuron" in embed_text(e) for e in lesson.response.embeds)
    refused = await world.alice.slash(world.channel, "train", dataset="xor", optimizer="adam")
    assert _said(refused).startswith("इस server के teachers ने यहाँ training बंद की है।")
    board = await world.alice.slash(world.channel, "leaderboard", period="week")
    assert _said(board).startswith("इस server के teachers ने leaderboard बंद किया है।")
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["training_off", "leaderboard_off"]
    env.errors.clear()
    # a learner's own choice still wins over the server's language
    await world.bob.slash(world.channel, "language", name="en")
    assert "Progress of bob" in _said(await world.bob.slash(world.channel, "progress"))
    stored = await tutor.servers.get(world.guild.id)
    tutor.servers._cache.clear()  # read back from the database, not the cache
    assert await tutor.servers.get(world.guild.id) == stored


async def test_report_and_export_show_the_class_with_devanagari_names(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    room = Classroom(world, env, locales)
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    await room.meera.slash(world.channel, "quiz", topic="neuron", count=1)
    await room.meera.click(world.last, label=_labels(world.last)[-1])  # skip: a missed question
    report = await room.teach("report")
    assert report.ephemeral and report.response is not None
    text = _said(report)
    assert "Class report: the whole course" in text
    assert "**alice**" in text and "**मीरा**" in text and "Most missed questions" in text
    assert "wrong 1 of 1" in text
    (heatmap,) = report.response.attachments
    assert heatmap.filename == "class.png" and (await heatmap.read()).startswith(PNG)
    exported = await room.teach("export", answers=True)
    assert exported.ephemeral and exported.response is not None
    files = {a.filename: await a.read() for a in exported.response.attachments}
    assert set(files) == {"class.csv", "answers.csv"}
    assert files["class.csv"].startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs look for
    rows = list(csv.DictReader(io.StringIO(files["class.csv"].decode("utf-8-sig"))))
    assert sorted(r["name"] for r in rows) == ["alice", "sir", "मीरा"]
    meera = next(r for r in rows if r["name"] == "मीरा")
    assert (meera["learner id"], meera["answers"], meera["correct"]) == (str(room.meera.id), "1", "0")
    answers = list(csv.DictReader(io.StringIO(files["answers.csv"].decode("utf-8-sig"))))
    assert [(a["name"], a["skipped"]) for a in answers] == [("मीरा", "1")]
    hindi = await room.teacher.slash(world.channel, "language", name="hi")
    assert hindi.response is not None
    in_hindi = await room.teach("report", lesson="neuron")
    assert "महारत" in _said(in_hindi) and "सबसे ज़्यादा ग़लत हुए questions" in _said(in_hindi)


async def test_an_upload_is_checked_with_file_and_line_and_stays_on_its_server(
    world: World, env: simcord.Env, locales: dict[int, str], tutor: Tutor
) -> None:
    room = Classroom(world, env, locales)
    bad = await room.teach("upload", file=("myclass.yaml", BAD_UPLOAD.encode()))
    said = _said(bad)
    assert bad.ephemeral and said.startswith("myclass.yaml was not stored:")
    # each problem where it is: no explanation, a prompt without Hindi, an answer that is no true/false
    assert "3 problems" in said
    assert "myclass.yaml:3: questions[0]: missing key 'explanation'" in said
    assert "myclass.yaml:8: questions[0].prompt: missing key 'hi'" in said
    assert "myclass.yaml:9: questions[0].answer: Input should be a valid boolean" in said
    assert tutor.bank.listing(world.guild.id) == []
    env.errors.clear()
    good = await room.teach("upload", file=("myclass.yaml", GOOD_UPLOAD.encode()))
    assert "1 new questions and 0 replaced" in _said(good)
    listed = await room.teach("questions")
    assert "`class-q1`" in _said(listed) and "ears" in _said(listed)
    # another server: its own teacher sees none of it, and its quizzes never ask it
    other = env.create_guild()
    hall = other.create_text_channel("hall")
    head = other.create_role("head", permissions=discord.Permissions(manage_guild=True))
    principal = other.add_member(env.create_user("principal"), roles=[head])
    assert "no questions of its own yet" in _said(await principal.slash(hall, "teacher questions"))
    assert tutor.bank.of_server(other.id) == []
    # in its own server, /quiz draws from it like from the built-in questions
    here = [q.id for _, q in tutor.bank.of_server(world.guild.id, "neuron")]
    assert here == [f"{world.guild.id}/class-q1"]
    removed = await room.teach("questions", remove="class-q1")
    assert "Removed question `class-q1`" in _said(removed) and tutor.bank.listing(world.guild.id) == []


async def test_assignments_show_in_progress_and_help_and_who_did_them_in_the_report(
    world: World, env: simcord.Env, locales: dict[int, str], tutor: Tutor
) -> None:
    room = Classroom(world, env, locales)
    made = await room.teach("assign", kind="lesson", lesson="neuron", due="2099-12-31")
    assert made.ephemeral and "Assigned: Lesson **" in _said(made) and "2099-12-31" in _said(made)
    hindi = await room.meera.slash(world.channel, "help")
    assert "आपको दिया गया काम" in _said(hindi) and "बाक़ी" in _said(hindi)
    pages = len(tutor.catalog.lesson("neuron").sections) + 5
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    for _ in range(pages):  # read to the last page (its Next button is disabled)
        if not _can_turn(world.last):
            break
        await world.alice.click(world.last, label="Next")
    mine = _said(await world.alice.slash(world.channel, "progress"))
    assert "Assigned to you" in mine and "· done" in mine
    report = _said(await room.teach("report"))
    assert "done by 1 of 3" in report
    bad = await room.teach("assign", kind="quiz", lesson="neuron", due="31/12/2099")
    assert "is not a date" in _said(bad)
    env.errors.clear()
    gone = await room.teach("unassign", kind="lesson", lesson="neuron")
    assert "Withdrawn" in _said(gone)


async def test_reset_clears_a_learner_after_the_teacher_confirms(
    world: World, env: simcord.Env, locales: dict[int, str], tutor: Tutor
) -> None:
    room = Classroom(world, env, locales)
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    asked = await room.teach("reset", member=world.alice)
    assert asked.ephemeral and asked.response is not None
    assert "Clear every answer, XP and training run of **alice**" in _said(asked)
    assert (await tutor.progress.stats(world.alice.id)).total_xp > 0  # nothing cleared before the confirm
    done = await room.teacher.click(asked.response, label="Clear")
    assert done.ephemeral and "Cleared **alice** in this server" in _said(done)
    assert (await tutor.progress.stats(world.alice.id)).total_xp == 0


async def test_a_live_quiz_with_three_learners_and_a_scoreboard(
    world: World, env: simcord.Env, locales: dict[int, str], tutor: Tutor
) -> None:
    room = Classroom(world, env, locales)
    started = await room.teach("live", lesson="neuron", seconds=60)
    # the class plays in a thread of its own; the teacher is told where, privately
    (thread,) = world.channel.threads
    assert (
        started.ephemeral
        and _said(started) == f"The live quiz is in <#{thread.id}>: the class answers there."
    )
    opening = thread.last_message
    assert opening is not None and "press Next" in (opening.embeds[0].title or "")
    await room.teacher.click(opening, label="Next")
    asked = thread.last_message
    assert asked is not None and "question 1 of" in (asked.embeds[0].title or "")
    (game,) = tutor.games.values()
    question = game.current
    if isinstance(question, MultipleChoice | CodeOutput):
        right, wrong = (
            question.answer.upper(),
            next(o.id for o in question.options if o.id != question.answer).upper(),
        )
    else:
        assert isinstance(question, TrueFalse)
        right, wrong = ("True", "False") if question.answer else ("False", "True")
    first = await world.alice.click(asked, label=right)
    assert first.ephemeral and _said(first).startswith("Right!")
    assert _said(await world.bob.click(asked, label=wrong)).startswith("Not quite.")
    meera = await room.meera.click(asked, label=right)  # the class reads the teacher's language
    assert meera.ephemeral and _said(meera).startswith("सही!")  # her feedback is in hers
    again = await world.alice.click(asked, label=right)
    assert _said(again) == "You have already answered this question."
    env.errors.clear()
    # a learner cannot pace the quiz
    assert _said(await world.bob.click(asked, label="Next")).startswith("Only this server's teachers")
    env.errors.clear()
    await room.teacher.click(asked, label="Next")
    assert thread.last_message is not None
    board = thread.last_message.embeds[0]
    assert board.title == "Scoreboard after question 1"
    lines = (board.description or "").splitlines()
    assert lines[0].startswith("🥇") and lines[-1] == "🥉 bob: 0/1"
    assert {"alice: 1/1", "मीरा: 1/1"} <= {line.split(" ", 1)[1] for line in lines}
    await room.teacher.click(thread.last_message, label="End")
    assert thread.last_message is not None
    final = thread.last_message.embeds[0]
    assert final.title == "Final scoreboard" and "bob: 0/2" in (final.description or "")
    assert tutor.games == {}
    # the answers count toward progress and review like any quiz's
    stats = await tutor.progress.stats(world.alice.id)
    assert (stats.answered, stats.correct) == (1, 1)


async def test_leaderboards_do_not_mix_servers(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    other = env.create_guild()
    hall = other.create_text_channel("hall")
    ravi = other.add_member(env.create_user("ravi"))
    alice_there = other.add_member(world.alice.user)
    await ravi.slash(hall, "lesson", topic="neuron")
    await ravi.click(hall.last_message, label="Next")
    here = await world.alice.slash(world.channel, "leaderboard", period="month")
    there = await alice_there.slash(hall, "leaderboard", period="all")
    assert (here.response.embeds[0].description or "").splitlines() == ["🥇 alice — 2 XP"]  # type: ignore[union-attr]
    lines = (there.response.embeds[0].description or "").splitlines()  # type: ignore[union-attr]
    assert lines == ["🥇 ravi — 4 XP", "🥈 alice — 0 XP"]


async def test_another_members_progress_is_for_teachers_or_by_the_members_choice(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    room = Classroom(world, env, locales)
    await world.alice.slash(world.channel, "lesson", topic="neuron")
    refused = await world.bob.slash(world.channel, "progress", member=world.alice)
    assert refused.ephemeral
    assert _said(refused) == "alice has not chosen to share their progress; only teachers can see it."
    hindi = await room.meera.slash(world.channel, "progress", member=world.alice)
    assert _said(hindi).startswith("alice ने अपनी प्रगति share नहीं की है")
    assert [getattr(e.__cause__, "code", None) for e in env.errors] == ["progress_private"] * 2
    env.errors.clear()
    assert "Progress of alice" in _said(
        await room.teacher.slash(world.channel, "progress", member=world.alice)
    )
    shared = await world.alice.slash(world.channel, "progress", share=True)
    assert shared.ephemeral and "can now see your </progress:" in _said(shared)  # a clickable mention
    assert "Progress of alice" in _said(await world.bob.slash(world.channel, "progress", member=world.alice))


def _hindi_teacher(world: World, env: simcord.Env, locales: dict[int, str]) -> simcord.MemberActor:
    """A second teacher of the World's server, whose Discord speaks Hindi."""
    staff = world.guild.create_role("शिक्षक", permissions=discord.Permissions(manage_guild=True))
    guru = world.guild.add_member(env.create_user("guru"), roles=[staff])
    locales[guru.id] = "hi"
    return guru


async def test_a_hindi_teacher_exports_uploads_assigns_and_resets_in_hindi(
    world: World, env: simcord.Env, locales: dict[int, str], tutor: Tutor
) -> None:
    room = Classroom(world, env, locales)
    guru = _hindi_teacher(world, env, locales)
    await room.meera.slash(world.channel, "quiz", topic="neuron", count=1)
    await room.meera.click(world.last, label=_labels(world.last)[-1])
    exported = await guru.slash(world.channel, "teacher export", answers=True)
    assert exported.ephemeral and exported.response is not None
    assert _said(exported).startswith("इस server की class की CSV file (") and "हर जवाब के साथ (1)" in _said(
        exported
    )
    files = {a.filename: await a.read() for a in exported.response.attachments}
    answers = list(csv.DictReader(io.StringIO(files["answers.csv"].decode("utf-8-sig"))))
    assert [(a["नाम"], a["छोड़ा"]) for a in answers] == [("मीरा", "1")]
    bad = await guru.slash(world.channel, "teacher upload", file=("myclass.yaml", BAD_UPLOAD.encode()))
    assert _said(bad).startswith("myclass.yaml save नहीं हुई: 3 समस्याएँ। इन्हें ठीक करके फिर upload करें:")
    assert "myclass.yaml:8: questions[0].prompt: missing key 'hi'" in _said(bad)
    env.errors.clear()
    good = await guru.slash(world.channel, "teacher upload", file=("myclass.yaml", GOOD_UPLOAD.encode()))
    assert "1 नए questions, 0 बदले गए" in _said(good) and "</quiz:" in _said(good)
    made = await guru.slash(world.channel, "teacher assign", kind="quiz", lesson="neuron", due="2099-12-31")
    assert _said(made).startswith("Assign हो गया: क्विज़ (quiz) **") and ", due 2099-12-31।" in _said(made)
    again = await guru.slash(world.channel, "teacher assign", kind="quiz", lesson="neuron")
    assert _said(again).startswith("पहले से assigned है:") and "की अब कोई due date नहीं है।" in _said(again)
    asked = await guru.slash(world.channel, "teacher reset", member=room.meera)
    assert asked.response is not None
    assert _said(asked).startswith("इस server में **मीरा** के सारे जवाब, XP और training runs मिटा दें?")
    done = await guru.click(asked.response, label="मिटाएँ")
    assert done.ephemeral and _said(done).startswith("इस server में **मीरा** का सब कुछ मिटा दिया: 1 जवाब")
    assert (await tutor.progress.stats(room.meera.id)).answered == 0


async def test_long_work_goes_to_the_learners_own_thread_opened_once_per_channel(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    room = Classroom(world, env, locales)
    chosen = await room.teach("settings", replies="thread")
    assert "long work (training runs, quizzes) in a thread per learner" in _said(chosen)
    first = await world.alice.slash(world.channel, "quiz", topic="neuron", count=1)
    (thread,) = world.channel.threads
    assert thread.name == "alice's tutor thread"
    assert first.ephemeral and _said(first) == f"This continues in your own thread: <#{thread.id}>"
    asked = thread.last_message
    assert asked is not None and asked.embeds and _labels(asked)  # the question and its buttons
    await world.alice.click(asked, label=_labels(asked)[0])  # answered there, in place
    again = await world.alice.slash(world.channel, "quiz", topic="neuron", count=1)
    assert _said(again) == _said(first) and len(world.channel.threads) == 1
    hers = await room.meera.slash(world.channel, "quiz", topic="neuron", count=1)
    assert len(world.channel.threads) == 2 and "आपके अपने thread" in _said(hers)
    board = await world.alice.slash(world.channel, "leaderboard", period="all")
    assert not board.ephemeral and len(world.channel.threads) == 2  # short replies stay in the channel


async def test_a_quiz_asked_by_mention_goes_to_the_same_own_thread(
    world: World, env: simcord.Env, locales: dict[int, str]
) -> None:
    room = Classroom(world, env, locales)
    await room.teach("settings", replies="thread")
    await world.alice.slash(world.channel, "quiz", topic="neuron", count=1)
    (thread,) = world.channel.threads
    await world.alice.send(world.channel, f"<@{env.bot.user.id}> quiz me on activation functions")  # type: ignore[union-attr]
    assert world.last.content == f"This continues in your own thread: <#{thread.id}>"
    assert len(world.channel.threads) == 1
    asked = thread.last_message
    assert asked is not None and "Question 1/" in (asked.embeds[0].footer.text or "")
