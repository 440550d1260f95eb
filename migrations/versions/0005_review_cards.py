"""spaced review: a card per (member, question), built from the answers already given

Adds `review_cards`, `attempts.rating`, `members.review_reminders` (off) and `review_reminders_sent`,
then replays every member's attempts in time order through FSRS (bot.core.review, with the default
desired retention), so a class that has used the bot for a month gets a review queue on its first day
rather than an empty one. Members are replayed a chunk at a time to keep memory flat on a large database.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 11:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.core import review

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEMBERS_AT_A_TIME = 500

attempts = sa.table(
    "attempts",
    sa.column("member_id", sa.Integer),
    sa.column("question_id", sa.String),
    sa.column("correct", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("id", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rating", sa.SmallInteger(), nullable=True))
    cards = op.create_table(
        "review_cards",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.SmallInteger(), nullable=False),
        sa.Column("step", sa.SmallInteger(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_review_cards_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_review_cards_question_id_questions")),
        sa.PrimaryKeyConstraint("member_id", "question_id", name=op.f("pk_review_cards")),
    )
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.create_index("ix_review_cards_member_due", ["member_id", "due"], unique=False)
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_reminders", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "review_reminders_sent",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_review_reminders_sent_member_id_members"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("member_id", "local_date", name=op.f("pk_review_reminders_sent")),
    )
    replay_history(op.get_bind(), cards)


def replay_history(connection: sa.Connection, cards: sa.Table) -> None:
    member_ids = connection.execute(sa.select(attempts.c.member_id).distinct().order_by(attempts.c.member_id))
    member_ids = list(member_ids.scalars())
    for start in range(0, len(member_ids), MEMBERS_AT_A_TIME):
        chunk = member_ids[start : start + MEMBERS_AT_A_TIME]
        history: dict[tuple[int, str], list] = {}
        rows = connection.execute(
            sa.select(attempts.c.member_id, attempts.c.question_id, attempts.c.created_at, attempts.c.correct)
            .where(attempts.c.member_id.in_(chunk))
            .order_by(attempts.c.member_id, attempts.c.question_id, attempts.c.created_at, attempts.c.id)
        )
        for member_id, question_id, answered_at, correct in rows:
            history.setdefault((member_id, question_id), []).append((answered_at, review.rating_of(correct)))
        built = []
        for (member_id, question_id), answers in history.items():
            card = review.replay(answers)
            built.append(
                {
                    "member_id": member_id,
                    "question_id": question_id,
                    "state": card.state,
                    "step": card.step,
                    "stability": card.stability,
                    "difficulty": card.difficulty,
                    "due": card.due,
                    "last_review": card.last_review,
                    "reviews": card.reviews,
                }
            )
        if built:
            connection.execute(cards.insert(), built)


def downgrade() -> None:
    op.drop_table("review_reminders_sent")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("review_reminders")
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cards_member_due")
    op.drop_table("review_cards")
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("rating")
