"""streaks follow the class calendar: recomputed from the history with the new rule

Before, any day with a daily question (one a student asked for on a Saturday included) was a day the
whole class had to answer; now a streak counts the class's school days (its schedules' days minus
pauses; Monday to Friday without a schedule), days off never break it, and one missed school day a
half-term is forgiven (bot.core.calendar). Adds `members.streak_freeze_used_on` and replays each
member's daily answers in date order with their class's calendar as it stands now, to set their current
streak, the last school day they answered and their freeze; a best streak only grows (one earned under
the old rule stands). Past attempts' points and recorded streaks are history and stay as they were.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 12:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.core import calendar as streaks
from bot.store.calendars import schedule_days

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MEMBERS_AT_A_TIME = 1000

members = sa.table(
    "members",
    sa.column("id", sa.Integer),
    sa.column("community_id", sa.Integer),
    sa.column("current_streak", sa.Integer),
    sa.column("best_streak", sa.Integer),
    sa.column("last_daily_date", sa.Date),
    sa.column("streak_freeze_used_on", sa.Date),
)
attempts = sa.table("attempts", sa.column("member_id", sa.Integer), sa.column("daily_date", sa.Date))
schedules = sa.table(
    "schedules",
    sa.column("community_id", sa.Integer),
    sa.column("weekdays", sa.String),
    sa.column("pauses", sa.JSON),
    sa.column("paused", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("streak_freeze_used_on", sa.Date(), nullable=True))
    connection = op.get_bind()
    days: dict[int, list] = {}
    for community_id, weekdays, pauses, paused in connection.execute(sa.select(schedules)):
        days.setdefault(community_id, []).append(schedule_days(weekdays, pauses, paused))
    rows = connection.execute(
        sa.select(members.c.id, members.c.community_id, members.c.best_streak).order_by(members.c.id)
    ).all()
    for start in range(0, len(rows), MEMBERS_AT_A_TIME):
        chunk = rows[start : start + MEMBERS_AT_A_TIME]
        answered: dict[int, list] = {}
        history = connection.execute(
            sa.select(attempts.c.member_id, attempts.c.daily_date)
            .where(attempts.c.member_id.in_([m for m, _, _ in chunk]), attempts.c.daily_date.is_not(None))
            .order_by(attempts.c.member_id, attempts.c.daily_date)
        )
        for member_id, day in history:
            answered.setdefault(member_id, []).append(day)
        updates = []
        for member_id, community_id, best_before in chunk:
            calendar = streaks.SchoolCalendar.of(days.get(community_id, ()))
            streak, best = 0, best_before or 0
            last = freeze = None
            for day in answered.get(member_id, ()):
                moved = streaks.step(streak, last, day, calendar, freeze)
                streak, best = moved.streak, max(best, moved.streak)
                last = day if moved.counted else last
                freeze = day if moved.freeze_used else freeze
            updates.append({"member": member_id, "streak": streak, "best": best, "last": last, "freeze": freeze})
        if updates:
            connection.execute(
                members.update()
                .where(members.c.id == sa.bindparam("member"))
                .values(
                    current_streak=sa.bindparam("streak"),
                    best_streak=sa.bindparam("best"),
                    last_daily_date=sa.bindparam("last"),
                    streak_freeze_used_on=sa.bindparam("freeze"),
                ),
                updates,
            )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("streak_freeze_used_on")
