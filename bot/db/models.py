"""The tables: learners, their servers, lesson progress, quiz sessions and answers, review cards,
training runs and XP events; and per server (guild): its settings, assignments and uploaded questions.

What a learner does in a server (XP, quiz sessions and answers, training runs) records that server's id
(`guild_id`; None in a DM or the console), so leaderboards, class reports and resets stay per server.
Lesson pages and review cards belong to the learner wherever they read or answered.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

DEFAULT_TIMEZONE = "Asia/Kolkata"


def _learner_fk() -> Any:
    return ForeignKey("learners.id", ondelete="CASCADE")


class Learner(Base):
    """A learner, identified by their Discord user id (the console uses a fixed local id)."""

    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(4))  # hi / en / both; None until chosen
    locale: Mapped[str | None] = mapped_column(String(16))  # the Discord client's locale last seen ("hi")
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # their runs and quizzes answered privately (Discord: ephemeral)
    private_replies: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    def __repr__(self) -> str:
        return (
            f"Learner(id={self.id}, display_name={self.display_name!r}, language={self.language!r}, "
            f"locale={self.locale!r})"
        )


class GuildMember(Base):
    """A learner learns in a Discord server (guild); leaderboards and class reports are per guild."""

    __tablename__ = "guild_members"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk(), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    display_name: Mapped[str | None] = mapped_column(String(100))  # the name in this server, last seen
    # the learner lets others in this server see their /progress
    shares_progress: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class GuildSettings(Base):
    """What a server's teachers chose; a server without a row uses the defaults."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str | None] = mapped_column(String(4))  # hi / en / both for learners who chose none
    replies: Mapped[str] = mapped_column(String(8), default="public")  # public / private / thread
    training: Mapped[bool] = mapped_column(Boolean, default=True)  # /train, /compare, /sweep allowed
    leaderboard: Mapped[bool] = mapped_column(Boolean, default=True)
    teacher_role_id: Mapped[int | None] = mapped_column(BigInteger)  # besides Manage Server
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LearnerThread(Base):
    """The thread the bot opened for one learner in one channel, where their long work goes (opened
    once, then reused)."""

    __tablename__ = "learner_threads"

    channel_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk(), primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    thread_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(Base):
    """A lesson to read or a lesson's quiz to take, assigned in a server, with an optional due time."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("guild_id", "kind", "lesson_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(8))  # lesson / quiz
    lesson_id: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ServerQuestion(Base):
    """A quiz question a server's teacher uploaded; asked only in that server."""

    __tablename__ = "server_questions"
    __table_args__ = (UniqueConstraint("guild_id", "local_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    local_id: Mapped[str] = mapped_column(String(48))  # the id the teacher gave it
    lesson_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the question as its YAML gave it (validated)
    source: Mapped[str] = mapped_column(String(120))  # file:line it came from
    uploaded_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LessonProgress(Base):
    """How far a learner got in one lesson."""

    __tablename__ = "lesson_progress"

    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk(), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, default=0)  # highest page index reached (0-based)
    # the page read most recently (0-based): where "continue reading" opens the lesson
    last_page: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuizSession(Base):
    """One quiz: its questions in order, where the learner is, and the score so far."""

    __tablename__ = "quiz_sessions"
    __table_args__ = (Index("ix_quiz_sessions_learner_status", "learner_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk())
    guild_id: Mapped[int | None] = mapped_column(BigInteger)  # where it was taken; None: a DM, the console
    mode: Mapped[str] = mapped_column(String(16))  # lesson / mixed / review / live
    lesson_id: Mapped[str | None] = mapped_column(String(64))
    # [[lesson_id, question_id, had_review_card (0/1)], ...] in the order they are asked
    questions: Mapped[list[list[Any]]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)  # index of the current question
    correct: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    xp: Mapped[int] = mapped_column(Integer, default=0)
    # active / finished / abandoned; live: a class quiz the teacher is running
    status: Mapped[str] = mapped_column(String(16), default="active")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # current question shown
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class QuizAnswer(Base):
    """Every answer (or skip) a learner gave."""

    __tablename__ = "quiz_answers"
    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        Index("ix_quiz_answers_learner_time", "learner_id", "answered_at"),
        Index("ix_quiz_answers_learner_lesson_time", "learner_id", "lesson_id", "answered_at"),
        Index("ix_quiz_answers_guild_learner", "guild_id", "learner_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(Integer, ForeignKey("quiz_sessions.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk())
    guild_id: Mapped[int | None] = mapped_column(BigInteger)  # the session's server
    position: Mapped[int] = mapped_column(Integer)
    lesson_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(64))
    given: Mapped[str | None] = mapped_column(String(500))  # None when skipped
    correct: Mapped[bool] = mapped_column(Boolean)
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds: Mapped[float] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewCard(Base):
    """FSRS spaced-repetition state of one question for one learner."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("learner_id", "question_id"),
        Index("ix_review_cards_learner_due", "learner_id", "due"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk())
    question_id: Mapped[str] = mapped_column(String(64))
    lesson_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[int] = mapped_column(Integer)  # fsrs.State
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reps: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TrainingRun(Base):
    """A training (or compare) run a learner started: the spec and a summary of the result."""

    __tablename__ = "training_runs"
    __table_args__ = (Index("ix_training_runs_learner_time", "learner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk())
    guild_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(16))  # train / compare
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class XpEvent(Base):
    """XP earned by one activity; `dedupe` makes once-only awards (a lesson completed) idempotent."""

    __tablename__ = "xp_events"
    __table_args__ = (
        UniqueConstraint("learner_id", "dedupe"),
        Index("ix_xp_events_learner_time", "learner_id", "created_at"),
        Index("ix_xp_events_time", "created_at"),
        Index("ix_xp_events_guild_time", "guild_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(BigInteger, _learner_fk())
    guild_id: Mapped[int | None] = mapped_column(BigInteger)  # where it was earned; None: a DM, the console
    kind: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str | None] = mapped_column(String(128))
    dedupe: Mapped[str | None] = mapped_column(String(160))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
