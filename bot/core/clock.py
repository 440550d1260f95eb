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


def local_date(instant: dt.datetime, timezone: str) -> dt.date:
    """The calendar date at `instant` in the named IANA time zone: a class's "today"."""
    return instant.astimezone(zone(timezone)).date()
