"""An order item and a match item over the wire through bolt: `/study quiz` shows the numbered and lettered
items, a typed order (by command and in the answer modal) is marked with partial credit, and right."""

from __future__ import annotations

import pytest

from bot.adapters.slack import ids
from bot.bootstrap import open_service
from tests.adapters.slack.fake_slack import all_text, button
from tests.adapters.slack.fake_slack import buttons as fake_buttons
from tests.conftest import NAMED
from tests.helpers import EXAM_SHAPES_CONTENT, model_plan

LINKED_JUDGEMENT = "The party machine mattered most because it turned his rivals' mistakes into votes at every congress"


@pytest.fixture
async def service(sqlite_url, clock):
    async with open_service(sqlite_url, EXAM_SHAPES_CONTENT, clock=clock, new_class_board=NAMED) as study:
        yield study


async def test_an_order_item_by_command_wrong_with_partial_credit_then_right(slack, service, fake_slack):
    asked = await slack.ask("quiz order-drill")
    key = service.catalogue.answer_key(service.catalogue.question("ord-t1"))
    shown = all_text(asked)
    for number, event in key.options:
        assert f"*{number}.* {event}" in shown
    assert "Give the numbers in time order, earliest first" in shown and "answer 2 3 4 1" in shown
    assert fake_slack.limit_errors == []

    swapped = " ".join((key.arrangement[1], key.arrangement[0], *key.arrangement[2:]))
    wrong = all_text(await slack.ask(f"answer {swapped}"))
    assert "Not quite" in wrong and "(2 of 4 in the right place)" in wrong
    assert "Lenin dies (21 January 1924) \u2192 Trotsky is removed" in wrong  # the right order, with dates

    await slack.ask("quiz order-drill")
    right = all_text(await slack.ask(f"answer {''.join(key.arrangement)}"))
    assert "Correct!" in right and "in the right place" not in right


