"""The database schema. Migrations in migrations/ must match these models exactly (a test checks)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.core.clock import utc_now

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Community(Base):
    """A Discord guild, a Slack team, or the local console class."""

    __tablename__ = "communities"
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_communities_platform_external"),
        # SQLite would give a deleted class's id to the next new class; another process still caching the
        # old row could then file answers under the new one. AUTOINCREMENT never reuses an id.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200), default="")
    # The one time zone of the community: its daily question, its schedules' slots, its leaderboards.
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    # Topic ids the daily question is drawn from; NULL means the whole bank.
    daily_topics: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # How members appear on public boards and posts unless they chose (bot.core.privacy.BoardName).
    board_default: Mapped[str] = mapped_column(String(16), default="pseudonym", server_default="pseudonym")
    # The class's weekly goal: the share of right answers to the week's daily questions (percent).
    goal_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Topic ids the class has been taught so far: the daily question, practice, review and assignments draw
    # only from these. NULL: the whole bank.
    taught_topics: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # A Discord role whose members count as teachers (`/teacher role @Role`), besides Manage Server.
    teacher_role_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # When the bot was removed from the server or workspace: its data is deleted 30 days later.
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Member(Base):
    __tablename__ = "members"
    __table_args__ = (
        UniqueConstraint("community_id", "external_id", name="uq_members_community_external"),
        UniqueConstraint("community_id", "pseudonym", name="uq_members_community_pseudonym"),
        # The answer writer looks up a batch's members by platform id across many communities at once.
        Index("ix_members_external_id", "external_id"),
        # A board counts the few members whose choice differs from their class's default through this.
        Index("ix_members_community_board", "community_id", "board_name"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(100))
    current_streak: Mapped[int] = mapped_column(Integer, default=0)
    best_streak: Mapped[int] = mapped_column(Integer, default=0)
    last_daily_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the last school day answered
    # The day their streak freeze was used (one a half-term: bot.core.calendar), if it was.
    streak_freeze_used_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The question this member was last shown, so `answer <text>` knows what it answers.
    pending_question_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pending_mode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    pending_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # A direct message on days reviews wait (`review reminders on`); off unless the student turns it on.
    review_reminders: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The member's own choice for public boards (NULL: the class's default), and their pseudonym there.
    board_name: Mapped[str | None] = mapped_column(String(16), nullable=True)
    pseudonym: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pseudonym_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Topic(Base):
    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    area: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Question(Base):
    """A question synced from content/; retired (never deleted) when it leaves the bank."""

    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id"))
    kind: Mapped[str] = mapped_column(String(32))
    prompt: Mapped[str] = mapped_column(Text)
    body: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(32))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Card(Base):
    """A figure card or glossary entry synced from content/."""

    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(32))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class DailyAssignment(Base):
    """The question a community gets on one local date: the same for every member."""

    __tablename__ = "daily_assignments"
    __table_args__ = (UniqueConstraint("community_id", "local_date", name="uq_daily_assignments_community_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    local_date: Mapped[dt.date] = mapped_column(Date)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Attempt(Base):
    """Every answer given. A daily answer carries its date; one per member per date is a constraint."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("member_id", "daily_date", name="uq_attempts_member_daily"),
        Index("ix_attempts_member_question", "member_id", "question_id"),
        Index("ix_attempts_community_created", "community_id", "created_at"),
        Index("ix_attempts_created", "created_at"),  # data retention finds the old answers
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"))
    mode: Mapped[str] = mapped_column(String(16))
    daily_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # NULL for practice
    answer_given: Mapped[str] = mapped_column(String(500))
    correct: Mapped[bool] = mapped_column(Boolean)
    points: Mapped[int] = mapped_column(Integer, default=0)
    streak: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    # The student's own grade of a right answer (bot.core.review.Rating: 2 "I guessed", 4 "too easy");
    # NULL: graded by right or wrong.
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class ReviewCard(Base):
    """When a question comes back to a member (spaced review, FSRS), updated with each of their answers to
    it in the same transaction. Kept when the question retires (it is no longer served)."""

    __tablename__ = "review_cards"
    __table_args__ = (
        # The most overdue card of a member: the first entry of this index.
        Index("ix_review_cards_member_due", "member_id", "due"),
    )

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), primary_key=True)
    state: Mapped[int] = mapped_column(SmallInteger)
    step: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    stability: Mapped[float | None] = mapped_column(Float, nullable=True)
    difficulty: Mapped[float | None] = mapped_column(Float, nullable=True)
    due: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_review: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)


class ReviewReminderSent(Base):
    """A review reminder sent to a member on a local date: at most one a day is a constraint."""

    __tablename__ = "review_reminders_sent"

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    local_date: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Score(Base):
    """Points per member per leaderboard period (week, month, all time), kept up to date on each answer."""

    __tablename__ = "scores"
    __table_args__ = (Index("ix_scores_board", "community_id", "period", "period_start", "points"),)

    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    points: Mapped[int] = mapped_column(Integer, default=0)


class Teacher(Base):
    """Someone allowed to manage schedules besides the platform's own admins (Slack teachers)."""

    __tablename__ = "teachers"

    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(64), default="")


