"""The teacher's use cases without Discord: who may use them, upload limits, uploaded questions asked
only in their server, another member's progress, the live quiz's time limit, resets per server."""

from __future__ import annotations

import csv
import io
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Dialect, insert, select

from bot.classroom.live import GRACE_SECONDS
from bot.classroom.report import BATCH
from bot.content.loader import MAX_UPLOAD_BYTES, MAX_UPLOAD_QUESTIONS
from bot.core import progress, teacher
from bot.core.learners import Learner, identify
from bot.core.quiz import start_quiz
from bot.core.status import Silent
from bot.core.tutor import Tutor
from bot.db.base import UTCDateTime
from bot.db.models import QuizAnswer, QuizSession
from bot.errors import InvalidRequest
from bot.quiz.bank import server_of

SERVER, OTHER = 7, 8
QUESTION = """\
  - id: {id}
    section: biological
    kind: true_false
    difficulty: easy
    prompt:
      en: "True or false: dendrites listen ({id})."
      hi: "सही या ग़लत: dendrites सुनते हैं ({id})।"
    answer: true
    explanation:
      en: "They take in signals."
      hi: "वे signals लेते हैं।"
"""


class LastOnes:
    """Draws the last questions of the pool (where a server's own questions are added)."""

    def sample(self, pool: list[object], count: int) -> list[object]:
        return pool[-count:]


def quiz_file(*ids: str) -> bytes:
    return ("lesson: neuron\nquestions:\n" + "".join(QUESTION.format(id=i) for i in ids)).encode()


async def _teacher(tutor: Tutor, guild: int = SERVER, lang: str = "en-US") -> Learner:
    return await identify(tutor, 900 + guild, "Sir", guild_id=guild, client_locale=lang, manage_server=True)


async def _upload(tutor: Tutor, who: Learner, data: bytes, name: str = "class.yaml") -> str:
    async def read() -> bytes:
        return data

    reply = await teacher.upload(tutor, who, name, len(data), read)
    return reply.note


async def test_teacher_tools_refuse_non_teachers_and_direct_messages(tutor: Tutor, asha: Learner) -> None:
    with pytest.raises(InvalidRequest) as raised:
        await teacher.report(tutor, asha)
    assert raised.value.code == "teacher_only"
    in_dm = await identify(tutor, 5, "Dev", manage_server=True)
    with pytest.raises(InvalidRequest) as raised:
        await teacher.export(tutor, in_dm)
    assert raised.value.code == "teacher_needs_server"


async def test_an_upload_over_the_limits_is_refused_and_nothing_is_stored(tutor: Tutor) -> None:
    sir = await _teacher(tutor)
    cases = {
        "big.yaml": b"#" * (MAX_UPLOAD_BYTES + 1),
        "many.yaml": quiz_file(*(f"q{i}" for i in range(MAX_UPLOAD_QUESTIONS + 1))),
        "alias.yaml": b"lesson: neuron\nx: &a [1, 2]\nquestions: *a\n",
        "broken.yaml": b"lesson: neuron\nquestions: [\n",
    }
    expected = {
        "big.yaml": "big.yaml:1: larger than 64 KB",
        "many.yaml": f"many.yaml:2: {MAX_UPLOAD_QUESTIONS + 1} questions: an upload holds at most",
        "alias.yaml": "alias.yaml:3: aliases (*name) are not allowed",
        "broken.yaml": "broken.yaml:3: malformed YAML",
    }
    for name, data in cases.items():
        with pytest.raises(InvalidRequest) as raised:
            await _upload(tutor, sir, data, name)
        assert expected[name] in raised.value.message_en, name
    with pytest.raises(InvalidRequest) as raised:
        await _upload(tutor, sir, quiz_file("q1"), "notes.txt")
    assert raised.value.code == "upload_not_yaml"
    assert tutor.bank.listing(SERVER) == []


