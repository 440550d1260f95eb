"""Essay plans: each student's plans for exam-style essay questions

Adds `essay_plans` (one row per plan: the essay, when it was begun and finished, the factors and evidence
chosen, the judgement written and the level a plan like it aims at). It starts empty; every existing row
of every other table is left as it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "essay_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("essay_id", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("factors", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=True),
        sa.Column("judgement", sa.Text(), nullable=True),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_essay_plans_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_essay_plans")),
    )
    with op.batch_alter_table("essay_plans", schema=None) as batch_op:
        batch_op.create_index("ix_essay_plans_member", ["member_id", "started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("essay_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_essay_plans_member")
    op.drop_table("essay_plans")
