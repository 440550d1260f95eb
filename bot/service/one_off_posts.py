"""A teacher's one-off changes to a channel's posts, kept as scheduled_posts rows (the scheduler's own).

`schedule now` claims today's post for the scheduler to send at once, and `schedule skip` marks the next
posting day skipped; `schedule resume` takes the teachers' skips back. One row per schedule per local date
(uq_scheduled_posts_schedule_date) is what makes these hold: the scheduler's claim for a slot finds the day
taken, so a post sent with `schedule now` is today's post, and a skipped day is passed over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import schedules as rules
from bot.store.db import chunks, upsert_insert
from bot.store.models import ScheduledPost

SKIPPED_BY_TEACHER = "skipped by a teacher"  # last_error of a teacher's skip, told apart from a day that ran out
OPEN = ("pending", "sending")  # as posts.OPEN: a claim still someone's to finish
RETRIED_NOW = ("skipped", "failed")  # today's post a teacher asks for again: it goes out now after all


async def post_today(
    session: AsyncSession, dialect: str, schedule_id: int, today: dt.date, now: dt.datetime
) -> str | None:
    """Today's post, pending with no owner and due now, so the scheduler's next claim sends it (once: the
    row is unique). Returns its status before: None (there was none), or "sent" (then nothing changes)."""
    row = await _today(session, schedule_id, today)
    before = row.status if row is not None else None
    if row is None:
        values = {"status": "pending", "owner": None, "attempts": 0, "claimed_at": now, "next_try_at": now}
        insert = upsert_insert(dialect)(ScheduledPost).values(schedule_id=schedule_id, local_date=today, **values)
        await session.execute(insert.on_conflict_do_nothing())  # the scheduler may claim it at this moment
        row = await _today(session, schedule_id, today)
        assert row is not None
    elif row.status in RETRIED_NOW:
        row.status, row.owner, row.attempts, row.last_error = "pending", None, 0, None
        row.claimed_at = row.next_try_at = now
    elif row.status == "pending" and row.owner is None:
        row.next_try_at = now  # a retry waiting out its back-off: now instead
    await session.flush()
    return before


async def skip_day(session: AsyncSession, dialect: str, schedule_id: int, day: dt.date, now: dt.datetime) -> None:
    """Mark a coming posting day skipped: the scheduler's claim for it then finds the day taken."""
    values = {"status": "skipped", "attempts": 0, "claimed_at": now, "next_try_at": now}
    insert = upsert_insert(dialect)(ScheduledPost).values(
        schedule_id=schedule_id, local_date=day, last_error=SKIPPED_BY_TEACHER, **values
    )
    await session.execute(insert.on_conflict_do_nothing())


async def unskip(session: AsyncSession, schedule_id: int, today: dt.date) -> None:
    """Take back the teachers' skips of today and the days to come."""
    await session.execute(
        delete(ScheduledPost).where(
            ScheduledPost.schedule_id == schedule_id,
            ScheduledPost.local_date >= today,
            ScheduledPost.status == "skipped",
            ScheduledPost.last_error == SKIPPED_BY_TEACHER,
        )
    )


async def days_taken(
    session: AsyncSession, schedule_ids: Iterable[int], today: dt.date
) -> dict[int, dict[dt.date, str]]:
    """Each schedule's posts from `today` on (at most a few): local date -> status."""
    taken: dict[int, dict[dt.date, str]] = {}
    for chunk in chunks(sorted(set(schedule_ids))):
        rows = await session.execute(
            select(ScheduledPost.schedule_id, ScheduledPost.local_date, ScheduledPost.status).where(
                ScheduledPost.schedule_id.in_(chunk), ScheduledPost.local_date >= today
            )
        )
        for schedule_id, day, status in rows:
            taken.setdefault(schedule_id, {})[day] = status
    return taken


def next_free_slot(rule: rules.ScheduleRule, now: dt.datetime, taken: Iterable[dt.date]) -> dt.datetime | None:
    """The first slot after `now` on a day that has no post yet (not sent, skipped or claimed)."""
    days = set(taken)
    after = now
    while (slot := rule.next_slot(after)) is not None:
        if rule.local_date(slot) not in days:
            return slot
        after = slot
    return None


def next_free_day(rule: rules.ScheduleRule, now: dt.datetime, taken: Iterable[dt.date]) -> dt.date | None:
    """The local date of the next post: today's when its slot has passed and it has none yet (it goes out
    at once), else the next free slot's."""
    days = set(taken)
    today = rule.due_now(now)
    if today is not None and today not in days:
        return today
    slot = next_free_slot(rule, now, days)
    return rule.local_date(slot) if slot is not None else None


async def _today(session: AsyncSession, schedule_id: int, today: dt.date) -> ScheduledPost | None:
    return await session.scalar(
        select(ScheduledPost)
        .where(ScheduledPost.schedule_id == schedule_id, ScheduledPost.local_date == today)
        .execution_options(populate_existing=True)
    )
