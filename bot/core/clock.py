"""Time: the clock every use case reads, and "today" in a place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """A stored instant in UTC: SQLite hands datetimes back naive, and everything stored is UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def local_date(instant: dt.datetime, timezone: str) -> dt.date:
    """The calendar date at `instant` in the named IANA time zone: a class's "today"."""
    return instant.astimezone(zone(timezone)).date()


def day_bounds(now: dt.datetime, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (exclusive) of the local day containing `now`, in UTC: 23 or 25 hours long on
    the days the clocks change."""
    local = now.astimezone(zone(timezone))
    start = dt.datetime.combine(local.date(), dt.time(), tzinfo=zone(timezone))
    end = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone(timezone))
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)
