"""The async use cases, one file per group. `StudyService` builds the parts and is what front ends call.

    catalogue.py   the bank in memory: questions (retired ones too), topics, answer keys, grading
    reference.py   "explain this rival" and glossary cards
    members.py     communities and members: the one enrolment, pending question, "today" for a member
    questions.py   daily and practice questions, and each community's daily question per date
    answers.py     submit_answer: grade -> record -> feedback
    boards.py      leaderboards, stats, forget-me, and the reveals and weekly boards of posts
    schedules.py   teachers' schedule commands
    posts.py       the scheduler's side: claim_due, build_posts, mark_sent / mark_failed, next_wake

The parts depend one way (catalogue <- members <- questions <- answers; boards, schedules and posts
take the parts they need, never this facade). One transaction per use case, except answers: those go
through a group-commit writer (bot/store/answers.py). Uniqueness that matters (one scored answer per
member per daily question, one question per community per day) is enforced by the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.content.schema import Bank, Question
from bot.core.clock import Clock, utc_now
from bot.service.answers import Answers
from bot.service.boards import Boards
from bot.service.catalogue import Catalogue
from bot.service.members import Members
from bot.service.posts import LEASE, Claim, ScheduledPosts
from bot.service.questions import Questions
from bot.service.reference import ReferenceCards
from bot.service.schedules import ScheduleCommands
from bot.store.answers import AnswerWriter
from bot.store.db import Database

__all__ = ["Claim", "ScheduleCommands", "ScheduledPosts", "StudyService"]


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
    ) -> None:
        self.clock = clock
        self.db = Database(engine)
        self.catalogue = Catalogue(bank, retired)
        self.members = Members(self.db, clock)
        self.writer = AnswerWriter(engine)
        questions = Questions(self.db, self.catalogue, self.members, clock)
        answers = Answers(self.catalogue, self.members, questions, self.writer, clock)
        boards = Boards(self.db, self.catalogue, self.members)
        reference = ReferenceCards(self.catalogue)
        self.schedules = ScheduleCommands(self.db, self.catalogue, self.members, clock, on_schedule_change)
        self.posts = ScheduledPosts(self.db, self.catalogue, questions, boards, clock, lease=post_lease)

        # What the front ends call, one hop from here to the use case.
        self.daily_question = questions.daily_question
        self.practice_question = questions.practice_question
        self.submit_answer = answers.submit_answer
        self.leaderboard = boards.leaderboard
        self.stats = boards.stats
        self.forget_me = boards.forget_me
        self.explain = reference.explain
        self.complete_name = reference.complete_name
        self.topics = self.catalogue.topics
        self.complete_topic = self.catalogue.complete_topic

    @property
    def bank(self) -> Bank:
        return self.catalogue.bank

    async def finish(self, grace: float) -> bool:
        """Let the answers already handed in be written (up to `grace` seconds); True when all were."""
        return await self.writer.drain(grace)

    async def close(self) -> None:
        await self.writer.close()
        await self.db.close()
