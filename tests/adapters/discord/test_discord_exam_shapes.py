"""An order item and a match item through the real discord.py against the fake Discord: /quiz shows the
numbered and lettered items, the "Type your answer" modal takes an order or a set of pairs, and the reply
gives partial credit, the right answer with its dates, or "Correct"."""

from __future__ import annotations

import pytest

from bot.bootstrap import open_service
from tests.adapters.discord.helpers import ANNA, SCHOOL_A, assert_private, button, question_of
from tests.conftest import NAMED
from tests.helpers import EXAM_SHAPES_CONTENT, model_plan

JUDGEMENT = "The party machine mattered most because it turned his rivals' mistakes into votes at every congress"


@pytest.fixture
async def service(sqlite_url, clock):
    async with open_service(sqlite_url, EXAM_SHAPES_CONTENT, clock=clock, new_class_board=NAMED) as study:
        yield study


async def open_modal(fake, service, topic: str):  # noqa: ANN001, ANN201
    shown = await fake.slash("quiz", ANNA, SCHOOL_A, topic=topic)
    ref, question = question_of(shown, service)
    opened = await fake.click(shown.message, f"typed|{ref.encode()}", ANNA, SCHOOL_A)
    assert opened.callback["type"] == 9, opened.callback  # the modal
    return shown, question, opened.callback["data"]


async def test_an_order_item_in_the_modal_wrong_with_partial_credit_then_right(fake, bot, service):
    shown, question, modal = await open_modal(fake, service, "order-drill")
    key = service.catalogue.answer_key(question)
    for number, event in key.options:
        assert f"**{number}.** {event}" in shown.text
    assert "Tap the events in time order, earliest first, or type them" in shown.text

    refused = await fake.submit(modal, "1 2 3", ANNA, SCHOOL_A)
    assert_private(refused)
    assert "Put the numbers 1 to 4 in the order the events happened" in refused.text

    swapped = " ".join((key.arrangement[1], key.arrangement[0], *key.arrangement[2:]))
    wrong = await fake.submit(modal, swapped, ANNA, SCHOOL_A)
    assert_private(wrong)
    assert "Not quite" in wrong.text and "(2 of 4 in the right place)" in wrong.text
    assert "Lenin dies (21 January 1924) \u2192 Trotsky is removed as Commissar for War (January 1925)" in wrong.text

    right = await fake.submit(modal, ", ".join(key.arrangement), ANNA, SCHOOL_A)
    assert "Correct" in right.text and "in the right place" not in right.text


async def test_a_match_item_in_the_modal_wrong_then_right_as_pairs(fake, bot, service):
    shown, question, modal = await open_modal(fake, service, "match-drill")
    key = service.catalogue.answer_key(question)
    for n, pair in enumerate(question.pairs, start=1):
        assert f"**{n}.** {pair.left}" in shown.text
    for letter, right in key.options:
        assert f"**{letter}.** {right}" in shown.text

    rotated = key.arrangement[1:] + key.arrangement[:1]
    wrong = await fake.submit(modal, "".join(rotated), ANNA, SCHOOL_A)
    assert "Not quite" in wrong.text and "(0 of 3 paired right)" in wrong.text
    assert "Bukharin: Editor of Pravda" in wrong.text

    pairs = ", ".join(f"{n}-{letter}" for n, letter in reversed(list(enumerate(key.arrangement, start=1))))
    right = await fake.submit(modal, pairs, ANNA, SCHOOL_A)
    assert "Correct" in right.text
    assert "**Answered:** 0 daily, 2 practice" in (await fake.slash("stats", ANNA, SCHOOL_A)).text


async def test_a_source_item_shows_its_extract_and_a_wrong_option_says_why(fake, bot, service):
    shown = await fake.slash("quiz", ANNA, SCHOOL_A, topic="source-drill")
    assert "> *Success has turned some comrades' heads." in shown.text
    assert "\u2014 Joseph Stalin, 2 March 1930, to readers of Pravda" in shown.text
    ref, question = question_of(shown, service)
    key = service.catalogue.answer_key(question)
    letter = next(letter for letter, text in key.options if text.startswith("Stalin's wish"))
    custom_id = next(b["custom_id"] for b in shown.buttons if b["custom_id"].endswith(f"|{letter}"))
    wrong = await fake.click(shown.message, custom_id, ANNA, SCHOOL_A)
    assert_private(wrong)
    assert "Why not yours" in wrong.text and "He paused the drive, not the policy" in wrong.text


