"""The teacher's class view: `report [period] [topic]` (participation, topics weakest first, the hardest
questions with the answers chosen, each student) with a chart, and `export [period]` (every attempt as CSV).

Both are for teachers only (Members.is_teacher) and read through their own database threads, so a long
export never holds up the leaderboards' reads. The aggregates are grouped by the database; the chart is
drawn in a thread (bot/service/charts.py imports matplotlib only then).
"""

from __future__ import annotations

import asyncio
import codecs
import csv
import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from pathlib import Path

from sqlalchemy import Connection, select

from bot.core import reports as rules
from bot.core import review
from bot.core.actor import Actor
from bot.core.clock import Clock, day_bounds, zone
from bot.core.errors import InvalidInput, NotAllowed, NotFound, UnknownTopic
from bot.core.reports import ChoiceShare, ClassReport, ExportDone, HardQuestion, ReportPeriod, StudentLine, TopicLine
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store import reports as store
from bot.store.db import Database, DirectAccess
from bot.store.members import CommunityRow
from bot.store.models import Community

TEACHERS_ONLY = (
    "Class reports and exports are for teachers only (server or workspace admins, and the teachers they name)."
)
NO_CLASS = "There is no class here yet: nobody has used the bot in this server or workspace."
WRONG_ANSWERS_SHOWN = 3


