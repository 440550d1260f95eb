"""What a Discord reply is (content, embeds, button specs), Discord's limits, and the pieces every
renderer builds with: text from students is escaped here so it can neither format nor ping, and every
piece of text is cut to fit before Discord would refuse it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import discord
from discord.utils import escape_markdown, escape_mentions

# Discord's limits (https://discord.com/developers/docs/resources/message).
CONTENT = 2000
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FIELDS = 25
FOOTER = 2048
BUTTON_LABEL = 80
BUTTONS = 25  # 5 rows of 5
ECHO = 200  # how much of a student's own text is repeated back

NOT_IN_SERVER = "I work inside a server: use my commands in one of your class's channels."
SERVER_GONE = "I'm no longer in the server this button is for, so it can't do anything now."
NOT_A_MEMBER = "You're no longer a member of {server}, so this button can't act there."
OUTDATED_BUTTON = "That button doesn't work any more. Try `/daily`, `/quiz` or `/review` instead."

BLUE = discord.Colour(0x3B6EA5)
GREEN = discord.Colour(0x2E8B57)
RED = discord.Colour(0xB03A2E)
GOLD = discord.Colour(0xC9A227)


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    custom_id: str
    style: discord.ButtonStyle = discord.ButtonStyle.secondary


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply (built into a discord.File only when sent)."""

    filename: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    content: str | None = None
    embed: discord.Embed | None = None
    buttons: tuple[Button, ...] = ()
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class PostMessage:
    """One message of a scheduled post: several embeds (6,000 characters between them) and buttons."""

    embeds: tuple[discord.Embed, ...]
    buttons: tuple[Button, ...] = ()


# ---------------------------------------------------------------- text helpers


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when something was cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "\u2026"


def user_text(text: str, limit: int = ECHO) -> str:
    """A student's own words, shown literally: no markdown, no mentions."""
    return escape_mentions(escape_markdown(clip(text, limit)))


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def new_embed(title: str, description: str = "", colour: discord.Colour = BLUE) -> discord.Embed:
    return discord.Embed(
        title=clip(title, EMBED_TITLE), description=clip(description, EMBED_DESCRIPTION) or None, colour=colour
    )


def add_field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    if len(embed.fields) < FIELDS and name.strip() and value.strip():
        embed.add_field(name=clip(name, FIELD_NAME), value=clip(value, FIELD_VALUE), inline=inline)


def set_footer(embed: discord.Embed, *parts: str) -> None:
    text = " \u00b7 ".join(part for part in parts if part)
    if text:
        embed.set_footer(text=clip(text, FOOTER))


def fit(embed: discord.Embed, total: int = EMBED_TOTAL) -> discord.Embed:
    """Keep the embed within `total` characters (Discord's 6,000 per message): drop trailing fields,
    then shorten the description."""
    while len(embed) > total and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > total and embed.description:
        embed.description = clip(embed.description, max(len(embed.description) - (len(embed) - total), 1))
    return embed


def day_name(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


def when(moment: dt.datetime, now: dt.datetime | None = None) -> str:
    """A coming moment in words, in its own (local) time zone: "later today (14:05)", "tomorrow
    (Saturday 28 November)", "on Tuesday 1 December (in 4 days)". Without `now`, just the day."""
    date = day_name(moment)
    if now is None:
        return f"on {date}"
    today = now.astimezone(moment.tzinfo).date()
    days = (moment.date() - today).days
    if moment.year != today.year:
        date += f" {moment.year}"
    if days <= 0:
        return f"later today ({moment:%H:%M})" if moment > now else "now"
    if days == 1:
        return f"tomorrow ({date})"
    if days < 14:
        ahead = f"{days} days"
    elif days < 60:
        ahead = plural(round(days / 7), "week")
    else:
        ahead = "about " + plural(round(days / 30.44), "month")
    return f"on {date} (in {ahead})"


def bar(share: float, width: int = 10) -> str:
    """A small bar for a share from 0 to 1: `██████░░░░`."""
    filled = round(max(0.0, min(share, 1.0)) * width)
    return "█" * filled + "░" * (width - filled)
