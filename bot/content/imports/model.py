"""What every import format parses into: drafts of questions with the line they came from, and problems.

A parser is a pure function from decoded text (or bytes, for xlsx) to `Parsed`; it knows nothing of the
bank. `bot.content.imports.writer` turns drafts into bank questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.content.loader import Problem
from bot.core.grading import normalise, visible
from bot.core.vocabulary import QuestionKind


@dataclass(frozen=True, slots=True)
class Draft:
    """One question as the source file gave it; `topic` and `explanation` may be missing."""

    line: int
    kind: QuestionKind
    prompt: str
    answer: str | bool
    options: tuple[str, ...] = ()
    accept: tuple[str, ...] = ()
    explanation: str = ""
    topic: str = ""


@dataclass
class Parsed:
    """A parser's result: the drafts it made, what it refused (each with a line and why), and notes on
    what it ignored on purpose (they never stop an import)."""

    file: str
    format: str = ""
    drafts: list[Draft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def refuse(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def note(self, line: int, message: str) -> None:
        self.notes.append(Problem(self.file, line, message))


def choice(line: int, prompt: str, options: list[str], right: str, **extra: str) -> Draft:
    """A multiple-choice draft, or a true/false one when the options are just True and False."""
    if sorted(normalise(option) for option in options) == ["false", "true"]:
        return Draft(line, QuestionKind.TRUE_FALSE, prompt, normalise(right) == "true", **extra)
    return Draft(line, QuestionKind.MULTIPLE_CHOICE, prompt, right, options=tuple(options), **extra)


def cells(values: list[object]) -> list[str]:
    """The non-empty cells of a row, as visible text (numbers from a spreadsheet as written)."""
    texts = [visible(_as_text(value)) for value in values]
    return [text for text in texts if text]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 1934.0 is the year 1934
    return str(value)
