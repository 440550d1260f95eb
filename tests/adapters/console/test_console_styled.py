"""The rich renderings show people's and content's words as typed, never as rich markup."""

from __future__ import annotations

from rich.console import Console

from bot.adapters.console import styled
from bot.adapters.console.views import RichView
from bot.core.replies import Leaderboard, LeaderboardEntry, Stats
from bot.core.vocabulary import Period


def shown(renderable) -> str:  # noqa: ANN001
    console = Console(record=True, width=100, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def test_names_that_look_like_markup_are_printed_as_typed():
    board = Leaderboard(Period.WEEK, "week of 30 Nov 2026", (LeaderboardEntry(1, "[bold]Ann[/]", 10, True),), None, 1)
    assert "[bold]Ann[/]" in shown(styled.leaderboard(board))
    assert "Stats for [red]Eve" in shown(styled.stats(Stats("[red]Eve", 1, 1, 1, 0, 10, 1, 1)))


def test_plain_messages_are_never_read_as_markup(capsys):
    RichView().show("[scheduled post in #console]")
    assert "[scheduled post in #console]" in capsys.readouterr().out
