"""Spaced review over the wire: `/study review`, its answers and buttons ("Next review", "I guessed",
"Too easy", "Practise <topic>"), `quiz weak`, mastery in stats, the daily post's reviews-waiting line and
the reminder DMs, through the real bolt app and a fake Slack, over a real service and SQLite, with the
test clock moved by hand."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackPublisher, create_app, ids
from bot.core.errors import UNEXPECTED_ERROR
from bot.core.publishing import PublishError
from bot.core.replies import QuestionRef, ReviewReminder
from bot.core.vocabulary import Mode, QuestionKind
from tests.adapters.slack.fake_slack import (
    APP_TOKEN,
    BOT_TOKEN,
    all_text,
    block_actions_payload,
    button,
    buttons,
    command_form,
)
from tests.adapters.slack.helpers import answer_post, make_settings, question_of, right_and_wrong_buttons

NO_LONGER = "That button no longer works"
RECALL = re.compile(r"NEP and the economy: `[\u2588\u2591]{10}` (\d+)% recall \u00b7 (\d)/2 questions met")


def labels(message) -> list[str]:
    return [b["text"]["text"] for b in buttons(message)]


async def quiz(slack, text: str, **who):
    """A practice question: `/study quiz ...`, or `rival|explain <name>` and its "Quiz me on this"."""
    if text.startswith(("rival ", "explain ")):
        return await slack.press(button(await slack.ask(text, **who), "Quiz me on this"), **who)
    return await slack.ask(text, **who)


async def answer(slack, service, question, *, right: bool, **who):
    """Answers a multiple-choice or true/false question message with its buttons, right or wrong."""
    good, bad = right_and_wrong_buttons(service, question)
    return await slack.press(good if right else bad, **who)


async def review_until_done(slack, service, **who):
    """Answers every review due, right; returns how many there were and the last message (ReviewsDone)."""
    message, done = await slack.ask("review", **who), 0
    while question_ref(service, message) is not None:
        assert done < 20, "review never finished"
        _, bank = question_of(service, message)
        if bank.kind is not QuestionKind.SHORT_ANSWER:
            feedback = await answer(slack, service, message, right=True, **who)
        else:
            feedback = await slack.ask(f"answer {bank.answer_text}", **who)
        done += 1
        message = await slack.press(button(feedback, ids.REVIEW_ACTION), **who)
    return done, message


def question_ref(service, message):
    try:
        return question_of(service, message)[0]
    except AssertionError:
        return None


# ---------------------------------------------------------------------- review brings back what was wrong


async def test_a_wrong_answer_comes_back_in_review_until_answered_right_then_again_days_later(slack, service, clock):
    who = {"team": "TR1"}
    asked = await quiz(slack, "quiz rise", **who)  # the topic's one question, t-mc-1
    assert question_of(service, asked)[0].question_id == "t-mc-1"
    wrong = await answer(slack, service, asked, right=False, **who)
    assert "Not quite" in all_text(wrong)
    assert "I guessed" not in labels(wrong) and "Too easy" not in labels(wrong)  # only after a right answer
    await quiz(slack, "rival trotsky", **who)  # shown, never answered: never in review

    review = await slack.ask("review", **who)
    ref, _ = question_of(service, review)
    assert (ref.question_id, ref.mode) == ("t-mc-1", Mode.REVIEW)
    assert "*Review* \u00b7 Stalin's rise to power \u00b7 1 due today" in all_text(review)
    assert review["response_type"] == "ephemeral"

    feedback = await answer(slack, service, review, right=True, **who)
    text = all_text(feedback)
    assert "Correct!" in text and not re.search(r"\+\d+ points?", text)  # reviews score nothing
    assert "that was the last one due today" in text
    assert labels(feedback) == ["Finish review", "Show card: Joseph Stalin", "I guessed", "Too easy"]

    done = await slack.press(button(feedback, "Finish review"), **who)
    text = all_text(done)
    assert "Reviews done for today" in text and "You did 1 review today" in text
    next_due = re.search(r"Next review: \*(.+?)\*", text).group(1)
    assert not next_due.startswith(("today", "now")), next_due  # right now: not due again today
    assert "Due this week: *" in text
    assert labels(done) == ["Practise Stalin's rise to power"]  # the only topic met
    assert "Reviews done for today" in all_text(await slack.ask("review", **who))  # t-tf-1 was never answered

    board = all_text(await slack.ask("leaderboard", **who))
    assert not re.search(r"alice \u2014 [1-9]", board)  # a practice answer and a review: no points

    clock.advance(days=3)
    again = await slack.ask("review", **who)
    assert question_of(service, again)[0] == ref  # due again


async def test_next_review_goes_on_until_nothing_is_due(slack, service):
    who = {"team": "TR2"}
    await answer(slack, service, await quiz(slack, "quiz rise", **who), right=False, **who)  # t-mc-1
    await answer(slack, service, await quiz(slack, "explain bukharin", **who), right=False, **who)  # t-mc-2

    first = await slack.ask("review", **who)
    assert question_of(service, first)[0].question_id == "t-mc-1"  # the most overdue first
    assert "2 due today" in all_text(first)
    feedback = await answer(slack, service, first, right=True, **who)
    assert "1 more due today" in all_text(feedback)

    second = await slack.press(button(feedback, "Next review (1 left)"), **who)
    assert question_of(service, second)[0] == QuestionRef("t-mc-2", Mode.REVIEW)
    missed = await answer(slack, service, second, right=False, **who)
    assert labels(missed)[0] == "Next review (1 left)"  # wrong again: due again today

    third = await slack.press(button(missed, ids.REVIEW_ACTION), **who)
    assert question_of(service, third)[0].question_id == "t-mc-2"
    last = await answer(slack, service, third, right=True, **who)
    assert labels(last)[0] == "Finish review"
    done = all_text(await slack.press(button(last, "Finish review"), **who))
    assert "You did 3 reviews today" in done


async def test_review_answers_by_the_modal_and_the_answer_command_too(slack, service, fake_slack):
    # A short-answer question, answered wrong in words: its review opens the modal like any question.
    await quiz(slack, "rival zinoviev")  # t-sa-1
    assert "Not quite" in all_text(await slack.ask("answer Kamenev"))
    review = await slack.ask("review")
    assert question_of(service, review)[0] == QuestionRef("t-sa-1", Mode.REVIEW)
    assert button(review, ids.OPEN_MODAL_ACTION)
    feedback = await answer_post(slack, fake_slack, service, review, "C1", right=True, user="U1", name="alice")
    assert "Correct!" in all_text(feedback) and "Finish review" in labels(feedback)

    # Typed: `/study answer` answers the review question waiting.
    bob = {"user": "U2", "name": "bob"}
    await quiz(slack, "rival zinoviev", **bob)
    await slack.ask("answer Kamenev", **bob)
    await slack.ask("review", **bob)
    typed = await slack.ask("answer zinoviev", **bob)
    assert "Correct!" in all_text(typed) and "Finish review" in labels(typed)
    assert "Reviews done for today" in all_text(await slack.ask("review", **bob))


async def test_review_over_socket_mode_too(service, fake_slack):
    app = create_app(
        service,
        make_settings(slack_signing_secret=None),
        client=AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url),
    )
    handler = AsyncSocketModeHandler(app, APP_TOKEN)
    envelopes = iter(range(1, 100))

    async def send(kind: str, payload: dict) -> dict:
        envelope_id = f"env-{next(envelopes)}"
        await fake_slack.send_envelope({"envelope_id": envelope_id, "type": kind, "payload": payload})
        await fake_slack.ack_for(envelope_id)
        return await fake_slack.reply(payload["response_url"])

    async def command(text: str) -> dict:
        return await send("slash_commands", command_form(text, response_url=fake_slack.response_url(), team="TS"))

    async def click(b: dict) -> dict:
        return await send("interactive", block_actions_payload(b, response_url=fake_slack.response_url(), team="TS"))

    try:
        await handler.connect_async()
        _, wrong = right_and_wrong_buttons(service, await command("quiz rise"))
        await click(wrong)
        review = await command("review")
        assert question_of(service, review)[0] == QuestionRef("t-mc-1", Mode.REVIEW)
        right, _ = right_and_wrong_buttons(service, review)
        feedback = await click(right)
        assert labels(feedback)[0] == "Finish review"
        assert "You did 1 review today" in all_text(await click(button(feedback, "Finish review")))
    finally:
        await handler.close_async()


# ---------------------------------------------------------------------- re-grading a right answer


async def test_i_guessed_brings_it_back_today_and_too_easy_later(slack, service):
    ann, bob, cat = ({"team": "TG", "user": f"U{n}", "name": name} for n, name in enumerate(("ann", "bob", "cat")))
    feedback = {}
    for who, right in ((ann, True), (bob, True), (cat, False)):
        asked = await quiz(slack, "explain bukharin", **who)  # t-mc-2
        feedback[who["name"]] = await answer(slack, service, asked, right=right, **who)

    guessed = all_text(await slack.press(button(feedback["ann"], "I guessed"), **ann))
    assert re.search(r"Noted as a guess: that question comes back today at \d\d:\d\d\.", guessed), guessed
    easy = all_text(await slack.press(button(feedback["bob"], "Too easy"), **bob))
    assert "Noted as too easy: that question comes back on " in easy and "today" not in easy

    # The guess is due again today: review brings it back; Bob's easy one is not due.
    assert question_of(service, await slack.ask("review", **ann))[0].question_id == "t-mc-2"
    assert "Nothing to review today" in all_text(await slack.ask("review", **bob))

    # Cat got it wrong: no buttons of her own, and Ann's button (or typing it) re-grades nothing of hers.
    assert "I guessed" not in labels(feedback["cat"])
    refused = all_text(await slack.press(button(feedback["ann"], "Too easy"), **cat))
    assert "Only a right answer can be marked as a guess or too easy" in refused
    typed = all_text(await slack.ask("review guessed", **ann))
    assert "Use the *I guessed* or *Too easy* button under your answer" in typed


# ---------------------------------------------------------------------- weakest topic, mastery, stats


async def test_nothing_due_offers_the_weakest_topic_and_its_button_practises_it(slack, service):
    who = {"team": "TW1"}
    nothing = await slack.ask("review", **who)
    assert "Nothing to review today" in all_text(nothing)
    assert "come back here when it is time to recall them" in all_text(nothing)

    await answer(slack, service, await quiz(slack, "explain bukharin", **who), right=True, **who)  # nep
    done = await slack.ask("review", **who)
    text = all_text(done)
    assert "Nothing to review today" in text and "Next review: *on " in text and "Due this week: *" in text
    # The only topic met is NEP, which is not the bank's first topic (what is offered with none met).
    assert labels(done) == ["Practise NEP and the economy"]
    practice = await slack.press(button(done, "Practise NEP and the economy"), **who)
    ref, bank = question_of(service, practice)
    assert ref.mode is Mode.PRACTICE and bank.topic == "nep"
    assert "Practice question" in all_text(practice)


async def test_quiz_weak_and_mastery_in_stats_follow_the_answers(slack, service, clock):
    who = {"team": "TW2"}
    await answer(slack, service, await quiz(slack, "quiz rise", **who), right=True, **who)  # t-mc-1, rise
    nep = await quiz(slack, "explain bukharin", **who)  # t-mc-2, nep
    await answer(slack, service, nep, right=True, **who)
    assert question_of(service, await slack.ask("quiz nep", **who))[0].question_id == "t-sa-2"  # the one not seen
    assert "Not quite" in all_text(await slack.ask("answer 1926", **who))
    clock.advance(days=2)

    stats = all_text(await slack.ask("stats", **who))
    assert "*Mastery now*" in stats
    assert re.search(r"Stalin's rise to power: `[\u2588\u2591]{10}` \d+% recall \u00b7 1/1 questions met", stats)
    before = int(RECALL.search(stats).group(1))
    due_now = int(re.search(r"Due now: (\d+) \u00b7 this week: (\d+)", stats).group(1))
    assert due_now >= 1 and "*Answered*\n3 (0 daily, 3 practice)" in stats

    for _ in range(3):  # NEP is the weakest now: `quiz weak` asks from it
        weak = await slack.ask("quiz weak", **who)
        assert service.bank.questions[question_of(service, weak)[0].question_id].topic == "nep"

    reviewed, done = await review_until_done(slack, service, **who)
    assert reviewed >= due_now and "Reviews done for today" in all_text(done)
    after = all_text(await slack.ask("stats", **who))
    assert int(RECALL.search(after).group(1)) > before  # just recalled: higher
    assert "Due now: 0 \u00b7" in after and f", {reviewed} review)" in after


async def test_a_figure_card_shows_your_own_record(slack, service):
    who = {"team": "TC"}
    card = all_text(await slack.ask("rival bukharin", **who))
    assert "Your record" not in card  # nothing answered yet
    await answer(slack, service, await quiz(slack, "explain bukharin", **who), right=True, **who)
    assert "Your record: 1 of 1 right" in all_text(await slack.ask("rival bukharin", **who))
    await answer(slack, service, await quiz(slack, "explain bukharin", **who), right=False, **who)
    assert "Your record: 1 of 2 right" in all_text(await slack.ask("explain bukharin", **who))
    feedback = await answer(slack, service, await quiz(slack, "explain bukharin", **who), right=True, **who)
    shown = all_text(await slack.press(button(feedback, "Show card"), **who))  # the card button too
    assert "Your record: 2 of 3 right" in shown
    other = all_text(await slack.ask("rival bukharin", team="TC", user="U2", name="bob"))
    assert "Your record" not in other  # one's own record only


# ---------------------------------------------------------------------- forged buttons


@pytest.mark.parametrize(
    ("action_id", "value", "expected"),
    [
        (ids.rate_action("hard"), "t-mc-1", NO_LONGER),  # a rating we never offer
        (ids.rate_action("guessed"), "", NO_LONGER),
        (ids.rate_action("easy"), "x" * 300, NO_LONGER),
        (ids.rate_action("easy"), "no-such-question", "Only a right answer"),
        (ids.answer_action("A"), "r::no-such-question|A", "no longer in the bank"),
        (ids.answer_action("A"), "r:not-a-date:t-mc-1|A", NO_LONGER),
        (ids.answer_action("A"), "r::t-mc-1", NO_LONGER),
        (ids.PRACTISE_TOPIC_ACTION, "", NO_LONGER),
        (ids.PRACTISE_TOPIC_ACTION, "the-cold-war", "There is no topic"),
        (ids.REMINDERS_ACTION, "maybe", NO_LONGER),
        (ids.REVIEW_ACTION, "\u0000anything", "Nothing to review today"),  # the value is not read
    ],
)
async def test_forged_review_buttons_get_a_friendly_message(slack, caplog, action_id, value, expected):
    caplog.set_level(logging.INFO)
    forged = {"type": "button", "action_id": action_id, "value": value, "text": {"type": "plain_text", "text": "x"}}
    reply = all_text(await slack.press(forged, team="TX"))
    assert expected in reply and UNEXPECTED_ERROR not in reply
    assert "Traceback" not in caplog.text


# ---------------------------------------------------------------------- the daily post


async def test_the_daily_post_says_how_many_have_reviews_waiting(slack, fake_slack, service, clock, scheduler):
    fake_slack.users["UADMIN"] = {"is_admin": True}
    clock.now = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)  # a Wednesday; London is on UTC
    await slack.ask("schedule set 10:00 Europe/London mon-fri", channel="C7", user="UADMIN", name="admin")
    clock.now = dt.datetime(2026, 11, 25, 10, 1, tzinfo=dt.UTC)
    assert [ok for _, ok in await scheduler.tick()] == [True]
    (wednesday,) = fake_slack.posted("C7")
    assert "reviews waiting" not in all_text(wednesday)  # nobody has any yet: nothing said
    for user, name, right in (("U1", "alice", False), ("U2", "bob", False), ("U3", "carol", True)):
        await answer_post(slack, fake_slack, service, wednesday, "C7", right=right, user=user, name=name)

    clock.now = dt.datetime(2026, 11, 26, 10, 1, tzinfo=dt.UTC)
    assert [ok for _, ok in await scheduler.tick()] == [True]
    thursday = fake_slack.posted("C7")[1]
    text = all_text(thursday)
    assert text.count("reviews waiting") == 1
    assert "2 of you have reviews waiting: `/study review`" in text  # alice and bob; carol was right
    assert "alice" not in text and "bob" not in text
    assert question_of(service, thursday)[0].mode is Mode.DAILY  # still the day's question, answerable


# ---------------------------------------------------------------------- reminders


async def test_reminders_on_a_dm_with_start_and_off_buttons(slack, fake_slack, service, clock, scheduler):
    who = {"team": "T1", "user": "U1", "name": "alice"}
    on = all_text(await slack.ask("review reminders on", **who))
    assert "Review reminders are on." in on and "once your class has a daily-question schedule" in on

    fake_slack.users["UADMIN"] = {"is_admin": True}
    set_ = all_text(await slack.ask("schedule set 10:00", channel="C7", user="UADMIN", name="admin"))
    assert "Schedule saved." in set_
    on = all_text(await slack.ask("review reminders on", **who))
    assert "at 10:00 (Europe/London)" in on
    await answer(slack, service, await quiz(slack, "quiz rise", **who), right=False, **who)
    await answer(slack, service, await quiz(slack, "explain bukharin", **who), right=False, **who)
    await quiz(slack, "quiz rise", team="T1", user="U2", name="bob")  # reminders off: never messaged

    clock.now = dt.datetime(2026, 11, 27, 10, 1, tzinfo=dt.UTC)
    assert [ok for _, ok in await scheduler.tick()] == [True]
    (dm,) = await fake_slack.wait_for(lambda: fake_slack.dms("U1"))
    assert fake_slack.api_calls("chat.postMessage")[-1].body["channel"] == "U1"  # to the user id: no im:write
    assert "You have 2 reviews waiting." in all_text(dm)
    assert labels(dm) == ["Start review", "Turn off reminders"]
    assert fake_slack.dms("U2") == []
    assert "1 of you has reviews waiting" in all_text(fake_slack.posted("C7")[0])  # the post counts alice only

    # Clicked in the DM: the review starts there, privately.
    started = await slack.press(button(dm, "Start review"), channel="DU1", message=dm, **who)
    assert question_of(service, started)[0].mode is Mode.REVIEW and "2 due today" in all_text(started)

    # One a day: the next tick sends nothing more; then "Turn off reminders" stops them for good.
    clock.advance(minutes=5)
    await scheduler.tick()
    assert len(fake_slack.dms("U1")) == 1
    off = all_text(await slack.press(button(dm, "Turn off reminders"), channel="DU1", message=dm, **who))
    assert "Review reminders are off" in off and "/study review reminders on" in off
    clock.now = dt.datetime(2026, 11, 30, 10, 1, tzinfo=dt.UTC)  # Monday: reviews are still waiting
    assert [ok for _, ok in await scheduler.tick()] == [True]
    assert len(fake_slack.dms("U1")) == 1


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        ("user_not_found", True),
        ("channel_not_found", True),
        ("messages_tab_disabled", True),
        ("user_disabled", True),
        ("ratelimited", False),
        ("internal_error", False),
    ],
)
async def test_an_undeliverable_reminder_raises_publish_error(fake_slack, error, permanent):
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    fake_slack.fail("chat.postMessage", error, channel="U9")
    with pytest.raises(PublishError) as raised:
        await publisher.remind(ReviewReminder("T1", "U9", 3))
    assert raised.value.permanent is permanent and str(raised.value).startswith(error)
    await publisher.remind(ReviewReminder("T1", "U8", 1))  # another student still gets theirs
    assert "You have 1 review waiting." in all_text(fake_slack.dms("U8")[0])