class Schedule(Base):
    """A channel that gets the daily question by itself at a local time on chosen days."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("community_id", "channel_id", name="uq_schedules_community_channel"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(64))
    channel_name: Mapped[str] = mapped_column(String(200), default="")
    time_of_day: Mapped[dt.time] = mapped_column(Time)
    weekdays: Mapped[str] = mapped_column(String(20), default="0,1,2,3,4")
    pauses: Mapped[list] = mapped_column(JSON, default=list)  # [[start, end], ...] ISO dates, inclusive
    paused: Mapped[bool] = mapped_column(Boolean, default=False)  # paused until resumed
    leaderboard_weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class ScheduledPost(Base):
    """One scheduled post, claimed in the database before it is sent: exactly one per schedule per local date."""

    __tablename__ = "scheduled_posts"
    __table_args__ = (
        UniqueConstraint("schedule_id", "local_date", name="uq_scheduled_posts_schedule_date"),
        Index("ix_scheduled_posts_status_next_try", "status", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    local_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))  # pending, sent, failed, skipped
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)  # the scheduler holding the claim
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    next_try_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    message_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class Assignment(Base):
    """A set of questions a teacher gives the class to do by a date, with a goal (share right)."""

    __tablename__ = "assignments"
    __table_args__ = (Index("ix_assignments_community_due", "community_id", "due_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(64), default="")  # where it was announced
    title: Mapped[str] = mapped_column(String(200))
    topic_id: Mapped[str | None] = mapped_column(String(64), nullable=True)  # NULL: from every taught topic
    question_ids: Mapped[list] = mapped_column(JSON)  # in the order students meet them
    goal_percent: Mapped[int] = mapped_column(Integer, default=70)
    due_date: Mapped[dt.date] = mapped_column(Date)  # the last local day it can be done
    created_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    message_ref: Mapped[str | None] = mapped_column(String(200), nullable=True)  # the announcement


class AssignmentProgress(Base):
    """One student's way through one assignment: one row per student per assignment (the primary key)."""

    __tablename__ = "assignment_progress"

    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    # {question id: right?} for the latest answer to each question, in the order they were answered.
    results: Mapped[dict] = mapped_column(JSON, default=dict)
    answers: Mapped[int] = mapped_column(Integer, default=0)  # every answer, retakes included
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # The question the student was given and has not answered yet (NULL: none). An answer counts only for
    # the question asked, once: a double click's second answer finds it answered. `asked_at` says which
    # assignment a typed `answer <text>` is for when two wait.
    asked_question_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    asked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class EssayPlan(Base):
    """A student's essay plan: begun when `essay` shows the question (finished_at NULL: the plan they are
    writing), finished with their factors, evidence, judgement and the level a plan like it aims at."""

    __tablename__ = "essay_plans"
    __table_args__ = (Index("ix_essay_plans_member", "member_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    essay_id: Mapped[str] = mapped_column(String(64))  # content ids: an essay that leaves the bank keeps its plans
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    factors: Mapped[list | None] = mapped_column(JSON, nullable=True)  # model indices, most important first
    evidence: Mapped[list | None] = mapped_column(JSON, nullable=True)  # for each, the factor its evidence is from
    judgement: Mapped[str | None] = mapped_column(Text, nullable=True)
    level: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


# Slack's "Add to Slack" (OAuth v2): the workspaces that installed the app, and the installs under way. A key
# Slack leaves out (no Enterprise Grid; an org-wide install has no team) is stored as "", not NULL: NULLs never
# clash in a unique constraint, and one bot per team and enterprise is what the constraint is for.


class SlackBot(Base):
    """A workspace's bot token from its latest install: what every request and scheduled post there uses."""

    __tablename__ = "slack_bots"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", name="uq_slack_bots_enterprise_team"),
        Index("ix_slack_bots_team_id", "team_id"),  # the scheduler finds a class's bot by its team alone
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    app_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    enterprise_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    team_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    bot_token: Mapped[str] = mapped_column(Text)
    bot_id: Mapped[str] = mapped_column(String(32))
    bot_user_id: Mapped[str] = mapped_column(String(32))
    bot_scopes: Mapped[str] = mapped_column(Text, default="")  # comma-separated, as Slack gives them
    # With token rotation on: the token lasts 12 hours and the refresh token gets the next one.
    bot_refresh_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    bot_token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    is_enterprise_install: Mapped[bool] = mapped_column(Boolean, default=False)
    installed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class SlackInstaller(Base):
    """Who installed the app in a workspace (one row each), with a user token only if the app asked for
    one; the workspace's bot token is its SlackBot's, kept once."""

    __tablename__ = "slack_installations"
    __table_args__ = (
        UniqueConstraint("enterprise_id", "team_id", "user_id", name="uq_slack_installations_enterprise_team_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    team_id: Mapped[str] = mapped_column(String(32), default="")
    user_id: Mapped[str] = mapped_column(String(32))
    enterprise_url: Mapped[str | None] = mapped_column(String(200), nullable=True)
    user_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_scopes: Mapped[str] = mapped_column(Text, default="")
    user_refresh_token: Mapped[str | None] = mapped_column(Text, nullable=True)
    user_token_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    token_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    installed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class SlackOAuthState(Base):
    """An install under way: the state Slack's redirect must bring back, good once and until it expires."""

    __tablename__ = "slack_oauth_states"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


__all__ = [
    "Assignment",
    "AssignmentProgress",
    "Attempt",
    "Base",
    "Card",
    "Community",
    "EssayPlan",
    "DailyAssignment",
    "Member",
    "Question",
    "ReviewCard",
    "ReviewReminderSent",
    "Schedule",
    "ScheduledPost",
    "Score",
    "SlackBot",
    "SlackInstaller",
    "SlackOAuthState",
    "Teacher",
    "Topic",
    "func",
]
