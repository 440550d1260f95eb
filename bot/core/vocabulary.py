"""The domain's own words: kinds of question, the modes of answering, leaderboard periods.

Content, rules, storage and replies all speak these; they are not replies themselves.
"""

from __future__ import annotations

from enum import StrEnum


class QuestionKind(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"


class Mode(StrEnum):
    DAILY = "daily"
    PRACTICE = "practice"
    REVIEW = "review"  # spaced review: practice the student is due to see again
    ASSIGNMENT = "assignment"  # a question of a teacher's assignment: scored as practice


class AssignmentStatus(StrEnum):
    """Where a student is with an assignment."""

    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    FINISHED = "finished"  # the goal reached


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    ALL = "all"
