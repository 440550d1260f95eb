"""private by default: pseudonyms on public boards, a choice per student and a default per class

Adds `communities.board_default` ("pseudonym" for every class, existing ones included: the students are
mostly under 18, and the UK Age Appropriate Design Code asks for high privacy by default), and
`members.board_name` (NULL: the class's default), `members.pseudonym` (unique in the class) and
`members.pseudonym_changed_at`. Every existing member gets their pseudonym, the one bot.core.privacy
gives them at enrolment.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.core import privacy

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

members = sa.table(
    "members",
    sa.column("id", sa.Integer),
    sa.column("community_id", sa.Integer),
    sa.column("external_id", sa.String),
    sa.column("pseudonym", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("board_default", sa.String(length=16), server_default="pseudonym", nullable=False)
        )
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("board_name", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("pseudonym", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("pseudonym_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint("uq_members_community_pseudonym", ["community_id", "pseudonym"])
        batch_op.create_index("ix_members_community_board", ["community_id", "board_name"], unique=False)
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(members.c.id, members.c.community_id, members.c.external_id).order_by(members.c.id)
    ).all()
    taken: dict[int, set[str]] = {}
    named = []
    for member_id, community_id, user_id in rows:
        names = taken.setdefault(community_id, set())
        alias = privacy.pseudonym(community_id, user_id, names)
        names.add(alias)
        named.append({"member": member_id, "alias": alias})
    if named:
        connection.execute(
            members.update().where(members.c.id == sa.bindparam("member")).values(pseudonym=sa.bindparam("alias")),
            named,
        )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_community_board")
        batch_op.drop_constraint("uq_members_community_pseudonym", type_="unique")
        batch_op.drop_column("pseudonym_changed_at")
        batch_op.drop_column("pseudonym")
        batch_op.drop_column("board_name")
    with op.batch_alter_table("communities", schema=None) as batch_op:
        batch_op.drop_column("board_default")
