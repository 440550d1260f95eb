"""From a file's name and bytes to `Parsed`: decode the text, tell the format when none is named, parse.

The same call serves the command line and a file uploaded in chat: nothing here touches the disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import PurePath

from bot.content.imports import aiken, gift, kahoot, quizlet, red, table
from bot.content.imports.decoding import NotText, decode
from bot.content.imports.model import Parsed

FORMATS = ("gift", "aiken", "csv", "quizlet", "red", "kahoot")
_TEXT_PARSERS: dict[str, Callable[[str, str], Parsed]] = {
    "gift": gift.parse,
    "aiken": aiken.parse,
    "csv": table.parse,
    "quizlet": quizlet.parse,
    "red": red.parse,
}
_BY_EXTENSION = {
    ".gift": "gift",
    ".aiken": "aiken",
    ".yaml": "red",
    ".yml": "red",
    ".xlsx": "kahoot",
    ".tsv": "quizlet",
}
_ZIP = b"PK\x03\x04"  # an .xlsx file is a zip archive
_GIFT_ANSWERS = re.compile(r"\{\s*(?:[=~#]|T\b|F\b|TRUE\b|FALSE\b)", re.IGNORECASE)
_AIKEN_ANSWER = re.compile(r"^ANSWER\s*:\s*[A-Z]\s*$", re.IGNORECASE | re.MULTILINE)


def parse(name: str, data: bytes, format: str | None = None) -> Parsed:
    """Parse a teacher's file in `format`, or in the format its name and content show."""
    file = PurePath(name).name
    chosen = format or ("kahoot" if data.startswith(_ZIP) else _BY_EXTENSION.get(PurePath(file).suffix.lower()))
    if chosen == "kahoot":
        return kahoot.parse(data, file)
    try:
        decoded = decode(data)
    except NotText as error:
        return _failed(file, str(error))
    if not decoded.text.strip():
        return _failed(file, "the file is empty")
    chosen = chosen or guess_format(decoded.text, PurePath(file).suffix.lower())
    if chosen is None:
        return _failed(file, f"could not tell which format this file is in; name it: one of {', '.join(FORMATS)}")
    parsed = _TEXT_PARSERS[chosen](decoded.text, file)
    if decoded.encoding == "Windows-1252":
        parsed.note(1, "read as Windows-1252 text (it is not UTF-8)")
    return parsed


def guess_format(text: str, suffix: str = "") -> str | None:
    """The text format a file's content looks like (a .csv file is a CSV with a header or a Quizlet
    export), or None."""
    lines = [line for line in text.split("\n") if line.strip()]
    header = table.header_columns(lines[0].split(table.delimiter_of(lines[0]))) if lines else {}
    if "question" in header and "answer" in header:
        return "csv"
    if suffix == ".csv":
        return "quizlet"
    if _GIFT_ANSWERS.search(text):
        return "gift"
    if _AIKEN_ANSWER.search(text):
        return "aiken"
    if lines and (any("\t" in line for line in lines) or all("," in line for line in lines)):
        return "quizlet"
    return None


def _failed(file: str, message: str) -> Parsed:
    parsed = Parsed(file)
    parsed.refuse(1, message)
    return parsed
