"""Assignments' rules: reading what a teacher typed, which questions a set holds, which question a student
meets next, and when they have finished.

A student works through the set in its order; a question answered wrongly comes back (a retake) once every
question has been met, the one answered longest ago first. They finish when every question has been
answered and the share whose latest answer is right reaches the goal: a set of ten with a goal of 70%
asks all ten, so a student who gets the first seven right still meets the last three.

`results` is what the progress row stores: {question id: was the latest answer right?}, in the order
the latest answers were given (a retake moves its question to the end: `record`).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from bot.core.errors import InvalidInput

DEFAULT_COUNT = 10
MAX_COUNT = 50
DEFAULT_GOAL = 70
LONGEST = dt.timedelta(days=366)  # a deadline at most a year away
ALL_TOPICS = frozenset({"all", "any", "everything"})
HARDEST = frozenset({"hardest", "most missed", "missed"})  # the class's most-missed questions this term
_LIST_SEPARATORS = re.compile(r"[\s,;]+")
_PERCENT = re.compile(r"^\s*(\d{1,3})\s*%?\s*$")
_OPTION = re.compile(r"^(n|count|questions|due|goal)[=:](.*)$", re.IGNORECASE)
_NAMES = {"n": "count", "count": "count", "questions": "count", "due": "due", "goal": "goal"}


def usage(prefix: str = "") -> str:
    return f"{prefix}assign <topic, all, hardest or question ids> [n=10] due:YYYY-MM-DD [goal=70%]"


def listed_questions(text: str, known: Collection[str]) -> list[str] | None:
    """`"ter-001, eco-010 ter-001"` -> ["ter-001", "eco-010"] when the words name questions of the bank (in
    the teacher's order, once each); None when none does (the text is a topic). A list naming some
    questions and some unknown words is refused with the unknown ones, not read as a topic."""
    words = [word for word in _LIST_SEPARATORS.split(text.strip().lower()) if word]
    if not any(word in known for word in words):
        return None
    unknown = [word for word in words if word not in known]
    if unknown:
        named = ", ".join(f"`{word[:40]}`" for word in unknown[:5])
        raise InvalidInput(f"There is no question {named} in the bank: check the id(s), shown under each question.")
    return list(dict.fromkeys(words))


@dataclass(frozen=True, slots=True)
class AssignArgs:
    """What a teacher typed after `assign`, not yet checked: the topic (or "all") and the options as typed."""

    topic: str
    count: str | None = None
    due: str | None = None
    goal: str | None = None


@dataclass(frozen=True, slots=True)
class Terms:
    """An assignment's checked terms."""

    count: int
    due: dt.date
    goal: int


def parse_assign(text: str, prefix: str = "") -> AssignArgs:
    """`"rise n=5 due:2026-12-04 goal=80%"` -> AssignArgs("rise", "5", "2026-12-04", "80%"). The topic is
    every word that is not an option (a title may have spaces); `due:` is required."""
    options: dict[str, str] = {}
    words = []
    for word in text.split():
        found = _OPTION.match(word)
        if found:
            options[_NAMES[found.group(1).lower()]] = found.group(2)
        else:
            words.append(word)
    if not words:
        raise InvalidInput(f"Name a topic (or `all`, `hardest`, or question ids): `{usage(prefix)}`.")
    if not options.get("due"):
        raise InvalidInput(f"Give a deadline with due:YYYY-MM-DD: `{usage(prefix)}`.")
    return AssignArgs(" ".join(words), options.get("count"), options["due"], options.get("goal"))


def check_terms(count: str | int | None, due: str | dt.date, goal: str | int | None, today: dt.date) -> Terms:
    """The number of questions (1 to 50, default 10), the deadline (from today, within a year) and the goal
    (1 to 100%, default 70%), or InvalidInput saying what to type instead."""
    return Terms(_count(count), _due(due, today), _goal(goal))


def _count(text: str | int | None) -> int:
    if text is None or str(text).strip() == "":
        return DEFAULT_COUNT
    value = str(text).strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_COUNT:
        raise InvalidInput(f"n is the number of questions, from 1 to {MAX_COUNT}: e.g. `n=10`.")
    return int(value)


def _goal(text: str | int | None) -> int:
    if text is None or str(text).strip() == "":
        return DEFAULT_GOAL
    found = _PERCENT.match(str(text))
    if found is None or not 1 <= int(found.group(1)) <= 100:
        raise InvalidInput("The goal is the share of the questions to get right, from 1% to 100%: e.g. `goal=70%`.")
    return int(found.group(1))


def _due(text: str | dt.date, today: dt.date) -> dt.date:
    example = f"due:{today + dt.timedelta(days=7):%Y-%m-%d}"
    if isinstance(text, dt.date):
        day = text
    else:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            shown = text.strip()[:30]
            message = f"\u201c{shown}\u201d is not a date: give the deadline as YYYY-MM-DD, e.g. `{example}`."
            raise InvalidInput(message) from None
    if day < today:
        raise InvalidInput(f"{day:%a %d %b %Y} has passed: give a deadline from today on, e.g. `{example}`.")
    if day > today + LONGEST:
        raise InvalidInput(f"Give a deadline within a year, e.g. `{example}`.")
    return day


def choose_questions(candidates: Iterable[str], count: int, seed: str) -> list[str]:
    """`count` of the candidates (all of them when there are fewer), in a shuffled order fixed by `seed`."""
    pool = sorted(set(candidates))
    return random.Random(seed).sample(pool, min(count, len(pool)))


def record(results: dict[str, bool], question_id: str, correct: bool) -> dict[str, bool]:
    """The results after an answer: the question's latest answer, moved to the end (answered last)."""
    after = {question: right for question, right in results.items() if question != question_id}
    after[question_id] = correct
    return after


def next_question(question_ids: Sequence[str], results: dict[str, bool]) -> str | None:
    """The question a student meets next: the first not yet answered, in the set's order; then a wrong
    one again, the one answered longest ago first. None when every question's latest answer is right."""
    for question_id in question_ids:
        if question_id not in results:
            return question_id
    wanted = set(question_ids)
    return next((q for q, right in results.items() if not right and q in wanted), None)


def answered(question_ids: Sequence[str], results: dict[str, bool]) -> int:
    return sum(1 for question_id in question_ids if question_id in results)


def right(question_ids: Sequence[str], results: dict[str, bool]) -> int:
    return sum(1 for question_id in question_ids if results.get(question_id))


def reached_goal(question_ids: Sequence[str], results: dict[str, bool], goal_percent: int) -> bool:
    """Every question answered, and the share whose latest answer is right at least the goal."""
    if not question_ids or answered(question_ids, results) < len(question_ids):
        return False
    return 100 * right(question_ids, results) >= goal_percent * len(question_ids)


def is_open(due_date: dt.date, closed: bool, today: dt.date) -> bool:
    """Answers are taken until the end of the due date (the class's local day), unless a teacher closed it."""
    return not closed and today <= due_date
