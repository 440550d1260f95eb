"""The async use cases. Each takes an Actor and returns a platform-neutral reply from bot.core.replies.

One transaction per use case, except answers: those go through a group-commit writer
(bot/store/answers.py) that records all the answers waiting at once in one transaction. Uniqueness
that matters (one scored answer per member per daily question, one question per community per
day) is enforced by the database; the code here reads the winner back when it loses a race.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, Integer, Row, Select, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.content.schema import Bank, Figure, Question, Term
from bot.core import scoring, selection
from bot.core.actor import Actor
from bot.core.errors import (
    InvalidInput,
    NoQuestionPending,
    NoQuestionsAvailable,
    NotFound,
    UnknownTopic,
)
from bot.core.grading import ShortAnswer, clean_input, normalise, parse_true_false, pick_option
from bot.core.lookup import Entry, NameIndex
from bot.core.replies import (
    AnswerFeedback,
    CardSection,
    FigureLink,
    Forgotten,
    Leaderboard,
    LeaderboardEntry,
    Option,
    QuestionCard,
    QuestionRef,
    ReferenceCard,
    Stats,
    TopicInfo,
    TopicStats,
)
from bot.core.vocabulary import Mode, Period, QuestionKind
from bot.store.answers import AnswerRecord, AnswerWriter
from bot.store.db import OneHop, chunks, read_session_factory, session_factory, upsert_insert
from bot.store.models import Attempt, Community, DailyAssignment, Member, Score
from bot.store.models import Question as QuestionRow

if TYPE_CHECKING:
    from bot.schedule_service import ScheduleService

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
CACHE_SECONDS = 300  # how long another process's change to a community (its time zone) may go unseen
CACHE_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class _Prepared:
    options: tuple[tuple[str, str], ...]  # (letter, text) in display order; empty unless multiple choice
    answer_letter: str | None
    correct_display: str
    short_answer: ShortAnswer


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class StudyService:
    def __init__(self, bank: Bank, engine: AsyncEngine, *, clock: Clock = utc_now) -> None:
        self.bank = bank
        self.sessions = session_factory(engine)  # use cases that write
        self.read_sessions = read_session_factory(engine)  # use cases that only read
        self.writer = AnswerWriter(engine)
        self.read_in_one_hop = OneHop(engine, name="reader")  # small, frequent reads: the leaderboard
        self.clock = clock
        self._communities: dict[tuple[str, str], tuple[int, str, float]] = {}  # id, time zone, cached at
        self._assignments: dict[tuple[int, dt.date | None], str] = {}
        self._prepared_questions: dict[str, _Prepared] = {}
        self._candidates: dict[frozenset[str], tuple[str, ...]] = {}
        self._figure_forms = [
            ((figure.name, *figure.aliases), {normalise(form) for form in (figure.name, *figure.aliases)})
            for figure in bank.figures.values()
        ]
        # Retired questions stay answerable from old buttons; set by bootstrap after the content sync.
        self._retired: dict[str, Question] = {}
        self.schedules: ScheduleService  # attached by bootstrap: teachers' schedules and scheduled posts
        self._figure_questions: dict[str, list[str]] = {}
        for question in bank.questions.values():
            for figure in question.figures:
                self._figure_questions.setdefault(figure, []).append(question.id)
        entries = [Entry(figure.id, "figure", figure.name, tuple(figure.aliases)) for figure in bank.figures.values()]
        entries += [Entry(term.id, "term", term.term, tuple(term.aliases)) for term in bank.terms.values()]
        self.names = NameIndex(entries)

    def remember_retired(self, questions: dict[str, Question]) -> None:
        self._retired = questions

    # ----------------------------------------------------------------- daily and practice questions

    async def daily_question(self, actor: Actor) -> QuestionCard:
        async with self.sessions.begin() as session:
            community, member = await self.enrol(session, actor)
            today = self.today_in(community.timezone)
            question_id = await self.assignment(session, community, today)
            answered = await session.scalar(
                select(func.count()).where(Attempt.member_id == member.id, Attempt.daily_date == today)
            )
            ref = QuestionRef(question_id, Mode.DAILY, today)
            self._set_pending(member, ref)
            return self.card(ref, already_answered=bool(answered))

    async def practice_question(
        self, actor: Actor, topic: str | None = None, *, figure: str | None = None
    ) -> QuestionCard:
        candidates = self._practice_candidates(topic, figure)
        async with self.sessions.begin() as session:
            community, member = await self.enrol(session, actor)
            today = self.today_in(community.timezone)
            seen = dict(
                (
                    await session.execute(
                        select(Attempt.question_id, func.count())
                        .where(Attempt.member_id == member.id)
                        .group_by(Attempt.question_id)
                    )
                ).all()
            )
            todays = await session.scalar(
                select(DailyAssignment.question_id).where(
                    DailyAssignment.community_id == community.id, DailyAssignment.local_date == today
                )
            )
            question_id = selection.choose_practice(
                candidates, seen, {todays} if todays else set(), f"{member.id}:{self.clock().isoformat()}"
            )
            ref = QuestionRef(question_id, Mode.PRACTICE)
            self._set_pending(member, ref)
            return self.card(ref)

    def _practice_candidates(self, topic: str | None, figure: str | None) -> list[str]:
        if figure:
            card_id = self.names.find(figure).card_id
            candidates = self._figure_questions.get(card_id, [])
            if not candidates:
                raise NoQuestionsAvailable(f" about {self.names.entries[card_id].name} yet")
            return candidates
        if topic is not None and topic.strip():
            topic_id = self.resolve_topic(topic)
            return [question.id for question in self.bank.questions.values() if question.topic == topic_id]
        return list(self.bank.questions)

    def resolve_topic(self, text: str) -> str:
        """A topic id from its id, title or a near spelling of either."""
        query = normalise(clean_input(text, what="The topic", limit=100))
        forms: dict[str, str] = {}
        for topic in self.bank.topics.values():
            forms[normalise(topic.id)] = topic.id
            forms[normalise(topic.title)] = topic.id
        if query in forms:
            return forms[query]
        best = process.extractOne(query, list(forms), scorer=fuzz.WRatio, score_cutoff=85)
        if best is not None:
            return forms[best[0]]
        suggestions = process.extract(query, list(forms), scorer=fuzz.WRatio, limit=3, score_cutoff=60)
        raise UnknownTopic(
            text.strip()[:60],
            tuple(self.bank.topics),
            tuple(dict.fromkeys(forms[key] for key, _, _ in suggestions)),
        )

    # ----------------------------------------------------------------- answering

    async def submit_answer(self, actor: Actor, answer: str, ref: QuestionRef | None = None) -> AnswerFeedback:
        given = clean_input(answer)
        community_id, timezone = await self._community_info(actor)
        if ref is None:
            ref = await self._pending_of(community_id, actor.user_id)
        question = self.question(ref.question_id)
        correct, shown = self._grade(question, given)
        today = self.today_in(timezone)
        note = ""
        if ref.mode is Mode.DAILY:
            if await self._assigned(community_id, ref.daily_date) != question.id:
                raise NotFound("That question isn't this server's daily question. Ask for `daily` to get today's.")
            if ref.daily_date != today:
                note = f"That was the question for {ref.daily_date:%a %d %b}; answers to past days count as practice."
                ref = QuestionRef(question.id, Mode.PRACTICE)
        name = clean_input(actor.display_name or actor.user_id, what="The display name", limit=10_000)[:100]
        outcome = await self.writer.record(
            AnswerRecord(
                member_key=actor.user_id,
                display_name=name,
                community_id=community_id,
                question_id=question.id,
                daily_date=ref.daily_date if ref.mode is Mode.DAILY else None,
                answer_given=shown[:500],
                correct=correct,
                answered_at=self.clock(),
            )
        )
        if outcome.repeated:
            note = "You've already answered today's question; here is your first answer. No extra points."
            question = self.question(outcome.question_id)
        return self._feedback(
            question,
            ref,
            outcome.correct,
            outcome.answer_given,
            outcome.points,
            outcome.streak,
            outcome.total_points,
            repeated=outcome.repeated,
            note=note,
        )

    async def _pending_of(self, community_id: int, user_id: str) -> QuestionRef:
        async with self.read_sessions() as session:
            member = await session.scalar(
                select(Member).where(Member.community_id == community_id, Member.external_id == user_id)
            )
        if member is None:
            raise NoQuestionPending()
        return self._pending(member)

    async def _assigned(self, community_id: int, day: dt.date | None) -> str | None:
        """The daily question of a community on a day; cached, since it never changes once set."""
        key = (community_id, day)
        if key not in self._assignments:
            async with self.read_sessions() as session:
                question_id = await session.scalar(
                    select(DailyAssignment.question_id).where(
                        DailyAssignment.community_id == community_id, DailyAssignment.local_date == day
                    )
                )
            if question_id is None:
                return None
            if len(self._assignments) > CACHE_LIMIT:
                self._assignments.clear()
            self._assignments[key] = question_id
        return self._assignments[key]

    async def _community_info(self, actor: Actor) -> tuple[int, str]:
        """A community's id and time zone, from a short-lived cache so answers need no lookups."""
        key = (actor.platform.value, actor.community_id)
        hit = self._communities.get(key)
        if hit is not None and time.monotonic() - hit[2] < CACHE_SECONDS:
            return hit[0], hit[1]
        async with self.sessions.begin() as session:
            community = await self.community_of(session, actor)
            return self._remember(actor, community)

    def _remember(self, actor: Actor, community: Community) -> tuple[int, str]:
        if len(self._communities) > CACHE_LIMIT:
            self._communities.clear()
        self._communities[(actor.platform.value, actor.community_id)] = (
            community.id,
            community.timezone,
            time.monotonic(),
        )
        return community.id, community.timezone

    def community_changed(self, community_id: int) -> None:
        """A community's settings (its time zone) changed: drop what was cached about it."""
        self._communities = {key: value for key, value in self._communities.items() if value[0] != community_id}

    async def close(self) -> None:
        await self.writer.close()
        await self.read_in_one_hop.close()

    def _grade(self, question: Question, given: str) -> tuple[bool, str]:
        """(correct?, the answer as it should be shown back)."""
        prepared = self._prepared(question)
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            letter = pick_option(given, prepared.options)
            if letter is None:
                letters = ", ".join(letter for letter, _ in prepared.options)
                raise InvalidInput(f"Answer with one of the letters {letters}.")
            return letter == prepared.answer_letter, f"{letter}) {dict(prepared.options)[letter]}"
        if question.kind is QuestionKind.TRUE_FALSE:
            verdict = parse_true_false(given)
            if verdict is None:
                raise InvalidInput("Answer True or False.")
            return verdict is question.answer, "True" if verdict else "False"
        return prepared.short_answer.match(given).matched, given

    def _prepared(self, question: Question) -> _Prepared:
        """What grading and display need of a question, worked out once: option order, the right
        letter, and for short answers the wrong forms (its own plus every figure name not accepted,
        so 'Kamenev' never passes for 'Zinoviev')."""
        prepared = self._prepared_questions.get(question.id)
        if prepared is None:
            options = tuple(selection.option_order(question.id, question.options))
            answer = normalise(str(question.answer))
            letter = next((letter for letter, text in options if normalise(text) == answer), None)
            accepted = (str(question.answer), *question.accept)
            right = {normalise(form) for form in accepted}
            rejected = [*question.wrong]
            for forms, folded in self._figure_forms:
                if not right & folded:
                    rejected.extend(forms)
            display = f"{letter}) {dict(options)[letter]}" if letter else question.answer_text
            prepared = _Prepared(options, letter, display, ShortAnswer(accepted, rejected))
            self._prepared_questions[question.id] = prepared
        return prepared

    def _feedback(
        self,
        question: Question,
        ref: QuestionRef,
        correct: bool,
        shown: str,
        points: int,
        streak: int,
        total: int,
        *,
        repeated: bool = False,
        note: str = "",
    ) -> AnswerFeedback:
        correct_answer = self.correct_answer(question)
        figure = next((self.bank.figures[f] for f in question.figures if f in self.bank.figures), None)
        return AnswerFeedback(
            ref=ref,
            correct=correct,
            given=shown,
            correct_answer=correct_answer,
            explanation=question.explanation,
            points=points,
            streak=streak,
            total_points=total,
            repeated=repeated,
            figure=FigureLink(figure.id, figure.name) if figure else None,
            note=note,
        )

    # ----------------------------------------------------------------- leaderboard and stats

    async def leaderboard(self, actor: Actor, period: Period | str = Period.WEEK, *, limit: int = 10) -> Leaderboard:
        """The top of the actor's community board for the period, and the actor's own rank: two reads."""
        period = scoring.parse_period(period)
        community_id, timezone = await self._community_info(actor)
        today = self.today_in(timezone)
        start = scoring.period_start(period, today)
        board = (Score.community_id == community_id, Score.period == period.value, Score.period_start == start)
        top = (
            select(Member.external_id, Member.display_name, Score.points)
            .join(Member, Member.id == Score.member_id)
            .where(*board)
            .order_by(Score.points.desc(), Member.display_name, Member.id)
            .limit(limit)
        )
        own = (
            select(Score.points)
            .join(Member, Member.id == Score.member_id)
            .where(*board, Member.community_id == community_id, Member.external_id == actor.user_id)
            .scalar_subquery()
        )
        higher = select(func.count()).select_from(Score).where(*board, Score.points > own).scalar_subquery()
        total = select(func.count()).select_from(Score).where(*board).scalar_subquery()

        def read(connection: Connection) -> tuple[list[Row], Row]:
            return connection.execute(top).all(), connection.execute(select(own, higher, total)).one()

        rows, (own_points, above, ranked_total) = await self.read_in_one_hop(read)
        ranked = scoring.competition_ranks([((key, name), points) for key, name, points in rows])
        entries = tuple(
            LeaderboardEntry(r.rank, r.member_key[1], r.points, is_caller=r.member_key[0] == actor.user_id)
            for r in ranked
        )
        caller = None
        if own_points is not None:
            caller = LeaderboardEntry(above + 1, actor.display_name, own_points, is_caller=True)
        return Leaderboard(period, scoring.period_label(period, today), entries, caller, ranked_total)

    async def _find(self, session: AsyncSession, actor: Actor) -> tuple[Community | None, Member | None]:
        """The actor's community and membership, without creating either (for read-only use cases)."""
        community = await self.community_of(session, actor, create=False)
        if community is None:
            return None, None
        member = await session.scalar(
            select(Member).where(Member.community_id == community.id, Member.external_id == actor.user_id)
        )
        return community, member

    async def stats(self, actor: Actor, *, member_user_id: str | None = None) -> Stats:
        async with self.read_sessions() as session:
            community, member = await self._find(session, actor)
            if member_user_id and member_user_id != actor.user_id:
                member = community and await session.scalar(
                    select(Member).where(Member.community_id == community.id, Member.external_id == member_user_id)
                )
                if member is None:
                    raise NotFound("That member hasn't answered any questions here yet.")
            elif member is None:
                return Stats(actor.display_name, 0, 0, 0, 0, 0, 0, 0)
            rows = (
                await session.execute(
                    select(QuestionRow.topic_id, Attempt.mode, func.count(), func.sum(Attempt.correct.cast(Integer)))
                    .join(QuestionRow, QuestionRow.id == Attempt.question_id)
                    .where(Attempt.member_id == member.id)
                    .group_by(QuestionRow.topic_id, Attempt.mode)
                )
            ).all()
            per_topic: dict[str, list[int]] = {}
            by_mode = {Mode.DAILY.value: 0, Mode.PRACTICE.value: 0}
            for topic_id, mode, answered, correct in rows:
                totals = per_topic.setdefault(topic_id, [0, 0])
                totals[0] += answered
                totals[1] += int(correct or 0)
                by_mode[mode] += answered
            today = self.today_in(community.timezone)
            latest = await session.scalar(
                select(func.max(DailyAssignment.local_date)).where(
                    DailyAssignment.community_id == community.id, DailyAssignment.local_date < today
                )
            )
            streak = scoring.live_streak(member.current_streak, member.last_daily_date, latest, today)
            topics = tuple(
                TopicStats(self.topic_title(topic_id), answered, correct)
                for topic_id, (answered, correct) in sorted(
                    per_topic.items(), key=lambda item: self.topic_title(item[0])
                )
            )
            return Stats(
                name=member.display_name,
                answered=sum(t.answered for t in topics),
                correct=sum(t.correct for t in topics),
                daily_answered=by_mode[Mode.DAILY.value],
                practice_answered=by_mode[Mode.PRACTICE.value],
                points=await self._total_points(session, member.id),
                current_streak=streak,
                best_streak=member.best_streak,
                per_topic=topics,
            )

    async def forget_me(self, actor: Actor) -> Forgotten:
        async with self.sessions.begin() as session:
            _, member = await self._find(session, actor)
            if member is None:
                return Forgotten(attempts_deleted=0, existed=False)
            deleted = await session.execute(delete(Attempt).where(Attempt.member_id == member.id))
            await session.execute(delete(Score).where(Score.member_id == member.id))
            await session.delete(member)
            return Forgotten(attempts_deleted=deleted.rowcount or 0, existed=True)

    # ----------------------------------------------------------------- figure cards and glossary

    async def explain(self, query: str, *, kind: str | None = None) -> ReferenceCard:
        text = clean_input(query, what="The name", limit=100)
        entry = self.names.find(text, kind=kind)
        if entry.kind == "figure":
            return self._figure_card(self.bank.figures[entry.card_id])
        return self._term_card(self.bank.terms[entry.card_id])

    def complete_name(self, prefix: str, *, kind: str | None = None, limit: int = 25) -> list[tuple[str, str]]:
        return [(entry.card_id, entry.name) for entry in self.names.complete(prefix[:100], kind=kind, limit=limit)]

    def topics(self) -> list[TopicInfo]:
        counts: dict[str, int] = {}
        for question in self.bank.questions.values():
            counts[question.topic] = counts.get(question.topic, 0) + 1
        return [
            TopicInfo(topic.id, topic.title, topic.area, counts.get(topic.id, 0))
            for topic in self.bank.topics.values()
            if counts.get(topic.id)
        ]

    def complete_topic(self, prefix: str, limit: int = 25) -> list[TopicInfo]:
        folded = normalise(prefix[:100])
        topics = self.topics()
        if not folded:
            return topics[:limit]
        return [t for t in topics if folded in normalise(t.title) or folded in normalise(t.topic_id)][:limit]

    def _figure_card(self, figure: Figure) -> ReferenceCard:
        posts = "\n".join(f"\u2022 {post.title} ({post.dates})" for post in figure.posts)
        sections = [
            CardSection("Background", figure.background),
            CardSection("Posts held", posts),
            CardSection("Faction", figure.faction),
            CardSection("Strengths", _bullets(figure.strengths)),
            CardSection("Weaknesses", _bullets(figure.weaknesses)),
            CardSection("Key mistakes", _bullets(figure.mistakes)),
            CardSection("Fate", figure.fate),
            CardSection("What historians say", _bullets(figure.historians)),
            CardSection("Common mix-up", figure.mix_up),
        ]
        summary = f"{figure.summary} ({figure.lifespan})" if figure.lifespan else figure.summary
        return ReferenceCard(
            figure.id,
            "figure",
            figure.name,
            summary,
            tuple(s for s in sections if s.text),
            tuple(figure.aliases),
            has_questions=bool(self._figure_questions.get(figure.id)),
        )

    def _term_card(self, term: Term) -> ReferenceCard:
        related = [self.names.entries[r].name for r in term.related if r in self.names.entries]
        sections = [
            CardSection("When", term.dates),
            CardSection("Why it matters", term.significance),
            CardSection("See also", ", ".join(related)),
        ]
        return ReferenceCard(
            term.id,
            "term",
            term.term,
            term.definition,
            tuple(s for s in sections if s.text),
            tuple(term.aliases),
            has_questions=bool(self._figure_questions.get(term.id)),
        )

    # ----------------------------------------------------------------- helpers

    def question(self, question_id: str) -> Question:
        question = self.bank.questions.get(question_id) or self._retired.get(question_id)
        if question is None:
            raise NotFound("That question is no longer in the bank. Ask for a new one with `daily` or `quiz`.")
        return question

    def correct_answer(self, question: Question) -> str:
        """The answer as students saw it: 'C) 3 April 1922' for multiple choice."""
        return self._prepared(question).correct_display

    def topic_title(self, topic_id: str) -> str:
        topic = self.bank.topics.get(topic_id)
        return topic.title if topic else topic_id

    def card(self, ref: QuestionRef, *, already_answered: bool = False) -> QuestionCard:
        question = self.question(ref.question_id)
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            options = tuple(Option(letter, text) for letter, text in self._prepared(question).options)
        elif question.kind is QuestionKind.TRUE_FALSE:
            options = (Option("True", "True"), Option("False", "False"))
        else:
            options = ()
        figures = tuple(FigureLink(f, self.bank.figures[f].name) for f in question.figures if f in self.bank.figures)
        return QuestionCard(
            ref, self.topic_title(question.topic), question.kind, question.prompt, options, figures, already_answered
        )

    def today_in(self, timezone: str) -> dt.date:
        """Today's date where a community is (its time zone name)."""
        return self.clock().astimezone(ZoneInfo(timezone)).date()

    @staticmethod
    def _set_pending(member: Member, ref: QuestionRef | None) -> None:
        member.pending_question_id = ref.question_id if ref else None
        member.pending_mode = ref.mode.value if ref else None
        member.pending_date = ref.daily_date if ref else None

    @staticmethod
    def _pending(member: Member) -> QuestionRef:
        if not member.pending_question_id:
            raise NoQuestionPending()
        return QuestionRef(member.pending_question_id, Mode(member.pending_mode), member.pending_date)

    async def assignment(self, session: AsyncSession, community: Community, day: dt.date) -> str:
        return (await self.assignments(session, [(community, day)]))[(community.id, day)]

    async def assignments(
        self, session: AsyncSession, wanted: list[tuple[Community, dt.date]]
    ) -> dict[tuple[int, dt.date], str]:
        """The daily question of each (community, local date), choosing and storing the missing ones
        in bulk (the scheduler asks for thousands at once). A community may be a model object or a
        row with its id, platform, external_id and daily_topics. The unique (community, date) constraint
        decides a race: everyone gets the question that was stored first."""
        keys = {(community.id, day) for community, day in wanted}
        found = await self._stored_assignments(session, keys)
        missing = [(community, day) for community, day in dict.fromkeys(wanted) if (community.id, day) not in found]
        if not missing:
            return found
        asked: dict[int, dict[str, int]] = {}
        for chunk in chunks(sorted({community.id for community, _ in missing})):
            rows = await session.execute(
                select(DailyAssignment.community_id, DailyAssignment.question_id, func.count())
                .where(DailyAssignment.community_id.in_(chunk))
                .group_by(DailyAssignment.community_id, DailyAssignment.question_id)
            )
            for community_id, question_id, count in rows:
                asked.setdefault(community_id, {})[question_id] = count
        chosen = []
        for community, day in missing:
            candidates = self._daily_candidates(frozenset(community.daily_topics or ()))
            seed = f"{community.platform}:{community.external_id}:{day}"
            chosen.append(
                {
                    "community_id": community.id,
                    "local_date": day,
                    "question_id": selection.choose_daily(candidates, asked.get(community.id, {}), seed),
                    "created_at": self.clock(),
                }
            )
        insert = upsert_insert(session.bind.dialect.name)
        for chunk in chunks(chosen):
            await session.execute(insert(DailyAssignment).on_conflict_do_nothing(), chunk)
        return found | await self._stored_assignments(session, {(c.id, day) for c, day in missing})

    def _daily_candidates(self, topics: frozenset[str]) -> tuple[str, ...]:
        """The questions a daily question is drawn from (a topic filter, or the whole bank), in a fixed order."""
        if topics not in self._candidates:
            chosen = [question.id for question in self.bank.questions_in(set(topics) or None)]
            self._candidates[topics] = tuple(sorted(chosen or self.bank.questions))
            if not self._candidates[topics]:
                raise NoQuestionsAvailable()
        return self._candidates[topics]

    @staticmethod
    async def _stored_assignments(
        session: AsyncSession, keys: set[tuple[int, dt.date]]
    ) -> dict[tuple[int, dt.date], str]:
        found: dict[tuple[int, dt.date], str] = {}
        days = {day for _, day in keys}
        for chunk in chunks(sorted({community_id for community_id, _ in keys})):
            rows = await session.execute(
                select(DailyAssignment.community_id, DailyAssignment.local_date, DailyAssignment.question_id).where(
                    DailyAssignment.community_id.in_(chunk), DailyAssignment.local_date.in_(days)
                )
            )
            found.update({(c, d): q for c, d, q in rows if (c, d) in keys})
        return found

    async def community_of(self, session: AsyncSession, actor: Actor, *, create: bool = True) -> Community | None:
        query = select(Community).where(
            Community.platform == actor.platform.value, Community.external_id == actor.community_id
        )
        community = await session.scalar(query)
        if community is None and create:
            community = await self._insert_or_get(
                session,
                Community(
                    platform=actor.platform.value, external_id=actor.community_id, name=actor.community_name[:200]
                ),
                query,
            )
        return community

    async def enrol(self, session: AsyncSession, actor: Actor) -> tuple[Community, Member]:
        community = await self.community_of(session, actor)
        assert community is not None
        query = select(Member).where(Member.community_id == community.id, Member.external_id == actor.user_id)
        member = await session.scalar(query)
        name = clean_input(actor.display_name or actor.user_id, what="The display name", limit=10_000)[:100]
        if member is None:
            member = await self._insert_or_get(
                session, Member(community_id=community.id, external_id=actor.user_id, display_name=name), query
            )
        elif member.display_name != name:
            member.display_name = name
        self._remember(actor, community)
        return community, member

    @staticmethod
    async def _insert_or_get(session: AsyncSession, row, query: Select):  # noqa: ANN001, ANN205 - any model
        try:
            async with session.begin_nested():
                session.add(row)
            return row
        except IntegrityError:
            return await session.scalar(query)

    async def _total_points(self, session: AsyncSession, member_id: int) -> int:
        total = await session.scalar(
            select(Score.points).where(Score.member_id == member_id, Score.period == Period.ALL.value)
        )
        return total or 0


def _bullets(items: list[str]) -> str:
    return "\n".join(f"\u2022 {item}" for item in items)
