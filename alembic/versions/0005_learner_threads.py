"""A thread per learner: the thread the bot opened for each learner in a channel

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 15:00:00.000000

- learner_threads: new table (channel, learner) -> the thread where that learner's long work goes, so it
  is opened once and reused. `guild_settings.replies` may now say "thread" (it fits its String(8)).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learner_threads",
        sa.Column("channel_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("learner_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_learner_threads_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("channel_id", "learner_id", name=op.f("pk_learner_threads")),
    )


def downgrade() -> None:
    # a server that chose "thread" gets public replies again (the value this revision introduced)
    op.execute("UPDATE guild_settings SET replies = 'public' WHERE replies = 'thread'")
    op.drop_table("learner_threads")