async def test_a_match_item_in_the_answer_modal_refused_wrong_and_right(slack, service, fake_slack):
    asked = await slack.ask("quiz match-drill")
    question = service.catalogue.question("mat-t1")
    key = service.catalogue.answer_key(question)
    shown = all_text(asked)
    for n, pair in enumerate(question.pairs, start=1):
        assert f"*{n}.* {pair.left}" in shown
    for letter, right in key.options:
        assert f"*{letter}.* {right}" in shown
    url = await slack.click(button(asked, ids.OPEN_MODAL_ACTION))
    view = (await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open")))[0].body["view"]
    assert "1. Zinoviev" in all_text(view) and "Give a letter for each number, in turn" in all_text(view)

    assert (await slack.submit(view, "A A A"))[0] == 200  # not a different letter each: refused
    assert "a different letter" in all_text(await fake_slack.reply(url))
    rotated = key.arrangement[1:] + key.arrangement[:1]
    assert (await slack.submit(view, " ".join(rotated)))[0] == 200
    wrong = all_text((await fake_slack.wait_for(lambda: fake_slack.replies_to(url)[1:]))[0])
    assert "Not quite" in wrong and "(0 of 3 paired right)" in wrong and "Zinoviev: Head of the Comintern" in wrong

    pairs = " ".join(f"{n}{letter}" for n, letter in enumerate(key.arrangement, start=1))
    assert (await slack.submit(view, pairs))[0] == 200
    right = all_text((await fake_slack.wait_for(lambda: fake_slack.replies_to(url)[2:]))[0])
    assert "Correct!" in right
    assert "2 answered, 1 correct" in all_text(await slack.ask("stats"))  # the refused answer was not recorded


async def test_a_source_item_shows_its_extract_and_a_wrong_option_says_why(slack, service):
    asked = await slack.ask("quiz source-drill")
    shown = all_text(asked)
    assert "> Success has turned some comrades' heads." in shown
    assert "\u2014 Joseph Stalin, 2 March 1930, to readers of Pravda" in shown
    assert 'Paraphrase of the article "Dizzy with Success".' in shown
    key = service.catalogue.answer_key(service.catalogue.question("src-t1"))
    figures = next(letter for letter, text in key.options if text.startswith("How many peasants"))
    wrong = all_text(await slack.press(button(asked, f"{figures}.")))
    assert "Not quite" in wrong and "Why not yours: It gives no figures at all" in wrong
    await slack.ask("quiz source-drill")
    right = all_text(await slack.ask(f"answer {key.answer_letter}"))
    assert "Correct!" in right and "Why not yours" not in right


async def test_timeline_lists_the_years_events_in_date_order(slack):
    shown = all_text(await slack.ask("timeline 1928 1932"))
    order = [
        "*January 1928* \u00b7 Stalin's Siberian trip",
        "*1 October 1928* \u00b7 The First Five-Year Plan officially begins",  # the more precise of the two
        "*1929* \u00b7 Trotsky is expelled from the USSR",
        "*2 March 1930* \u00b7 Stalin's Dizzy with Success",
        "*7 August 1932* \u00b7 The law of spikelets",
    ]
    assert [shown.index(line) for line in order] == sorted(shown.index(line) for line in order)
    assert (
        "Lenin dies" not in shown
        and "Germany invades" not in shown
        and "October 1928* \u00b7 The First" not in (shown.replace("*1 October 1928*", ""))
    )
    refused = all_text(await slack.ask("timeline soon"))
    assert "Give one or two years, e.g. `/study timeline 1928 1932`" in refused


async def test_a_wrong_answer_links_the_term_card_which_quizzes_on_its_questions(slack, service):
    asked = await slack.ask("quiz source-drill")
    key = service.catalogue.answer_key(service.catalogue.question("src-t1"))
    wrong_letter = next(letter for letter, _ in key.options if letter != key.answer_letter)
    wrong = await slack.press(button(asked, f"{wrong_letter}."))
    card = await slack.press(button(wrong, "Show card: Collectivisation"))
    assert "Merging the peasants' own farms into collective farms" in all_text(card)
    quizzed = await slack.press(button(card, "Quiz me on this"))
    assert "Success has turned some comrades' heads" in all_text(quizzed)  # its one linked question


async def test_summary_shows_the_topic_s_dates_terms_and_what_the_student_missed(slack, service):
    fresh = all_text(await slack.ask("summary source drill"))
    assert "Summary \u00b7 Source drill" in fresh and "You haven't answered any of its 1 questions yet." in fresh
    assert "*Terms*: Collectivisation" in fresh

    asked = await slack.ask("quiz source-drill")
    key = service.catalogue.answer_key(service.catalogue.question("src-t1"))
    await slack.press(button(asked, f"{next(k for k, _ in key.options if k != key.answer_letter)}."))
    missed = await slack.ask("summary source-drill")
    assert "You've answered 1 of its 1 questions; last time you missed:" in all_text(missed)
    assert "\u2022 What is the extract most useful as evidence for?" in all_text(missed)
    assert button(missed, "Card: Collectivisation")

    dated = all_text(await slack.ask("summary dates"))
    assert dated.index("January 1928: Stalin's Siberian trip") < dated.index("22 June 1941: Germany invades")
    unknown = all_text(await slack.ask("summary xyzzy"))
    assert "There is no topic \u201cxyzzy\u201d. Topics: order-drill, match-drill, source-drill, dates." in unknown


async def test_an_essay_plan_from_question_to_model_comparison_in_the_form_and_typed(slack, service, fake_slack):
    asked = await slack.ask("essay")
    shown = all_text(asked)
    assert "*Essay plan* \u00b7 Dates \u00b7 24 marks" in shown and "How important was Stalin's control" in shown
    essay = service.catalogue.bank.essays["ess-t1"]
    factors = [
        line.split("* ", 1)[1] for line in shown.split("*Factors*\n", 1)[1].split("\n*Evidence*")[0].splitlines()
    ]
    evidence = [line.split("* ", 1)[1] for line in shown.split("*Evidence*\n", 1)[1].splitlines()[: len(factors)]]
    numbers, letters = model_plan(essay, factors, evidence)

    url = await slack.click(button(asked, "Write your plan"))
    view = (await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open")))[0].body["view"]
    assert [block["block_id"] for block in view["blocks"]] == ["factors", "evidence", "judgement"]
    sent = {"factors": numbers, "evidence": letters, "judgement": LINKED_JUDGEMENT}
    assert (await slack.submit(view, sent))[0] == 200
    compared = all_text(await fake_slack.reply(url))
    assert "Your plan beside the model's" in compared and "aims at level 4 (19-24)" in compared
    assert "Compared by rules" in compared and "You left out" not in compared

    await slack.ask("essay")  # a second plan, typed, with the evidence swapped: a lower level and why
    swapped = " ".join(reversed(letters.split()))
    typed = all_text(await slack.ask(f"plan {numbers} | {swapped} | {LINKED_JUDGEMENT}"))
    assert "That evidence proves another factor" in typed and "aims at level 2 (7-12)" in typed
    history = all_text(await slack.ask("essay history"))
    assert history.count("How important was Stalin's control") == 2 and "level 4 of 4" in history
    assert "Send the whole plan in one line" in all_text(await slack.ask("plan 1 2 3"))


async def test_an_order_tapped_in_a_button_at_a_time_replaces_one_private_message_then_scores(
    slack, service, fake_slack
):
    asked = await slack.ask("quiz order-drill")
    key = service.catalogue.answer_key(service.catalogue.question("ord-t1"))
    labels = [b["text"]["text"] for b in fake_buttons(asked)]
    assert labels == ["1", "2", "3", "4", "Type your answer"]
    first, *rest = key.arrangement
    url = await slack.click(button(asked, first))
    step = await fake_slack.reply(url)
    assert step["replace_original"] is False and "*So far*: " + first in all_text(step)
    assert sorted(b["text"]["text"] for b in fake_buttons(step)) == sorted([*rest, "Start again"])
    for tap in rest:
        url = await slack.click(button(step, tap))
        step = (await fake_slack.wait_for(lambda url=url: fake_slack.replies_to(url)))[-1]
        assert step["replace_original"] is True  # the same private message, replaced
    assert "Correct!" in all_text(step)
    assert "1 answered, 1 correct" in all_text(await slack.ask("stats"))


async def test_an_essay_plan_tapped_in_then_its_judgement_written_in_the_prefilled_form(slack, service, fake_slack):
    asked = await slack.ask("essay")
    shown = all_text(asked)
    essay = service.catalogue.bank.essays["ess-t1"]
    factors = [
        line.split("* ", 1)[1] for line in shown.split("*Factors*\n", 1)[1].split("\n*Evidence*")[0].splitlines()
    ]
    evidence = [line.split("* ", 1)[1] for line in shown.split("*Evidence*\n", 1)[1].splitlines()[: len(factors)]]
    numbers, letters = model_plan(essay, factors, evidence)
    assert [b["text"]["text"] for b in fake_buttons(asked)] == ["1", "2", "3", "4", "Write your plan"]

    step = asked
    for tap in [*numbers.split(), "These 3", *letters.split()]:
        url = await slack.click(button(step, tap))
        step = (await fake_slack.wait_for(lambda url=url: fake_slack.replies_to(url)))[-1]
    assert step["replace_original"] is True and "Now write your judgement" in all_text(step)

    url = await slack.click(button(step, "Write your judgement"))
    view = (await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open")))[-1].body["view"]
    filled = {block["block_id"]: block["element"].get("initial_value") for block in view["blocks"]}
    assert filled == {"factors": numbers, "evidence": letters, "judgement": None}  # the taps, filled in
    assert (await slack.submit(view, {"factors": numbers, "evidence": letters, "judgement": LINKED_JUDGEMENT}))[
        0
    ] == 200
    assert "aims at level 4 (19-24)" in all_text(await fake_slack.reply(url))
