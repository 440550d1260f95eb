"""The console's machine-readable face (`python -m bot console --json`): every reply as one JSON object on
one line (JSON Lines), so teachers' scripts and tests drive the bot without scraping text.

Replies are serialised generically, so a new reply type needs nothing here: an object's `kind` is a short
snake_case name (KINDS below, else the snake_case of its class's name), then its dataclass fields under
their own names, recursively (nested dataclasses are objects, tuples lists, dates and times ISO strings,
enums their values), then its properties that are plain data (`accuracy`, `is_daily` ...). A field that is
itself called `kind` is renamed `<kind>_kind` (a question's `question_kind`, a card's `card_kind`), a
`QuestionRef` is also flattened into `question_id`, `mode`, `daily_date` and `assignment_id` beside it, and
`current_streak` is also given as `streak`. A text is {"kind": "message", "text": ...}; an error is
{"kind": "error", "message": ...}. Bytes are left out: `report` gives the file its chart went to
(`chart_file`, `chart_bytes`) with the report's figures, `export` the CSV's `file` and its `rows`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
from enum import Enum
from typing import Any, TextIO

from bot.adapters.console.report_views import ExportWritten, ReportWritten
from bot.adapters.console.views import ScheduleList, TopicList
from bot.core.replies import AnswerFeedback, AskedQuestion, QuestionRef, ReferenceCard, ScheduleInfo

# The short names of the replies whose class name says more than a script needs; others are snake_case.
KINDS: dict[type, str] = {
    AskedQuestion: "question",
    AnswerFeedback: "feedback",
    ReferenceCard: "card",
    ScheduleInfo: "schedule",
    TopicList: "topics",
    ScheduleList: "schedules",
}
ALIASES = {"current_streak": "streak"}  # a field -> another name it is also given under
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SCALARS = (str, int, float, bool, Enum, dt.date, dt.time, type(None))  # datetime is a date


def kind_of(reply_type: type) -> str:
    """`AskedQuestion` -> "question"; any other class -> its name in snake_case (`DailyPost` -> "daily_post")."""
    return KINDS.get(reply_type) or _WORD_START.sub("_", reply_type.__name__).lower()


def to_json(reply: object) -> dict[str, Any]:
    """One reply as the JSON object the console prints for it."""
    if isinstance(reply, str):
        return {"kind": "message", "text": reply}
    if isinstance(reply, ReportWritten):
        return _report(reply)
    if isinstance(reply, ExportWritten):
        return {"kind": "export", **_object(reply.export), "file": reply.file}
    if dataclasses.is_dataclass(reply) and not isinstance(reply, type):
        return {"kind": kind_of(type(reply)), **_object(reply)}
    return {"kind": "message", "text": str(reply)}


def _report(shown: ReportWritten) -> dict[str, Any]:
    """The class report's figures, each day's answers as {date, answers}, and where its chart went (not its bytes)."""
    report = shown.report
    out = {"kind": "report", **_object(report), "weakest_topic": _value(report.weakest_topic)}
    out["answers_per_day"] = [{"date": day.isoformat(), "answers": count} for day, count in report.answers_per_day]
    return out | {"chart_file": shown.chart_file, "chart_bytes": len(report.chart_png)}


def error_json(message: str) -> dict[str, Any]:
    return {"kind": "error", "message": message}


def _object(value: Any) -> dict[str, Any]:
    """A dataclass's fields (QuestionRefs flattened beside themselves), aliases and plain-data properties."""
    out: dict[str, Any] = {}
    for field in dataclasses.fields(value):
        item = getattr(value, field.name)
        if isinstance(item, bytes | bytearray):  # a file's contents (a chart) go to the file, never into the JSON
            continue
        name = f"{kind_of(type(value))}_kind" if field.name == "kind" else field.name
        out[name] = _value(item)
        if isinstance(item, QuestionRef):
            for key, flat in _object(item).items():
                out.setdefault(key, flat)
    for field_name, alias in ALIASES.items():
        if field_name in out:
            out.setdefault(alias, out[field_name])
    for name in _properties(type(value)):
        if name in out:
            continue
        try:
            item = getattr(value, name)
        except Exception:  # noqa: BLE001 - a property that cannot be read is left out, never fatal
            continue
        if isinstance(item, _SCALARS):
            out[name] = _value(item)
    return out


def _properties(cls: type) -> list[str]:
    names: list[str] = []
    for klass in reversed(cls.__mro__):
        names.extend(n for n, a in vars(klass).items() if isinstance(a, property) and not n.startswith("_"))
    return list(dict.fromkeys(names))


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return _value(value.value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _object(value)
    if isinstance(value, dict):
        return {str(_value(key)): _value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_value(item) for item in value), key=str)
    return str(value)


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, default=str)


class JsonView:
    """Shows each reply, and each error, as one JSON line, flushed at once. Written as UTF-8 whatever the
    locale (a lone surrogate is escaped, as JSON allows), so no reply can fail to print."""

    def __init__(self, output: TextIO) -> None:
        self.output = output

    def show(self, reply: object) -> None:
        self._write(to_json(reply))

    def show_error(self, message: str) -> None:
        self._write(error_json(message))

    def _write(self, obj: dict[str, Any]) -> None:
        line = dumps(obj) + "\n"
        binary = getattr(self.output, "buffer", None)
        if binary is None:
            self.output.write(line)
            self.output.flush()
            return
        self.output.flush()  # anything already in the text layer goes first
        binary.write(line.encode("utf-8", errors="backslashreplace"))
        binary.flush()
