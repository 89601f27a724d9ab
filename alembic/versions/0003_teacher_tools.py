"""The teacher's tools: server settings, assignments, uploaded questions; where activity happened

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-10 09:00:00.000000

- guild_settings, assignments, server_questions: new tables.
- guild_members.display_name (the name in that server), guild_members.shares_progress.
- guild_id on xp_events, quiz_sessions, quiz_answers and training_runs: the server the activity happened
  in, so leaderboards, class reports and resets count one server only. Rows recorded before this
  revision did not say; a learner who belongs to exactly one server gets that server (the best guess:
  the tutor was used there), anyone else's older rows stay unattributed (NULL, counted nowhere).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# recreate="never" (as in 0002): plain ALTER TABLE on SQLite too, never a rebuild that would cascade.
ACTIVITY = ("xp_events", "quiz_sessions", "quiz_answers", "training_runs")
INDEXES = {
    "xp_events": ("ix_xp_events_guild_time", ["guild_id", "created_at"]),
    "quiz_answers": ("ix_quiz_answers_guild_learner", ["guild_id", "learner_id"]),
}
ONE_SERVER = "SELECT learner_id FROM guild_members GROUP BY learner_id HAVING COUNT(*) = 1"


def upgrade() -> None:
    op.create_table(
        "guild_settings",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("language", sa.String(length=4), nullable=True),
        sa.Column("replies", sa.String(length=8), nullable=False),
        sa.Column("training", sa.Boolean(), nullable=False),
        sa.Column("leaderboard", sa.Boolean(), nullable=False),
        sa.Column("teacher_role_id", sa.BigInteger(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_guild_settings")),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "guild_id", "kind", "lesson_id", name=op.f("uq_assignments_guild_id_kind_lesson_id")
        ),
    )
    op.create_table(
        "server_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("local_id", sa.String(length=48), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("uploaded_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_server_questions")),
        sa.UniqueConstraint("guild_id", "local_id", name=op.f("uq_server_questions_guild_id_local_id")),
    )
    with op.batch_alter_table("guild_members", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("display_name", sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column("shares_progress", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        "UPDATE guild_members SET display_name = "
        "(SELECT display_name FROM learners WHERE learners.id = guild_members.learner_id)"
    )
    for table in ACTIVITY:
        with op.batch_alter_table(table, recreate="never") as batch_op:
            batch_op.add_column(sa.Column("guild_id", sa.BigInteger(), nullable=True))
            if table in INDEXES:
                name, columns = INDEXES[table]
                batch_op.create_index(name, columns, unique=False)
        op.execute(
            f"UPDATE {table} SET guild_id = (SELECT MIN(guild_id) FROM guild_members "
            f"WHERE guild_members.learner_id = {table}.learner_id) WHERE learner_id IN ({ONE_SERVER})"
        )


def downgrade() -> None:
    for table in reversed(ACTIVITY):
        with op.batch_alter_table(table, recreate="never") as batch_op:
            if table in INDEXES:
                batch_op.drop_index(INDEXES[table][0])
            batch_op.drop_column("guild_id")
    with op.batch_alter_table("guild_members", recreate="never") as batch_op:
        batch_op.drop_column("shares_progress")
        batch_op.drop_column("display_name")
    op.drop_table("server_questions")
    op.drop_table("assignments")
    op.drop_table("guild_settings")
