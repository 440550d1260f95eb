"""The unit's timeline: dated events from the bank, in time order, each once.

The events come from the order items (every event carries its date) and from match items that pair
dates with events. The same event often appears in several items, worded a little differently and dated
more or less precisely ("1927", "14 November 1927"): it is listed once, with its most precise date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.core.dates import parse_date
from bot.core.grading import normalise

# rapidfuzz token_set_ratio above which two events of one year (and month, where both say) are one event;
# lower for two dated to the same day, where the words differ more ("Kirov is shot" / "Kirov is murdered").
SAME_EVENT = 56
SAME_DAY = 45
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True, slots=True)
class DatedEvent:
    when: str  # as the bank writes it: "14 November 1927", "1923-24", "Early 1929"
    event: str
    topic: str  # the topic's id

    @property
    def moment(self) -> tuple[int, int, int]:
        """(year, month, day) to sort by; what a date leaves out counts as 0, so "1927" comes first in 1927."""
        found = parse_date(normalise(self.when))
        if found is not None and found.year is not None:
            return found.year, found.month or 0, found.day or 0
        years = _YEAR.findall(self.when)
        return (int(years[0]), 0, 0) if years else (0, 0, 0)

    @property
    def precision(self) -> int:
        return sum(1 for part in self.moment if part)


def build(events: Iterable[DatedEvent]) -> tuple[DatedEvent, ...]:
    """Every event once, earliest first; of two that are one event, the more precisely dated."""
    kept: list[DatedEvent] = []
    for candidate in sorted((e for e in events if e.moment[0]), key=lambda e: (e.moment, -len(e.event))):
        twin = next((i for i, e in enumerate(kept) if _same(e, candidate)), None)
        if twin is None:
            kept.append(candidate)
        elif candidate.precision > kept[twin].precision:
            kept[twin] = candidate
    return tuple(sorted(kept, key=lambda e: e.moment))


def between(events: Iterable[DatedEvent], start: int | None, end: int | None) -> tuple[DatedEvent, ...]:
    """The events from the start of year `start` to the end of year `end` (either open)."""
    return tuple(e for e in events if (start is None or e.moment[0] >= start) and (end is None or e.moment[0] <= end))


def _same(first: DatedEvent, second: DatedEvent) -> bool:
    if first.moment[0] != second.moment[0]:
        return False
    if first.moment[1] and second.moment[1] and first.moment[1] != second.moment[1]:
        return False
    threshold = SAME_DAY if first.precision == second.precision == 3 and first.moment == second.moment else SAME_EVENT
    return fuzz.token_set_ratio(normalise(first.event), normalise(second.event)) >= threshold
