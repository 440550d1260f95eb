"""Dates in typed answers: '22nd June 1941', 'the 22nd of June', 'June 22nd 1941' and '22 Jun 1941' are one date.

Everything here works on text already folded by `grading.normalise` (lower case, no punctuation, number
words as digits, a leading 'the' or 'on' gone), so 'Sept. 1934' arrives as 'sept 1934'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Written out rather than taken from `calendar.month_name`, which follows the machine's locale.
_MONTH_NAMES = "january february march april may june july august september october november december".split()
MONTHS: dict[str, int] = {name: n for n, name in enumerate(_MONTH_NAMES, 1)} | {
    name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)
}
MONTHS["sept"] = 9
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February when no year says otherwise

_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"[12]\d{3}")
_FILLERS = frozenset({"of", "the"})  # 'the 22nd of June': the leading 'the' is already gone


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as far as it was given: '1934', 'September 1934', '22 June' or '22 June 1941'."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def parts(self) -> int:
        return sum(part is not None for part in (self.year, self.month, self.day))


def parse_date(folded: str) -> PartialDate | None:
    """The date the whole text names, or None when it is not only a date (a bare '17th' is not one)."""
    words = [word for word in folded.split() if word not in _FILLERS]
    year = int(words.pop()) if words and _YEAR.fullmatch(words[-1]) else None
    month = day = None
    if len(words) == 1 and words[0] in MONTHS:  # 'June 1941'
        month = MONTHS[words[0]]
    elif len(words) == 2:  # '22nd June' or 'June 22nd'
        first, second = words
        day_text, month_text = (second, first) if first in MONTHS else (first, second)
        found = _DAY.fullmatch(day_text)
        if not found or month_text not in MONTHS:
            return None
        month, day = MONTHS[month_text], int(found.group(1))
        if not 1 <= day <= _days_in(month, year):
            return None
    elif words:
        return None
    if year is None and month is None:
        return None
    return PartialDate(year, month, day)


def _days_in(month: int, year: int | None) -> int:
    if month == 2 and year is not None and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return 28
    return _DAYS_IN_MONTH[month - 1]


def years_in(folded: str) -> frozenset[int]:
    """The years a question states ('On what date in 1941 ...'), which an answer may then leave out."""
    return frozenset(int(word) for word in folded.split() if _YEAR.fullmatch(word))


def date_matches(guess: PartialDate, answer: PartialDate, stated_years: frozenset[int] = frozenset()) -> bool:
    """Does the guess name the answer's day, month and year wherever the answer names them?

    The guess may say more than is asked ('18 September 1934' when the question wants the year) and may
    leave out a year the question states; a different day, month or year never matches.
    """
    if answer.year is not None:
        if guess.year is None and answer.year not in stated_years:
            return False
        if guess.year is not None and guess.year != answer.year:
            return False
    elif guess.year is not None and stated_years and guess.year not in stated_years:
        return False
    if answer.month is not None and guess.month != answer.month:
        return False
    if answer.day is not None and guess.day != answer.day:
        return False
    # Something asked must be given: '1941' is no answer to 'which month of 1941'.
    return (guess.year is not None and answer.year is not None) or answer.month is not None
