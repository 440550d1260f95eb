"""Answer normalisation and matching.

Typos are forgiven only where forgiving them cannot turn one answer into another: never for
short words or anything with digits, and never when the answer is as close to a known wrong
answer as to a right one. Dates match however they are written (see `bot.core.dates`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from bot.core.dates import PartialDate, date_matches, parse_date, years_in
from bot.core.errors import InvalidInput

MAX_INPUT = 500

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})
_LEADING = re.compile(r"^(?:(?:the|a|an|in|on|by|during|from)\s+)+")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_TRUE = frozenset({"true", "t", "yes", "y"})
_FALSE = frozenset({"false", "f", "no", "n"})


def visible(text: str | None) -> str:
    """The text as a reader sees it: NFC, without control, zero-width or bidi marks, spaces collapsed."""
    return _SPACE.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", text or ""))).strip()


def clean_input(text: str | None, *, what: str = "Your answer", limit: int = MAX_INPUT) -> str:
    """Trim, drop control characters and refuse empty or overlong text (before any work is done)."""
    cleaned = visible(text)
    if not cleaned:
        raise InvalidInput(f"{what} is empty.")
    if len(cleaned) > limit:
        raise InvalidInput(f"{what} is too long ({len(cleaned)} characters; the limit is {limit}).")
    return cleaned


@functools.lru_cache(maxsize=4096)  # the same names are folded again and again (every figure, per question)
def normalise(text: str) -> str:
    """Case, accents, curly quotes, punctuation, leading articles and 'in 1928' all folded away;
    numbers written as words become digits ('Fifteenth Congress' is '15th congress')."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = _SPACE.sub(" ", _NON_WORD.sub(" ", text.replace("'", ""))).strip()
    return _LEADING.sub("", _numbers_as_digits(text)).strip()


