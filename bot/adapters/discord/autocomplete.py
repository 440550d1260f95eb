"""Autocomplete for the slash commands' options: fast, and never raising (a failure offers nothing
and is logged)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.adapters.discord import render
from bot.adapters.discord.respond import actor_from, service_of
from bot.core.errors import StudyError

log = logging.getLogger(__name__)

CHOICES = 25  # Discord shows at most 25 autocomplete choices
CHOICE_TEXT = 100


def choices(pairs: list[tuple[str, str]]) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=render.clip(name, CHOICE_TEXT), value=value)
        for value, name in pairs[:CHOICES]
        if 0 < len(value) <= CHOICE_TEXT and name.strip()
    ]


Completer = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


def _autocomplete(source: Callable[[discord.Interaction, str], list[tuple[str, str]]]) -> Completer:
    """Wrap a (value, name) source: fast, never raises (a failure shows no suggestions and is logged)."""

    async def complete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        try:
            return choices(source(interaction, current))
        except Exception:
            log.exception("autocomplete failed for %r", current)
            return []

    return complete


@functools.cache
def _zones() -> tuple[str, ...]:
    """Computed once: reading the time zone database takes a while."""
    skip = ("posix/", "right/", "Etc/", "SystemV/")
    return tuple(sorted(z for z in available_timezones() if "/" in z and not z.startswith(skip))) + ("UTC",)


COMMON_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Hong_Kong",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)


def timezone_choices(typed: str) -> list[tuple[str, str]]:
    """IANA zones matching what was typed: the whole name, a city's start, another part's start, then
    anywhere; the zones most schools use first among equals."""
    folded = typed.strip().lower().replace(" ", "_")
    zones = _zones()
    if not folded:
        return [(zone, zone.replace("_", " ")) for zone in COMMON_ZONES if zone in zones]

    def rank(zone: str) -> int:
        lowered = zone.lower()
        if lowered == folded:
            return 0
        if lowered.rsplit("/", 1)[-1].startswith(folded):  # the city: "lon" -> Europe/London
            return 1
        if any(part.startswith(folded) for part in [lowered, *lowered.split("/")]):
            return 2
        return 3 if folded in lowered else 4

    ranked = sorted((r, zone not in COMMON_ZONES, zone) for zone in zones if (r := rank(zone)) < 4)
    return [(zone, zone.replace("_", " ")) for _, _, zone in ranked[:CHOICES]]


def topic_list_choices(service: Any, typed: str) -> list[tuple[str, str]]:
    """Complete the last of comma-separated topics: 'rise, ne' -> 'rise, nep'."""
    done, _, last = typed.rpartition(",")
    chosen = [part.strip() for part in done.split(",") if part.strip()]
    prefix = ", ".join(chosen)
    pairs = []
    for topic in service.complete_topic(last.strip(), CHOICES):
        if topic.topic_id in chosen:
            continue
        value = f"{prefix}, {topic.topic_id}" if prefix else topic.topic_id
        pairs.append((value, f"{value} ({topic.title})"))
    return pairs


def taught_list_choices(service: Any, typed: str) -> list[tuple[str, str]]:
    """/teacher topics' `taught`: "all" (every topic) first when it fits, then comma-separated topics."""
    every = [("all", "all \u2014 every topic")] if "all".startswith(typed.strip().lower()) else []
    return every + topic_list_choices(service, typed)[: CHOICES - len(every)]


WEAKEST = ("weak", "weak \u2014 your weakest topic")  # `/quiz topic:weak`: the service picks it per student


def practice_topic_choices(service: Any, typed: str) -> list[tuple[str, str]]:
    """/quiz's topics: "weak" (the student's weakest) first when it fits what was typed, then the bank's."""
    folded = typed.strip().lower()
    weak = [WEAKEST] if "weakest".startswith(folded) or folded.startswith("weak") else []
    return weak + [(t.topic_id, t.title) for t in service.complete_topic(typed, CHOICES - len(weak))]


timezones = _autocomplete(lambda i, typed: timezone_choices(typed))
topic_lists = _autocomplete(lambda i, typed: topic_list_choices(service_of(i), typed))
taught_lists = _autocomplete(lambda i, typed: taught_list_choices(service_of(i), typed))
topics = _autocomplete(lambda i, typed: practice_topic_choices(service_of(i), typed))
figures = _autocomplete(lambda i, typed: service_of(i).complete_name(typed, kind="figure", limit=CHOICES))
cards = _autocomplete(lambda i, typed: service_of(i).complete_name(typed, limit=CHOICES))
class_topics = _autocomplete(
    lambda i, typed: [(t.topic_id, t.title) for t in service_of(i).complete_topic(typed, CHOICES)]
)

REPORT_PERIODS = (
    ("week", "week \u2014 the last 7 days (default)"),
    ("month", "month \u2014 the last 30 days"),
    ("term", "term \u2014 since the term began"),
)


def report_period_choices(typed: str) -> list[tuple[str, str]]:
    """/report's and /export's periods; what was typed is offered too (`since 2026-11-02`), the service checks it."""
    folded = typed.strip().lower()
    found = [(value, name) for value, name in REPORT_PERIODS if value.startswith(folded) or folded in name]
    if folded and not any(value == folded for value, _ in found):
        found.append((typed.strip()[:CHOICE_TEXT], typed.strip()))
    return found


report_periods = _autocomplete(lambda i, typed: report_period_choices(typed))


async def scheduled_channels(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """The server's scheduled channels, deleted ones included (by the name they had), for teachers."""
    try:
        infos = await service_of(interaction).schedules.list_all(actor_from(interaction))
    except StudyError:  # not a teacher: nothing to offer
        return []
    except Exception:
        log.exception("autocomplete of scheduled channels failed")
        return []
    typed = current.strip().lstrip("#").lower()
    return choices(
        [
            (info.channel_id, f"#{info.channel_name or info.channel_id}" + (" (failing)" if info.last_error else ""))
            for info in infos
            if typed in info.channel_name.lower() or typed in info.channel_id
        ]
    )
