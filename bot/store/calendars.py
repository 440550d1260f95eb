"""Each class's school calendar (bot.core.calendar), read from its schedules: what streaks follow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, select

from bot.core.calendar import ScheduleDays, SchoolCalendar
from bot.core.schedules import Pause
from bot.store.db import chunks
from bot.store.models import Schedule


def schedule_days(weekdays: str, pauses: list | None, paused: bool) -> ScheduleDays:
    return ScheduleDays(
        frozenset(int(day) for day in weekdays.split(",") if day),
        tuple(Pause(dt.date.fromisoformat(a), dt.date.fromisoformat(b)) for a, b in pauses or ()),
        bool(paused),
    )


def calendars(connection: Connection, community_ids: Iterable[int]) -> dict[int, SchoolCalendar]:
    """The calendar of each of these classes (Monday to Friday for one with no schedule)."""
    found: dict[int, list[ScheduleDays]] = {community_id: [] for community_id in community_ids}
    for chunk in chunks(sorted(found)):
        rows = connection.execute(
            select(Schedule.community_id, Schedule.weekdays, Schedule.pauses, Schedule.paused).where(
                Schedule.community_id.in_(chunk)
            )
        )
        for community_id, weekdays, pauses, paused in rows:
            found[community_id].append(schedule_days(weekdays, pauses, paused))
    return {community_id: SchoolCalendar.of(days) for community_id, days in found.items()}
