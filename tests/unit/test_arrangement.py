"""Order and match items: what a student may type, what is refused, partial credit, and the bank's checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.content.loader import ContentError, load_bank
from bot.core.arrangement import in_place, read_match, read_order
from bot.core.errors import InvalidInput
from bot.core.selection import arranged
from bot.service.catalogue import Catalogue
from tests.helpers import EXAM_SHAPES_CONTENT


@pytest.mark.parametrize("typed", ["3 1 4 2", "3,1,4,2", "3, 1, 4, 2", "3142", " 3-1-4-2 ", "3 > 1 > 4 > 2", "3→1→4→2"])
def test_an_order_is_read_however_it_is_separated(typed):
    assert read_order(typed, 4) == (3, 1, 4, 2)


@pytest.mark.parametrize(
    "typed",
    ["3 1 4", "3 1 4 2 2", "3 1 4 5", "0 1 2 3", "A B C D", "3 1 4 2 please", "31420", "\u00b2\u00b3\u00b9\u2074"],
)
def test_an_order_that_is_not_each_number_once_is_refused_with_an_example(typed):
    with pytest.raises(InvalidInput, match=r"numbers 1 to 4 .* each once: for example `2 3 4 1`"):
        read_order(typed, 4)


@pytest.mark.parametrize(
    "typed", ["C A B", "cab", "C, A, B", "1C 2A 3B", "3B 1C 2A", "1-c, 2-a, 3-b", "1: C 2: A 3: B"]
)
def test_a_match_is_read_as_letters_in_turn_or_as_pairs(typed):
    assert read_match(typed, "ABC") == ("C", "A", "B")


@pytest.mark.parametrize("typed", ["C A", "C A A", "C A D", "1C 2A", "1C 2A 2B", "1C 2A 3B 4D", "cab now", "1 2 3"])
def test_a_match_that_does_not_give_each_number_a_different_letter_is_refused(typed):
    with pytest.raises(InvalidInput, match="numbers 1 to 3 a different letter"):
        read_match(typed, "ABC")


@given(st.permutations(range(1, 6)))
def test_partial_credit_counts_the_positions_right(order):
    right = (1, 2, 3, 4, 5)
    assert in_place(order, right) == sum(a == b for a, b in zip(order, right, strict=True))
    assert (in_place(order, right) == 5) == (tuple(order) == right)


@given(st.lists(st.text(min_size=1, max_size=5), min_size=2, max_size=5, unique=True), st.text(max_size=8))
def test_items_are_never_shown_in_the_order_that_is_the_answer(items, question_id):
    shown = arranged(question_id, items)
    assert sorted(shown) == sorted(items) and shown != items
    assert arranged(question_id, items) == shown  # the same every time it is asked


def test_grading_is_right_only_for_the_whole_order_and_shows_how_many_were_in_place():
    catalogue = Catalogue(load_bank(EXAM_SHAPES_CONTENT))
    question = catalogue.question("ord-t1")
    right = catalogue.answer_key(question).arrangement
    assert catalogue.grade(question, " ".join(right)) == (True, " ".join(right))
    swapped = (right[1], right[0], *right[2:])
    correct, shown = catalogue.grade(question, ",".join(swapped))
    assert not correct and shown == f"{' '.join(swapped)} (2 of 4 in the right place)"
    events = [text for _, text in catalogue.answer_key(question).options]
    assert [events[int(n) - 1] for n in right] == [event.event for event in question.events]
    assert catalogue.correct_answer(question).endswith("Trotsky is expelled from the party (November 1927)")


def test_grading_a_match_shows_how_many_pairs_were_right():
    catalogue = Catalogue(load_bank(EXAM_SHAPES_CONTENT))
    question = catalogue.question("mat-t1")
    key = catalogue.answer_key(question)
    rights = dict(key.options)
    assert [rights[letter] for letter in key.arrangement] == [pair.right for pair in question.pairs]
    assert catalogue.grade(question, "".join(key.arrangement))[0]
    rotated = key.arrangement[1:] + key.arrangement[:1]
    correct, shown = catalogue.grade(question, " ".join(rotated))
    assert not correct and shown.endswith("(0 of 3 paired right)")


def write_bank(tmp_path: Path, item: dict) -> Path:
    (tmp_path / "questions").mkdir()
    (tmp_path / "topics.yaml").write_text((EXAM_SHAPES_CONTENT / "topics.yaml").read_text())
    (tmp_path / "questions" / "q.yaml").write_text(yaml.safe_dump({"questions": [item]}))
    return tmp_path


ORDER = {
    "id": "ord-x",
    "topic": "order-drill",
    "kind": "order",
    "prompt": "Put these in order.",
    "explanation": "Why the order matters.",
    "source": "facts:power-struggle",
}


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        ([("Lenin dies", "1924"), ("Trotsky is expelled", "1927")], "needs 3 to 5 events, has 2"),
        ([("A", "1926"), ("B", "1925"), ("C", "1927")], "'A' (1926) is not clearly before 'B' (1925)"),
        ([("A", "1926"), ("B", "November 1926"), ("C", "1927")], "'A' (1926) is not clearly before"),
        ([("A", "1923-24"), ("B", "1924"), ("C", "1927")], "'A' (1923-24) is not clearly before 'B' (1924)"),
        ([("The 1936 Constitution", "1936"), ("B", "1937"), ("C", "1938")], "gives its year away"),
        ([("A", "1925"), ("A", "1926"), ("C", "1927")], "two events are the same"),
    ],
)
def test_content_check_refuses_an_order_item_whose_order_is_in_doubt(tmp_path, events, problem):
    item = ORDER | {"events": [{"event": event, "date": date} for event, date in events]}
    with pytest.raises(ContentError) as refused:
        load_bank(write_bank(tmp_path, item))
    assert problem in refused.value.report()


def test_content_check_refuses_a_match_item_with_a_right_hand_item_twice_or_an_answer(tmp_path):
    pairs = [{"left": "Zinoviev", "right": "Comintern"}, {"left": "Bukharin", "right": "Pravda"}]
    item = ORDER | {"kind": "match", "topic": "match-drill", "answer": "Zinoviev", "pairs": [*pairs, pairs[1]]}
    with pytest.raises(ContentError) as refused:
        load_bank(write_bank(tmp_path, item))
    assert "two right-hand items are the same" in refused.value.report()
    assert "match items take no answer" in refused.value.report()
