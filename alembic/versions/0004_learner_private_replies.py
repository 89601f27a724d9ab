"""learners.private_replies (a learner's runs and quizzes answered privately)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# recreate="never": plain ALTER TABLE ADD/DROP COLUMN on SQLite too (a rebuild of `learners` would empty
# the tables that reference it with ON DELETE CASCADE).


def upgrade() -> None:
    with op.batch_alter_table("learners", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column("private_replies", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("learners", recreate="never") as batch_op:
        batch_op.drop_column("private_replies")
