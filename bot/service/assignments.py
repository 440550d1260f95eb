"""Assignments: a teacher gives the class a set of questions to do by a date, with a goal; each student works
through it privately, wrong answers coming back until they reach the goal or the date passes.

`create`, `class_list` and `close` are teachers' (Members.is_teacher); `start` gives a student the next
question (the first start makes their progress row); `answer` is what `submit_answer` calls for an
assignment's question. The rules (which question next, when finished) are bot.core.assignments'; an
answer is recorded in one direct unit of work with its attempt, review card and progress (bot.store.assignments).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.schema import Question
from bot.core import assignments as rules
from bot.core import reports as report_rules
from bot.core.actor import Actor
from bot.core.clock import Clock
from bot.core.errors import InvalidInput, NoQuestionsAvailable, NotAllowed, NotFound, first_line
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    AssignmentClosed,
    AssignmentCreated,
    AssignmentInfo,
    AssignmentStanding,
    ClassAssignment,
    ClassAssignments,
    MyAssignments,
    QuestionRef,
)
from bot.core.vocabulary import Mode
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.service.reports import class_window
from bot.store import assignments as store
from bot.store import reports as report_store
from bot.store.assignments import AssignmentAnswer, AssignmentRow, ProgressRow
from bot.store.db import Database
from bot.store.members import CommunityRow

log = logging.getLogger(__name__)


def _listed_title(count: int) -> str:
    return f"{count} chosen question{'s' if count != 1 else ''}"


TEACHERS_ONLY = "Only a teacher can set or close assignments (a server or workspace admin, or a teacher they named)."
UNKNOWN = "There is no assignment #{number} in this class. `assignments` lists them."
CLOSED = "\u201c{title}\u201d is closed (it was due {due:%a %d %b}), so it can't be done any more."
NOT_RECORDED = " Your answer was not recorded."
NOT_STARTED = "Start the assignment first: tap its Start button, or `start {number}`."
NOT_ASKED = "That question isn't waiting for you in this assignment: carry on with `start {number}`."
NO_LONGER = "That assignment question isn't waiting for you any more: `assignments` shows what you have to do."
ALL_TAUGHT, ALL_BANK = "All taught topics", "All topics"
HARDEST_TITLE = "The class's most-missed questions this term"
NOT_ENOUGH_ANSWERS = (
    "The class hasn't missed any question often enough this term to assign its hardest (a question counts once it "
    "has three answers). Assign a topic or `all` instead, or list question ids (the report shows them)."
)
LIST_LIMIT = 10  # assignments in a teacher's list, newest first
NAMES = 50  # names shown a group (finished, working, not started); the counts are whole


class Assignments:
    def __init__(self, db: Database, catalogue: Catalogue, members: Members, clock: Clock, retention: float) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members
        self.clock = clock
        self.retention = retention  # review cards move on with each answer, as the answer writer's do

    def _info(self, row: AssignmentRow, community: CommunityRow) -> AssignmentInfo:
        today = self.members.today(community)
        return AssignmentInfo(
            row.id,
            row.title,
            len(row.question_ids),
            row.goal_percent,
            row.due_date,
            closed_early=row.closed_at is not None,
            past_due=row.due_date < today,
        )

    def _standing(self, row: AssignmentRow, community: CommunityRow, found: ProgressRow | None) -> AssignmentStanding:
        results = found.results if found is not None else {}
        return AssignmentStanding(
            self._info(row, community),
            answered=rules.answered(row.question_ids, results),
            right=rules.right(row.question_ids, results),
            finished=found is not None and found.finished_at is not None,
            started=found is not None,
        )

    async def _teacher(self, session: AsyncSession, actor: Actor, *, create: bool = True) -> CommunityRow | None:
        """The teacher's community (None: it has never used the bot, when not `create`), or NotAllowed."""
        community = await self.members.community_in(session, actor, create=create)
        if not await self.members.is_teacher(session, community, actor):
            raise NotAllowed(TEACHERS_ONLY)
        return community

    # ------------------------------------------------------------- a teacher's side

    @database_trouble()
    async def create(
        self,
        actor: Actor,
        channel_id: str,
        topic: str,
        due: str,
        *,
        count: str | int | None = None,
        goal: str | int | None = None,
    ) -> AssignmentCreated:
        """`assign <topic, all, hardest or question ids> [n=10] due:YYYY-MM-DD [goal=70%]`: `count` questions
        of a topic (or of every topic taught so far), shuffled once so every student meets them alike; or the
        class's most-missed questions this term; or the questions the teacher lists, in their order."""
        async with self.db.sessions.begin() as session:
            community = await self._teacher(session, actor)
            assert community is not None
            today = self.members.today(community)
            listed = rules.listed_questions(topic, self.catalogue.bank.questions)
            terms = rules.check_terms(len(listed) if listed and count is None else count, due, goal, today)
            seed = f"{community.id}:{self.clock().isoformat()}"
            if listed:
                topic_id, title, question_ids = None, _listed_title(len(listed)), listed[: terms.count]
            elif topic.strip().lower() in rules.HARDEST:
                topic_id, title = None, HARDEST_TITLE
                hardest = await self._most_missed(session, community, today, terms.count)
                question_ids = rules.choose_questions(hardest, terms.count, seed)
            else:
                topic_id, title, candidates = self._candidates(topic, community)
                question_ids = rules.choose_questions(candidates, terms.count, seed)
            values = {
                "community_id": community.id,
                "channel_id": channel_id[:64],
                "title": title[:200],
                "topic_id": topic_id,
                "question_ids": question_ids,
                "goal_percent": terms.goal,
                "due_date": terms.due,
                "created_by": actor.user_id,
                "created_at": self.clock(),
            }
            row = await session.run_sync(lambda s: store.create(s.connection(), values))
        return AssignmentCreated(self._info(row, community), channel_id, terms.count)

    async def _most_missed(
        self, session: AsyncSession, community: CommunityRow, today: dt.date, count: int
    ) -> list[str]:
        """The `count` questions of the bank's taught topics the class got right least often this term (as the
        class report's hardest: at least three answers each)."""
        window = class_window(community, report_rules.parse_period("term", today))
        per_question = await session.run_sync(lambda s: report_store.per_question(s.connection(), window))
        taught = self.catalogue.taught(community)
        bank = self.catalogue.bank.questions
        current = {
            question_id: counts
            for question_id, counts in per_question.items()
            if question_id in bank and (taught is None or bank[question_id].topic in taught)
        }
        hardest = report_rules.hardest(current, limit=count)
        if not hardest:
            raise InvalidInput(NOT_ENOUGH_ANSWERS)
        return hardest

    def _candidates(self, topic: str, community: CommunityRow) -> tuple[str | None, str, list[str]]:
        """(topic id or None for all, the title, the question ids) an assignment draws from: taught topics only."""
        taught = self.catalogue.taught(community)
        if topic.strip().lower() in rules.ALL_TOPICS:
            candidates = [q.id for q in self.catalogue.bank.questions_in(set(taught) if taught else None)]
            topic_id, title = None, ALL_TAUGHT if taught else ALL_BANK
        else:
            topic_id = self.catalogue.resolve_topic(topic)
            title = self.catalogue.topic_title(topic_id)
            if taught is not None and topic_id not in taught:
                so_far = ", ".join(self.catalogue.topic_title(t) for t in sorted(taught))
                raise InvalidInput(
                    f"\u201c{title}\u201d hasn't been taught yet (taught so far: {so_far}). Assign one of those, "
                    "or `all`; or add it to the topics taught first."
                )
            candidates = [q.id for q in self.catalogue.bank.questions.values() if q.topic == topic_id]
        if not candidates:
            raise NoQuestionsAvailable(f" in {title}")
        return topic_id, title, candidates

    async def announced(self, assignment_id: int, message_ref: str) -> None:
        """The announcement's message (a front end's reference to it), kept with the assignment. Only a
        record: the announcement is out whether or not it can be kept, so a failure is logged, not raised."""
        try:
            await self.db.direct_writes(lambda connection: store.announced(connection, assignment_id, message_ref))
        except Exception as error:  # noqa: BLE001 - see above
            log.warning("could not keep assignment %s's announcement: %s", assignment_id, first_line(error))

    async def overview(self, actor: Actor, *, mine: bool = False) -> ClassAssignments | MyAssignments:
        """`assignments`: a teacher's list of the class's, anyone else's (or, `mine`, a teacher's own) to do."""
        if not mine:
            try:
                return await self.class_list(actor)
            except NotAllowed:
                pass
        return await self.my_list(actor)

    @database_trouble()
    async def class_list(self, actor: Actor) -> ClassAssignments:
        """The class's latest assignments (open ones first), each with who has finished, who is working on it
        and who has not started (every member who has used the bot here, but the teacher who set it)."""
        async with self.db.read_sessions() as session:
            community = await self._teacher(session, actor, create=False)
            if community is None:
                return ClassAssignments(())

            def read(connection) -> list[ClassAssignment]:  # noqa: ANN001 - a sync Connection
                found = []
                for row in store.latest(connection, community.id, LIST_LIMIT):
                    done = store.started_by(connection, row.id, finished=True, limit=NAMES)
                    working = store.started_by(connection, row.id, finished=False, limit=NAMES)
                    waiting = store.not_started(connection, row, limit=NAMES)
                    info = self._info(row, community)
                    found.append(
                        ClassAssignment(
                            info, done.names, working.names, waiting.names, done.count, working.count, waiting.count
                        )
                    )
                return found

            listed = await session.run_sync(lambda s: read(s.connection()))
        listed.sort(key=lambda item: not item.assignment.is_open)  # stable: newest first within each
        return ClassAssignments(tuple(listed))

    @database_trouble()
    async def close(self, actor: Actor, assignment_id: int) -> AssignmentClosed:
        """Close an assignment early: no more answers are taken; what was done stays."""
        async with self.db.sessions.begin() as session:
            community = await self._teacher(session, actor, create=False)
            row = await session.run_sync(
                lambda s: store.find(s.connection(), community.id, assignment_id) if community else None
            )
            if community is None or row is None:
                raise NotFound(UNKNOWN.format(number=assignment_id))
            now = self.clock()
            closed = row.is_open(self.members.today(community)) and await session.run_sync(
                lambda s: store.close(s.connection(), row.id, now)
            )
        info = self._info(dataclasses.replace(row, closed_at=now) if closed else row, community)
        return AssignmentClosed(info, already=not closed)

    # ------------------------------------------------------------- a student's side

    @database_trouble()
    async def my_list(self, actor: Actor) -> MyAssignments:
        """The class's open assignments with the student's standing in each: what is still to do first."""
        async with self.db.read_sessions() as session:
            community, member = await self.members.find(session, actor)
            if community is None:
                return MyAssignments(())
            today = self.members.today(community)
            member_id = member.id if member is not None else None
            rows = await session.run_sync(
                lambda s: store.open_with_progress(s.connection(), community.id, member_id, today)
            )
        standings = [self._standing(row, community, found) for row, found in rows]
        standings.sort(key=lambda standing: standing.finished)  # stable: soonest due first within each
        return MyAssignments(tuple(standings))

    @database_trouble()
    async def start(self, actor: Actor, assignment_id: int) -> AskedQuestion | AssignmentStanding:
        """The "Start" and "Next question" buttons: the student's next question of the assignment (their progress row is
        made on the first start), or, once they reached the goal, their standing."""
        async with self.db.sessions.begin() as session:
            community, member = await self.members.enrol(session, actor)
            row = await session.run_sync(lambda s: store.find(s.connection(), community.id, assignment_id))
            if row is None:
                raise NotFound(UNKNOWN.format(number=assignment_id))
            found = await session.run_sync(lambda s: store.progress(s.connection(), row.id, member.id))
            if found is not None and found.finished_at is not None:
                return self._standing(row, community, found)
            if not row.is_open(self.members.today(community)):
                raise NotFound(CLOSED.format(title=row.title, due=row.due_date))
            if found is None:
                found = await session.run_sync(lambda s: store.start(s.connection(), row.id, member.id, self.clock()))
            question_id = rules.next_question(row.question_ids, found.results)
            if question_id is None:  # every latest answer right, short of a goal above 100%: nothing to retake
                return self._standing(row, community, found)
            await session.run_sync(lambda s: store.ask(s.connection(), row.id, member.id, question_id, self.clock()))
            ref = QuestionRef(question_id, Mode.ASSIGNMENT, assignment_id=row.id)
            await self.members.set_pending(session, member, ref)
        return dataclasses.replace(self.catalogue.asked(ref), assignment=self._standing(row, community, found))

    async def answer(
        self, actor: Actor, community: CommunityRow, question: Question, ref: QuestionRef, correct: bool, shown: str
    ) -> AnswerFeedback:
        """Record an answer to an assignment's question (graded by `submit_answer`): an attempt scored as
        practice, the review card and the progress row, in one transaction. A second answer to the same
        question (a double click) counts nothing and shows the answer that counted."""
        answer = AssignmentAnswer(
            community_id=community.id,
            user_id=actor.user_id,
            assignment_id=ref.assignment_id,
            question_id=question.id,
            answer_given=shown,
            correct=correct,
            answered_at=self.clock(),
            today=self.members.today(community),
        )
        outcome = await self.db.direct_writes(
            functools.partial(store.record_answer, answer=answer, retention=self.retention)
        )
        row, member, found = outcome.assignment, outcome.member, outcome.progress
        if row is None:
            raise NotFound(UNKNOWN.format(number=ref.assignment_id) if ref.assignment_id else NO_LONGER)
        if outcome.refused == "closed":
            raise NotFound(CLOSED.format(title=row.title, due=row.due_date) + NOT_RECORDED)
        if outcome.refused is not None or member is None or found is None:
            message = NOT_ASKED if outcome.refused == "not asked" else NOT_STARTED
            raise NotFound(message.format(number=row.id))
        repeated = outcome.repeat is not None
        right, given = outcome.repeat if outcome.repeat is not None else (correct, shown)
        links = self.catalogue.figure_links(question)
        return AnswerFeedback(
            ref=dataclasses.replace(ref, assignment_id=row.id),
            correct=right,
            given=given,
            correct_answer=self.catalogue.correct_answer(question),
            explanation=question.explanation,
            points=0,
            streak=member.current_streak,
            total_points=member.total_points,
            repeated=repeated,
            figure=links[0] if links else None,
            term=self.catalogue.term_link(question),
            note="You had answered this one already: that answer counts, nothing was added." if repeated else "",
            why_wrong="" if right else self.catalogue.why_wrong(question, given),
            assignment=self._standing(row, community, found),
        )
