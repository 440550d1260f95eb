"""A CSV file with a header row, as a spreadsheet saves it (comma, semicolon, tab or `|`, sniffed).

    question,answer,option 1,option 2,option 3,explanation,topic
    Who became General Secretary in 1922?,Stalin,Stalin,Trotsky,Zinoviev,He ran the Secretariat.,rise
    "Lenin's Testament called Stalin ""too rude"".",true,,,,It proposed removing him.,rise

Columns are found by name, in any order and case: `question` and `answer` are needed; `option ...` /
`choice ...` / `A`-`E` hold every option (the answer among them, or its letter); `wrong ...` hold only the
wrong ones; `accept` holds other accepted answers separated by `|`; `explanation` and `topic` are
optional. With options a row is multiple choice, with the answer true or false it is true/false, else it
is a short answer. Columns with other names are ignored, with a note.
"""

from __future__ import annotations

import csv
import io
import re

from bot.content.imports.model import Draft, Parsed, cells, choice
from bot.core.grading import normalise, visible
from bot.core.vocabulary import QuestionKind

_NAMES = {
    "question": {"question", "prompt", "questiontext", "q"},
    "answer": {"answer", "correct", "correctanswer", "rightanswer"},
    "accept": {"accept", "aliases", "alsoaccept", "alternatives"},
    "explanation": {"explanation", "feedback", "why", "generalfeedback"},
    "topic": {"topic"},
}
_OPTION = re.compile(r"^(option|choice|answer)\d*[a-e]?$|^[a-e]$")
_WRONG = re.compile(r"^(wrong|incorrect|distractor)")
_DELIMITERS = ",;\t|"
_LETTERS = "abcde"


def header_columns(header: list[str]) -> dict[str, list[int]]:
    """Which column holds what: {"question": [0], "option": [2, 3, 4], ...}; unknown names under ""."""
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        key = re.sub(r"[^a-z0-9]", "", name.casefold())
        role = next((role for role, names in _NAMES.items() if key in names), "")
        if not role and _OPTION.match(key):
            role = "option"
        elif not role and _WRONG.match(key):
            role = "wrong"
        if key or role:
            columns.setdefault(role, []).append(index)
    return columns


def delimiter_of(line: str) -> str:
    """The delimiter a header line uses: the most frequent of comma, semicolon, tab and `|`."""
    return max(_DELIMITERS, key=line.count)


def parse(text: str, file: str) -> Parsed:
    parsed = Parsed(file, "csv")
    first = next((line for line in text.split("\n") if line.strip()), "")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter_of(first))
    header, header_line, columns, row_start = None, 0, {}, 1
    for row in reader:
        line, row_start = row_start, reader.line_num + 1  # a quoted cell may span lines
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header, header_line, columns = row, line, header_columns(row)
            if "question" not in columns or "answer" not in columns:
                parsed.refuse(line, f"the header needs 'question' and 'answer' columns; it has {row}")
                return parsed
            for index in columns.get("", []):
                parsed.note(line, f"column '{header[index]}' is ignored")
            continue
        _row(parsed, line, row, columns)
    if header is None:
        parsed.refuse(1, "the file is empty")
    elif not parsed.drafts and not parsed.problems:
        parsed.refuse(header_line, "there are no rows under the header")
    return parsed


def _row(parsed: Parsed, line: int, row: list[str], columns: dict[str, list[int]]) -> None:
    def one(role: str) -> str:
        return next(iter(cells([row[index] for index in columns.get(role, []) if index < len(row)])), "")

    def many(role: str) -> list[str]:
        return cells([row[index] for index in columns.get(role, []) if index < len(row)])

    prompt, answer = one("question"), one("answer")
    extra = {"explanation": one("explanation"), "topic": one("topic")}
    if not prompt:
        parsed.refuse(line, "the row has no question")
        return
    if not answer:
        parsed.refuse(line, "the row has no answer")
        return
    options, wrong = many("option"), many("wrong")
    if options:
        right = _right_option(answer, options)
        if right is None:
            parsed.refuse(line, f"the answer {answer!r} is not one of the options")
            return
        parsed.drafts.append(choice(line, prompt, options, right, **extra))
    elif wrong:
        parsed.drafts.append(choice(line, prompt, [answer, *wrong], answer, **extra))
    elif normalise(answer) in {"true", "false"}:
        parsed.drafts.append(Draft(line, QuestionKind.TRUE_FALSE, prompt, normalise(answer) == "true", **extra))
    else:
        accept = tuple(form for form in (visible(part) for part in one("accept").split("|")) if form)
        parsed.drafts.append(Draft(line, QuestionKind.SHORT_ANSWER, prompt, answer, accept=accept, **extra))


def _right_option(answer: str, options: list[str]) -> str | None:
    """The option the answer names, by its text or by its letter (A is the first option)."""
    folded = normalise(answer)
    for option in options:
        if normalise(option) == folded:
            return option
    letter = answer.strip().rstrip(").").casefold()
    if len(letter) == 1 and letter in _LETTERS and _LETTERS.index(letter) < len(options):
        return options[_LETTERS.index(letter)]
    return None
