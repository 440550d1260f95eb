"""The timeline: dated events in time order, each once with its most precise date, and `timeline` parsed."""

from __future__ import annotations

import pytest

from bot.content.loader import load_bank
from bot.core.commands import ShowTimeline, parse_command
from bot.core.errors import InvalidInput
from bot.core.timeline import DatedEvent, between, build
from bot.service.catalogue import Catalogue
from tests.helpers import SHIPPED_CONTENT


def test_events_come_in_time_order_with_what_a_date_leaves_out_first_in_its_year():
    events = [
        DatedEvent("November 1927", "Trotsky is expelled from the party", "t"),
        DatedEvent("1927", "A war scare grips the USSR", "t"),
        DatedEvent("1923-24", "The Lenin Enrolment", "t"),
        DatedEvent("21 January 1924", "Lenin dies", "t"),
        DatedEvent("Early 1929", "Trotsky is deported", "t"),
    ]
    assert [e.when for e in build(events)] == ["1923-24", "21 January 1924", "1927", "November 1927", "Early 1929"]


def test_one_event_written_twice_is_listed_once_with_its_most_precise_date():
    events = [
        DatedEvent("1927", "Trotsky and Zinoviev are expelled from the party", "a"),
        DatedEvent("14 November 1927", "Trotsky and Zinoviev are thrown out of the Communist Party", "b"),
        DatedEvent("1 December 1934", "Kirov is shot in Leningrad by Leonid Nikolaev", "a"),
        DatedEvent("1 December 1934", "Kirov is murdered at the Smolny", "b"),
        DatedEvent("December 1934", "Kamenev is arrested", "a"),  # the same month, another event
        DatedEvent("1928", "Trotsky is expelled from the party", "a"),  # another year: another event
    ]
    assert [(e.when, e.event) for e in build(events)] == [
        ("14 November 1927", "Trotsky and Zinoviev are thrown out of the Communist Party"),
        ("1928", "Trotsky is expelled from the party"),
        ("December 1934", "Kamenev is arrested"),
        ("1 December 1934", "Kirov is shot in Leningrad by Leonid Nikolaev"),
    ]


def test_the_shipped_timeline_has_each_day_once_and_between_keeps_the_span():
    shipped = Catalogue(load_bank(SHIPPED_CONTENT))
    days = [e.moment for e in shipped.timeline if e.precision == 3]
    assert len(days) == len(set(days)) and len(shipped.timeline) >= 80
    span = between(shipped.timeline, 1928, 1932)
    assert span and all(1928 <= e.moment[0] <= 1932 for e in span)
    assert [e.moment for e in span] == sorted(e.moment for e in span)
    assert any("Five-Year Plan begins" in e.event for e in span)


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("timeline", ShowTimeline()),
        ("timeline 1930", ShowTimeline(1930, 1930)),
        ("timeline 1932 1928", ShowTimeline(1928, 1932)),
        ("timeline 1928-1932", ShowTimeline(1928, 1932)),
        ("timeline 1928 to 1932", ShowTimeline(1928, 1932)),
    ],
)
def test_timeline_takes_no_year_one_or_two(typed, parsed):
    assert parse_command(typed) == parsed


@pytest.mark.parametrize("typed", ["timeline soon", "timeline 28", "timeline 1928 1930 1932"])
def test_timeline_refuses_anything_but_years(typed):
    with pytest.raises(InvalidInput, match="one or two years"):
        parse_command(typed, prefix="/study ")
