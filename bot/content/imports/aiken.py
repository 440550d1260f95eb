"""Moodle's Aiken format: a question line, lettered options, then the right letter.

    Who was War Commissar until January 1925?
    A) Zinoviev
    B) Trotsky
    C. Kamenev
    ANSWER: B

Options are `A)` or `A.`; a question whose options are just True and False becomes true/false. A
question with no ANSWER line, or an answer letter that is not one of its options, is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.content.imports.model import Parsed, choice
from bot.core.grading import visible

_OPTION = re.compile(r"^([A-Za-z])\s*[.)]\s+(.*\S)")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


@dataclass
class _Pending:
    line: int
    prompt: list[str]
    options: dict[str, str] = field(default_factory=dict)
    refused: bool = False  # already reported (an option given twice)


def parse(text: str, file: str) -> Parsed:
    parsed = Parsed(file, "aiken")
    pending: _Pending | None = None
    for number, raw in enumerate(text.split("\n"), 1):
        line = visible(raw)
        if not line:
            continue
        answer, option = _ANSWER.match(line), _OPTION.match(line)
        if answer:
            if pending is None or not pending.options:
                parsed.refuse(number, "an ANSWER line with no question and options before it")
            else:
                _finish(parsed, pending, answer[1].strip())
            pending = None
        elif option and pending is not None:
            letter = option[1].upper()
            if letter in pending.options:
                parsed.refuse(pending.line, f"option {letter} is given twice (line {number})")
                pending.refused = True
            pending.options[letter] = option[2]
        elif pending is not None and pending.options:  # a new question before the last one's ANSWER
            parsed.refuse(pending.line, "no ANSWER: line after the options")
            pending = _Pending(number, [line])
        elif pending is not None:
            pending.prompt.append(line)  # a question written over several lines
        else:
            pending = _Pending(number, [line])
    if pending is not None:
        parsed.refuse(pending.line, "no ANSWER: line after the options" if pending.options else "no options")
    return parsed


def _finish(parsed: Parsed, pending: _Pending, letter: str) -> None:
    right = pending.options.get(letter.rstrip(".)").upper())
    if pending.refused:
        return
    if right is None:
        parsed.refuse(pending.line, f"ANSWER: {letter} is not one of the options ({', '.join(pending.options)})")
        return
    parsed.drafts.append(choice(pending.line, " ".join(pending.prompt), list(pending.options.values()), right))
