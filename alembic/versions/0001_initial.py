"""learners, quizzes, review cards, training runs, xp

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:28:32.976850
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=4), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learners")),
    )
    op.create_table(
        "guild_members",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_guild_members_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("guild_id", "learner_id", name=op.f("pk_guild_members")),
    )
    op.create_table(
        "lesson_progress",
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_lesson_progress_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", "lesson_id", name=op.f("pk_lesson_progress")),
    )
    op.create_table(
        "quiz_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("xp", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_quiz_sessions_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_sessions")),
    )
    with op.batch_alter_table("quiz_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_quiz_sessions_learner_status", ["learner_id", "status"], unique=False)

    op.create_table(
        "review_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_review_cards_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
        sa.UniqueConstraint("learner_id", "question_id", name=op.f("uq_review_cards_learner_id_question_id")),
    )
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.create_index("ix_review_cards_learner_due", ["learner_id", "due"], unique=False)

    op.create_table(
        "training_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_training_runs_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_runs")),
    )
    with op.batch_alter_table("training_runs", schema=None) as batch_op:
        batch_op.create_index("ix_training_runs_learner_time", ["learner_id", "created_at"], unique=False)

    op.create_table(
        "xp_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=128), nullable=True),
        sa.Column("dedupe", sa.String(length=160), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"], ["learners.id"], name=op.f("fk_xp_events_learner_id_learners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xp_events")),
        sa.UniqueConstraint("learner_id", "dedupe", name=op.f("uq_xp_events_learner_id_dedupe")),
    )
    with op.batch_alter_table("xp_events", schema=None) as batch_op:
        batch_op.create_index("ix_xp_events_learner_time", ["learner_id", "created_at"], unique=False)
        batch_op.create_index("ix_xp_events_time", ["created_at"], unique=False)

    op.create_table(
        "quiz_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("given", sa.String(length=500), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_quiz_answers_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["quiz_sessions.id"],
            name=op.f("fk_quiz_answers_session_id_quiz_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_answers")),
        sa.UniqueConstraint("session_id", "position", name=op.f("uq_quiz_answers_session_id_position")),
    )
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_answers_learner_lesson_time", ["learner_id", "lesson_id", "answered_at"], unique=False
        )
        batch_op.create_index("ix_quiz_answers_learner_time", ["learner_id", "answered_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quiz_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_answers_learner_time")
        batch_op.drop_index("ix_quiz_answers_learner_lesson_time")

    op.drop_table("quiz_answers")
    with op.batch_alter_table("xp_events", schema=None) as batch_op:
        batch_op.drop_index("ix_xp_events_time")
        batch_op.drop_index("ix_xp_events_learner_time")

    op.drop_table("xp_events")
    with op.batch_alter_table("training_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_training_runs_learner_time")

    op.drop_table("training_runs")
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cards_learner_due")

    op.drop_table("review_cards")
    with op.batch_alter_table("quiz_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_quiz_sessions_learner_status")

    op.drop_table("quiz_sessions")
    op.drop_table("lesson_progress")
    op.drop_table("guild_members")
    op.drop_table("learners")
