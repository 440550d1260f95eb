"""Order and match answers: reading what a student typed, and how much of it is right.

An order item shows its events numbered 1..n in a shuffled order; the student types the numbers in time
order ("3 1 4 2", "3,1,4,2" or "3142"). A match item shows its left-hand items numbered 1..n and the
right-hand ones lettered; the student types a letter for each number in turn ("C A B", "CAB") or pairs
in any order ("1C 2A 3B", "1-C, 3-B, 2-A"). On Discord and Slack they may tap them instead, a button
at a time (`taps_left`). Either is right only when all of it is; otherwise the reply says how many were
in the right place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.errors import InvalidInput
from bot.core.selection import LETTERS
from bot.core.vocabulary import QuestionKind

RESTART = "0"  # the tap that starts an order or match again from nothing
_NUMBERS = re.compile(r"[0-9]+")  # not \d: "²" is a digit to Python but no number a student means
_PAIR = re.compile(r"(\d+)\s*[-=:.)>]*\s*([a-z])\b", re.IGNORECASE)
_LETTERS_ONLY = re.compile(r"[a-z]", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s,;/>\-\u2192]+")


def read_order(text: str, count: int) -> tuple[int, ...]:
    """The numbers 1..count, each once, in the order typed. InvalidInput says how to answer otherwise."""
    squeezed = _SEPARATORS.sub("", text)
    if squeezed.isascii() and squeezed.isdigit() and len(squeezed) == count and count < 10:
        numbers = [int(digit) for digit in squeezed]  # "3142"
    else:
        numbers = [int(number) for number in _NUMBERS.findall(text)]
    if sorted(numbers) != list(range(1, count + 1)) or _SEPARATORS.sub("", _NUMBERS.sub("", text)):
        raise InvalidInput(
            f"Put the numbers 1 to {count} in the order the events happened, each once: "
            f"for example `{example(QuestionKind.ORDER, count)}`."
        )
    return tuple(numbers)


def read_match(text: str, letters: Sequence[str]) -> tuple[str, ...]:
    """A letter for each numbered item, in number order. InvalidInput says how to answer otherwise."""
    count = len(letters)
    allowed = {letter.upper() for letter in letters}
    pairs = _PAIR.findall(text)
    chosen: list[str] | None = None
    if pairs and not _PAIR.sub("", text).strip(" ,;/"):
        by_number = {int(number): letter.upper() for number, letter in pairs}
        if len(pairs) == count and sorted(by_number) == list(range(1, count + 1)):
            chosen = [by_number[number] for number in range(1, count + 1)]
    elif not _SEPARATORS.sub("", _LETTERS_ONLY.sub("", text)):
        typed = [letter.upper() for letter in _LETTERS_ONLY.findall(text)]
        if len(typed) == count:
            chosen = typed
    if chosen is None or set(chosen) - allowed or len(set(chosen)) != count:
        shape = example(QuestionKind.MATCH, count)
        numbered = " ".join(f"{n}{letter}" for n, letter in enumerate(shape.split(), start=1))
        raise InvalidInput(
            f"Give each of the numbers 1 to {count} a different letter, in number order (`{shape}`) "
            f"or as pairs (`{numbered}`)."
        )
    return tuple(chosen)


def example(kind: QuestionKind, count: int) -> str:
    """The shape of an answer to an order or match item of `count` events or pairs: "2 3 4 1", "B C D A"."""
    shape = _example(count)
    if kind is QuestionKind.MATCH:
        return " ".join(LETTERS[n - 1] for n in shape)
    return " ".join(str(n) for n in shape)


def in_place(given: Sequence[object], right: Sequence[object]) -> int:
    """How many of the answer's positions hold what the right answer has there."""
    return sum(1 for mine, theirs in zip(given, right, strict=True) if mine == theirs)


def _example(count: int) -> list[int]:
    return [*range(2, count + 1), 1]  # "2 3 4 1": the shape of an answer


def taps_left(kind: QuestionKind, sequence: str, count: int) -> tuple[str, ...]:
    """An order ("31") or a match ("CA") tapped one button at a time: what may be tapped next (the numbers
    or letters not yet used; none when it is complete). InvalidInput for what no student could have tapped."""
    choices = [str(n) for n in range(1, count + 1)] if kind is QuestionKind.ORDER else list(LETTERS[:count])
    if len(sequence) > count or len(set(sequence)) != len(sequence) or set(sequence) - set(choices):
        raise InvalidInput("That button is from another question. Ask for a new one with `quiz`.")
    return tuple(choice for choice in choices if choice not in sequence)