async def test_uploaded_questions_are_asked_in_their_server_only_and_survive_a_restart(
    tutor: Tutor, settings: object
) -> None:
    sir = await _teacher(tutor)
    note = await _upload(tutor, sir, quiz_file("ours-1", "ours-2"))
    assert "2 new questions and 0 replaced" in note
    again = await _upload(tutor, sir, quiz_file("ours-2"))
    assert "0 new questions and 1 replaced" in again and "now has 2" in again
    here = await identify(tutor, 1, "Asha", guild_id=SERVER)
    there = await identify(tutor, 2, "Ravi", guild_id=OTHER)
    tutor.quiz._rng = LastOnes()  # type: ignore[assignment]
    asked_here = await start_quiz(tutor, here, "neuron", count=3)
    asked_there = await start_quiz(tutor, there, "neuron", count=3)
    assert asked_here.quiz is not None and asked_there.quiz is not None
    # the quizzes' stored questions: the uploaded ones here, none there
    async with tutor.sessions() as db:
        rows = {row.learner_id: row.questions for row in (await db.scalars(select(QuizSession))).all()}
    owners = {learner: {server_of(qid) for _, qid, _ in questions} for learner, questions in rows.items()}
    assert owners[1] == {None, SERVER} and owners[2] == {None}
    # a new process reads them back from the database
    restarted = await Tutor.create(tutor.settings, start_pool=False)
    try:
        assert [u.local_id for u in restarted.bank.listing(SERVER)] == ["ours-1", "ours-2"]
        assert restarted.bank.listing(OTHER) == []
    finally:
        await restarted.close()


async def test_another_members_progress_is_for_teachers_or_when_shared(tutor: Tutor, asha: Learner) -> None:
    await tutor.progress.record_page(asha.id, "neuron", 0, guild_id=SERVER)
    ravi = await identify(tutor, 102, "Ravi", guild_id=SERVER)
    with pytest.raises(InvalidRequest) as raised:
        await progress.progress(tutor, ravi, Silent(), (asha.id, "Asha"))
    assert raised.value.code == "progress_private"
    sir = await _teacher(tutor)
    seen = await progress.progress(tutor, sir, Silent(), (asha.id, "Asha"))
    assert "Asha" in seen.cards[0].title
    shared = await progress.share_progress(tutor, asha, True)
    assert shared.private and "can now see your /progress" in shared.note
    assert "Asha" in (await progress.progress(tutor, ravi, Silent(), (asha.id, "Asha"))).cards[0].title


async def test_a_live_answer_after_the_time_is_refused_and_recorded_nowhere(tutor: Tutor) -> None:
    sir = await _teacher(tutor)
    await teacher.live_start(tutor, sir, "neuron", seconds=10)
    (game,) = tutor.games.values()
    asked = await teacher.live_next(tutor, sir, game.id)
    choice = next(str(a.args[2]) for a in asked.actions if a.kind == "teacher.live_answer")
    late = game.opened_at + timedelta(seconds=10 + GRACE_SECONDS + 1)  # type: ignore[operator]
    tutor.live.clock = lambda: late
    asha = await identify(tutor, 1, "Asha", guild_id=SERVER)
    with pytest.raises(InvalidRequest) as raised:
        await teacher.live_answer(tutor, asha, game.id, 0, choice)
    assert raised.value.code == "teacher.live_closed"
    assert (await tutor.progress.stats(asha.id)).answered == 0
    with pytest.raises(InvalidRequest):
        await teacher.live_start(tutor, sir, "neuron", seconds=5)


async def test_a_reset_clears_one_server_and_keeps_what_the_learner_did_elsewhere(tutor: Tutor) -> None:
    sir = await _teacher(tutor)
    await identify(tutor, 1, "Asha", guild_id=SERVER)
    await identify(tutor, 1, "Asha", guild_id=OTHER)
    await tutor.progress.record_training_run(1, "train", {"dataset": "xor"}, {}, guild_id=SERVER)
    # another experiment: the same one again the same day earns no XP, wherever it runs
    await tutor.progress.record_training_run(1, "train", {"dataset": "moons"}, {}, guild_id=OTHER)
    confirm = await teacher.reset(tutor, sir, 1, "Asha")
    assert confirm.actions[0].kind == "teacher.reset" and confirm.owner == sir.id
    done = await teacher.confirm_reset(tutor, sir, 1)
    assert "15 XP, 1 training runs" in done.note
    here = await tutor.progress.leaderboard(SERVER, "all", learner_id=1)
    there = await tutor.progress.leaderboard(OTHER, "all", learner_id=1)
    assert here.you is not None and here.you.xp == 0
    assert there.you is not None and there.you.xp == 15