async def test_timeline_lists_the_years_events_in_date_order(fake, bot):
    shown = await fake.slash("timeline", ANNA, SCHOOL_A, **{"from": 1928, "to": 1932})
    assert_private(shown)
    lines = [line for line in shown.text.splitlines() if " \u00b7 " in line]
    assert [line.split(" \u00b7 ")[0] for line in lines] == [
        "**January 1928**",
        "**1 October 1928**",
        "**1929**",
        "**2 March 1930**",
        "**7 August 1932**",
    ]
    one_year = await fake.slash("timeline", ANNA, SCHOOL_A, **{"from": 1941})
    assert "Germany invades the USSR" in one_year.text and "1928" not in one_year.text
    none = await fake.slash("timeline", ANNA, SCHOOL_A, **{"from": 1950})
    assert "no dated events for 1950" in none.text


async def test_a_wrong_answer_links_the_term_card_which_quizzes_on_its_questions(fake, bot, service):
    shown = await fake.slash("quiz", ANNA, SCHOOL_A, topic="source-drill")
    _, question = question_of(shown, service)
    key = service.catalogue.answer_key(question)
    wrong_letter = next(letter for letter, _ in key.options if letter != key.answer_letter)
    custom_id = next(b["custom_id"] for b in shown.buttons if b["custom_id"].endswith(f"|{wrong_letter}"))
    wrong = await fake.click(shown.message, custom_id, ANNA, SCHOOL_A)
    card = await fake.click(wrong.message, button(wrong, "Card: Collectivisation"), ANNA, SCHOOL_A)
    assert "Merging the peasants' own farms into collective farms" in card.text
    quizzed = await fake.click(card.message, button(card, "Quiz me on this"), ANNA, SCHOOL_A)
    assert "Success has turned some comrades' heads" in quizzed.text


async def test_summary_shows_the_topic_s_dates_terms_and_what_the_student_missed(fake, bot, service):
    shown = await fake.slash("quiz", ANNA, SCHOOL_A, topic="source-drill")
    key = service.catalogue.answer_key(question_of(shown, service)[1])
    wrong_letter = next(letter for letter, _ in key.options if letter != key.answer_letter)
    await fake.click(
        shown.message,
        next(b["custom_id"] for b in shown.buttons if b["custom_id"].endswith(f"|{wrong_letter}")),
        ANNA,
        SCHOOL_A,
    )

    summary = await fake.slash("summary", ANNA, SCHOOL_A, topic="source-drill")
    assert_private(summary)
    assert "Summary \u00b7 Source drill" in summary.text and "Collectivisation" in summary.text
    assert "last time you missed:" in summary.text and "\u2022 What is the extract most useful" in summary.text
    assert button(summary, "Card: Collectivisation")
    dated = (await fake.slash("summary", ANNA, SCHOOL_A, topic="dates")).text
    assert dated.index("**January 1928**: Stalin's Siberian trip") < dated.index("**22 June 1941**: Germany")


async def test_an_essay_plan_from_question_to_model_comparison_in_the_form(fake, bot, service):
    asked = await fake.slash("essay plan", ANNA, SCHOOL_A)
    assert_private(asked)
    assert "How important was Stalin's control" in asked.text and "24 marks" in asked.text
    embed = asked.data["embeds"][0]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    factors = [line.split("** ", 1)[1] for line in fields["Factors"].splitlines()]
    evidence = [line.split("** ", 1)[1] for line in fields["Evidence"].splitlines()]
    numbers, letters = model_plan(service.catalogue.bank.essays["ess-t1"], factors, evidence)

    opened = await fake.click(asked.message, button(asked, "Write your plan"), ANNA, SCHOOL_A)
    assert opened.callback["type"] == 9, opened.callback  # the form
    form = opened.callback["data"]
    refused = await fake.submit(form, {"factors": "1 1", "evidence": letters, "judgement": JUDGEMENT}, ANNA, SCHOOL_A)
    assert "Choose 3 or 4 different factors" in refused.text
    plan = {"factors": numbers, "evidence": letters, "judgement": JUDGEMENT}
    compared = await fake.submit(form, plan, ANNA, SCHOOL_A)
    assert_private(compared)
    assert "Your plan beside the model's" in compared.text and "Level 4 (19-24)" in compared.text
    history = await fake.slash("essay history", ANNA, SCHOOL_A)
    assert "level 4 of 4" in history.text and "How important was Stalin's control" in history.text


