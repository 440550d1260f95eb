"""Assignments' rules without a database: reading `assign ...`, checking its terms, choosing the set, the
next question (unmet ones first, then retakes, the one answered longest ago first) and the goal."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.assignments import (
    AssignArgs,
    Terms,
    check_terms,
    choose_questions,
    is_open,
    listed_questions,
    next_question,
    parse_assign,
    reached_goal,
    record,
    right,
)
from bot.core.errors import InvalidInput

TODAY = dt.date(2026, 11, 27)
SET = ["a", "b", "c"]


def test_assign_reads_a_topic_of_several_words_and_its_options_in_any_order():
    assert parse_assign("rise n=5 due:2026-12-04 goal=80%") == AssignArgs("rise", "5", "2026-12-04", "80%")
    assert parse_assign("due=2026-12-04 NEP and the economy goal:60") == AssignArgs(
        "NEP and the economy", None, "2026-12-04", "60"
    )
    assert parse_assign("all due:2026-12-04") == AssignArgs("all", None, "2026-12-04", None)


@pytest.mark.parametrize(
    ("text", "says"), [("", "Name a topic"), ("n=5 due:2026-12-04", "Name a topic"), ("rise", "due:")]
)
def test_assign_without_a_topic_or_a_date_says_how(text, says):
    with pytest.raises(InvalidInput, match=says):
        parse_assign(text, prefix="/study ")


def test_terms_have_defaults_and_friendly_limits():
    assert check_terms(None, "2026-12-04", None, TODAY) == Terms(10, dt.date(2026, 12, 4), 70)
    assert check_terms(3, dt.date(2026, 11, 27), "100", TODAY) == Terms(3, TODAY, 100)  # today itself is fine
    for count, due, goal, says in [
        ("51", "2026-12-04", None, "from 1 to 50"),
        ("x", "2026-12-04", None, "from 1 to 50"),
        (None, "2026-11-26", None, "has passed"),
        (None, "tomorrow", None, "e.g. `due:2026-12-04`"),
        (None, "2026-12-04", "0%", "from 1% to 100%"),
    ]:
        with pytest.raises(InvalidInput, match=says):
            check_terms(count, due, goal, TODAY)


def test_the_set_is_a_fixed_shuffle_of_at_most_the_candidates():
    chosen = choose_questions(["q1", "q2", "q3", "q4"], 3, "seed")
    assert len(chosen) == 3 and set(chosen) <= {"q1", "q2", "q3", "q4"}
    assert chosen == choose_questions(["q4", "q3", "q2", "q1"], 3, "seed")  # the candidates' order is not the set's
    assert sorted(choose_questions(["q1", "q2"], 10, "seed")) == ["q1", "q2"]


def test_unmet_questions_come_first_in_order_then_wrong_ones_answered_longest_ago_first():
    results: dict[str, bool] = {}
    assert next_question(SET, results) == "a"
    results = record(results, "a", False)
    assert next_question(SET, results) == "b"
    results = record(record(results, "b", False), "c", True)
    assert next_question(SET, results) == "a"  # a was answered before b
    results = record(results, "a", False)  # wrong again: now answered last
    assert list(results) == ["b", "c", "a"] and next_question(SET, results) == "b"
    results = record(record(results, "b", True), "a", True)
    assert next_question(SET, results) is None and right(SET, results) == 3


def test_the_goal_needs_every_question_met_and_the_share_right():
    assert not reached_goal(SET, {"a": True, "b": True}, 60)  # 2/3 right, but c not met yet
    assert reached_goal(SET, {"a": True, "b": True, "c": False}, 60)
    assert not reached_goal(SET, {"a": True, "b": True, "c": False}, 70)
    assert reached_goal(SET, {"a": True, "b": True, "c": True}, 100)


def test_an_assignment_is_open_to_the_end_of_its_date_unless_closed():
    assert is_open(TODAY, False, TODAY) and not is_open(TODAY, False, TODAY + dt.timedelta(days=1))
    assert not is_open(TODAY, True, TODAY)


def test_an_assignment_question_s_ref_names_its_assignment_in_a_button_id():
    from bot.core.replies import QuestionRef
    from bot.core.vocabulary import Mode

    ref = QuestionRef("t-mc-1", Mode.ASSIGNMENT, assignment_id=17)
    assert ref.encode() == "a:17:t-mc-1" and QuestionRef.decode("a:17:t-mc-1") == ref
    assert QuestionRef.decode("a::t-mc-1") == QuestionRef("t-mc-1", Mode.ASSIGNMENT)  # typed: the one asked last
    with pytest.raises(ValueError):
        QuestionRef.decode("a:x7:t-mc-1")
    assert QuestionRef.decode("p::t-mc-1") == QuestionRef("t-mc-1", Mode.PRACTICE)


def test_a_list_of_question_ids_is_a_set_in_the_teachers_order_and_a_topic_is_not_a_list():
    bank = {"ter-001", "eco-010", "ps-003"}
    assert listed_questions("ter-001, ECO-010 ter-001;ps-003", bank) == ["ter-001", "eco-010", "ps-003"]
    assert listed_questions("the rise of Stalin", bank) is None
    assert listed_questions("all", bank) is None
    with pytest.raises(InvalidInput, match="no question `ter-999`"):
        listed_questions("ter-001 ter-999", bank)
