"""Schedules and scheduled posts over the wire: `/study schedule ...` through bolt, users.info for
admins, the real Scheduler posting with SlackPublisher into a fake Slack, and clicks on the posted
message's buttons coming back through bolt."""

from __future__ import annotations

import datetime as dt

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack import SlackPublisher, ids, render
from bot.core.publishing import PublishError
from bot.core.replies import DailyPost, Leaderboard, LeaderboardEntry, QuestionRef
from bot.core.vocabulary import Mode, Period, QuestionKind
from bot.scheduler import Scheduler
from tests.adapters.slack.fake_slack import BOT_TOKEN, all_text, button
from tests.adapters.slack.helpers import answer_buttons, answer_post, question_of

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
OWNER = {"user": "UOWNER", "name": "owner"}
TEACHER = {"user": "UTEACH", "name": "ms_teach"}
STUDENT = {"user": "USTUD", "name": "sam"}

SATURDAY = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def london(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=dt.UTC)  # London is on UTC in November


@pytest.fixture
def directory(fake_slack):
    fake_slack.users.update(
        {
            "UADMIN": {"is_admin": True},
            "UOWNER": {"is_owner": True},
            "UTEACH": {},
            "USTUD": {},
            "U1": {},
            "U2": {},
            "U3": {},
        }
    )
    return fake_slack.users


async def sent(scheduler: Scheduler) -> list[bool]:
    return [ok for _, ok in await scheduler.tick()]


# ---------------------------------------------------------------------- who may change a schedule


async def test_admins_and_named_teachers_manage_schedules_students_cannot(slack, fake_slack, directory, clock):
    clock.now = SATURDAY  # no post due today: the next is Monday's
    refused = all_text(await slack.ask("schedule set 08:30", channel="C7", **STUDENT))
    assert render.NOT_TEACHER in refused
    assert render.NOT_TEACHER in all_text(await slack.ask("schedule show", channel="C7", **STUDENT))
    assert "Only workspace admins can name teachers" in all_text(
        await slack.ask("schedule teachers add <@USTUD|sam>", channel="C7", **STUDENT)
    )

    saved = all_text(await slack.ask("schedule set 08:30", channel="C7", **ADMIN))
    assert "Schedule saved." in saved and "<#C7>" in saved and "*08:30* (Europe/London), Monday to Friday" in saved
    # It is Saturday in London: the next post is Monday's, in the channel's time.
    assert "Next post: *Monday 30 November at 08:30* (Europe/London)" in saved
    assert "posted on Fridays" in saved

    # A workspace owner counts as an admin too.
    assert "Monday 30 November at 08:30" in all_text(await slack.ask("schedule", channel="C7", **OWNER))

    # The teacher is not an admin (users.info says so) until an admin names them.
    assert render.NOT_TEACHER in all_text(await slack.ask("schedule pause", channel="C7", **TEACHER))
    named = all_text(await slack.ask("schedule teachers add <@UTEACH|ms_teach>", channel="C7", **ADMIN))
    assert "<@UTEACH> is now a teacher here" in named
    paused = all_text(await slack.ask("schedule pause 2026-11-30..2026-12-01", channel="C7", **TEACHER))
    assert (
        "Paused 2026-11-30..2026-12-01." in paused
        and "Paused Monday 30 November 2026 to Tuesday 1 December 2026" in paused
    )
    assert "Next post: *Wednesday 2 December at 08:30*" in paused
    resumed = all_text(await slack.ask("schedule resume", channel="C7", **TEACHER))
    assert "Resumed." in resumed and "Next post: *Monday 30 November at 08:30*" in resumed
    held = all_text(await slack.ask("schedule pause", channel="C7", **TEACHER))
    assert "*Paused* until a teacher runs `/study schedule resume`" in held and "Next post" not in held

    await slack.ask("schedule teachers remove <@UTEACH|ms_teach>", channel="C7", **ADMIN)
    assert render.NOT_TEACHER in all_text(await slack.ask("schedule resume", channel="C7", **TEACHER))

    # users.info is asked once per member while the answer is fresh, not on every command.
    asked = [call.body["user"] for call in fake_slack.api_calls("users.info")]
    assert asked.count("UADMIN") == 1 and asked.count("UTEACH") == 1
    assert all(call.headers["Authorization"] == f"Bearer {BOT_TOKEN}" for call in fake_slack.api_calls("users.info"))


