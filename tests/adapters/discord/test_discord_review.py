"""Spaced review on Discord, over the wire: the real discord.py against the fake Discord, over the real
service on SQLite, with the test clock moved by hand. What a student got wrong comes back in /review,
"Next review" goes on until nothing is due, "I guessed" / "Too easy" move a right answer's next review,
stats show mastery, a class post counts who has reviews waiting, and reminders come by direct message."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from bot.adapters.discord import DiscordPublisher, StudyBot, render
from bot.core.publishing import PublishError, Publishers
from bot.core.replies import QuestionRef, ReviewReminder
from bot.core.vocabulary import Mode
from bot.scheduler import Scheduler
from bot.service import StudyService
from bot.store.models import Member, ReviewCard
from tests.adapters.discord.fake_discord import Exchange, FakeDiscord, Guild, User
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    HISTORY_9B,
    SCHOOL_A,
    SCHOOL_B,
    TEACHER,
    Bots,
    answer,
    assert_private,
    button,
    followups,
    question_of,
    unscoped,
    with_button,
)
from tests.helpers import FakeClock

THURSDAY_1600 = dt.datetime(2026, 11, 26, 16, 0, tzinfo=dt.UTC)
FRIDAY_0830 = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)  # London is on UTC in November


async def miss(fake: FakeDiscord, service: StudyService, user: User, topic: str, guild: Guild = SCHOOL_A) -> str:
    """A practice question from `topic`, answered wrongly; its id."""
    shown = await fake.slash("quiz", user, guild, topic=topic)
    await answer(fake, service, shown, user, guild, correct=False)
    return question_of(shown, service)[0].question_id


async def review_all(
    fake: FakeDiscord, service: StudyService, user: User, guild: Guild | None = SCHOOL_A, shown: Exchange | None = None
) -> list[str]:
    """/review (or from `shown`), then answer each question right and tap "Next review" until the summary:
    the ids reviewed. `guild=None` in a direct message."""
    seen = []
    shown = shown or await fake.slash("review", user, guild)
    while "Reviews done" not in shown.text and "No reviews due" not in shown.text:
        ref, _ = question_of(shown, service)
        assert ref.mode is Mode.REVIEW, shown.text
        seen.append(ref.question_id)
        feedback = await answer(fake, service, shown, user, guild)
        shown = await fake.click(feedback.message, next_review(feedback), user, guild)
        assert len(seen) < 10, "review never ended"
    return seen


def next_review(feedback: Exchange) -> str:
    """The id of the "Next review" (or "Finish review") button, scoped or not."""
    return next(b["custom_id"] for b in feedback.buttons if unscoped(b["custom_id"]) == "rev")


def fridays_question(fake: FakeDiscord, channel_id: str) -> str:
    """The question id on the latest question posted in a channel (on Fridays the week's board follows it)."""
    posted = [m for m in fake.channel_messages(channel_id) if m["components"]]
    ids = [c["custom_id"] for row in posted[-1]["components"] for c in row["components"]]
    return QuestionRef.decode(ids[0].split("|")[1]).question_id


async def card_due(service: StudyService, user: User, question_id: str) -> dt.datetime:
    """When the student's card for the question is next due (UTC)."""
    async with service.db.read_sessions() as session:
        due = await session.scalar(
            select(ReviewCard.due)
            .join(Member, Member.id == ReviewCard.member_id)
            .where(ReviewCard.question_id == question_id, Member.external_id == user.id)
        )
    assert due is not None
    return due.replace(tzinfo=dt.UTC) if due.tzinfo is None else due


def percent(text: str, topic: str) -> int:
    found = re.search(rf"(\d+)% {re.escape(topic)} \(", text)
    assert found, f"no mastery line for {topic!r} in {text}"
    return int(found[1])


# ---------------------------------------------------------------- /review


async def test_a_wrong_answer_comes_back_in_review_and_a_right_one_waits_until_it_is_due_again(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    missed = await miss(fake, service, ANNA, "rise")

    shown = await fake.slash("review", ANNA, SCHOOL_A)
    assert_private(shown)
    ref, _ = question_of(shown, service)
    assert ref == QuestionRef(missed, Mode.REVIEW)  # that exact question, as a review
    assert shown.data["embeds"][0]["title"] == "Review \u00b7 Stalin's rise to power"
    assert "1 review due today, this one included" in shown.text and "No leaderboard points" in shown.text
    assert all(b["custom_id"].startswith(f"ans|r::{missed}|") for b in shown.buttons)

    feedback = await answer(fake, service, shown, ANNA, SCHOOL_A)
    assert_private(feedback)
    assert "Correct" in feedback.text and "no new points (total 0)" in feedback.text
    assert "That was your last review for today." in feedback.text
    done = await fake.click(feedback.message, button(feedback, "Finish review"), ANNA, SCHOOL_A)
    assert_private(done)
    assert done.data["embeds"][0]["title"] == "Reviews done for today"
    assert "**Done today:** 1" in done.text and "**Due this week:** " in done.text
    next_line = re.search(r"\*\*Next review:\*\* (.+)", done.text)
    assert next_line and next_line[1].startswith(("tomorrow (", "on ")), done.text  # not today

    again = await fake.slash("review", ANNA, SCHOOL_A)  # nothing due today any more
    assert "Reviews done for today" in again.text and not any(b["custom_id"].startswith("ans|") for b in again.buttons)
    assert "No points yet" in (await fake.slash("leaderboard", ANNA, SCHOOL_A)).text  # reviews never score

    clock.advance(days=30)
    later = await fake.slash("review", ANNA, SCHOOL_A)
    assert question_of(later, service)[0] == QuestionRef(missed, Mode.REVIEW)  # due again


async def test_next_review_goes_on_until_nothing_is_due_and_never_shows_an_unanswered_question(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    missed = {await miss(fake, service, ANNA, "rise"), await miss(fake, service, ANNA, "rivals")}
    assert len(missed) == 2

    first = await fake.slash("review", ANNA, SCHOOL_A)
    assert "2 reviews due today, this one included" in first.text
    feedback = await answer(fake, service, first, ANNA, SCHOOL_A)
    assert "1 more review due today." in feedback.text
    assert [b["label"] for b in feedback.buttons if b["custom_id"] == "rev"] == ["Next review (1 left)"]
    second = await fake.click(feedback.message, "rev", ANNA, SCHOOL_A)
    assert_private(second)
    assert "1 review due today" in second.text
    assert {question_of(first, service)[0].question_id, question_of(second, service)[0].question_id} == missed

    feedback = await answer(fake, service, second, ANNA, SCHOOL_A)
    assert [b["label"] for b in feedback.buttons if b["custom_id"] == "rev"] == ["Finish review"]
    summary = await fake.click(feedback.message, "rev", ANNA, SCHOOL_A)
    assert "**Done today:** 2" in summary.text

    clock.advance(days=60)  # everything met is due again, and only that
    assert set(await review_all(fake, service, ANNA)) == missed

    nothing = await fake.slash("review", BORIS, SCHOOL_A)  # answered nothing: nothing to review
    assert_private(nothing)
    assert nothing.data["embeds"][0]["title"] == "Nothing to review yet"


async def test_i_guessed_and_too_easy_move_a_right_answers_next_review(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    shown = await fake.slash("daily", ANNA, SCHOOL_A)
    feedback = await answer(fake, service, shown, ANNA, SCHOOL_A)
    question_id = question_of(shown, service)[0].question_id
    assert [b["label"] for b in feedback.buttons if b["custom_id"].startswith("rate|")] == ["I guessed", "Too easy"]
    assert all(len(b["custom_id"]) <= 100 for b in feedback.buttons)

    easy = await fake.click(feedback.message, button(feedback, "Too easy"), ANNA, SCHOOL_A)
    assert_private(easy)
    assert easy.data["content"].startswith("Noted: too easy. That question comes back on ")
    after_easy = await card_due(service, ANNA, question_id)

    guessed = await fake.click(feedback.message, button(feedback, "I guessed"), ANNA, SCHOOL_A)
    assert_private(guessed)
    assert guessed.data["content"].startswith("Noted: a guess. That question comes back ")
    after_guess = await card_due(service, ANNA, question_id)
    assert after_guess < after_easy  # a guess comes back sooner
    assert "**1.** Anna \u2014 10 pts" in (await fake.slash("leaderboard", ANNA, SCHOOL_A)).text  # points kept

    wrong = await answer(fake, service, await fake.slash("daily", BORIS, SCHOOL_A), BORIS, SCHOOL_A, correct=False)
    assert not any(b["custom_id"].startswith("rate|") for b in wrong.buttons)  # nothing to rate
    forged = await fake.click(
        with_button(wrong.message, f"rate|g|{question_id}"), f"rate|g|{question_id}", BORIS, SCHOOL_A
    )
    assert_private(forged)
    assert "Only a right answer can be marked" in forged.text


async def test_practise_the_weakest_topic_from_the_summary_and_with_quiz_weak(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    right = await fake.slash("quiz", ANNA, SCHOOL_A, topic="rise")
    await answer(fake, service, right, ANNA, SCHOOL_A)
    await miss(fake, service, ANNA, "nep")
    await review_all(fake, service, ANNA)  # the missed one answered right in review: nothing due today
    clock.advance(hours=2)

    summary = await fake.slash("review", ANNA, SCHOOL_A)
    assert "Your weakest topic now: NEP and the economy" in summary.text
    practise = button(summary, "Practise NEP and the economy")
    assert practise == "topic|nep"
    practice = await fake.click(summary.message, practise, ANNA, SCHOOL_A)
    assert_private(practice)
    assert practice.data["embeds"][0]["title"] == "Practice \u00b7 NEP and the economy"

    weak = await fake.slash("quiz", ANNA, SCHOOL_A, topic="weak")
    assert_private(weak)
    assert weak.data["embeds"][0]["title"] == "Practice \u00b7 NEP and the economy"
    assert service.bank.questions[question_of(weak, service)[0].question_id].topic == "nep"


# ---------------------------------------------------------------- stats and cards


async def test_stats_show_mastery_and_reviews_due_and_they_change_with_reviewing(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    missed = await miss(fake, service, ANNA, "rise")
    clock.advance(days=2)
    before = await fake.slash("stats", ANNA, SCHOOL_A)
    assert_private(before)
    assert "Mastery: what you'd recall now" in before.text
    assert "Stalin's rise to power (1/1 met)" in before.text
    assert "**Due now:** 1 \u00b7 **this week:** 1" in before.text
    low = percent(before.text, "Stalin's rise to power")
    assert low < 100

    shown = await fake.slash("review", ANNA, SCHOOL_A)
    assert question_of(shown, service)[0].question_id == missed
    await answer(fake, service, shown, ANNA, SCHOOL_A)
    after = await fake.slash("stats", ANNA, SCHOOL_A)
    assert "**Due now:** 0" in after.text and "1 review" in after.text  # "... practice, 1 review"
    assert percent(after.text, "Stalin's rise to power") > low

    theirs = await fake.slash("stats", TEACHER, SCHOOL_A, member=ANNA)  # someone else's: no reviews due shown
    assert "Mastery" in theirs.text and "Due now" not in theirs.text


async def test_a_figure_card_shows_your_record_only_to_you(
    fake: FakeDiscord, bot: StudyBot, service: StudyService
) -> None:
    card = await fake.slash("rival", ANNA, SCHOOL_A, name="trotsky")
    assert await followups(fake, card, timeout=0.2) == []  # nothing answered yet: no record
    quiz = await fake.click(card.message, button(card, "Quiz me on this"), ANNA, SCHOOL_A)
    feedback = await answer(fake, service, quiz, ANNA, SCHOOL_A)

    card = await fake.slash("rival", ANNA, SCHOOL_A, name="trotsky")
    public = card.callback["data"]
    assert not public.get("flags", 0) & 64 and "record" not in str(public)  # the card itself is public
    [note] = await followups(fake, card)
    assert note["flags"] & 64 and note["content"].startswith("Your record: 1 of 1 right on Leon Trotsky")

    private = await fake.click(feedback.message, "card|trotsky", ANNA, SCHOOL_A)  # a card only Anna sees
    assert_private(private)
    assert "Your record: 1 of 1 right" in private.data["embeds"][0]["footer"]["text"]
    boris = await fake.slash("rival", BORIS, SCHOOL_A, name="trotsky")
    assert await followups(fake, boris, timeout=0.2) == []


# ---------------------------------------------------------------- forged ids


@pytest.mark.parametrize(
    ("custom_id", "expected"),
    [
        ("rate|x|t-mc-1", render.OUTDATED_BUTTON),
        ("rate|e|no-such-question", "Only a right answer can be marked"),
        ("topic|astrology", "There is no topic \u201castrology\u201d"),
        ("remind|maybe", render.OUTDATED_BUTTON),
        ("rev|again", render.OUTDATED_BUTTON),  # no button of ours has this id
        ("review-me", render.OUTDATED_BUTTON),
        ("g999|rev", "Nothing to review yet"),  # in a server, the server it is used in counts, not the id's
    ],
)
async def test_a_forged_review_or_rate_button_gets_a_friendly_private_answer(
    fake: FakeDiscord, bot: StudyBot, custom_id: str, expected: str, caplog
) -> None:
    shown = await fake.slash("review", ANNA, SCHOOL_A)  # nothing answered: nothing to review
    reply = await fake.click(with_button(shown.message, custom_id), custom_id, ANNA, SCHOOL_A)
    assert_private(reply)
    assert expected in reply.text, reply.text
    assert "Traceback" not in caplog.text and "Unhandled" not in caplog.text


async def test_a_forged_direct_message_button_cannot_act_in_a_server_the_student_is_not_in(
    fake: FakeDiscord, bot: StudyBot
) -> None:
    message = (await fake.slash("review", ANNA, SCHOOL_A)).message  # Anna is in School A only
    gone = await fake.click(with_button(message, "g999|rev"), "g999|rev", ANNA, None)
    assert_private(gone)
    assert gone.text == render.SERVER_GONE
    elsewhere = await fake.click(with_button(message, f"g{SCHOOL_B.id}|rev"), f"g{SCHOOL_B.id}|rev", ANNA, None)
    assert_private(elsewhere)
    assert elsewhere.text == render.NOT_A_MEMBER.format(server="School B")
    unscoped_button = await fake.click(with_button(message, "rev"), "rev", ANNA, None)
    assert unscoped_button.text == render.NOT_IN_SERVER


# ---------------------------------------------------------------- the class post and reminders


async def test_the_daily_post_says_how_many_have_reviews_waiting_and_names_no_one(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    clock.now = THURSDAY_1600 - dt.timedelta(hours=8)
    reply = await fake.slash("schedule set", TEACHER, SCHOOL_A, in_channel=HISTORY_9B, time="08:30")
    assert reply.data["content"] == "Saved."
    scheduler = Scheduler(service.posts, Publishers({"discord": DiscordPublisher(bot)}))
    clock.now = THURSDAY_1600 - dt.timedelta(hours=7, minutes=30)  # Thursday's post: no one has reviews yet
    await scheduler.tick()
    [thursday] = fake.channel_messages(HISTORY_9B)
    assert thursday["embeds"][-1]["title"].startswith("Question of the day")
    assert "Spaced review" not in str(thursday) and "reviews waiting" not in str(thursday)

    clock.now = THURSDAY_1600
    for user in (ANNA, BORIS):  # two each: one might be Friday's daily question, which is not counted
        await miss(fake, service, user, "rise")
        await miss(fake, service, user, "nep")
    clock.now = FRIDAY_0830
    await scheduler.tick()
    question = fake.channel_messages(HISTORY_9B)[1]["embeds"][-1]
    fields = {f["name"]: f["value"] for f in question.get("fields", [])}
    assert fields["Spaced review"] == "2 of you have reviews waiting: `/review`"
    assert "Anna" not in str(question) and "Boris" not in str(question)


async def test_reminders_come_by_direct_message_start_a_review_there_and_can_be_turned_off(
    fake: FakeDiscord, bots: Bots, service: StudyService, clock: FakeClock
) -> None:
    bot = await bots.start(service)
    clock.now = THURSDAY_1600
    missed = {await miss(fake, service, ANNA, "rise"), await miss(fake, service, ANNA, "nep")}
    await miss(fake, service, BORIS, "rivals")  # Boris leaves reminders off
    turned_on = await fake.slash("review", ANNA, SCHOOL_A, reminders="on")
    assert_private(turned_on)
    assert "Review reminders are **on**" in turned_on.text
    assert "once your class has a daily-question schedule" in turned_on.text
    assert [b["label"] for b in turned_on.buttons] == ["Turn off reminders"]
    await fake.slash("schedule set", TEACHER, SCHOOL_A, in_channel=HISTORY_9B, time="08:30")
    publishers = Publishers({"discord": bot.publisher})
    scheduler = Scheduler(service.posts, publishers)

    clock.now = FRIDAY_0830
    await scheduler.tick()
    [dm] = fake.dm_messages(ANNA)
    assert fake.dm_messages(BORIS) == []
    due = 2 if fridays_question(fake, HISTORY_9B) not in missed else 1  # today's daily question is not a review yet
    assert (
        dm["content"]
        == f"You have {render.plural(due, 'review')} waiting in **School A**. A few minutes now keeps them fresh."
    )
    buttons = [c for row in dm["components"] for c in row["components"]]
    assert [(b["label"], b["custom_id"]) for b in buttons] == [
        ("Start review", f"g{SCHOOL_A.id}|rev"),
        ("Turn off reminders", f"g{SCHOOL_A.id}|remind|off"),
    ]
    assert [c.body for c in fake.calls if c.path == "/users/@me/channels"] == [{"recipient_id": int(ANNA.id)}]

    await bots.stop(bot)  # the student taps the reminder later, after a restart
    publishers.add("discord", (await bots.start(service)).publisher)
    started = await fake.click(dm, f"g{SCHOOL_A.id}|rev", ANNA, None)
    assert_private(started)
    first = question_of(started, service)[0]
    assert first.mode is Mode.REVIEW and first.question_id in missed
    assert all(b["custom_id"].startswith(f"g{SCHOOL_A.id}|") for b in started.buttons)  # they act in School A
    feedback = await answer(fake, service, started, ANNA, None)
    assert_private(feedback)
    assert "Correct" in feedback.text
    rate = {f"rate|g|{first.question_id}", f"rate|e|{first.question_id}"}
    assert {unscoped(b["custom_id"]) for b in feedback.buttons} >= {"rev", *rate}
    assert all(b["custom_id"].startswith(f"g{SCHOOL_A.id}|") for b in feedback.buttons)
    noted = await fake.click(feedback.message, button(feedback, "Too easy"), ANNA, None)
    assert noted.data["content"].startswith("Noted: too easy.")
    going_on = await fake.click(feedback.message, next_review(feedback), ANNA, None)
    rest = await review_all(fake, service, ANNA, None, going_on)
    assert len(rest) == due - 1
    stats = await fake.slash("stats", ANNA, SCHOOL_A)
    assert "**Due now:** 0" in stats.text and f"{due} review" in stats.text  # the DM reviews counted in School A

    off = await fake.click(dm, f"g{SCHOOL_A.id}|remind|off", ANNA, None)
    assert_private(off)
    assert off.data["content"] == render.REMINDERS_OFF
    assert [b["label"] for b in off.buttons] == ["Turn reminders back on"]
    await miss(fake, service, ANNA, "rivals")
    await miss(fake, service, BORIS, "nep")
    await fake.slash("review", BORIS, SCHOOL_A, reminders="on")  # Boris has just turned them on
    clock.now = FRIDAY_0830 + dt.timedelta(days=3)  # Monday's post: reviews wait for both
    await scheduler.tick()
    assert len(fake.dm_messages(ANNA)) == 1  # no more for Anna
    [to_boris] = fake.dm_messages(BORIS)
    assert to_boris["content"].startswith("You have ") and to_boris["channel_id"] != dm["channel_id"]


async def test_a_reminder_that_cannot_be_delivered_is_a_permanent_failure(fake: FakeDiscord, bot: StudyBot) -> None:
    await fake.slash("review", ANNA, SCHOOL_A)
    await fake.slash("review", BORIS, SCHOOL_A)
    publisher = bot.publisher
    await publisher.remind(ReviewReminder(SCHOOL_A.id, ANNA.id, 2))
    assert fake.dm_messages(ANNA)[0]["content"].startswith("You have 2 reviews waiting")

    fake.close_dms(BORIS)
    with pytest.raises(PublishError, match="does not accept direct messages") as closed:
        await publisher.remind(ReviewReminder(SCHOOL_A.id, BORIS.id, 1))
    assert closed.value.permanent
    fake.leave(SCHOOL_A, ANNA)
    with pytest.raises(PublishError, match="no longer in the server") as left:
        await publisher.remind(ReviewReminder(SCHOOL_A.id, ANNA.id, 1))
    assert left.value.permanent
    with pytest.raises(PublishError) as unknown:
        await publisher.remind(ReviewReminder("999", ANNA.id, 1))
    assert unknown.value.permanent
    assert len(fake.dm_messages(ANNA)) == 1
