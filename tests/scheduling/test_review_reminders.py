"""Review nudges without spam, on a real database: the class post counts who has reviews waiting (no
names), and students who turned reminders on get one direct message a day at the class's post time."""

from __future__ import annotations

import datetime as dt

from bot.core.actor import Actor, Platform
from bot.core.publishing import PublishError, Publishers
from bot.core.replies import QuestionRef, ReviewReminder
from bot.core.vocabulary import Mode
from bot.scheduler import Scheduler
from tests.helpers import RecordingPublisher, student, wrong_answer

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms Teacher", is_admin=True)


class RemindingPublisher(RecordingPublisher):
    def __init__(self) -> None:
        super().__init__()
        self.reminded: list[ReviewReminder] = []
        self.refuse: set[str] = set()

    async def remind(self, reminder: ReviewReminder) -> None:
        if reminder.user_id in self.refuse:
            raise PublishError("this user does not accept direct messages", permanent=True)
        self.reminded.append(reminder)


async def miss(service, actor, question_id: str) -> None:  # noqa: ANN001
    ref = QuestionRef(question_id, Mode.PRACTICE)
    await service.submit_answer(actor, wrong_answer(service, service.catalogue.asked(ref)), ref)


async def test_reminders_go_once_a_day_only_to_those_who_asked_and_the_post_counts_the_rest(any_service, clock):
    clock.now = dt.datetime(2026, 11, 26, 16, 0, tzinfo=dt.UTC)  # Thursday afternoon: everyone misses one
    ann, bob, cat = (student(name, "class-1") for name in ("Ann", "Bob", "Cat"))
    for who in (ann, bob, cat):
        await miss(any_service, who, "t-mc-1")
    setting = await any_service.set_review_reminders(ann, True)
    assert setting.on and "They will come once your class has a daily-question schedule" in setting.when
    await any_service.set_review_reminders(cat, True)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    await any_service.schedules.set(TEACHER, "year-13", time="08:30")  # two channels, one class
    assert "08:30 (Europe/London) Monday to Friday" in (await any_service.set_review_reminders(cat, True)).when

    publisher = RemindingPublisher()
    publisher.refuse.add(cat.user_id)  # Cat's DMs are closed: logged, nothing else breaks
    scheduler = Scheduler(any_service.posts, Publishers({"console": publisher}))
    clock.now = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)
    assert len(await scheduler.tick()) == 2
    assert {post.reviews_waiting for _, post in publisher.sent} == {3}  # a count, never names
    assert publisher.reminded == [ReviewReminder("class-1", ann.user_id, 1)]  # once, though two channels posted

    await any_service.set_review_reminders(ann, False)
    await any_service.set_review_reminders(bob, True)
    clock.now = dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC)  # Monday's post
    await scheduler.tick()
    assert [r.user_id for r in publisher.reminded] == [ann.user_id, bob.user_id]


async def test_no_reminder_when_nothing_is_due(any_service, clock):
    ann = student("Ann", "class-1")
    await any_service.set_review_reminders(ann, True)
    await any_service.schedules.set(TEACHER, "general", time="08:30")
    publisher = RemindingPublisher()
    clock.now = dt.datetime(2026, 11, 27, 8, 30, tzinfo=dt.UTC)
    await Scheduler(any_service.posts, Publishers({"console": publisher})).tick()
    assert publisher.reminded == [] and publisher.sent[0][1].reviews_waiting == 0
