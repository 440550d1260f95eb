"""One line per event: `time=... level=... logger=... platform=... community=... use_case=... msg="..."`,
or the same fields as one JSON object a line (LOG_FORMAT=json).

The platform, community and use case come from the call under way (`bound`, set by metrics.observed
around every use case, and by the scheduler around each send); the platform also from the logger's name
(discord.py's, bolt's and our adapters'). No line names a person: use cases log ids, never display
names. Every configured secret (the tokens, the signing secret, the database password) is masked in
the message and in any traceback, whatever logged it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Awaitable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import TextIO, TypeVar

T = TypeVar("T")
FIELDS = ("platform", "community", "use_case")
MASK = "[secret]"
MIN_SECRET_LENGTH = 6  # shorter values would mask ordinary words
# The fields of the call under way: one variable, so binding them costs one set and one reset.
_fields: ContextVar[dict[str, str] | None] = ContextVar("studybot_log_fields", default=None)
# Loggers whose platform is known by their name alone.
PLATFORM_LOGGERS = {
    "bot.adapters.discord": "discord",
    "discord": "discord",
    "bot.adapters.slack": "slack",
    "slack_bolt": "slack",
    "slack_sdk": "slack",
    "bot.adapters.console": "console",
}


def enter(**fields: str | None) -> Token[dict[str, str] | None]:
    """Name these fields on every line logged from now on in this task (and the tasks it starts), until
    `leave(token)`; a field given as None is left as it was."""
    return _fields.set(current() | {name: value for name, value in fields.items() if value is not None})


def leave(token: Token[dict[str, str] | None]) -> None:
    _fields.reset(token)


@contextmanager
def bound(**fields: str | None) -> Iterator[None]:
    """`enter` these fields for the lines logged inside."""
    token = enter(**fields)
    try:
        yield
    finally:
        leave(token)


async def in_context(work: Awaitable[T], **fields: str | None) -> T:
    """Await `work` with these fields bound: for a coroutine handed to gather, which runs it in a task."""
    with bound(**fields):
        return await work


def current() -> dict[str, str]:
    """The fields bound now (not to be changed: `enter` makes a new dict)."""
    return _fields.get() or {}


def _platform_of(logger_name: str) -> str | None:
    for prefix, platform in PLATFORM_LOGGERS.items():
        if logger_name == prefix or logger_name.startswith(prefix + "."):
            return platform
    return None


class _Formatter(logging.Formatter):
    """The fields of a record, with the secrets masked; subclasses lay them out."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret containing another is masked whole.
        self.secrets = sorted({s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def fields(self, record: logging.LogRecord) -> dict[str, str]:
        context = dict(current())
        if "platform" not in context and (platform := _platform_of(record.name)):
            context["platform"] = platform
        when = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        found = {"time": when.replace("+00:00", "Z"), "level": record.levelname, "logger": record.name}
        found |= {name: str(getattr(record, name, None) or context.get(name) or "") for name in FIELDS}
        found = {name: value for name, value in found.items() if value}
        found["msg"] = self.mask(record.getMessage())
        if record.exc_info:
            found["traceback"] = self.mask(self.formatException(record.exc_info))
        elif record.stack_info:
            found["traceback"] = self.mask(self.formatStack(record.stack_info))
        return found


class KeyValueFormatter(_Formatter):
    """key=value pairs (logfmt): a value with a space, a quote, `=` or a line break is quoted and escaped,
    so an event is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{name}={_value(value)}" for name, value in self.fields(record).items())


class JsonFormatter(_Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(self.fields(record), ensure_ascii=False)


def _value(text: str) -> str:
    if text and not any(character in text for character in ' "=\\') and text.isprintable():
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, with \" \\ \n escaped: still one line


def handler(style: str = "keyvalue", secrets: Iterable[str] = (), stream: TextIO | None = None) -> logging.Handler:
    """A handler writing one line per event to `stream` (standard error by default)."""
    formatter = JsonFormatter(secrets) if style == "json" else KeyValueFormatter(secrets)
    writer = logging.StreamHandler(stream or sys.stderr)
    writer.setFormatter(formatter)
    return writer


def configure(level: str, style: str = "keyvalue", secrets: Iterable[str] = ()) -> None:
    """Set up the root logger, as logging.basicConfig does: only when nothing has set it up before."""
    root = logging.getLogger()
    if root.handlers:
        return
    root.addHandler(handler(style, secrets))
    root.setLevel(level)