async def test_teachers_list_the_workspace_schedules_and_the_named_teachers(slack, directory, clock):
    clock.now = SATURDAY
    assert "No channel here has a daily-question schedule yet" in all_text(
        await slack.ask("schedule list", channel="C7", **ADMIN)
    )
    await slack.ask("schedule set 08:30", channel="C7", **ADMIN)
    await slack.ask("schedule set 09:15 every day", channel="C8", **ADMIN)
    await slack.ask("schedule pause", channel="C8", **ADMIN)
    listed = all_text(await slack.ask("schedule list", channel="C1", **ADMIN))
    assert "Daily-question schedules (2)" in listed
    assert "<#C7> *08:30* (Europe/London), Monday to Friday \u00b7 next Monday 30 November at 08:30" in listed
    assert "<#C8> *09:15* (Europe/London), every day \u00b7 *paused*" in listed

    assert "No teachers are named yet" in all_text(await slack.ask("schedule teachers", channel="C7", **ADMIN))
    await slack.ask("schedule teachers add <@UTEACH|ms_teach>", channel="C7", **ADMIN)
    assert "Named teachers: <@UTEACH>." in all_text(await slack.ask("schedule teachers list", channel="C7", **TEACHER))
    assert "<#C7>" in all_text(await slack.ask("schedule list", channel="C7", **TEACHER))
    for students_ask in ("schedule list", "schedule teachers", "schedule off <#C8|history>"):
        assert render.NOT_TEACHER in all_text(await slack.ask(students_ask, channel="C7", **STUDENT))

    # Another channel's schedule is stopped from here: by its #mention, or by the id or name it had.
    assert "No channel with a schedule has that name" in all_text(
        await slack.ask("schedule off #nowhere", channel="C7", **ADMIN)
    )
    stopped = all_text(await slack.ask("schedule off <#C8|history>", channel="C7", **ADMIN))
    assert "no longer posted in <#C8>" in stopped
    assert "<#C8>" not in all_text(await slack.ask("schedule list", channel="C7", **ADMIN))
    await slack.ask("schedule set 09:15", channel="C8", **ADMIN)
    assert "no longer posted in <#C8>" in all_text(await slack.ask("schedule off C8", channel="C7", **ADMIN))
    assert "<#C7>" in all_text(await slack.ask("schedule show", channel="C7", **ADMIN))  # untouched


async def test_an_unknown_member_or_a_failing_lookup_is_not_an_admin(slack, fake_slack, directory):
    assert render.NOT_TEACHER in all_text(await slack.ask("schedule set 08:30", user="UGHOST", name="ghost"))
    fake_slack.fail("users.info", "missing_scope")
    directory["UNEW"] = {"is_admin": True}
    assert render.NOT_TEACHER in all_text(await slack.ask("schedule set 08:30", user="UNEW", name="new"))


async def test_schedule_set_forms_usage_and_off(slack, directory):
    pm = all_text(await slack.ask("schedule set 7:45 pm America/New_York mon,wed,fri", channel="C8", **ADMIN))
    assert "*19:45* (America/New_York), Mon, Wed, Fri" in pm
    every = all_text(await slack.ask("schedule set 06:00 every day", channel="C8", **ADMIN))
    assert "*06:00* (America/New_York), every day" in every  # no zone given: the workspace's stays
    assert "Next post: *Friday 27 November at 06:00*" in every  # 04:00 in New York now
    filtered = all_text(await slack.ask("schedule set 08:30 topics=rivals board=off", channel="C8", **ADMIN))
    assert "Topics: The rivals." in filtered and "No weekly leaderboard post." in filtered
    assert "There is no topic" in all_text(await slack.ask("schedule set 08:30 topics=cold-war", channel="C8", **ADMIN))
    assert "not a time zone" in all_text(await slack.ask("schedule set 08:30 Mars/Olympus", channel="C8", **ADMIN))
    assert "not a time of day" in all_text(await slack.ask("schedule set 25:00", channel="C8", **ADMIN))
    assert "/study schedule set 08:30" in all_text(await slack.ask("schedule set", channel="C8", **ADMIN))
    assert "/study schedule show" in all_text(await slack.ask("schedule frobnicate", channel="C8", **ADMIN))

    off = all_text(await slack.ask("schedule off", channel="C8", **ADMIN))
    assert "Schedule removed." in off and "no daily-question schedule in this channel" in off
    assert "no daily-question schedule" in all_text(await slack.ask("schedule show", channel="C8", **ADMIN))
    assert "no schedule yet" in all_text(await slack.ask("schedule resume", channel="C8", **ADMIN))


