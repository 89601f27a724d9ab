"""Progress (XP, streak, accuracy, mastery, the 30-day chart) and the server's leaderboard."""

from __future__ import annotations

from bot.core import pictures
from bot.core.learners import Learner
from bot.core.numbers import clip, percent, place
from bot.core.replies import Card, Field, Picture, Reply, notice
from bot.core.status import Status
from bot.core.teacher import assignments_card
from bot.core.tutor import Tutor
from bot.db.models import DEFAULT_TIMEZONE
from bot.errors import InvalidRequest, NotFound
from bot.i18n import say, tr
from bot.progress.leaderboard import PERIODS

SHOWN = 30  # characters of a period name quoted back


async def progress(
    tutor: Tutor, asker: Learner, status: Status, member: tuple[int, str] | None = None
) -> Reply:
    """The asker's progress, or (`member`: id and name) someone else's, with the 30-day chart; another
    member's is for the server's teachers, or anyone there when that member chose to share it. What the
    server assigned comes with the asker's own."""
    lang = asker.lang
    member_id, name = member if member is not None else (asker.id, asker.name)
    try:
        stats = await tutor.progress.stats(member_id)
    except NotFound:
        if member_id == asker.id:
            raise
        raise NotFound("member_unknown", name=name) from None
    if member_id != asker.id and not asker.teacher:
        shared = asker.guild_id is not None and await tutor.learners.shares_progress(
            member_id, asker.guild_id
        )
        if not shared:
            raise InvalidRequest("progress_private", name=name)
    label = {
        key: tr(key).pick(lang, one_line=True)
        for key in (
            "progress.xp",
            "progress.streak",
            "progress.accuracy",
            "progress.reviews_due",
            "progress.training_runs",
            "progress.mastery",
        )
    }
    one_line = "hi" if lang == "both" else lang  # a value under a label that already says it twice
    titles = {lesson.id: lesson.title for lesson in tutor.catalog.lessons}
    mastery = [
        f"{titles[m.lesson_id].pick(one_line) if m.lesson_id in titles else m.lesson_id}"
        f"{' ✓' if m.lesson_id in stats.lessons_completed else ''}: "
        f"{say(f'progress.level_{m.level}', one_line)} ({m.correct}/{m.answered})"
        for m in stats.mastery
    ]
    fields = (
        Field(
            label["progress.xp"], say("progress.xp_value", one_line, total=stats.total_xp, week=stats.week_xp)
        ),
        Field(
            label["progress.streak"],
            say(
                "progress.streak_value", one_line, current=stats.streak.current, longest=stats.streak.longest
            ),
        ),
        Field(label["progress.accuracy"], f"{stats.correct}/{stats.answered} · {percent(stats.accuracy)}"),
        Field(label["progress.reviews_due"], str(stats.reviews_due)),
        Field(label["progress.training_runs"], str(stats.training_runs)),
        Field(label["progress.mastery"], "\n".join(mastery), inline=False),
    )
    await status.working("")
    png = await pictures.progress_chart(tutor, stats.chart_data(), lang, asker.id)
    card = Card(
        title=tr("progress.title", name=stats.display_name).pick(lang, one_line=True),
        fields=fields,
        pictures=(Picture("progress", png),) if png is not None else (),
        tone="progress",
    )
    assigned = await assignments_card(tutor, asker) if member_id == asker.id else None
    return Reply(cards=(card,) if assigned is None else (card, assigned))


async def share_progress(tutor: Tutor, learner: Learner, share: bool) -> Reply:
    """Let others in this server see the learner's /progress, or stop letting them."""
    if learner.guild_id is None:
        raise InvalidRequest("teacher_needs_server")
    await tutor.learners.share_progress(learner.id, learner.guild_id, share)
    return notice(say("progress.shared" if share else "progress.not_shared", learner.lang), private=True)


async def leaderboard(tutor: Tutor, learner: Learner, period: str) -> Reply:
    """This server's top learners for `period` ('week', 'month' or 'all', in the server's time zone) by
    the XP earned there, and the asker's own place; refused when the server's teachers switched it off."""
    if period not in PERIODS:
        raise InvalidRequest("leaderboard_bad_period", period=clip(period, SHOWN))
    if learner.guild_id is None:
        raise InvalidRequest("leaderboard_needs_server")
    server = learner.server
    if server is not None and not server.leaderboard:
        raise InvalidRequest("leaderboard_off")
    timezone = server.timezone if server is not None else DEFAULT_TIMEZONE
    board = await tutor.progress.leaderboard(
        learner.guild_id, period, learner_id=learner.id, timezone=timezone
    )
    rows = [f"{place(row.rank)} {row.display_name} — {row.xp} XP" for row in board.rows]
    if board.you is not None and all(row.learner_id != board.you.learner_id for row in board.rows):
        rows.append(f"{board.you.rank}. {board.you.display_name} — {board.you.xp} XP")
    title = tr("progress.leaderboard_title", period=tr(f"progress.period_{period}"))
    body = "\n".join(rows) or say("progress.leaderboard_empty", learner.lang)
    return Reply(cards=(Card(title=title.pick(learner.lang, one_line=True), body=body, tone="progress"),))
