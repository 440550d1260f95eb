"""Spaced review's pure renderers and ids: wording of dates, the buttons under an answer, mastery in stats,
the daily post's reviews-waiting line, the reminder DM, Block Kit limits, and parsing what buttons carry."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.adapters.slack import ids, manifest_text, render
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    DailyPost,
    FigureRecord,
    Option,
    QuestionRef,
    RatingNoted,
    ReferenceCard,
    RemindersSetting,
    Reveal,
    ReviewReminder,
    ReviewsDone,
    Stats,
    TopicInfo,
    TopicMastery,
)
from bot.core.vocabulary import Mode, QuestionKind
from tests.adapters.slack.fake_slack import all_text, buttons, check_message

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)  # a Friday; London is on UTC in November
REVIEW = QuestionRef("t-mc-1", Mode.REVIEW)
LONG = "word " * 1200


def local(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (local(27, 8, 59), "now"),
        (local(27, 9, 10), "today at 09:10"),
        (local(28, 0, 5), "tomorrow at 00:05"),
        (local(2, 9, 0, month=12), "on Wednesday at 09:00"),
        (local(10, 9, 0, month=12), "on Thursday 10 December at 09:00"),
        (local(4, 8, 30, month=1, year=2027), "on Monday 4 January 2027 at 08:30"),
    ],
)
def test_when_words_a_moment_from_the_students_side(moment, words):
    assert render.when(moment, NOW) == words


def test_when_uses_the_local_day_not_utcs():
    tokyo = ZoneInfo("Asia/Tokyo")  # 09:00 UTC is 18:00 in Tokyo: 01:00 there is tomorrow
    assert render.when(dt.datetime(2026, 11, 28, 1, 0, tzinfo=tokyo), NOW) == "tomorrow at 01:00"
    assert render.when(local(28, 9)) == "on Saturday 28 November 2026 at 09:00"  # no `now`: the full date


def feedback(**changes) -> AnswerFeedback:
    values = dict(
        ref=REVIEW,
        correct=True,
        given="A",
        correct_answer="A) 1922",
        explanation="Because.",
        points=0,
        streak=0,
        total_points=0,
        reviews_due=2,
    )
    return AnswerFeedback(**(values | changes))


def test_review_feedback_has_next_review_and_the_rating_buttons_but_no_points():
    message = render.feedback(feedback())
    text = all_text(message)
    assert "+0 points" not in text and "Review \u00b7 no points \u00b7 2 more due today" in text
    assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons(message)] == [
        ("Next review (2 left)", ids.REVIEW_ACTION, ids.REVIEW_VALUE),
        ("I guessed", "study_rate_guessed", "t-mc-1"),
        ("Too easy", "study_rate_easy", "t-mc-1"),
    ]
    last_wrong = render.feedback(feedback(correct=False, reviews_due=0))
    assert [b["text"]["text"] for b in buttons(last_wrong)] == ["Finish review"]
    assert "that was the last one due today" in all_text(last_wrong)
    practice = render.feedback(feedback(ref=QuestionRef("t-mc-1", Mode.PRACTICE), reviews_due=None))
    assert [b["text"]["text"] for b in buttons(practice)] == ["I guessed", "Too easy"]
    assert "+0 points" in all_text(practice)


def test_a_review_question_says_so_and_how_many_are_due():
    options = (Option("True", "True"), Option("False", "False"))
    card = AskedQuestion(REVIEW, "The rivals", QuestionKind.TRUE_FALSE, "Claim.", options, reviews_due=3)
    message = render.question(card)
    assert "*Review* \u00b7 The rivals \u00b7 3 due today" in all_text(message)
    assert [ids.parse_answer_value(b["value"]) for b in buttons(message)] == [(REVIEW, "True"), (REVIEW, "False")]


def test_reviews_done_says_what_was_done_what_comes_next_and_offers_the_weakest_topic():
    weakest = TopicInfo("nep", "NEP and the economy " * 10, "economy", 2)  # a long title: the button is cut
    message = render.reviews_done(ReviewsDone(3, local(28, 9, 10), 4, weakest), NOW)
    text = all_text(message)
    assert check_message(message) == []
    assert "Reviews done for today" in text and "You did 3 reviews today" in text
    assert "Next review: *tomorrow at 09:10*." in text and "Due this week: *4*." in text
    (practise,) = buttons(message)
    assert practise["action_id"] == ids.PRACTISE_TOPIC_ACTION and practise["value"] == "nep"
    assert len(practise["text"]["text"]) <= render.BUTTON_TEXT and practise["text"]["text"].startswith("Practise NEP")

    empty = all_text(render.reviews_done(ReviewsDone(0, None, 0, None)))
    assert "Nothing to review today" in empty and "Next review" not in empty and "come back here" in empty


def test_rating_noted_and_the_reminders_setting():
    guessed = all_text(render.rating_noted(RatingNoted("q", "guessed", local(27, 9, 10)), NOW))
    assert "Noted as a guess: that question comes back today at 09:10." in guessed
    easy = all_text(render.rating_noted(RatingNoted("q", "easy", local(10, 9, month=12)), NOW))
    assert "Noted as too easy: that question comes back on Thursday 10 December at 09:00." in easy

    on = all_text(render.reminders_setting(RemindersSetting(True, "At most one a day, at 08:30 <x>.")))
    assert "Review reminders are on. At most one a day, at 08:30 &lt;x&gt;." in on and "reminders off" in on
    off = all_text(render.reminders_setting(RemindersSetting(False, "No more reminders.")))
    assert "Review reminders are off" in off and "`/study review reminders on`" in off


def test_the_reminder_always_carries_the_off_switch():
    for due in (1, 7, 10_000):
        message = render.reminder(ReviewReminder("T1", "U1", due))
        assert check_message(message) == []
        assert [(b["text"]["text"], b["action_id"], b["value"]) for b in buttons(message)] == [
            ("Start review", ids.REVIEW_ACTION, ids.REVIEW_VALUE),
            ("Turn off reminders", ids.REMINDERS_ACTION, "off"),
        ]
    assert render.reminder(ReviewReminder("T1", "U1", 1))["text"] == "You have 1 review waiting."
    assert render.reminder(ReviewReminder("T1", "U1", 7))["text"] == "You have 7 reviews waiting."


def test_stats_show_mastery_per_topic_and_what_is_due():
    mastery = (
        TopicMastery("nep", "NEP & <the> economy", 2, 5, 0.634),
        TopicMastery("rise", "Stalin's rise", 1, 1, 1.0),
        TopicMastery("odd", "Odd", 1, 1, 1.7),  # out of range: the bar stays ten wide
    )
    stats = Stats("alice", 5, 3, 1, 3, 10, 1, 2, (), 1, mastery, 2, 3)
    message = render.stats(stats)
    text = all_text(message)
    assert check_message(message) == []
    assert "*Answered*\n5 (1 daily, 3 practice, 1 review)" in text
    assert (
        "NEP &amp; &lt;the&gt; economy: `\u2588\u2588\u2588\u2588\u2588\u2588\u2591\u2591\u2591\u2591` 63% recall"
        in text
    )
    assert "2/5 questions met" in text and "Stalin's rise: `" + "\u2588" * 10 + "` 100% recall" in text
    assert "Odd: `" + "\u2588" * 10 + "`" in text
    assert "Due now: 2 \u00b7 this week: 3" in text
    nothing = all_text(render.stats(Stats("bob", 0, 0, 0, 0, 0, 0, 0)))
    assert "Mastery" not in nothing and "Due now" not in nothing and "(0 daily, 0 practice)" in nothing

    many = tuple(TopicMastery(f"t{i}", "Topic " * 20, 3, 9, 0.5) for i in range(100))
    assert check_message(render.stats(Stats("cat", 1, 1, 1, 0, 1, 1, 1, (), 0, many, 0, 0))) == []


def test_a_figure_card_shows_the_askers_record_only_when_they_have_one():
    card = ReferenceCard("bukharin", "figure", "Nikolai Bukharin", "Right.", has_questions=True)
    assert "Your record" not in all_text(render.reference_card(card))
    empty = ReferenceCard("bukharin", "figure", "Nikolai Bukharin", "Right.", record=FigureRecord(0, 0))
    assert "Your record" not in all_text(render.reference_card(empty))
    mine = ReferenceCard("bukharin", "figure", "Nikolai Bukharin", "Right.", record=FigureRecord(4, 3))
    assert "Your record: 3 of 4 right" in all_text(render.reference_card(mine))


def test_the_daily_post_says_once_how_many_have_reviews_waiting():
    card = AskedQuestion(
        QuestionRef("t-mc-1", Mode.DAILY, dt.date(2026, 11, 27)), "Rise", QuestionKind.SHORT_ANSWER, "?"
    )
    assert "reviews waiting" not in all_text(render.daily_post(DailyPost(card))[0])
    assert "1 of you has reviews waiting: `/study review`" in all_text(
        render.daily_post(DailyPost(card, None, None, 1))[0]
    )
    reveal = Reveal(dt.date(2026, 11, 26), LONG, LONG, LONG, 30, 20)
    (post,) = render.daily_post(DailyPost(card, reveal, None, 12))
    assert check_message(post) == [] and all_text(post).count("12 of you have reviews waiting") == 1
    assert post["blocks"][-1]["type"] == "context"  # after the question, never cut off


def test_parsing_review_button_values_refuses_what_we_never_made():
    assert ids.parse_rate(ids.rate_action("guessed"), "t-mc-1") == ("t-mc-1", "guessed")
    assert ids.parse_rate(ids.rate_action("easy"), "t-mc-1") == ("t-mc-1", "easy")
    assert ids.parse_topic_value("nep") == "nep"
    assert ids.parse_reminders_value("off") is False and ids.parse_reminders_value("on") is True
    for bad in (
        lambda: ids.parse_rate(ids.rate_action("hard"), "t-mc-1"),
        lambda: ids.parse_rate("study_rate_", "t-mc-1"),
        lambda: ids.parse_rate(ids.rate_action("easy"), ""),
        lambda: ids.parse_rate(ids.rate_action("easy"), "x" * 65),
        lambda: ids.parse_rate(ids.rate_action("easy"), " t-mc-1"),
        lambda: ids.parse_rate(ids.rate_action("easy"), "t\nmc"),
        lambda: ids.parse_topic_value(""),
        lambda: ids.parse_reminders_value("maybe"),
    ):
        with pytest.raises(ValueError):
            bad()
    assert all(len(ids.rate_action(how)) <= 255 for how in ids.RATINGS)


def test_help_and_manifest_name_review():
    text = all_text(render.help_message())
    assert "`/study review`" in text and "`/study quiz weak`" in text and "`/study review reminders on|off`" in text
    manifest = yaml.safe_load(manifest_text())
    assert "review" in manifest["features"]["slash_commands"][0]["usage_hint"]
    # Reminders are DMs to the user id (chat:write): the Messages tab must be on; no new scope is needed.
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert "im:write" not in manifest["oauth_config"]["scopes"]["bot"]
