"""The spaced-review renderers on their own: wording of dates, Discord's limits with many topics, the
buttons and their ids (scoped ones in direct messages too), and the class post's count."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.adapters.discord import custom_ids, render
from bot.adapters.discord.publisher import reminder_error
from bot.adapters.discord.views import PERSISTENT_ITEMS, RateButton, RemindersButton, ReviewButton, build_view
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
    ReviewsDone,
    Stats,
    TopicInfo,
    TopicMastery,
    TopicStats,
)
from bot.core.vocabulary import Mode, QuestionKind
from tests.adapters.discord.discord_limits import message_problems
from tests.adapters.discord.test_discord_render import _Response, post_payloads

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)  # Friday
REVIEW = QuestionRef("rise-001", Mode.REVIEW)
GUILD = "310000000000000001"


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def payload(reply: render.Reply, scope: int | None = None) -> dict:
    view = build_view(reply.buttons, scope=scope)
    return {
        "content": reply.content,
        "embeds": [reply.embed.to_dict()] if reply.embed else [],
        "components": view.to_components() if view else [],
    }


def ids(reply: render.Reply, scope: int | None = None) -> list[str]:
    return [c["custom_id"] for row in payload(reply, scope)["components"] for c in row["components"]]


def test_when_a_review_comes_back_reads_like_a_person_would_say_it() -> None:
    assert render.when(local(2026, 11, 27, 14, 5), NOW) == "later today (14:05)"
    assert render.when(local(2026, 11, 28, 9, 0), NOW) == "tomorrow (Saturday 28 November)"
    assert render.when(local(2026, 12, 1, 9, 0), NOW) == "on Tuesday 1 December (in 4 days)"
    assert render.when(local(2026, 12, 18, 9, 0), NOW) == "on Friday 18 December (in 3 weeks)"
    assert render.when(local(2027, 3, 1, 9, 0), NOW) == "on Monday 1 March 2027 (in about 3 months)"
    assert render.when(local(2026, 11, 26, 9, 0), NOW) == "now"  # overdue
    assert render.when(local(2026, 12, 1, 9, 0)) == "on Tuesday 1 December"  # no clock to compare with
    # The day is the student's local one: 23:30 UTC on 27 June is already the 28th in London.
    summer = dt.datetime(2026, 6, 27, 23, 30, tzinfo=dt.UTC)
    assert render.when(local(2026, 6, 29, 8, 0), summer) == "tomorrow (Monday 29 June)"


def test_a_review_question_says_it_is_a_review_and_how_many_are_due() -> None:
    card = AskedQuestion(
        REVIEW,
        "Stalin's rise",
        QuestionKind.TRUE_FALSE,
        "Q?",
        (Option("True", "True"), Option("False", "False")),
        (),
        False,
        3,
    )
    reply = render.review(card, now=NOW)
    assert reply.embed.title == "Review \u00b7 Stalin's rise"
    assert "3 reviews due today, this one included" in reply.embed.footer.text
    assert ids(reply) == ["ans|r::rise-001|True", "ans|r::rise-001|False"]


def test_review_feedback_offers_the_next_review_and_rating_only_after_a_right_answer() -> None:
    right = AnswerFeedback(REVIEW, True, "True", "True", "Because.", 0, 2, 30, reviews_due=2)
    reply = render.feedback(right)
    assert [(b.label, b.custom_id) for b in reply.buttons] == [
        ("I guessed", "rate|g|rise-001"),
        ("Too easy", "rate|e|rise-001"),
        ("Next review (2 left)", "rev"),
    ]
    assert "2 more reviews due today." in reply.embed.footer.text
    assert {f.name: f.value for f in reply.embed.fields}["Points"] == "no new points (total 30)"
    last = render.feedback(AnswerFeedback(REVIEW, False, "False", "True", "Because.", 0, 2, 30, reviews_due=0))
    assert [(b.label, b.custom_id) for b in last.buttons] == [("Finish review", "rev")]
    assert "That was your last review for today." in last.embed.footer.text
    practice = render.feedback(AnswerFeedback(QuestionRef("x", Mode.PRACTICE), True, "A", "A", "e", 0, 0, 0))
    assert [b.custom_id for b in practice.buttons] == ["rate|g|x", "rate|e|x"]  # no "Next review" outside review
    assert message_problems(payload(reply)) == []


def test_the_summary_when_nothing_is_due_and_its_practise_button() -> None:
    weakest = TopicInfo("nep", "NEP and the economy", "economy", 2)
    done = render.reviews_done(ReviewsDone(3, local(2026, 11, 28, 10, 0), 5, weakest), now=NOW)
    assert done.embed.title == "Reviews done for today"
    assert done.embed.description.splitlines() == [
        "**Done today:** 3",
        "**Next review:** tomorrow (Saturday 28 November)",
        "**Due this week:** 5",
    ]
    assert [(b.label, b.custom_id) for b in done.buttons] == [("Practise NEP and the economy", "topic|nep")]
    nothing = render.reviews_done(ReviewsDone(0, None, 0, weakest), now=NOW)
    assert nothing.embed.title == "Nothing to review yet" and "/daily" in nothing.embed.description
    long_topic = TopicInfo("t" * 60, "T" * 300, "a", 1)
    reply = render.reviews_done(ReviewsDone(0, local(2026, 12, 1, 9, 0), 1, long_topic), now=NOW)
    assert reply.embed.title == "No reviews due today"
    assert message_problems(payload(reply)) == [] and len(reply.buttons[0].label) <= 80


def test_stats_show_mastery_bars_and_due_counts_within_discords_limits() -> None:
    mastery = (TopicMastery("nep", "NEP and the economy", 2, 4, 0.62), TopicMastery("rise", "Rise", 1, 1, 1.0))
    stats = Stats("Anna", 5, 3, 2, 2, 20, 1, 2, review_answered=1, mastery=mastery, due_now=2, due_this_week=4)
    reply = render.stats(stats)
    assert "**Answered:** 2 daily, 2 practice, 1 review" in reply.embed.description
    assert "**Due now:** 2 \u00b7 **this week:** 4" in reply.embed.description
    field = next(f for f in reply.embed.fields if f.name.startswith("Mastery"))
    assert field.value.splitlines() == [
        "`\u2588\u2588\u2588\u2588\u2588\u2588\u2591\u2591\u2591\u2591` 62% NEP and the economy (2/4 met)",
        "`\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588` 100% Rise (1/1 met)",
    ]
    assert "Due now" not in render.stats(stats, own=False).embed.description  # someone else's stats

    topics = tuple(TopicStats(f"Topic {i}", 4, 3) for i in range(30))
    full = render.stats(Stats("Anna", 120, 90, 100, 20, 300, 4, 9, topics, mastery=mastery))
    assert len(full.embed.fields) == 25 and full.embed.fields[0].name.startswith("Mastery")
    assert full.embed.fields[-1].name == "7 more topics"  # the summary of the rest still fits

    many = tuple(TopicMastery(f"t{i}", f"Topic {i} " + "x" * 70, i, 9, i / 80) for i in range(80))
    crowded = render.stats(Stats("Anna", 5, 3, 2, 2, 20, 1, 2, mastery=many))
    field = next(f for f in crowded.embed.fields if f.name.startswith("Mastery"))
    assert len(field.value) <= 1024 and re.search(r"\u2026 and \d+ more topics$", field.value)
    assert message_problems(payload(crowded)) == []


def test_a_figure_cards_record_is_shown_only_privately() -> None:
    card = ReferenceCard("trotsky", "figure", "Leon Trotsky", "s", (), ("Bronstein",), True, FigureRecord(4, 3))
    assert "record" not in (render.reference(card).embed.footer.text or "")
    assert render.reference(card, private=True).embed.footer.text == (
        "Your record: 3 of 4 right \u00b7 Also known as: Bronstein"
    )
    assert render.record_note(card).content.startswith("Your record: 3 of 4 right on Leon Trotsky")
    unanswered = ReferenceCard("trotsky", "figure", "Leon Trotsky", "s", (), (), True, FigureRecord(0, 0))
    assert render.record_note(unanswered) is None and render.record_line(unanswered) == ""


def test_rating_and_reminder_replies() -> None:
    easy = render.rating(RatingNoted("rise-001", "easy", local(2026, 12, 18, 9, 0)), now=NOW)
    assert easy.content == "Noted: too easy. That question comes back on Friday 18 December (in 3 weeks)."
    guess = render.rating(RatingNoted("rise-001", "guessed", local(2026, 11, 28, 9, 0)), now=NOW)
    assert guess.content == "Noted: a guess. That question comes back tomorrow (Saturday 28 November)."

    on = render.reminders_setting(RemindersSetting(True, "At most one a day, at 08:30 (Europe/London)."))
    assert on.content.startswith("Review reminders are **on**. At most one a day")
    assert [(b.label, b.custom_id) for b in on.buttons] == [("Turn off reminders", "remind|off")]
    off = render.reminders_setting(RemindersSetting(False, "Turn them back on with `review reminders on`."))
    assert off.content == render.REMINDERS_OFF and ids(off) == ["remind|on"]

    dm = render.reminder(1, "School *A* @everyone")
    assert dm.content.startswith("You have 1 review waiting in **School \\*A\\* @\u200beveryone**")
    assert ids(dm, scope=int(GUILD)) == [f"g{GUILD}|rev", f"g{GUILD}|remind|off"]  # the off switch, always
    assert render.reminder(3, "").content.startswith("You have 3 reviews waiting. ")


def test_the_class_post_counts_who_has_reviews_waiting_and_says_nothing_at_zero() -> None:
    daily = AskedQuestion(QuestionRef("rise-001", Mode.DAILY, NOW.date()), "Rise", QuestionKind.SHORT_ANSWER, "Q?")

    def waiting_line(count: int) -> str | None:
        [message] = post_payloads(DailyPost(daily, reviews_waiting=count))
        assert message_problems(message) == []
        fields = {f["name"]: f["value"] for f in message["embeds"][-1].get("fields", [])}
        return fields.get("Spaced review")

    assert waiting_line(0) is None
    assert waiting_line(1) == "1 of you has reviews waiting: `/review`"
    assert waiting_line(12) == "12 of you have reviews waiting: `/review`"


async def test_review_ids_round_trip_and_scoped_ids_reach_the_same_buttons() -> None:
    templates = {item: item.__discord_ui_compiled_template__ for item in PERSISTENT_ITEMS}
    for custom_id, kind in [
        (custom_ids.next_review(), ReviewButton),
        (custom_ids.rate("rise-001", "guessed"), RateButton),
        (custom_ids.reminders(False), RemindersButton),
    ]:
        for candidate in (custom_id, custom_ids.scoped(custom_id, GUILD)):
            assert [k for k, t in templates.items() if t.fullmatch(candidate)] == [kind], candidate
    match = templates[RateButton].fullmatch(custom_ids.scoped(custom_ids.rate("rise-001", "easy"), GUILD))
    assert (match["guild"], match["how"], match["question"]) == (GUILD, "e", "rise-001")
    assert templates[ReviewButton].fullmatch("rev")["guild"] is None
    assert custom_ids.scoped(f"g{GUILD}|rev", "1") == f"g{GUILD}|rev"  # never scoped twice

    answer = custom_ids.answer(QuestionRef("q" * 80, Mode.REVIEW), "A")
    assert len(answer) <= 100 and custom_ids.scoped(answer, GUILD) is None  # would not fit
    reply = render.Reply(content="x", buttons=(render.Button("A", answer), render.Button("Next", "rev")))
    assert ids(reply, scope=int(GUILD)) == [f"g{GUILD}|rev"]  # the one that cannot fit is left out
    with pytest.raises(ValueError):
        custom_ids.topic("a|b")


def test_undeliverable_reminders_are_permanent_and_outages_are_not() -> None:
    def error(kind: type[discord.HTTPException], status: int, code: int, message: str) -> discord.HTTPException:
        return kind(_Response(status), {"code": code, "message": message})  # type: ignore[arg-type]

    cases = [
        (error(discord.Forbidden, 403, 50007, "Cannot send messages to this user"), True, "direct messages"),
        (error(discord.NotFound, 404, 10007, "Unknown Member"), True, "no longer in the server"),
        (error(discord.NotFound, 404, 10013, "Unknown User"), True, "does not know the student"),
        (error(discord.HTTPException, 400, 50033, "Invalid Recipient(s)"), True, "cannot message"),
        (error(discord.DiscordServerError, 503, 0, "Service Unavailable"), False, "503"),
        (TimeoutError(), False, "Could not reach Discord"),
    ]
    for exc, permanent, words in cases:
        mapped = reminder_error(exc)
        assert (mapped.permanent, words in str(mapped)) == (permanent, True), (exc, str(mapped))
