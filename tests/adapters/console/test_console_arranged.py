"""An order item and a match item in the console (a subprocess), answered wrong with partial credit shown,
in a shape it cannot read (refused, nothing recorded), and right."""

from __future__ import annotations

from bot.content.loader import load_bank
from bot.service.catalogue import Catalogue
from tests.adapters.console.test_console_typed_answers import console
from tests.helpers import ARRANGED_CONTENT


def test_order_and_match_items_show_their_items_take_typed_orders_and_give_partial_credit(tmp_path):
    catalogue = Catalogue(load_bank(ARRANGED_CONTENT))
    order, match = catalogue.question("ord-t1"), catalogue.question("mat-t1")
    in_time = catalogue.answer_key(order).arrangement
    swapped = " ".join((in_time[1], in_time[0], *in_time[2:]))
    letters = catalogue.answer_key(match).arrangement
    lines = [
        "quiz order-drill",
        "answer 1 1 2 3",  # not each number once: refused
        f"answer {swapped}",
        "quiz order-drill",
        f"answer {','.join(in_time)}",
        "quiz match-drill",
        f"answer {' '.join(letters[1:] + letters[:1])}",
        "quiz match-drill",
        "answer " + " ".join(f"{n}{letter}" for n, letter in reversed(list(enumerate(letters, start=1)))),
        "stats",
    ]
    run = console(lines, db=tmp_path / "class.db", content=ARRANGED_CONTENT)
    out = run.stdout
    assert run.returncode == 0 and "Traceback" not in out + run.stderr, run.stderr

    for number, event in catalogue.answer_key(order).options:
        assert f"{number}. {event}" in out  # the events, numbered in the order shown
    assert "Put the numbers 1 to 4 in the order the events happened, each once" in out
    assert f"Your answer: {swapped} (2 of 4 in the right place)" in out
    assert "Lenin dies (21 January 1924) \u2192 Trotsky is removed as Commissar for War (January 1925)" in out
    for n, pair in enumerate(match.pairs, start=1):
        assert f"{n}. {pair.left}" in out
    for letter, right in catalogue.answer_key(match).options:
        assert f"{letter}) {right}" in out
    assert "(0 of 3 paired right)" in out
    assert out.count("Correct!") == 2 and out.count("Not quite.") == 2
    assert "Answered 4 (0 daily, 4 practice, 0 review)" in out  # the refused one was not recorded
