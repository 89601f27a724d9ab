"""ProgressService: lesson progress, XP, streaks, mastery, leaderboards, stats (SQLite and PostgreSQL)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import InvalidRequest, NotFound
from bot.progress.learners import LearnerService
from bot.progress.service import ProgressService
from bot.progress.stats import SERIES_DAYS
from bot.progress.xp import XP
from bot.quiz.bank import MemoryBank
from bot.quiz.session import QuizService
from bot.quiz.views import QuestionView
from tests.db.support import Clock, right_answer, wrong_answer

ME, YOU, THEM = 11, 22, 33
GUILD, OTHER_GUILD = 900, 901


@pytest.fixture
def progress(sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock) -> ProgressService:
    return ProgressService(sessions, bank, clock=clock)


@pytest.fixture
def learners(sessions: async_sessionmaker[AsyncSession], clock: Clock) -> LearnerService:
    return LearnerService(sessions, clock=clock)


@pytest.fixture
def quiz(sessions: async_sessionmaker[AsyncSession], bank: MemoryBank, clock: Clock) -> QuizService:
    return QuizService(sessions, bank, clock=clock, rng=random.Random(2))


async def test_pages_and_completion_earn_xp_once(progress: ProgressService) -> None:
    first = await progress.record_page(ME, "neuron", 0, display_name="Asha")
    again = await progress.record_page(ME, "neuron", 0)
    second = await progress.record_page(ME, "neuron", 1)
    assert (first.xp, again.xp, second.xp) == (XP["lesson_page"], 0, XP["lesson_page"])
    back = await progress.record_page(ME, "neuron", 0)
    assert back.page == 1 and not back.completed
    done = await progress.complete_lesson(ME, "neuron")
    assert done.completed and done.xp == XP["lesson_completed"]
    assert (await progress.complete_lesson(ME, "neuron")).xp == 0
    assert await progress.total_xp(ME) == 2 * XP["lesson_page"] + XP["lesson_completed"]
    assert (await progress.lessons(ME))["neuron"].completed


async def test_bad_lesson_page_and_learner_are_domain_errors(progress: ProgressService) -> None:
    with pytest.raises(NotFound) as err:
        await progress.record_page(ME, "nope", 0)
    assert err.value.code == "lesson.not_found"
    with pytest.raises(InvalidRequest):
        await progress.record_page(ME, "neuron", -1)
    with pytest.raises(NotFound) as err:
        await progress.stats(123456789)
    assert err.value.code == "learner.not_found" and err.value.message_hi


async def test_streak_across_a_local_midnight(
    progress: ProgressService, learners: LearnerService, clock: Clock
) -> None:
    await learners.ensure(ME, "Asha")  # Asia/Kolkata by default
    clock.now = datetime(2025, 3, 10, 18, 0, tzinfo=UTC)  # 23:30 in Kolkata
    await progress.record_page(ME, "neuron", 0)
    clock.now = datetime(2025, 3, 10, 19, 0, tzinfo=UTC)  # 00:30 the next day in Kolkata
    await progress.record_page(ME, "neuron", 1)
    assert (await progress.streak(ME)).current == 2
    await learners.set_timezone(ME, "Europe/London")  # both were on the 10th in London
    assert (await progress.streak(ME)).current == 1


async def test_mastery_uses_recent_answers(
    quiz: QuizService, progress: ProgressService, clock: Clock
) -> None:
    for round_number in range(3):
        view = await quiz.start(ME, "neuron", count=5)
        next_view: QuestionView | None = view
        while next_view is not None:
            clock.advance(seconds=5)
            typed = right_answer(next_view.question) if round_number > 0 else wrong_answer(next_view.question)
            next_view = (await quiz.answer(view.session_id, ME, typed, next_view.number)).next
    mastery = {m.lesson_id: m for m in await progress.mastery(ME)}
    # 15 answers: the 10 most recent are all right, the 5 early misses have aged out.
    assert (mastery["neuron"].answered, mastery["neuron"].correct, mastery["neuron"].level) == (
        10,
        10,
        "mastered",
    )
    assert mastery["activation"].level == "new" and mastery["activation"].score == 0.0
    assert [m.lesson_id for m in await progress.mastery(ME)] == ["neuron", "activation"]


async def test_leaderboard_per_guild_week_and_all_time(
    progress: ProgressService, learners: LearnerService, clock: Clock
) -> None:
    for learner, name in ((ME, "Asha"), (YOU, "Ravi"), (THEM, "Meera")):
        await learners.join_guild(learner, GUILD, name)
    await learners.join_guild(THEM, OTHER_GUILD)
    await progress.complete_lesson(YOU, "neuron", guild_id=GUILD)  # 25 XP, long ago
    clock.advance(days=10)
    await progress.record_page(ME, "neuron", 0, guild_id=GUILD)
    await progress.record_page(ME, "neuron", 1, guild_id=GUILD)  # 4 XP this week
    await progress.record_training_run(  # 15
        THEM, "train", {"dataset": "xor"}, {"final_loss": 0.01}, guild_id=GUILD
    )
    week = await progress.leaderboard(GUILD, "week", learner_id=YOU)
    assert [(r.rank, r.display_name, r.xp) for r in week.rows] == [
        (1, "Meera", 15),
        (2, "Asha", 4),
        (3, "Ravi", 0),
    ]
    assert week.you is not None and week.you.rank == 3
    ever = await progress.leaderboard(GUILD, "all", limit=2)
    assert [(r.display_name, r.xp) for r in ever.rows] == [("Ravi", 25), ("Meera", 15)] and ever.you is None
    other = await progress.leaderboard(OTHER_GUILD, "all")
    assert [r.learner_id for r in other.rows] == [THEM]
    with pytest.raises(InvalidRequest):
        await progress.leaderboard(GUILD, "year")


async def test_leaderboards_do_not_mix_servers(
    progress: ProgressService, learners: LearnerService, quiz: QuizService
) -> None:
    await learners.join_guild(ME, GUILD, "Asha")
    await learners.join_guild(ME, OTHER_GUILD, "Asha K.")  # her name in the other server
    await learners.join_guild(YOU, OTHER_GUILD, "Ravi")
    await progress.record_page(ME, "neuron", 0, guild_id=GUILD)  # 2 XP here
    await progress.record_training_run(ME, "train", {}, {}, guild_id=OTHER_GUILD)  # 15 XP there
    await progress.record_training_run(ME, "train", {}, {})  # 15 XP in a DM: no server's
    view = await quiz.start(YOU, "neuron", count=1, guild_id=OTHER_GUILD)
    await quiz.answer(view.session_id, YOU, right_answer(view.question), 1)  # 10 + 20 XP there
    here = await progress.leaderboard(GUILD, "all")
    there = await progress.leaderboard(OTHER_GUILD, "all", learner_id=ME)
    assert [(r.display_name, r.xp) for r in here.rows] == [("Asha", 2)]
    assert [(r.display_name, r.xp) for r in there.rows] == [("Ravi", 30), ("Asha K.", 15)]
    assert there.you is not None and (there.you.rank, there.you.xp) == (2, 15)


async def test_week_and_month_begin_at_midnight_in_the_servers_time_zone(
    progress: ProgressService, learners: LearnerService, clock: Clock
) -> None:
    await learners.join_guild(ME, GUILD, "Asha")
    clock.now = datetime(2025, 2, 28, 18, 0, tzinfo=UTC)  # Friday 28 Feb, 23:30 in Kolkata
    await progress.record_page(ME, "neuron", 0, guild_id=GUILD)
    clock.now = datetime(2025, 3, 2, 18, 40, tzinfo=UTC)  # Monday 3 March, 00:10 in Kolkata (UTC: Sunday)
    await progress.record_page(ME, "neuron", 1, guild_id=GUILD)
    board = {p: (await progress.leaderboard(GUILD, p)).rows[0].xp for p in ("week", "month", "all")}
    assert board == {"week": 2, "month": 2, "all": 4}
    # in London it is still Sunday 2 March: the week began on 24 February, with both pages in it
    london = await progress.leaderboard(GUILD, "week", timezone="Europe/London")
    assert london.rows[0].xp == 4 and london.since == datetime(2025, 2, 24, tzinfo=UTC)


async def test_stats_summary_and_30_day_series(
    quiz: QuizService, progress: ProgressService, learners: LearnerService, clock: Clock
) -> None:
    await learners.ensure(ME, "Asha")
    clock.now = datetime(2025, 3, 1, 6, 0, tzinfo=UTC)
    view = await quiz.start(ME, "activation", count=3)
    current: QuestionView | None = view
    answers = [True, False, True]
    for right in answers:
        assert current is not None
        typed = right_answer(current.question) if right else wrong_answer(current.question)
        current = (await quiz.answer(view.session_id, ME, typed, current.number)).next
    clock.advance(days=3)
    await progress.complete_lesson(ME, "activation")
    run_id = await progress.record_training_run(
        ME, "compare", {"optimizers": ["sgd", "adam"]}, {"best": "adam"}
    )
    stats = await progress.stats(ME)
    assert (stats.answered, stats.correct) == (3, 2) and stats.accuracy == pytest.approx(2 / 3)
    assert (
        stats.total_xp
        == 2 * XP["correct_answer"] + 13 + XP["lesson_completed"] + XP["training_run"]  # 2/3 of the 20
    )
    assert stats.lessons_completed == ["activation"] and stats.training_runs == 1
    assert stats.reviews_due == 1  # the missed question, due minutes after the miss
    assert len(stats.series) == SERIES_DAYS and stats.series[-1].day.isoformat() == "2025-03-04"
    by_day = {p.day.isoformat(): p for p in stats.series}
    assert by_day["2025-03-01"].accuracy == pytest.approx(2 / 3) and by_day["2025-03-02"].accuracy is None
    assert by_day["2025-03-04"].xp == XP["lesson_completed"] + XP["training_run"]
    chart = stats.chart_data()
    assert len(chart["days"]) == len(chart["accuracy"]) == len(chart["xp"]) == SERIES_DAYS
    runs = await progress.training_runs(ME)
    assert [(r.id, r.kind, r.result) for r in runs] == [(run_id, "compare", {"best": "adam"})]
    assert stats.streak.current == 1 and stats.streak.longest == 1


async def test_learner_preferences(learners: LearnerService) -> None:
    assert await learners.get(ME) is None
    info = await learners.ensure(ME, "Asha")
    assert (info.language, info.timezone) == (None, "Asia/Kolkata")
    assert (await learners.set_language(ME, "hi")).language == "hi"
    assert (await learners.ensure(ME, "Asha K")).display_name == "Asha K"
    with pytest.raises(InvalidRequest) as err:
        await learners.set_language(ME, "fr")
    assert err.value.code == "learner.bad_language"
    with pytest.raises(InvalidRequest) as err:
        await learners.set_timezone(ME, "Mars/Olympus")
    assert err.value.code == "learner.bad_timezone"
    assert await learners.join_guild(ME, GUILD) is True
    assert await learners.join_guild(ME, GUILD) is False


async def test_last_read_is_the_page_read_last_not_the_furthest(
    progress: ProgressService, clock: Clock
) -> None:
    assert await progress.last_read(ME) is None
    await progress.record_page(ME, "neuron", 3)
    clock.advance(seconds=30)
    await progress.record_page(ME, "neuron", 1)  # went back to re-read page 2 (index 1)
    assert await progress.last_read(ME) == ("neuron", 1)
    assert (await progress.lessons(ME))["neuron"].page == 3  # the furthest page is still known
    clock.advance(seconds=30)
    await progress.record_page(ME, "activation", 0)
    assert await progress.last_read(ME) == ("activation", 0)
    assert await progress.last_read(YOU) is None


async def test_each_distinct_training_run_is_counted_and_earns_xp(progress: ProgressService) -> None:
    first = await progress.record_training_run(ME, "train", {"dataset": "xor"}, {"final_loss": 0.01})
    second = await progress.record_training_run(ME, "compare", {"optimizers": ["sgd"]}, {"best": "sgd"})
    assert first != second
    stats = await progress.stats(ME)
    assert stats.training_runs == 2
    assert stats.total_xp == 2 * XP["training_run"]
    assert [run.id for run in await progress.training_runs(ME)] == [second, first]


async def test_training_xp_comes_once_per_distinct_experiment_per_day(
    progress: ProgressService, clock: Clock
) -> None:
    xor = {"dataset": "xor", "optimizer": "adam", "lr": 0.05}
    clock.now = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    for _ in range(5):  # the same experiment again and again: recorded every time, rewarded once
        await progress.record_training_run(ME, "train", xor, {"final_loss": 0.01})
    assert await progress.total_xp(ME) == XP["training_run"]
    await progress.record_training_run(ME, "train", dict(reversed(xor.items())), {})  # same settings
    assert await progress.total_xp(ME) == XP["training_run"]
    await progress.record_training_run(ME, "train", {**xor, "lr": 0.5}, {})  # a new experiment
    await progress.record_training_run(ME, "compare", xor, {})  # another kind of run
    assert await progress.total_xp(ME) == 3 * XP["training_run"]
    clock.advance(days=1)
    await progress.record_training_run(ME, "train", xor, {})  # a new day
    assert await progress.total_xp(ME) == 4 * XP["training_run"]
    await progress.record_training_run(YOU, "train", xor, {})  # another learner's own experiment
    assert await progress.total_xp(YOU) == XP["training_run"]
    assert (await progress.stats(ME)).training_runs == 9


async def test_the_day_of_an_experiment_is_the_learners_own(
    progress: ProgressService, learners: LearnerService, clock: Clock
) -> None:
    await learners.ensure(ME, "Asha")
    await learners.set_timezone(ME, "Asia/Kolkata")
    clock.now = datetime(2025, 3, 1, 18, 0, tzinfo=UTC)  # 23:30 in Kolkata
    await progress.record_training_run(ME, "train", {"dataset": "xor"}, {})
    clock.advance(hours=1)  # 00:30 the next day in Kolkata, still 1 March in UTC
    await progress.record_training_run(ME, "train", {"dataset": "xor"}, {})
    assert await progress.total_xp(ME) == 2 * XP["training_run"]
