"""a class goal, and the deletion clock of a class whose server or workspace removed the bot

Adds `communities.goal_percent` (no goal until a teacher sets one), `communities.removed_at` (when
the bot was removed; the class's data is deleted 30 days later unless the bot comes back), and an index
on `attempts.created_at` for data retention. On SQLite the communities table is rebuilt with
AUTOINCREMENT, so the id of a deleted class is never given to a new one.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 12:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table(
        "communities",
        schema=None,
        recreate="always" if sqlite else "auto",
        table_kwargs={"sqlite_autoincrement": True} if sqlite else {},
    ) as batch_op:
        batch_op.add_column(sa.Column("goal_percent", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.create_index("ix_attempts_created", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_created")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("removed_at")
        batch_op.drop_column("goal_percent")
