"""Kahoot's quiz spreadsheet template (.xlsx): a header row `Question`, `Answer 1`-`Answer 4`, `Time limit`,
`Correct answer(s)` below a few lines of instructions, then one question a row.

Each row becomes multiple choice, or true/false when its answers are just True and False. A row with two
or more right answers, or none, is refused (a question here has one right answer); time limits are ignored.
"""

from __future__ import annotations

import io
import re

from bot.content.imports.model import Parsed, cells, choice

_NUMBERS = re.compile(r"\d+")


def parse(data: bytes, file: str) -> Parsed:
    from openpyxl import load_workbook  # here, not at the top: it takes a quarter of a second to import

    parsed = Parsed(file, "kahoot")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises a different error for each way a file can be broken
        parsed.refuse(1, "not a readable .xlsx spreadsheet")
        return parsed
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True)) if workbook.worksheets else []
    finally:
        workbook.close()
    header = next((number for number, row in enumerate(rows) if _columns(row)), None)
    if header is None:
        parsed.refuse(1, "no header row with 'Question', 'Answer 1' and 'Correct answer(s)' (Kahoot's template)")
        return parsed
    columns = _columns(rows[header])
    if columns.get("time"):
        parsed.note(header + 1, "time limits are ignored")
    for number, row in enumerate(rows[header + 1 :], header + 2):
        _row(parsed, number, row, columns)
    if not parsed.drafts and not parsed.problems:
        parsed.refuse(header + 1, "there are no questions under the header")
    return parsed


def _columns(row: tuple[object, ...]) -> dict[str, list[int]]:
    """The columns of a header row by role, or {} when the row is not the header."""
    columns: dict[str, list[int]] = {}
    for index, value in enumerate(row):
        name = str(value or "").strip().casefold()
        role = next((role for prefix, role in _HEADINGS if name.startswith(prefix)), "")
        if role:
            columns.setdefault(role, []).append(index)
    return columns if {"question", "answer", "correct"} <= columns.keys() else {}


_HEADINGS = (("question", "question"), ("answer", "answer"), ("time limit", "time"), ("correct", "correct"))


def _row(parsed: Parsed, number: int, row: tuple[object, ...], columns: dict[str, list[int]]) -> None:
    def at(role: str) -> list[object]:
        return [row[index] if index < len(row) else None for index in columns[role]]

    prompt = next(iter(cells(at("question"))), "")
    answers = [next(iter(cells([value])), "") for value in at("answer")]  # empty ones kept: numbered
    correct = [int(found) for found in _NUMBERS.findall(" ".join(cells(at("correct"))))]
    if not prompt and not any(answers):
        return  # an empty row of the template
    if not prompt:
        parsed.refuse(number, "the row has no question")
    elif not correct:
        parsed.refuse(number, "no correct answer is given")
    elif len(set(correct)) > 1:
        parsed.refuse(number, f"{len(set(correct))} right answers ({', '.join(map(str, correct))}); one is needed here")
    elif not 1 <= correct[0] <= len(answers) or not answers[correct[0] - 1]:
        parsed.refuse(number, f"the correct answer is number {correct[0]}, but that answer is empty")
    else:
        options = [answer for answer in answers if answer]
        parsed.drafts.append(choice(number, prompt, options, answers[correct[0] - 1]))