async def test_an_order_tapped_in_a_button_at_a_time_updates_one_private_message_then_scores(fake, bot, service):
    shown = await fake.slash("quiz", ANNA, SCHOOL_A, topic="order-drill")
    key = service.catalogue.answer_key(question_of(shown, service)[1])
    assert [b["label"] for b in shown.buttons] == ["1", "2", "3", "4", "Type your answer"]
    first, second, *rest = key.arrangement

    step = await fake.click(shown.message, button(shown, first), ANNA, SCHOOL_A)
    assert_private(step)
    assert "So far" in step.text and first in step.text and "Tap the event that came next." in step.text
    assert sorted(b["label"] for b in step.buttons) == sorted([second, *rest, "Start again"])
    again = await fake.click(step.message, button(step, "Start again"), ANNA, SCHOOL_A)
    assert again.message["id"] == step.message["id"]  # the same private message, updated
    assert sorted(b["label"] for b in again.buttons) == ["1", "2", "3", "4", "Start again"]

    current = again
    for tap in (second, first):  # the first two swapped: 2 of 4 in place
        current = await fake.click(current.message, button(current, tap), ANNA, SCHOOL_A)
    assert current.message["id"] == step.message["id"]
    for tap in rest:
        current = await fake.click(current.message, button(current, tap), ANNA, SCHOOL_A)
    assert "Not quite" in current.text and "(2 of 4 in the right place)" in current.text


async def test_a_match_tapped_letter_by_letter_scores_when_complete(fake, bot, service):
    shown = await fake.slash("quiz", ANNA, SCHOOL_A, topic="match-drill")
    key = service.catalogue.answer_key(question_of(shown, service)[1])
    current = await fake.click(shown.message, button(shown, key.arrangement[0]), ANNA, SCHOOL_A)
    assert "Tap the letter for 2. Bukharin." in current.text and f"1{key.arrangement[0]}" in current.text
    for tap in key.arrangement[1:]:
        current = await fake.click(current.message, button(current, tap), ANNA, SCHOOL_A)
    assert "Correct" in current.text


async def test_an_essay_plan_tapped_in_then_its_judgement_written_in_the_prefilled_form(fake, bot, service):
    asked = await fake.slash("essay plan", ANNA, SCHOOL_A)
    fields = {field["name"]: field["value"] for field in asked.data["embeds"][0]["fields"]}
    factors = [line.split("** ", 1)[1] for line in fields["Factors"].splitlines()]
    evidence = [line.split("** ", 1)[1] for line in fields["Evidence"].splitlines()]
    numbers, letters = model_plan(service.catalogue.bank.essays["ess-t1"], factors, evidence)
    assert [b["label"] for b in asked.buttons] == ["1", "2", "3", "4", "Write your plan"]

    current = await fake.click(asked.message, button(asked, numbers.split()[0]), ANNA, SCHOOL_A)
    assert_private(current)
    plan_message = current.message["id"]
    assert "Tap the factor you rank second." in current.text
    for number in numbers.split()[1:]:
        current = await fake.click(current.message, button(current, number), ANNA, SCHOOL_A)
    assert "(or stop at 3)" in current.text
    current = await fake.click(current.message, button(current, "These 3"), ANNA, SCHOOL_A)
    assert "Tap the evidence for" in current.text
    for letter in letters.split():
        current = await fake.click(current.message, button(current, letter), ANNA, SCHOOL_A)
    assert current.message["id"] == plan_message  # one private message, updated at each tap
    assert "Now write your judgement" in current.text

    opened = await fake.click(current.message, button(current, "Write your judgement"), ANNA, SCHOOL_A)
    form = opened.callback["data"]
    defaults = {}
    stack = list(form["components"])
    while stack:
        component = stack.pop()
        if component.get("type") == 4:
            defaults[component["custom_id"]] = component.get("value")
        stack += [component["component"]] if "component" in component else component.get("components") or []
    assert defaults["factors"] == numbers and defaults["evidence"] == letters  # the taps, filled in
    compared = await fake.submit(form, {**defaults, "judgement": JUDGEMENT}, ANNA, SCHOOL_A)
    assert "Level 4 (19-24)" in compared.text
