"""Answering: grade -> record (the group-commit writer applies the scoring rule) -> feedback."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy.exc import IntegrityError

from bot.content.schema import Question
from bot.core.actor import Actor
from bot.core.arrangement import RESTART, taps_left
from bot.core.clock import Clock, day_bounds
from bot.core.errors import NotFound
from bot.core.grading import clean_input
from bot.core.replies import AnswerFeedback, ArrangementStep, QuestionRef
from bot.core.vocabulary import Mode, QuestionKind
from bot.service.assignments import Assignments
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members, display_name
from bot.service.questions import Questions
from bot.store.answers import AnswerRecord, AnswerWriter, Recorded
from bot.store.db import is_foreign_key_violation
from bot.store.members import CommunityRow

PAST_DAY = "That was the question for {day:%a %d %b}; answers to past days count as practice."
REPEATED = "You've already answered today's question; here is your first answer. No extra points."
NOT_TODAYS = "That question isn't this server's daily question. Ask for `daily` to get today's."


class Answers:
    def __init__(
        self,
        catalogue: Catalogue,
        members: Members,
        questions: Questions,
        writer: AnswerWriter,
        clock: Clock,
        assignments: Assignments,
    ) -> None:
        self.catalogue = catalogue
        self.members = members
        self.questions = questions
        self.writer = writer
        self.clock = clock
        self.assignments = assignments  # an assignment's question is recorded with its progress row

    @database_trouble(not_done="your answer was not saved")
    async def submit_answer(self, actor: Actor, answer: str, ref: QuestionRef | None = None) -> AnswerFeedback:
        given = clean_input(answer)
        community = await self.members.community(actor)
        if ref is None:
            ref = await self.members.pending(community.id, actor.user_id)
        question = self.catalogue.question(ref.question_id)
        correct, shown = self.catalogue.grade(question, given)
        if ref.mode is Mode.ASSIGNMENT:
            return await self.assignments.answer(actor, community, question, ref, correct, shown[:500])
        note = ""
        if ref.mode is Mode.DAILY:
            if await self.questions.assigned(community.id, ref.daily_date) != question.id:
                raise NotFound(NOT_TODAYS)
            if ref.daily_date != self.members.today(community):
                note = PAST_DAY.format(day=ref.daily_date)
                ref = QuestionRef(question.id, Mode.PRACTICE)
        record = AnswerRecord(
            user_id=actor.user_id,
            display_name=display_name(actor),
            community_id=community.id,
            question_id=question.id,
            daily_date=ref.daily_date if ref.mode is Mode.DAILY else None,
            answer_given=shown[:500],
            correct=correct,
            answered_at=self.clock(),
            review=ref.mode is Mode.REVIEW,
            review_day=self._review_day(community) if ref.mode is Mode.REVIEW else None,
        )
        try:
            outcome = await self.writer.record(record)
        except IntegrityError as error:
            if not is_foreign_key_violation(error):
                raise
            # The class was deleted (`class delete`, or by another process) after this process cached it:
            # forget it and answer in the class as it is now, created afresh.
            self.members.changed(community.id)
            community = await self.members.community(actor)
            outcome = await self.writer.record(dataclasses.replace(record, community_id=community.id))
        if outcome.repeated:
            note = REPEATED
            question = self.catalogue.question(outcome.question_id)
        return dataclasses.replace(self._feedback(question, ref, outcome, note), reviews_due=outcome.reviews_due)

    async def tap_answer(
        self, actor: Actor, ref: QuestionRef, so_far: str, tapped: str
    ) -> ArrangementStep | AnswerFeedback:
        """One tap of an order or match answer given by buttons: the next step, or, with the last tap, the
        answer submitted as if typed ("3 1 4 2")."""
        question = self.catalogue.question(ref.question_id)
        if question.kind not in (QuestionKind.ORDER, QuestionKind.MATCH):
            raise NotFound("That button is from another question. Ask for a new one with `quiz`.")
        sequence = "" if tapped == RESTART else so_far + tapped
        left = taps_left(question.kind, sequence, len(question.events or question.pairs))
        if left:
            return ArrangementStep(self.catalogue.asked(ref), sequence, left)
        return await self.submit_answer(actor, " ".join(sequence), ref)

    def _review_day(self, community: CommunityRow) -> tuple[dt.date, dt.datetime, frozenset[str] | None]:
        """The member's local date, its end in UTC and the class's taught topics: the reviews the feedback
        counts as still due today."""
        end = day_bounds(self.clock(), community.timezone)[1]
        return self.members.today(community), end, self.catalogue.taught(community)

    def _feedback(self, question: Question, ref: QuestionRef, outcome: Recorded, note: str) -> AnswerFeedback:
        links = self.catalogue.figure_links(question)
        return AnswerFeedback(
            ref=ref,
            correct=outcome.correct,
            given=outcome.answer_given,
            correct_answer=self.catalogue.correct_answer(question),
            explanation=question.explanation,
            points=outcome.points,
            streak=outcome.streak,
            total_points=outcome.total_points,
            repeated=outcome.repeated,
            figure=links[0] if links else None,
            term=self.catalogue.term_link(question),
            note=note,
            why_wrong="" if outcome.correct else self.catalogue.why_wrong(question, outcome.answer_given),
        )
