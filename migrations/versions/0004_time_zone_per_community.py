"""the time zone belongs to the community

Before, a time zone was written to both `schedules.timezone` and `communities.timezone`; posts were keyed
by the schedule's zone and answers judged by the community's, so two channels in different zones disagreed
about what day it was. Now the community's zone is the only one. Each community takes the zone of its most
recently changed schedule (which the old code had also written to the community), and the schedules'
copies go. A downgrade gives every schedule its community's zone back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

communities = sa.table("communities", sa.column("id", sa.Integer), sa.column("timezone", sa.String))
schedules = sa.table(
    "schedules",
    sa.column("id", sa.Integer),
    sa.column("community_id", sa.Integer),
    sa.column("timezone", sa.String),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    latest = (
        sa.select(schedules.c.timezone)
        .where(schedules.c.community_id == communities.c.id)
        .order_by(schedules.c.updated_at.desc(), schedules.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    has_schedule = sa.exists().where(schedules.c.community_id == communities.c.id)
    op.execute(communities.update().where(has_schedule).values(timezone=latest))
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.drop_column("timezone")


def downgrade() -> None:
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=False, server_default="Europe/London"))
    zone = sa.select(communities.c.timezone).where(communities.c.id == schedules.c.community_id).scalar_subquery()
    op.execute(schedules.update().values(timezone=zone))
    with op.batch_alter_table("schedules", schema=None) as batch_op:
        batch_op.alter_column("timezone", server_default=None)
