"""`/study privacy`: how the class sees a student on public boards and posts, and how to change it.
A pure function to Block Kit; always sent privately (the reply names the student's pseudonym)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import Message, context, echo, escape, header, message, section
from bot.core.clock import as_utc
from bot.core.replies import PrivacySettings

CHOICES = "named|pseudonym|hidden"
USAGE = (
    f"`{COMMAND} privacy` shows how the class sees you; `{COMMAND} privacy {CHOICES}` changes it; "
    f"`{COMMAND} privacy new-name` gives you a new pseudonym (once a week); teachers: "
    f"`{COMMAND} privacy default {CHOICES}` sets the class's default."
)
NOT_TEACHER = (
    "Only workspace admins and the teachers they name can set the class's default. "
    f"`{COMMAND} privacy {CHOICES}` changes how the class sees you."
)
CLASSMATES_NOT_TEACHER = (
    "Only workspace admins and the teachers they name can see a classmate's stats. "
    f"`{COMMAND} stats` on its own shows yours."
)
DEFAULT_USAGE = f"Say which: `{COMMAND} privacy default {CHOICES}`."
CHOICE_WORDS = {
    "named": "your own name",
    "pseudonym": "your pseudonym",
    "hidden": "hidden (off the boards)",
}


def slack_date(moment: dt.datetime) -> str:
    """A date Slack shows in the reader's own time zone; the UTC date where it cannot."""
    utc = as_utc(moment)
    fallback = f"{utc:%A} {utc.day} {utc:%B} at {utc:%H:%M} UTC"
    return f"<!date^{int(utc.timestamp())}^{{date_long_pretty}} at {{time}}|{fallback}>"


def privacy_settings(s: PrivacySettings, done: str = "") -> Message:
    """The settings: how the class sees the student now, their pseudonym, the class's default, how to change."""
    lines = [f"*{escape(done)}*"] if done else []
    if s.shown_as is None:
        now = (
            "You are *hidden*: you are left off the class's leaderboards and posts. "
            f"`{COMMAND} leaderboard` still shows you your own rank."
        )
    elif s.choice == "named":
        now = f"The class sees you on leaderboards and posts under your own name, *{echo(s.shown_as, 80)}*."
    else:
        now = (
            f"The class sees you on leaderboards and posts as *{echo(s.shown_as, 80)}*, a made-up name, never your own."
        )
    lines.append(now)
    default = CHOICE_WORDS.get(s.class_default, s.class_default)
    if s.chosen:
        lines.append(f"That is your own choice; the class's default is {default}.")
    else:
        lines.append(f"You have not chosen, so the class's default applies: {default}.")
    if s.pseudonym:
        lines.append(f"Your pseudonym: *{echo(s.pseudonym, 80)}*.")
    if s.next_pseudonym_change is not None:
        lines.append(f"You can ask for a new pseudonym from {slack_date(s.next_pseudonym_change)}.")
    blocks: list[dict[str, Any]] = [
        header("How the class sees you"),
        section("\n".join(lines)),
        context(
            f"`{COMMAND} privacy named` \u00b7 `{COMMAND} privacy pseudonym` \u00b7 `{COMMAND} privacy hidden`"
            f" \u00b7 `{COMMAND} privacy new-name` (once a week)",
            f"Teachers: `{COMMAND} privacy default {CHOICES}`. Teachers can always see your stats.",
        ),
    ]
    shown = "hidden from the class's boards" if s.shown_as is None else f"shown to the class as {s.shown_as}"
    return message(f"{done} You are {shown}.".strip(), blocks)
