"""When a channel's daily question is due: local times, weekdays, pauses and daylight saving.

All arithmetic is done on the channel's local calendar (zoneinfo), so 08:30 in London stays
08:30 across both clock changes. A slot missed while the bot was down is still due later the
same local day, and skipped once that day is over.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core import clock
from bot.core.errors import InvalidInput

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # date.weekday() order
DAY_NAMES = tuple(name[:3].lower() for name in WEEKDAY_NAMES)
SCHOOL_DAYS = frozenset(range(5))
DEFAULT_TIMEZONE = "Europe/London"
_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Pause:
    start: dt.date
    end: dt.date  # inclusive

    def covers(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class ScheduleRule:
    time_of_day: dt.time
    timezone: str = DEFAULT_TIMEZONE
    weekdays: frozenset[int] = SCHOOL_DAYS
    pauses: tuple[Pause, ...] = field(default_factory=tuple)
    leaderboard_weekday: int | None = 4  # Friday; None for no weekly leaderboard

    @property
    def zone(self) -> ZoneInfo:
        return clock.zone(self.timezone)

    def posts_on(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays and not any(pause.covers(day) for pause in self.pauses)

    def slot_on(self, day: dt.date) -> dt.datetime:
        """The UTC instant of the local time on that local day (a time in a spring-forward gap moves on)."""
        local = dt.datetime.combine(day, self.time_of_day, tzinfo=self.zone)
        return local.astimezone(dt.UTC)

    def local_date(self, instant: dt.datetime) -> dt.date:
        return clock.local_date(instant, self.timezone)

    def due_now(self, now: dt.datetime) -> dt.date | None:
        """The local date whose post is due at `now` (its slot has passed, still the same local day)."""
        today = self.local_date(now)
        if self.posts_on(today) and self.slot_on(today) <= now:
            return today
        return None

    def next_slot(self, after: dt.datetime, *, horizon_days: int = 400) -> dt.datetime | None:
        """The first slot strictly after `after`, or None when every day is paused or no weekday is set."""
        day = self.local_date(after)
        for _ in range(horizon_days):
            if self.posts_on(day):
                slot = self.slot_on(day)
                if slot > after:
                    return slot
            day += dt.timedelta(days=1)
        return None


def parse_time(text: str) -> dt.time:
    match = _TIME.match(text or "")
    if not match:
        raise InvalidInput(f"\u201c{text[:20]}\u201d is not a time of day: use 24-hour HH:MM, such as 08:30.")
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise InvalidInput(f"\u201c{text[:20]}\u201d is not a time of day.")
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        raise InvalidInput(f"\u201c{text[:20]}\u201d is not a time of day.")
    return dt.time(hour, minute)


def parse_timezone(text: str | None) -> str:
    name = (text or DEFAULT_TIMEZONE).strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        lowered = {zone.lower(): zone for zone in available_timezones()}
        if name.lower() in lowered:
            return lowered[name.lower()]
        raise InvalidInput(
            f"\u201c{name[:40]}\u201d is not a time zone: use an IANA name such as Europe/London."
        ) from None
    return name


def parse_days(text: str | None) -> frozenset[int]:
    """'mon-fri', 'weekdays', 'mon,wed,fri', 'every day'."""
    words = (text or "mon-fri").strip().lower()
    if words in {"weekdays", "school days", "mon-fri"}:
        return SCHOOL_DAYS
    if words in {"daily", "every day", "everyday", "all", "mon-sun"}:
        return frozenset(range(7))
    days: set[int] = set()
    for part in re.split(r"[\s,]+", words):
        if not part:
            continue
        first, _, last = part.partition("-")
        try:
            start = DAY_NAMES.index(first[:3])
            end = DAY_NAMES.index(last[:3]) if last else start
        except ValueError:
            raise InvalidInput(
                f"\u201c{part[:20]}\u201d is not a day: use mon, tue, ... or ranges such as mon-fri."
            ) from None
        days.update(range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)])
    if not days:
        raise InvalidInput("Give at least one day, such as mon-fri.")
    return frozenset(days)


def parse_pause(text: str) -> Pause:
    """'2026-12-19..2027-01-04' or a single date."""
    first, _, last = text.strip().replace(" to ", "..").partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if last.strip() else start
    except ValueError:
        raise InvalidInput("Give pause dates as YYYY-MM-DD..YYYY-MM-DD, such as 2026-12-19..2027-01-04.") from None
    if end < start:
        raise InvalidInput("A pause must end on or after the day it starts.")
    return Pause(start, end)


def describe_days(days: frozenset[int]) -> str:
    if days == SCHOOL_DAYS:
        return "Monday to Friday"
    if len(days) == 7:
        return "every day"
    return ", ".join(DAY_NAMES[day].title() for day in sorted(days))


def retry_delay(attempt: int) -> dt.timedelta:
    """Backoff between send attempts: 30 s, 1, 2, 4, 8 minutes."""
    return dt.timedelta(seconds=30 * 2 ** max(attempt - 1, 0))


MAX_SEND_ATTEMPTS = 6
