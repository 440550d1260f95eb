"""Block Kit's limits and the small pieces every Slack renderer builds with.

Text from students is escaped (so `<!channel>` or `<@U123>` can never ping anyone) and truncated (so a
long input cannot push a block over Slack's limits) here, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

# Block Kit limits (https://docs.slack.dev/reference/block-kit).
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
ACTION_VALUE = 2000
MAX_BLOCKS = 50
MAX_ACTIONS = 25
MODAL_TITLE = 24
MODAL_BUTTON = 24
ECHO = 200  # how much of a student's own text we repeat back
ECHO_NAME = 60  # ... when it is a name or a topic we did not find
FALLBACK_TEXT = 3000  # the notification / screen-reader text of a message

Message = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters, so text is shown and never parsed as a mention or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, with an ellipsis when something was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def echo(text: str, limit: int = ECHO) -> str:
    """A student's own text, safe to put back into mrkdwn."""
    return escape(truncate(" ".join(text.split()), limit))


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": fit_mrkdwn(text, SECTION_TEXT)}}


def fit_mrkdwn(text: str, limit: int) -> str:
    # Escaping happens before this, and an entity must not be cut in half.
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut.rstrip() + "\u2026"


def context(*texts: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": fit_mrkdwn(text, SECTION_TEXT)} for text in texts[:10]],
    }


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, HEADER_TEXT), "emoji": True}}


def button(text: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(text, BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value[:ACTION_VALUE],
    }
    if style:
        button["style"] = style
    return button


def actions(buttons: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"type": "actions", "elements": list(buttons[:MAX_ACTIONS])}] if buttons else []


def message(text: str, blocks: Iterable[dict[str, Any]]) -> Message:
    # The fallback text is shown in notifications and parsed as mrkdwn too: escape it as well.
    return {"text": escape(truncate(text, FALLBACK_TEXT)), "blocks": list(blocks)[:MAX_BLOCKS]}


def points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"
