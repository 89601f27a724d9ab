"""lesson_progress.last_page (resume where the learner last read), learners.locale (Discord client locale)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# recreate="never": plain ALTER TABLE ADD/DROP COLUMN on SQLite too. Rebuilding `learners` would drop
# the table every other table references with ON DELETE CASCADE, which deletes their rows.


def upgrade() -> None:
    with op.batch_alter_table("learners", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), nullable=True))
    with op.batch_alter_table("lesson_progress", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("last_page", sa.Integer(), server_default="0", nullable=False))
    # Before this revision only the furthest page was kept: the best guess of where the learner was.
    op.execute("UPDATE lesson_progress SET last_page = page")


def downgrade() -> None:
    with op.batch_alter_table("lesson_progress", recreate="never") as batch_op:
        batch_op.drop_column("last_page")
    with op.batch_alter_table("learners", recreate="never") as batch_op:
        batch_op.drop_column("locale")
