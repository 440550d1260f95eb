"""Order, match and source items in the console (a subprocess): an order and a match answered wrong with
partial credit shown, in a shape it cannot read (refused, nothing recorded), and right; a source item's
extract with its provenance, and why the option picked is wrong."""

from __future__ import annotations

import re

from bot.content.loader import load_bank
from bot.service.catalogue import Catalogue
from tests.adapters.console.test_console_typed_answers import console
from tests.helpers import EXAM_SHAPES_CONTENT, model_plan


def test_order_and_match_items_show_their_items_take_typed_orders_and_give_partial_credit(tmp_path):
    catalogue = Catalogue(load_bank(EXAM_SHAPES_CONTENT))
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
    run = console(lines, db=tmp_path / "class.db", content=EXAM_SHAPES_CONTENT)
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


def test_a_source_item_shows_its_extract_and_says_why_the_option_picked_is_wrong(tmp_path):
    catalogue = Catalogue(load_bank(EXAM_SHAPES_CONTENT))
    options = dict(catalogue.answer_key(catalogue.question("src-t1")).options)
    wrong = next(letter for letter, text in options.items() if text.startswith("How many peasants"))
    run = console(["quiz source-drill", f"answer {wrong}"], db=tmp_path / "class.db", content=EXAM_SHAPES_CONTENT)
    assert run.returncode == 0, run.stderr
    assert "\u2502 Success has turned some comrades' heads." in run.stdout
    assert "\u2014 Joseph Stalin, 2 March 1930, to readers of Pravda" in run.stdout
    assert "Why not yours: It gives no figures at all" in run.stdout
    assert "More: explain Collectivisation" in run.stdout  # the term the question names

    quizzed = console(
        ["explain Collectivisation", "quiz --about collectivisation"],
        db=tmp_path / "class.db",
        content=EXAM_SHAPES_CONTENT,
    )
    assert "Quiz yourself: quiz --about collectivisation" in quizzed.stdout
    assert quizzed.stdout.count("Success has turned some comrades' heads") == 1  # the question it names


def test_timeline_lists_the_years_events_in_date_order_and_refuses_what_is_not_a_year(tmp_path):
    run = console(["timeline 1932 1928", "timeline soon"], db=tmp_path / "class.db", content=EXAM_SHAPES_CONTENT)
    assert run.returncode == 0, run.stderr
    shown = run.stdout.split("Timeline, 1928-1932\n", 1)[1].split("\n\n", 1)[0]
    assert [line.split("  ")[0] for line in map(str.strip, shown.splitlines())] == [
        "January 1928",
        "1 October 1928",  # "October 1928" too, in another item: listed once, with its more precise date
        "1929",
        "2 March 1930",
        "7 August 1932",
    ]
    assert shown.splitlines()[-1].endswith("The law of spikelets")
    assert "Give one or two years, e.g. `timeline 1928 1932`" in run.stdout


def test_summary_shows_the_topic_s_dates_and_terms_and_what_the_student_missed(tmp_path):
    catalogue = Catalogue(load_bank(EXAM_SHAPES_CONTENT))
    key = catalogue.answer_key(catalogue.question("src-t1"))
    wrong = next(letter for letter, _ in key.options if letter != key.answer_letter)
    lines = ["summary source-drill", "quiz source-drill", f"answer {wrong}", "summary source-drill", "summary dates"]
    out = console(lines, db=tmp_path / "class.db", content=EXAM_SHAPES_CONTENT).stdout
    first, _, rest = out.partition("Practise it: quiz source-drill")
    assert "You haven't answered any of its 1 questions yet." in first and "Terms: Collectivisation" in first
    assert "You've answered 1 of its 1 questions; last time you missed:" in rest
    assert "- What is the extract most useful as evidence for?" in rest
    assert rest.index("January 1928: Stalin's Siberian trip") < rest.index("22 June 1941: Germany invades")


def test_an_essay_plan_from_question_to_model_comparison_and_history(tmp_path):
    shown = console(["essay"], db=tmp_path / "class.db", content=EXAM_SHAPES_CONTENT).stdout
    essay = load_bank(EXAM_SHAPES_CONTENT).essays["ess-t1"]
    factors = re.findall(r"^  \d\. (.+)$", shown.split("Factors:\n", 1)[1].split("\n\n", 1)[0], re.MULTILINE)
    pool = shown.split("Evidence:\n", 1)[1].split("\n\nPlan it", 1)[0]
    evidence = [" ".join(item.split()) for item in re.split(r"\n  [A-L]\) ", "\n" + pool)[1:]]
    numbers, letters = model_plan(essay, factors, evidence)
    judgement = "The party machine mattered most because it turned his rivals' mistakes into votes at congresses"
    lines = ["essay", f"plan {numbers} | {letters} | {judgement}", "essay history"]
    out = console(lines, db=tmp_path / "class.db", content=EXAM_SHAPES_CONTENT).stdout
    assert "Your plan beside the model's" in out and "aims at level 4 (19-24)" in out
    assert "Compared by rules from the plan's choices" in " ".join(out.split())
    assert "level 4 of 4  How important was Stalin's control" in out
