"""The scheduler on a real database: exactly once, retries, missed slots, permissions."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.core.actor import Actor, Platform
from bot.core.errors import NotAllowed
from bot.core.publishing import PublishError, Publishers
from bot.core.replies import DailyPost
from bot.scheduler import Scheduler
from bot.store.models import ScheduledPost
from tests.helpers import RecordingPublisher, correct_answer, student

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms Teacher", is_admin=True)


async def posts(service) -> list[tuple]:  # noqa: ANN001
    async with service.db.sessions() as session:
        return (
            await session.execute(select(ScheduledPost.local_date, ScheduledPost.status, ScheduledPost.attempts))
        ).all()


async def test_a_schedule_set_after_today_s_slot_says_it_posts_now_and_does(any_service, clock):
    """Friday 09:00, a schedule for 08:30: the scheduler posts today's question at once (a missed slot is
    caught up the same day), so the reply says so, rather than promising Monday."""
    info = await any_service.schedules.set(TEACHER, "general", time="08:30", channel_name="general")
    assert info.posting_now and info.next_post == clock().astimezone(info.next_post.tzinfo)
    publisher = RecordingPublisher()
    assert len(await Scheduler(any_service.posts, Publishers({"console": publisher})).tick()) == 1
    after = await any_service.schedules.show(TEACHER, "general")
    assert not after.posting_now and after.next_post.date() == dt.date(2026, 11, 30)  # then Monday's


async def test_set_show_and_next_post_in_local_time(any_service, clock):
    clock.now = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)  # Saturday: no post today
    info = await any_service.schedules.set(TEACHER, "general", time="08:30", channel_name="general")
    assert info.days == "Monday to Friday" and info.timezone == "Europe/London" and not info.posting_now
    assert info.next_post == dt.datetime(2026, 11, 30, 8, 30, tzinfo=info.next_post.tzinfo)
    shown = await any_service.schedules.show(TEACHER, "general")
    assert shown.next_post == info.next_post and shown.weekly_leaderboard == "Friday"
    paused = await any_service.schedules.pause(TEACHER, "general", "2026-11-30..2026-12-01")
    assert paused.next_post.date() == dt.date(2026, 12, 2)
    resumed = await any_service.schedules.resume(TEACHER, "general")
    assert resumed.pauses == () and resumed.next_post.date() == dt.date(2026, 11, 30)
    assert not (await any_service.schedules.off(TEACHER, "general")).exists
    assert not (await any_service.schedules.show(TEACHER, "general")).exists


async def test_students_cannot_change_a_schedule(any_service):
    with pytest.raises(NotAllowed):
        await any_service.schedules.set(student("Ann", "class-1"), "general", time="08:30")
    with pytest.raises(NotAllowed):
        await any_service.schedules.show(student("Ann", "class-1"), "general")


async def test_named_teachers_may_manage_schedules(any_service):
    ann = student("Ann", "class-1")
    await any_service.schedules.add_teacher(TEACHER, ann.user_id)
    assert (await any_service.schedules.set(ann, "general", time="9:00")).exists
    with pytest.raises(NotAllowed):
        await any_service.schedules.add_teacher(ann, "bob")


async def test_teachers_list_every_schedule_and_the_named_teachers_of_their_class(any_service, clock):
    await any_service.schedules.set(TEACHER, "c2", time="09:15", channel_name="year-13")
    await any_service.schedules.set(TEACHER, "c1", time="08:30", channel_name="year-12")
    await any_service.schedules.pause(TEACHER, "c2")
    other_class = Actor(Platform.CONSOLE, "class-2", "teacher", "Mr Other", is_admin=True)
    await any_service.schedules.set(other_class, "c9", time="10:00", channel_name="elsewhere")
    await any_service.schedules.add_teacher(TEACHER, "zoe")
    await any_service.schedules.add_teacher(TEACHER, "ann")

    listed = await any_service.schedules.list_all(TEACHER)
    assert [(info.channel_name, f"{info.time_of_day:%H:%M}", info.paused) for info in listed] == [
        ("year-12", "08:30", False),
        ("year-13", "09:15", True),
    ]
    assert listed[0].next_post is not None and listed[1].next_post is None
    assert await any_service.schedules.teachers(TEACHER) == ("ann", "zoe")
    assert await any_service.schedules.teachers(student("Zoe", "class-1")) == ("ann", "zoe")  # a named teacher
    assert await any_service.schedules.teachers(other_class) == ()
    for not_a_teacher in (any_service.schedules.list_all, any_service.schedules.teachers):
        with pytest.raises(NotAllowed):
            await not_a_teacher(student("Bob", "class-1"))


async def test_a_due_slot_is_posted_once_with_buttons_data(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    assert await scheduler.tick() == []
    clock.now = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)
    assert len(await scheduler.tick()) == 1
    assert await scheduler.tick() == []  # the same day is never posted twice
    [(channel, post)] = publisher.sent
    assert channel == "general" and post.question.is_daily
    assert post.question.ref == (await any_service.daily_question(student("Ann", "class-1"))).ref
    assert post.leaderboard is not None  # Friday: the weekly board follows the question
    assert await posts(any_service) == [(dt.date(2026, 11, 27), "sent", 1)]


async def test_two_schedulers_on_one_database_post_exactly_once(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    for number in range(30):
        await any_service.schedules.set(TEACHER, f"channel-{number}", time="08:30")
    first, second = RecordingPublisher(), RecordingPublisher()
    one = Scheduler(any_service.posts, Publishers({"console": first}))
    two = Scheduler(any_service.posts, Publishers({"console": second}))
    await asyncio.gather(one.tick(), two.tick(), one.tick(), two.tick())
    channels = [channel for channel, _ in first.sent + second.sent]
    assert sorted(channels) == sorted(f"channel-{n}" for n in range(30))


async def test_a_crash_between_claim_and_send_is_retried_not_duplicated(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    crashed = Scheduler(any_service.posts, Publishers({"console": RecordingPublisher()}))
    claims = await any_service.posts.claim_due(clock(), ["console"], crashed.owner)
    assert len(claims) == 1  # claimed, then the process died before sending
    survivor_publisher = RecordingPublisher()
    survivor = Scheduler(any_service.posts, Publishers({"console": survivor_publisher}))
    assert await survivor.tick() == []  # the claim is still fresh: not taken over yet
    clock.advance(minutes=3)
    assert len(await survivor.tick()) == 1
    assert await survivor.tick() == []
    assert len(survivor_publisher.sent) == 1
    assert await posts(any_service) == [(dt.date(2026, 11, 27), "sent", 1)]


async def test_failed_sends_back_off_then_give_up_and_show_it(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "gone", time="08:30")
    await any_service.schedules.set(TEACHER, "fine", time="08:30")
    publisher = RecordingPublisher()
    failing = {"gone"}

    async def publish(channel_id: str, post: DailyPost) -> str:
        if channel_id in failing:
            raise PublishError("Unknown Channel", permanent=False)
        return await RecordingPublisher.publish(publisher, channel_id, post)

    publisher.publish = publish  # type: ignore[method-assign]
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    await scheduler.tick()
    assert [c for c, _ in publisher.sent] == ["fine"]  # one failing channel does not block the others
    assert await scheduler.tick() == []  # not yet time to retry
    for _ in range(10):
        clock.advance(minutes=10)
        await scheduler.tick()
    statuses = dict(((d, s) for d, s, _ in await posts(any_service)))
    assert sorted(s for _, s, _ in await posts(any_service)) == ["failed", "sent"]
    info = await any_service.schedules.show(TEACHER, "gone")
    assert "Unknown Channel" in info.last_error
    assert statuses


async def test_permanent_failures_stop_at_once(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "deleted", time="08:30")
    scheduler = Scheduler(
        any_service.posts, Publishers({"console": RecordingPublisher([PublishError("Missing Access", permanent=True)])})
    )
    [(claim, sent)] = await scheduler.tick()
    assert not sent and await posts(any_service) == [(dt.date(2026, 11, 27), "failed", 1)]


async def test_missed_slots_post_on_start_up_the_same_day_and_are_skipped_the_next(any_service, clock):
    clock.now = dt.datetime(2026, 11, 26, 7, 0, tzinfo=dt.UTC)  # Thursday, before the slot
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    clock.now = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)  # the bot was down all Thursday
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    assert await scheduler.tick() == []  # Thursday's slot is not posted late on Friday
    clock.now = dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.UTC)  # restarted on Friday afternoon
    assert len(await scheduler.tick()) == 1
    assert [p[0] for p in await posts(any_service)] == [dt.date(2026, 11, 27)]


async def test_the_reveal_shows_yesterdays_result_without_naming_wrong_answers(any_service, clock):
    clock.now = dt.datetime(2026, 11, 26, 8, 31, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    scheduler = Scheduler(any_service.posts, Publishers({"console": (publisher := RecordingPublisher())}))
    await scheduler.tick()
    ann, bob = student("Ann", "class-1"), student("Bob", "class-1")
    card = await any_service.daily_question(ann)
    await any_service.submit_answer(ann, correct_answer(any_service, card))
    await any_service.daily_question(bob)
    question = any_service.bank.questions[card.ref.question_id]
    wrong = "False" if question.answer is True else ("zzz" if question.kind.value == "short_answer" else None)
    if wrong is None:
        wrong = next(o.letter for o in card.options if o.text != question.answer)
    await any_service.submit_answer(bob, wrong)
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    await scheduler.tick()
    reveal = publisher.sent[-1][1].reveal
    assert reveal.day == dt.date(2026, 11, 26) and reveal.prompt == question.prompt
    assert (reveal.answered, reveal.correct, reveal.percent_correct) == (2, 1, 50)
    assert all(holder.name != "Bob" for holder in reveal.top_streaks)


async def test_editing_a_schedule_wakes_the_sleeping_loop(any_bot, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    publisher = RecordingPublisher()
    any_bot.publishers.add("console", publisher)
    task = asyncio.create_task(any_bot.scheduler.run())
    try:
        await asyncio.sleep(0.2)  # asleep: nothing scheduled
        await any_bot.service.schedules.set(TEACHER, "general", time="07:00")  # already past: due at once
        for _ in range(50):
            if publisher.sent:
                break
            await asyncio.sleep(0.05)
        assert [c for c, _ in publisher.sent] == ["general"]
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_fan_out_claims_every_channel_once(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    for number in range(200):
        await any_service.schedules.set(TEACHER, f"c{number}", time="08:30")
    claims = await any_service.posts.claim_due(clock(), ["console"], "one")
    again = await any_service.posts.claim_due(clock(), ["console"], "two")
    assert len(claims) == 200 and again == []
    async with any_service.db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ScheduledPost)) == 200


async def test_next_wake_ignores_retries_for_front_ends_not_connected(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    slack_teacher = Actor(Platform.SLACK, "T1", "teacher", "Ms Teacher", is_admin=True)
    await any_service.schedules.set(slack_teacher, "C1", time="08:30")
    claims = await any_service.posts.claim_due(clock(), ["slack"], "slack-bot")
    await any_service.posts.mark_failed(claims[0], "ratelimited", permanent=False)
    console_wake = await any_service.posts.next_wake(clock(), ["console"])
    assert console_wake is None  # nothing this scheduler can do: it must not spin on Slack's retry
    slack_wake = await any_service.posts.next_wake(clock(), ["slack"])
    assert clock() < slack_wake <= clock() + dt.timedelta(minutes=1)


async def test_first_set_can_turn_the_weekly_board_off_and_topics_can_be_reset(any_service):
    info = await any_service.schedules.set(TEACHER, "general", time="08:30", weekly_leaderboard="off", topics="rivals")
    assert info.weekly_leaderboard is None and info.topics == ("The rivals",)
    info = await any_service.schedules.set(TEACHER, "general", time="08:30", topics="all")
    assert info.topics == () and info.weekly_leaderboard == "Friday"


async def test_show_anywhere_reports_a_channel_that_keeps_failing(any_service, clock):
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "deleted", time="08:30", channel_name="history-old")
    scheduler = Scheduler(
        any_service.posts,
        Publishers({"console": RecordingPublisher([PublishError("Unknown Channel", permanent=True)])}),
    )
    await scheduler.tick()
    info = await any_service.schedules.show(TEACHER, "general")  # asked from another channel
    assert not info.exists and info.failing_elsewhere == ("#history-old: 2026-11-27 08:31 UTC: Unknown Channel",)


async def test_posts_for_many_classes_are_built_together_each_with_its_own_reveal_and_board(any_service, clock):
    clock.now = dt.datetime(2026, 11, 26, 8, 31, tzinfo=dt.UTC)  # Thursday
    classes = [f"class-{n}" for n in range(3)]
    teachers = [Actor(Platform.CONSOLE, c, "teacher", "Teacher", is_admin=True) for c in classes]
    for n, teacher in enumerate(teachers):
        await any_service.schedules.set(teacher, f"room-{n}", time="08:30")
    publisher = RecordingPublisher()
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    await scheduler.tick()
    for n, community in enumerate(classes):  # class n: n+1 students, the first n of them right
        for m in range(n + 1):
            actor = student(f"P{n}{m}", community)
            card = await any_service.daily_question(actor)
            text = (
                correct_answer(any_service, card) if m < n else ("zzz" if card.kind.value == "short_answer" else None)
            )
            if text is None:
                question = any_service.bank.questions[card.ref.question_id]
                text = (
                    ("false" if question.answer else "true")
                    if card.kind.value == "true_false"
                    else next(o.letter for o in card.options if o.text != question.answer)
                )
            await any_service.submit_answer(actor, text)
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)  # Friday: reveal and weekly board
    results = await scheduler.tick()
    assert len(results) == 3 and all(sent for _, sent in results)
    posts = dict(publisher.sent[-3:])
    for n in range(len(classes)):
        post = posts[f"room-{n}"]
        assert (post.reveal.answered, post.reveal.correct) == (n + 1, n)
        assert [e.points for e in post.leaderboard.entries] == [10] * n + [0]
        assert post.leaderboard.total_ranked == n + 1
        assert post.question.ref.daily_date == dt.date(2026, 11, 27)


async def test_two_bot_processes_on_one_database_post_each_channel_once(any_service, database_url, tmp_path, clock):
    import subprocess
    import sys

    from tests.helpers import FIXTURE_CONTENT

    clock.now = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    channels = [f"room-{n}" for n in range(40)]
    for channel in channels:
        await any_service.schedules.set(TEACHER, channel, time="08:30")
    go, outs = tmp_path / "go", [tmp_path / "one.txt", tmp_path / "two.txt"]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.scheduling.run_one_tick",
                database_url,
                str(FIXTURE_CONTENT),
                str(go),
                str(out),
            ]
        )
        for out in outs
    ]
    await asyncio.sleep(1.5)  # both processes start up and wait
    go.touch()
    for process in processes:
        assert process.wait(timeout=60) == 0
    sent = [line for out in outs if out.exists() for line in out.read_text().split()]
    assert sorted(sent) == sorted(channels)  # every channel once, between the two processes
    assert [s for _, s, _ in await posts(any_service)] == ["sent"] * len(channels)


async def test_a_front_end_that_stops_during_a_tick_gets_its_post_later_not_an_error(any_service, clock):
    """The console quitting (or a bot disconnecting) between the claim and the send: the post is given back
    and sent once the front end is there again, the same day."""
    clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    publisher = RecordingPublisher()
    publishers = Publishers({"console": publisher})
    build = any_service.posts.build_posts

    async def build_then_disconnect(claims):  # noqa: ANN001, ANN202
        built = await build(claims)
        publishers.remove("console", publisher)
        return built

    any_service.posts.build_posts = build_then_disconnect
    scheduler = Scheduler(any_service.posts, publishers)
    assert [sent for _, sent in await scheduler.tick()] == [False]
    assert publisher.sent == [] and await posts(any_service) == [(dt.date(2026, 11, 27), "pending", 0)]
    any_service.posts.build_posts = build
    publishers.add("console", publisher)
    assert [sent for _, sent in await scheduler.tick()] == [True]
    assert len(publisher.sent) == 1
