"""The async use cases, one file per group. `StudyService` builds the parts and is what front ends call.

    catalogue.py   the bank in memory: questions (retired ones too), topics, answer keys, grading
    reference.py   "explain this rival" and glossary cards, the timeline and topic summaries
    essays.py      essay practice: plans for exam-style questions, compared with the model plan
    members.py     communities and members: the one enrolment, pending question, "today" for a member
    questions.py   daily and practice questions, and each community's daily question per date
    answers.py     submit_answer: grade -> record -> feedback
    assignments.py a teacher's set of questions with a date and a goal; each student's way through it
    review.py      spaced review (FSRS): the most overdue question, mastery per topic, re-grading
    privacy.py     how each student shows on public boards (name, pseudonym, hidden), and each class's default
    classes.py     a class as a whole: its goal, deleting it, the removal clock, data retention
    boards.py      leaderboards, stats, forget-me, and the reveals and weekly boards of posts
    reports.py     the teacher's class report (with charts.py's PNG) and the CSV export of every attempt
    schedules.py   teachers' schedule commands;  one_off_posts.py  `schedule now` and `schedule skip`'s rows
    teaching.py    the topics a class has been taught so far, and Discord's teachers' role
    posts.py       the scheduler's side: claim_due, build_posts, mark_sent / mark_failed, next_wake
    installations.py  the Slack workspaces that installed the app ("Add to Slack"), and installs under way

The parts depend one way (catalogue <- members <- questions, review <- answers; boards, schedules and posts
take the parts they need, never this facade). One transaction per use case, except answers: those go
through a group-commit writer (bot/store/answers.py). Uniqueness that matters (one scored answer per
member per daily question, one question per community per day) is enforced by the database.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.schema import Bank, Question
from bot.core.actor import Actor
from bot.core.clock import Clock, utc_now
from bot.core.privacy import CLASS_DEFAULT
from bot.core.replies import AskedQuestion
from bot.core.review import DEFAULT_RETENTION
from bot.ops.metrics import instrument
from bot.service.admission import Admission
from bot.service.answers import Answers
from bot.service.assignments import Assignments
from bot.service.boards import Boards
from bot.service.catalogue import Catalogue
from bot.service.classes import Classes
from bot.service.essays import Essays
from bot.service.installations import SlackInstallations
from bot.service.members import Members
from bot.service.posts import LEASE, Claim, ScheduledPosts
from bot.service.privacy import Privacy
from bot.service.questions import Questions
from bot.service.reference import ReferenceCards
from bot.service.reports import Reports
from bot.service.review import Reviews
from bot.service.schedules import ScheduleCommands
from bot.service.teaching import Teaching
from bot.store.answers import AnswerWriter
from bot.store.db import Database

__all__ = ["Claim", "ScheduleCommands", "ScheduledPosts", "StudyService"]

WEAKEST = "weak"  # `quiz weak`: the topic the student knows least well now
# The groups' use cases the front ends call through `schedules` and `assignments`. One use case calling
# another (an overview reading the class's list) is counted once, as the one the front end called.
SCHEDULE_COMMANDS = (
    *("set", "show", "list_all", "pause", "resume", "now", "skip", "off"),
    *("add_teacher", "teachers", "remove_teacher"),
)
ASSIGNMENT_COMMANDS = ("create", "announced", "overview", "class_list", "close", "my_list", "start")


class StudyService:
    """The front ends' one entry point. `schedules` are the teachers' commands, `posts` the scheduler's side;
    `on_schedule_change` is called whenever a schedule changes (bootstrap passes the scheduler's wake-up)."""

    def __init__(
        self,
        bank: Bank,
        engine: AsyncEngine,
        *,
        clock: Clock = utc_now,
        retired: dict[str, Question] | None = None,
        on_schedule_change: Callable[[], None] = lambda: None,
        post_lease: dt.timedelta = LEASE,
        review_retention: float = DEFAULT_RETENTION,
        new_class_board: str = CLASS_DEFAULT,
        retention_days: int | None = None,
        admission: Admission | None = None,
    ) -> None:
        self.clock = clock
        self.db = Database(engine)
        self.catalogue = Catalogue(bank, retired)
        self.members = Members(self.db, clock, new_class_board)
        self.writer = AnswerWriter(engine, retention=review_retention)
        questions = Questions(self.db, self.catalogue, self.members, clock)
        reviews = Reviews(self.db, self.catalogue, self.members, clock, review_retention)
        # `assignments` are the teachers' sets of questions and each student's way through them
        self.assignments = Assignments(self.db, self.catalogue, self.members, clock, review_retention)
        answers = Answers(self.catalogue, self.members, questions, self.writer, clock, self.assignments)
        boards = Boards(self.db, self.catalogue, self.members, reviews)
        reference = ReferenceCards(self.catalogue, reviews)

        def schedule_changed() -> None:
            self.writer.forget_calendar()  # streaks follow the class's school days: re-read them
            on_schedule_change()

        self.schedules = ScheduleCommands(self.db, self.catalogue, self.members, clock, schedule_changed)
        self.classes = Classes(self.db, self.members, clock, retention_days)
        self.posts = ScheduledPosts(
            self.db, self.catalogue, questions, boards, reviews, self.classes, clock, lease=post_lease
        )
        self._questions, self._reviews = questions, reviews
        self._reports = Reports(self.db, self.catalogue, self.members, clock, review_retention)
        # Slack workspaces installed through OAuth: the Slack adapter's installation and state stores keep them here
        self.slack_installations = SlackInstallations(self.db, clock)

        # What the front ends call, one hop from here to the use case.
        self.daily_question = questions.daily_question
        self.submit_answer = answers.submit_answer
        self.tap_answer = answers.tap_answer  # an order or match answered by buttons, a tap at a time
        self.next_review = reviews.next_review
        self.rate_answer = reviews.rate
        self.set_review_reminders = reviews.set_reminders
        privacy = Privacy(self.db, self.members, clock)
        self.privacy = privacy.show
        self.set_privacy = privacy.choose
        self.new_pseudonym = privacy.new_pseudonym
        self.set_privacy_default = privacy.set_default
        self.my_data = privacy.my_data
        self.set_goal = self.classes.set_goal
        self.delete_class = self.classes.delete_class
        self.bot_removed = self.classes.removed  # (platform, community id): its data goes in 30 days
        self.bot_returned = self.classes.returned
        self.leaderboard = boards.leaderboard
        self.stats = boards.stats
        self.forget_me = boards.forget_me
        self.explain = reference.explain
        self.timeline = reference.timeline
        self.summary = reference.summary
        essays = Essays(self.db, self.catalogue, self.members, clock)
        self.start_essay = essays.start  # `essay [topic]`: a question to plan
        self.submit_essay_plan = essays.submit  # the plan: factors, evidence, judgement -> beside the model's
        self.essay_history = essays.history
        self.essay_step = essays.step  # a plan built by tapping buttons, a tap at a time
        self.class_report = self._reports.report
        self.export_answers = self._reports.export
        self.complete_name = reference.complete_name
        self.topics = self.catalogue.topics
        teaching = Teaching(self.db, self.catalogue, self.members)
        self.taught_topics = teaching.taught_topics  # `topics taught`; Catalogue.taught(community) reads them
        self.set_taught_topics = teaching.set_taught_topics
        self.teacher_role = teaching.teacher_role
        self.set_teacher_role = teaching.set_teacher_role
        self.complete_topic = self.catalogue.complete_topic
        # Every use case the front ends call waits its turn (bounded: a busy reply beyond it), and is counted,
        # timed, and named in the log lines it writes (bot/ops), its wait included.
        use_cases = [name for name, part in vars(self).items() if inspect.iscoroutinefunction(part)]
        self.admission = admission or Admission()
        for part, names in (
            (self, [*use_cases, "practice_question"]),
            (self.schedules, SCHEDULE_COMMANDS),
            (self.assignments, ASSIGNMENT_COMMANDS),
        ):
            self.admission.admit(part, names)
        instrument(self, [*use_cases, "practice_question"])
        instrument(self.schedules, SCHEDULE_COMMANDS, prefix="schedule_")
        instrument(self.assignments, ASSIGNMENT_COMMANDS, prefix="assignment_")

    async def practice_question(
        self, actor: Actor, topic: str | None = None, *, figure: str | None = None
    ) -> AskedQuestion:
        """A practice question: from a topic, about a figure, anywhere, or (`weak`) from the student's
        weakest topic by mastery."""
        if topic is not None and topic.strip().lower() == WEAKEST:
            topic = await self._reviews.weakest_topic(actor)
        return await self._questions.practice_question(actor, topic, figure=figure)

    @property
    def bank(self) -> Bank:
        return self.catalogue.bank

    async def finish(self, grace: float) -> bool:
        """Let the answers already handed in be written (up to `grace` seconds); True when all were."""
        return await self.writer.drain(grace)

    async def close(self) -> None:
        await self.writer.close()
        await self._reports.close()
        await self.db.close()