# ---------------------------------------------------------------------- the scheduled post


async def test_scheduled_posts_buttons_reveal_and_weekly_leaderboard(
    slack, fake_slack, service, clock, scheduler, directory
):
    clock.now = london(25, 9)  # Wednesday
    await slack.ask("schedule set 10:00 Europe/London mon-fri", channel="C7", **ADMIN)
    assert await sent(scheduler) == []
    assert fake_slack.posted("C7") == []

    clock.now = london(25, 10, 1)
    assert await sent(scheduler) == [True]
    assert await sent(scheduler) == []  # never twice on one day
    (wednesday,) = fake_slack.posted("C7")
    assert "Daily question" in all_text(wednesday) and "The last question" not in all_text(wednesday)
    assert answer_buttons(wednesday) or button(wednesday, ids.OPEN_MODAL_ACTION)
    ref, _ = question_of(service, wednesday)
    assert (ref.mode.value, ref.daily_date) == ("daily", dt.date(2026, 11, 25))
    assert all(
        call.headers["Authorization"] == f"Bearer {BOT_TOKEN}" for call in fake_slack.api_calls("chat.postMessage")
    )

    # A click on the public post is answered privately, to the clicker only, with points.
    feedback = await answer_post(slack, fake_slack, service, wednesday, "C7", right=True, user="U1", name="alice")
    assert feedback["response_type"] == "ephemeral" and feedback["replace_original"] is False
    assert "Correct!" in all_text(feedback) and "+" in all_text(feedback)
    await answer_post(slack, fake_slack, service, wednesday, "C7", right=True, user="U2", name="bob")
    assert fake_slack.api_calls("chat.update") == []  # the channel's post is left as it was

    clock.now = london(26, 10, 5)  # Thursday
    assert await sent(scheduler) == [True]
    thursday = fake_slack.posted("C7")[1]
    assert "The last question" in all_text(thursday) and "2 answered \u00b7 100% correct" in all_text(thursday)
    await answer_post(slack, fake_slack, service, thursday, "C7", right=True, user="U1", name="alice")
    wrong = await answer_post(slack, fake_slack, service, thursday, "C7", right=False, user="U2", name="bob")
    assert "Not quite" in all_text(wrong)
    await answer_post(slack, fake_slack, service, thursday, "C7", right=True, user="U3", name="carol")

    clock.now = london(27, 10, 1)  # Friday: the reveal of Thursday, and the week's leaderboard
    assert await sent(scheduler) == [True]
    friday, board = fake_slack.posted("C7")[2:]
    text = all_text(friday)
    _, thursdays = question_of(service, thursday)
    assert "*The last question* \u00b7 Thursday 26 November" in text
    assert f"*Answer:* {render.escape(service.catalogue.correct_answer(thursdays))}" in text
    assert "3 answered \u00b7 67% correct" in text and "Top streaks: alice (2 days)" in text
    assert "bob" not in text  # who got it wrong is never named
    assert "carol" not in text  # a one-day streak is not a top streak
    assert question_of(service, friday)[0].daily_date == dt.date(2026, 11, 27)
    assert "This week's leaderboard \u00b7 week of 23 Nov 2026" in all_text(board)
    assert "alice" in all_text(board).splitlines()[2] and "Your rank" not in all_text(board)

    # The Friday question works from the channel too.
    feedback = await answer_post(slack, fake_slack, service, friday, "C7", right=True, user="U3", name="carol")
    assert "Correct!" in all_text(feedback)