async def test_the_export_has_one_column_per_lesson_and_hindi_headers_for_a_hindi_teacher(
    tutor: Tutor,
) -> None:
    sir = await _teacher(tutor, lang="hi")
    await identify(tutor, 1, "आशा", guild_id=SERVER)
    reply = await teacher.export(tutor, sir)
    (exported,) = reply.files
    header, *rows = list(csv.reader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert header[:2] == ["learner की id", "नाम"]
    assert len(header) == 9 + len(tutor.catalog.lessons)
    assert sorted(row[1] for row in rows) == ["Sir", "आशा"]


async def test_an_assignment_of_an_unknown_kind_is_refused(tutor: Tutor) -> None:
    sir = await _teacher(tutor)
    for use_case in (teacher.assign, teacher.unassign):
        with pytest.raises(InvalidRequest) as raised:
            await use_case(tutor, sir, "essay", "neuron")
        assert raised.value.code == "teacher.bad_assignment_kind"


async def test_the_per_answer_export_streams_every_answer_in_order_with_names_in_the_servers_time(
    tutor: Tutor,
) -> None:
    sir = await _teacher(tutor)
    await identify(tutor, 1, "आशा", guild_id=SERVER)
    await identify(tutor, 2, "Ravi", guild_id=OTHER)
    count = BATCH * 2 + 7  # more than one batch, the last one short
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    async with tutor.sessions() as db, db.begin():
        session = QuizSession(
            learner_id=1, guild_id=SERVER, mode="lesson", lesson_id="neuron", questions=[], started_at=start
        )
        elsewhere = QuizSession(
            learner_id=2, guild_id=OTHER, mode="lesson", lesson_id="neuron", questions=[], started_at=start
        )
        db.add_all([session, elsewhere])
        await db.flush()
        answers = [
            {
                "session_id": session.id,
                "learner_id": 1,
                "guild_id": SERVER,
                "position": n,
                "lesson_id": "neuron",
                "question_id": f"{SERVER}/mine" if n == 0 else "neuron-q1",
                "given": None if n == 1 else "a",
                "correct": n % 2 == 0,
                "skipped": n == 1,
                "seconds": 2.5,
                "answered_at": start + timedelta(seconds=count - n),  # stored newest first
            }
            for n in range(count)
        ]
        answers.append({**answers[-1], "session_id": elsewhere.id, "learner_id": 2, "guild_id": OTHER})
        await db.execute(insert(QuizAnswer), answers)
    reply = await teacher.export(tutor, sir, answers=True)
    assert f"with every answer ({count})" in reply.note
    by_name = {f.filename: f.data for f in reply.files}
    assert by_name["answers.csv"].startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(by_name["answers.csv"].decode("utf-8-sig"))))
    assert header == [
        "answered at", "learner id", "name", "lesson", "question", "given", "correct", "skipped", "seconds"
    ]  # fmt: skip
    assert len(rows) == count and {row[2] for row in rows} == {"आशा"}  # Ravi answered in another server
    times = [row[0] for row in rows]
    assert times == sorted(times)  # oldest first, across batches
    assert times[0] == "2026-03-01 17:30:01"  # Asia/Kolkata, UTC+5:30
    newest = start + timedelta(seconds=count)
    assert rows[-1] == [
        newest.astimezone(ZoneInfo("Asia/Kolkata")).strftime("%Y-%m-%d %H:%M:%S"),
        "1", "आशा", "neuron", "mine", "a", "1", "0", "2.5",
    ]  # fmt: skip
    assert rows[-2][5:] == ["", "0", "1", "2.5"]  # the skip: nothing given


async def test_the_per_answer_export_converts_and_writes_the_answers_off_the_event_loop(
    tutor: Tutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _teacher(tutor)
    await identify(tutor, 1, "आशा", guild_id=SERVER)
    start = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    async with tutor.sessions() as db, db.begin():
        session = QuizSession(
            learner_id=1, guild_id=SERVER, mode="lesson", lesson_id="neuron", questions=[], started_at=start
        )
        db.add(session)
        await db.flush()
        answer = {"session_id": session.id, "learner_id": 1, "guild_id": SERVER, "lesson_id": "neuron"}
        await db.execute(
            insert(QuizAnswer),
            [
                {**answer, "position": n, "question_id": "neuron-q1", "given": "a", "correct": True,
                 "skipped": False, "seconds": 1.0, "answered_at": start + timedelta(seconds=n)}
                for n in range(3)
            ],
        )  # fmt: skip
    threads: dict[str, set[int]] = {"converted": set(), "written": set()}
    read_time = UTCDateTime.process_result_value
    write = teacher.write_answers

    def converted(self: UTCDateTime, value: datetime | None, dialect: Dialect) -> datetime | None:
        threads["converted"].add(threading.get_ident())
        return read_time(self, value, dialect)

    def written(*args: Any) -> None:
        threads["written"].add(threading.get_ident())
        write(*args)

    monkeypatch.setattr(UTCDateTime, "process_result_value", converted)
    monkeypatch.setattr(teacher, "write_answers", written)
    csv_data, count = await teacher.answers_csv(tutor, SERVER, "UTC", "en")
    assert count == 3 and csv_data.count(b"\n") == 4  # the header and three answers
    assert threads["converted"] and threads["written"]
    assert threading.get_ident() not in threads["converted"] | threads["written"]
