"""The domain's own words: kinds of question, the modes of answering, leaderboard periods.

Content, rules, storage and replies all speak these; they are not replies themselves.
"""

from __future__ import annotations

from enum import StrEnum


class QuestionKind(StrEnum):
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    ORDER = "order"  # put 3-5 events in time order: answered "3 1 4 2"
    MATCH = "match"  # pair 3-5 items with 3-5 lettered ones: answered "C A B" or "1C 2A 3B"

    @property
    def typed(self) -> bool:
        """Answered by typing (a modal, or the answer command) rather than by tapping one option."""
        return self in _TYPED


_TYPED = frozenset({QuestionKind.SHORT_ANSWER, QuestionKind.ORDER, QuestionKind.MATCH})


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