async def test_a_refused_channel_is_recorded_and_shown_and_a_rate_limit_is_retried(
    slack, fake_slack, clock, scheduler, directory
):
    clock.now = london(27, 7)
    await slack.ask("schedule set 08:00", channel="CGONE", **ADMIN)
    await slack.ask("schedule set 08:00", channel="CBUSY", **ADMIN)
    fake_slack.fail("chat.postMessage", "channel_not_found", channel="CGONE")
    fake_slack.fail("chat.postMessage", "ratelimited", channel="CBUSY")

    clock.now = london(27, 8, 1)
    assert await sent(scheduler) == [False, False]
    shown = all_text(await slack.ask("schedule show", channel="CGONE", **ADMIN))
    assert ":warning: *The last post failed:* 2026-11-27 08:01 UTC: channel_not_found" in shown
    assert "Slack cannot find this channel" in shown
    busy = all_text(await slack.ask("schedule show", channel="CBUSY", **ADMIN))
    assert "The last post failed" not in busy  # still being retried

    del fake_slack.failures[("chat.postMessage", "CBUSY")]
    clock.advance(seconds=31)
    assert await sent(scheduler) == [True]  # the rate-limited post, not the refused one
    assert len(fake_slack.posted("CBUSY")) == 1 and fake_slack.posted("CGONE") == []

    # Setting the schedule again (say, after inviting the app) clears the error.
    assert "The last post failed" not in all_text(await slack.ask("schedule set 08:00", channel="CGONE", **ADMIN))


@pytest.mark.parametrize(
    ("error", "permanent", "shown"),
    [
        ("channel_not_found", True, "Slack cannot find this channel"),
        ("not_in_channel", True, "/invite"),
        ("is_archived", True, "archived"),
        ("account_inactive", True, "deactivated"),
        ("invalid_auth", True, "SLACK_BOT_TOKEN"),
        ("token_revoked", True, "revoked"),
        ("missing_scope", True, "needs chat:write"),
        ("ratelimited", False, "retry after 30 s"),
        ("internal_error", False, "internal_error"),
    ],
)
async def test_publisher_maps_slack_errors(fake_slack, service, error, permanent, shown):
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    fake_slack.fail("chat.postMessage", error)
    card = service.catalogue.asked(_any_ref(service))
    with pytest.raises(PublishError) as raised:
        await publisher.publish("C1", DailyPost(card))
    assert raised.value.permanent is permanent
    assert str(raised.value).startswith(error) and shown in str(raised.value)
    assert BOT_TOKEN not in str(raised.value)


async def test_publisher_returns_the_question_ts_and_survives_a_failed_board(fake_slack, service, monkeypatch):
    publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.api_url))
    card = service.catalogue.asked(_any_ref(service))
    board = Leaderboard(Period.WEEK, "week of 23 Nov 2026", (LeaderboardEntry(1, "alice", 12),), None, 1)
    ts = await publisher.publish("C1", DailyPost(card, None, board))
    first, second = fake_slack.posted("C1")
    assert ts == first["ts"] and "This week's leaderboard" in all_text(second)

    # The question went out but the board did not: still a success, or a retry would post the question twice.
    real = publisher._post
    calls = 0

    async def board_fails(client, channel, message):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise PublishError("ratelimited")
        return await real(client, channel, message)

    monkeypatch.setattr(publisher, "_post", board_fails)
    assert await publisher.publish("C2", DailyPost(card, None, board)) == fake_slack.posted("C2")[0]["ts"]


def _any_ref(service) -> QuestionRef:
    question = next(q for q in service.bank.questions.values() if q.kind is QuestionKind.MULTIPLE_CHOICE)
    return QuestionRef(question.id, Mode.DAILY, dt.date(2026, 11, 27))