class Reports:
    def __init__(self, db: Database, catalogue: Catalogue, members: Members, clock: Clock, retention: float) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members
        self.clock = clock
        self.retention = retention
        self._reads = DirectAccess(db.engine, threads=3, name="reports")

    async def _teachers_class(self, actor: Actor) -> tuple[CommunityRow, str]:
        async with self.db.read_sessions() as session:
            community = await self.members.community_in(session, actor, create=False)
            if not await self.members.is_teacher(session, community, actor):
                raise NotAllowed(TEACHERS_ONLY)
            if community is None:
                raise NotFound(NO_CLASS)
            name = (await session.execute(select(Community.name).where(Community.id == community.id))).scalar_one()
        return community, name or actor.community_name or "Your class"

    # ------------------------------------------------------------- the report

    @database_trouble()
    async def report(self, actor: Actor, args: str = "", *, chart: bool = True) -> ClassReport:
        """`report [week|month|term|since YYYY-MM-DD] [topic]`, for the actor's class."""
        community, class_name = await self._teachers_class(actor)
        period_text, topic_text = rules.split_period_and_topic(args)
        period = rules.parse_period(period_text, self.members.today(community))
        try:
            topic_id = self.catalogue.resolve_topic(topic_text) if topic_text.strip() else None
        except UnknownTopic as error:
            if period_text:  # `report month xyzzy`: the period was understood, the topic was not
                raise
            # `report fortnight`: as likely a mistyped period as a topic, so both lists are offered.
            raise InvalidInput(f"{error.message} {rules.PERIOD_HELP}") from None
        question_ids = None
        if topic_id is not None:
            question_ids = [q.id for q in self.catalogue.bank.questions.values() if q.topic == topic_id]
        window = class_window(community, period, question_ids)
        today_start = day_bounds(self.clock(), community.timezone)[0]
        inactive_from = today_start - dt.timedelta(days=rules.INACTIVE_DAYS - 1)
        report = await self._read_report(community, class_name, period, topic_id, window, inactive_from)
        if chart:
            from bot.service.charts import report_chart

            png = await asyncio.to_thread(report_chart, report)
            report = dataclasses.replace(report, chart_png=png)
        return report

    async def _read_report(
        self,
        community: CommunityRow,
        class_name: str,
        period: ReportPeriod,
        topic_id: str | None,
        window: store.Window,
        inactive_from: dt.datetime,
    ) -> ClassReport:
        factor, decay = review.recall_terms(self.retention)
        now = self.clock()

        def questions(connection: Connection) -> tuple:
            per_question = store.per_question(connection, window)
            hardest = rules.hardest(per_question)
            return per_question, hardest, store.answers_given(connection, window, hardest)

        def members_and_mastery(connection: Connection) -> tuple:
            members = store.class_members(connection, community.id)
            sample = rules.mastery_sample(sorted(member for member, *_ in members))
            recall = store.mean_recall_per_question(connection, sample, now, factor, decay)
            return members, len(sample), recall, store.active_since(connection, community.id, inactive_from)

        essays = [e.id for e in self.catalogue.bank.essays.values() if e.topic == topic_id] if topic_id else None

        def answers(connection: Connection) -> tuple:
            planned = store.essay_plans(connection, window, essays)
            return store.per_member_topic(connection, window), store.answers_per_hour(connection, window), planned

        # Three reads at once, each on a connection of its own: the two scans of the period's answers, and
        # the members with their review cards.
        (
            (per_question, hardest, given),
            (members, sampled, recall, active_lately),
            (per_member, hours, (plans, planners)),
        ) = await asyncio.gather(self._reads(questions), self._reads(members_and_mastery), self._reads(answers))
        return ClassReport(
            class_name=class_name,
            period=period,
            topic=self.catalogue.topic_title(topic_id) if topic_id else None,
            members=len(members),
            active=len({member for member, *_ in per_member}),
            answers_per_day=_per_day(hours, period, community.timezone),
            inactive=tuple(name for member, name, _, _ in members if member not in active_lately),
            topics=self._topics(per_question, recall, topic_id),
            hardest=tuple(self._hard_question(q, per_question[q], given) for q in hardest),
            students=self._students(members, per_member),
            mastery_from=sampled,
            essay_plans=plans,
            essay_planners=planners,
        )

    def _topics(self, per_question: dict, recall: dict | None, only: str | None) -> tuple[TopicLine, ...]:
        questions = {**self.catalogue.retired, **self.catalogue.bank.questions}
        answered: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for question_id, (count, right) in per_question.items():
            if question_id in questions:
                answered[questions[question_id].topic][0] += count
                answered[questions[question_id].topic][1] += right
        recalled: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        for question_id, (cards, total) in (recall or {}).items():
            if question_id in self.catalogue.bank.questions:  # a retired question's card is kept, not counted
                recalled[questions[question_id].topic][0] += cards
                recalled[questions[question_id].topic][1] += total
        topic_ids = [only] if only else [t for t in {*answered, *recalled} if t in self.catalogue.bank.topics]
        lines = [
            TopicLine(
                topic_id,
                self.catalogue.topic_title(topic_id),
                answered[topic_id][0],
                answered[topic_id][1],
                recalled[topic_id][1] / recalled[topic_id][0] if recalled[topic_id][0] else None,
            )
            for topic_id in topic_ids
            if answered[topic_id][0] or recalled[topic_id][0]
        ]
        return tuple(sorted(lines, key=lambda line: (line.strength, line.title)))

    def _hard_question(self, question_id: str, counts: tuple[int, int], given: list[tuple]) -> HardQuestion:
        question = self.catalogue.question(question_id)
        answered, right = counts
        mine = [(answer, correct, count) for q, answer, correct, count in given if q == question_id]
        if question.kind.typed:  # typed answers vary: the commonest wrong ones
            wrong: Counter[str] = Counter()
            for answer, correct, count in mine:
                if not correct:
                    wrong[answer.strip().lower()] += count
            choices = tuple(
                ChoiceShare(answer, count, rules.share(count, answered))
                for answer, count in wrong.most_common(WRONG_ANSWERS_SHOWN)
            )
        else:
            by_answer: Counter[str] = Counter()
            right_answers = set()
            for answer, correct, count in mine:
                by_answer[answer] += count
                if correct:
                    right_answers.add(answer)
            every = self.catalogue.answer_forms(question)
            choices = tuple(
                ChoiceShare(
                    answer, by_answer[answer], rules.share(by_answer[answer], answered), answer in right_answers
                )
                for answer in dict.fromkeys([*every, *by_answer])
            )
        return HardQuestion(
            question_id,
            question.prompt,
            self.catalogue.topic_title(question.topic),
            self.catalogue.correct_answer(question),
            answered,
            right,
            choices,
        )

    def _students(self, members: list[tuple], per_member: list[tuple]) -> tuple[StudentLine, ...]:
        topics: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
        for member, topic, answered, right in per_member:
            topics[member][topic] = (answered, right)
        lines = []
        for member, name, user_id, streak in members:
            mine = topics.get(member, {})
            weakest = rules.weakest(mine)
            lines.append(
                StudentLine(
                    name,
                    user_id,
                    sum(answered for answered, _ in mine.values()),
                    sum(right for _, right in mine.values()),
                    streak,
                    self.catalogue.topic_title(weakest) if weakest else None,
                )
            )
        return tuple(sorted(lines, key=lambda line: (line.answered == 0, line.accuracy, line.name.lower())))

    # ------------------------------------------------------------- the export

    @database_trouble(not_done="no file was written")
    async def export(self, actor: Actor, period_text: str, destination: Path) -> ExportDone:
        """`export [period]`: every attempt of the class in the period written to `destination` as CSV
        (UTF-8 with a byte-order mark, which Excel needs to read accents and Sheets ignores)."""
        community, _ = await self._teachers_class(actor)
        period = rules.parse_period(period_text, self.members.today(community))
        window = class_window(community, period)
        rows = await self._reads(lambda c: self._write_csv(c, community.timezone, window, destination))
        return ExportDone(rows, f"class-answers_{period.slug}.csv", period)

    def _write_csv(self, connection: Connection, timezone: str, window: store.Window, destination: Path) -> int:
        questions = {**self.catalogue.retired, **self.catalogue.bank.questions}
        about = {q: (question.topic, question.kind.value) for q, question in questions.items()}
        members = {
            member: (name, user_id) for member, name, user_id, _ in store.class_members(connection, window.community_id)
        }
        local = rules.LocalTimes(timezone)
        rows = 0
        with destination.open("w", encoding="utf-8", newline="") as out:
            out.write(codecs.BOM_UTF8.decode())
            writer = csv.writer(out)
            writer.writerow(rules.EXPORT_HEADER)
            for chunk in store.attempts_for_export(connection, window):
                writer.writerows(rules.export_rows(chunk, members, about, local))
                rows += len(chunk)
        return rows

    async def close(self) -> None:
        await self._reads.close()


def class_window(community: CommunityRow, period: ReportPeriod, question_ids: list[str] | None = None) -> store.Window:
    """The class's attempts from the start of the period's first local day to the end of its last."""
    start = day_bounds(_noon(period.first, community.timezone), community.timezone)[0]
    end = day_bounds(_noon(period.last, community.timezone), community.timezone)[1]
    return store.Window(community.id, start, end, question_ids)


def _noon(day: dt.date, timezone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=zone(timezone))


def _per_day(hours: list[tuple[str, int]], period: ReportPeriod, timezone: str) -> tuple[tuple[dt.date, int], ...]:
    """Answers per local day of the period, from per-hour counts in UTC (every day listed, 0 included)."""
    counts = dict.fromkeys(period.days, 0)
    place = zone(timezone)
    for hour, count in hours:
        moment = dt.datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=dt.UTC).astimezone(place)
        if moment.date() in counts:
            counts[moment.date()] += count
    return tuple(counts.items())