_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_UNIT_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_TENS = {word: 10 * n for n, word in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_CARDINALS = {word: n for n, word in enumerate(_UNITS, 1)} | _TENS
_ORDINALS = {word: n for n, word in enumerate(_UNIT_ORDINALS, 1)} | {
    word.removesuffix("y") + "ieth": n for word, n in _TENS.items()
}


def _ordinal(n: int) -> str:
    suffix = "th" if n % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _numbers_as_digits(text: str) -> str:
    """'twenty first' -> '21st', 'five year plan' -> '5 year plan' (one to ninety-nine)."""
    words, out = text.split(" "), []
    while words:
        word = words.pop(0)
        unit = words[0] if word in _TENS and words else ""
        if _CARDINALS.get(unit, 10) < 10:
            out.append(str(_TENS[word] + _CARDINALS[words.pop(0)]))
        elif _ORDINALS.get(unit, 10) < 10:
            out.append(_ordinal(_TENS[word] + _ORDINALS[words.pop(0)]))
        elif word in _CARDINALS:
            out.append(str(_CARDINALS[word]))
        else:
            out.append(_ordinal(_ORDINALS[word]) if word in _ORDINALS else word)
    return " ".join(out)


_NUMBER_WORDS = re.compile(
    r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|teenth|tieth|hundredth"
    r"|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million)\b)"
)


def typo_budget(form: str) -> int:
    """How many single-character edits (a swap of neighbours counts as one) a correct form tolerates.

    None for numbers, in digits or words: 'sixteenth' is one near miss from 'fifteenth' and wrong.
    """
    if any(ch.isdigit() for ch in form) or _NUMBER_WORDS.search(form) or len(form) < 5:
        return 0
    return 1 if len(form) < 9 else 2


@dataclass(frozen=True, slots=True)
class Match:
    matched: bool
    exact: bool = False


class ShortAnswer:
    """The accepted and known-wrong forms of one short answer, folded once, for matching many guesses.

    A typo is forgiven only when the guess is strictly nearer to a right form than to every wrong
    one (distractors, other figures' names). A date is matched as a date, never as a typo: the
    question's `prompt` says which years a guess may leave out.
    """

    def __init__(self, accepted: Sequence[str], rejected: Iterable[str] = (), *, prompt: str = "") -> None:
        self.right = {normalise(form) for form in accepted} - {""}
        self.wrong = {normalise(form) for form in rejected} - self.right - {""}
        self._forgiving = [(form, budget) for form in self.right if (budget := typo_budget(form))]
        self._right_dates = [date for form in self.right if (date := parse_date(form))]
        self._wrong_dates = [date for form in self.wrong if (date := parse_date(form))]
        self._stated_years = years_in(normalise(prompt))

    def match(self, given: str) -> Match:
        guess = normalise(given)
        if not guess:
            return Match(False)
        if guess in self.right:
            return Match(True, exact=True)
        if guess in self.wrong:
            return Match(False)
        date = parse_date(guess) if self._right_dates else None
        if date is not None:
            return Match(self._date_is_right(date))
        if typo_budget(guess) == 0:
            return Match(False)
        best_right = None
        for form, budget in self._forgiving:
            distance = OSA.distance(guess, form, score_cutoff=budget)  # budget + 1 when further
            if distance <= budget and (best_right is None or distance < best_right):
                best_right = distance
        if best_right is None:
            return Match(False)
        if any(OSA.distance(guess, form, score_cutoff=best_right) <= best_right for form in self.wrong):
            return Match(False)
        return Match(True)

    def _date_is_right(self, date: PartialDate) -> bool:
        """Right when it matches a right date more precisely than any wrong one ('22 June 1941' picks
        that option over 'June 1941')."""
        years = self._stated_years
        right = max((form.parts for form in self._right_dates if date_matches(date, form, years)), default=0)
        wrong = max((form.parts for form in self._wrong_dates if date_matches(date, form, years)), default=0)
        return right > wrong


def match_short_answer(given: str, accepted: Sequence[str], rejected: Iterable[str] = (), *, prompt: str = "") -> Match:
    """Does `given` match one of the accepted forms (answer plus aliases)? See ShortAnswer."""
    return ShortAnswer(accepted, rejected, prompt=prompt).match(given)


def with_other_names(accepted: Sequence[str], prompt: str, figures: Iterable[Sequence[str]]) -> list[str]:
    """The accepted forms plus every other name of a figure the answer is ('Bronstein' where 'Trotsky' is
    right), given as each figure's names. Not when the prompt names that figure: then the question is
    about the names themselves ('What was Stalin's revolutionary nickname?')."""
    right = {normalise(form) for form in accepted}
    asked = f" {normalise(prompt)} "
    forms = list(accepted)
    for names in figures:
        folded = {normalise(name) for name in names}
        if right & folded and not any(f" {name} " in asked or f" {name}s " in asked for name in folded):  # "Stalin's"
            forms.extend(name for name in names if normalise(name) not in right)
            right |= folded
    return forms


def parse_true_false(given: str) -> bool | None:
    word = normalise(given)
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None


def pick_option(given: str, options: Sequence[tuple[str, str]]) -> str | None:
    """Resolve a multiple-choice answer to an option letter: by letter ('b', 'B)') or by its text."""
    stripped = given.strip().rstrip(").").strip()
    letters = {letter.upper(): letter for letter, _ in options}
    if stripped.upper() in letters:
        return letters[stripped.upper()]
    texts = [text for _, text in options]
    for letter, text in options:
        others = [other for other in texts if other != text]
        if match_short_answer(given, [text], others).matched:
            return letter
    return None


_CHOICE = re.compile(r"^\(?[a-e]\)?[.)]?$", re.IGNORECASE)


def is_choice_not_text(given: str) -> bool:
    """A bare option letter ('B', 'b)') or a true/false word: what a student types for a multiple-choice or
    true/false question, never an answer to a question that wants a name, date or term."""
    word = given.strip().lower()
    return bool(_CHOICE.match(word)) or word in {"true", "false"}
