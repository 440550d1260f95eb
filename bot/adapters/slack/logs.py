"""Log hygiene for the Slack front end: no request bodies, tokens or response_urls in the log, and
no flood of lines from whoever can reach the URL.

- `Throttle`: at most one WARNING per interval, with a count of the lines it held back.
- `redact(text)`: Slack tokens (xoxb-, xoxp-, xapp-, ...), hooks.slack.com URLs and response_url values out.
- `BoltLogFilter`: on bolt's and slack_sdk's loggers (installed by the package's __init__).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

LOG_INTERVAL = 10.0  # seconds between two WARNING lines of one kind


class Throttle:
    """At most one WARNING per `interval` seconds; the lines in between go to DEBUG and are counted."""

    def __init__(
        self, logger: logging.Logger, interval: float = LOG_INTERVAL, clock: Callable[[], float] = time.monotonic
    ):
        self.logger, self.interval, self.clock = logger, interval, clock
        self._last: float | None = None
        self._suppressed = 0

    def warning(self, message: str, *args: Any) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self._suppressed += 1
            self.logger.debug(message, *args)
            return
        suppressed, self._suppressed, self._last = self._suppressed, 0, now
        if suppressed:
            message += " (%d more like it in the last %.0fs)"
            args = (*args, suppressed, self.interval)
        self.logger.warning(message, *args)


_TOKEN = re.compile(r"\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+")
_HOOK = re.compile(r"https?(?::|%3A)(?://|%2F%2F)hooks\.slack\.com[^\s\"'&,}]*", re.IGNORECASE)
_RESPONSE_URL = re.compile(r"(response_url[\"']?\s*(?::|=|%3D|%22%3A)\s*[\"']?(?:%22)?)[^\s\"'&,}]+", re.IGNORECASE)


_URL = re.compile(r"https?://[^\s\"',]+")


def redact(text: str, *, all_urls: bool = False) -> str:
    """`text` without Slack tokens, hooks.slack.com URLs or response_url values (or any URL)."""
    text = _TOKEN.sub("[token]", text)
    if all_urls:
        text = _URL.sub("[url]", text)
    text = _HOOK.sub("[hook url]", text)
    return _RESPONSE_URL.sub(r"\1[response_url]", text)


_UNHANDLED_TYPE = re.compile(r"'type': '([a-z_]{1,40})'")


class BoltLogFilter(logging.Filter):
    """On bolt's loggers: no request bodies, no tokens, no response_urls.

    bolt logs a rejected signature at INFO with the whole body, and an unhandled request at WARNING with
    parts of it (action ids, values, submissions) and a code suggestion. The first cannot happen behind
    `Gate` except in a race at the five-minute edge (the Gate logs its own refusals), so it is dropped;
    the second becomes one short line. Everything else is kept, redacted. With `all_urls` (for the
    response_url client's logger, where every URL is a response_url) every URL is redacted too."""

    def __init__(self, *, all_urls: bool = False) -> None:
        super().__init__()
        self.all_urls = all_urls

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot be formatted is bolt's bug; let logging report it
            return True
        if message.startswith("Invalid request signature detected"):
            return False
        if message.startswith("Unhandled request ("):
            kind = _UNHANDLED_TYPE.search(message)
            message = f"Unhandled request (type {kind.group(1) if kind else 'unknown'}): no listener matched"
        else:
            message = redact(message, all_urls=self.all_urls)
        record.msg, record.args = message, None
        return True
