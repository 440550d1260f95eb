"""Essay practice: `essay [topic]` shows an exam-style question to plan, the student sends a plan (factors
ranked, evidence for each, a judgement), and the bot shows it beside the model plan. Private to the student.

A plan is begun (a row) when the question is shown and finished when the plan comes; the typed `plan`
finishes the student's latest begun plan, a form its own plan by id. Finished plans are kept for
`essay history` (and the teacher's counts); they go with the student (forget-me, a class deleted).
"""

from __future__ import annotations

import random
import string
from collections import Counter

from sqlalchemy import desc, select, update

from bot.content.schema import Essay
from bot.core import essays as rules
from bot.core import selection
from bot.core.actor import Actor
from bot.core.clock import Clock, as_utc, zone
from bot.core.errors import InvalidInput, NotFound
from bot.core.replies import EssayAsked, EssayHistory, EssayPlanLine, EssayStep, PlanCompared, PlannedFactor
from bot.service.catalogue import Catalogue
from bot.service.failures import database_trouble
from bot.service.members import Members
from bot.store.db import Database
from bot.store.models import EssayPlan

NO_PLAN = "There is no essay plan under way: start one with `essay` (or `essay <topic>`)."
NO_ESSAYS = "There are no essay questions on that topic yet: try `essay` for any topic."
HISTORY_SHOWN = 20
DONE, RESTART = ".", "0"  # taps: "these are my factors" (after 3), and "start again"
FORGED = "That button is from another plan. Start one with `essay`."
POOL_LETTERS = string.ascii_uppercase  # 4-6 factors with 1-2 pieces of evidence each: at most 12


class Essays:
    def __init__(self, db: Database, catalogue: Catalogue, members: Members, clock: Clock) -> None:
        self.db = db
        self.catalogue = catalogue
        self.members = members
        self.clock = clock

    @database_trouble()
    async def start(self, actor: Actor, topic: str | None = None) -> EssayAsked:
        """A question to plan (of `topic`, or any), one the student has planned least often."""
        bank = self.catalogue.bank
        topic_id = self.catalogue.resolve_topic(topic) if topic and topic.strip() else None
        candidates = [essay for essay in bank.essays.values() if topic_id is None or essay.topic == topic_id]
        if not candidates:
            raise NotFound(NO_ESSAYS)
        async with self.db.sessions.begin() as session:
            _, member = await self.members.enrol(session, actor)
            begun = list(await session.scalars(select(EssayPlan.essay_id).where(EssayPlan.member_id == member.id)))
            times = Counter(begun)
            fewest = min(times[essay.id] for essay in candidates)
            least = sorted((essay for essay in candidates if times[essay.id] == fewest), key=lambda e: e.id)
            essay = random.Random(f"{member.id}:{len(begun)}").choice(least)
            plan = EssayPlan(member_id=member.id, essay_id=essay.id, started_at=self.clock())
            session.add(plan)
            await session.flush()
            plan_id = plan.id
        return self._asked(plan_id, essay)

    def _asked(self, plan_id: int, essay: Essay) -> EssayAsked:
        factors, pool = self.layout(essay)
        return EssayAsked(
            plan_id,
            essay.id,
            self.catalogue.topic_title(essay.topic),
            essay.question,
            essay.marks,
            tuple(essay.factors[index].name for index in factors),
            tuple(text for _, text in pool),
            tuple(POOL_LETTERS[: len(pool)]),
        )

    @database_trouble(not_done="your plan was not saved")
    async def submit(
        self, actor: Actor, factors: str, evidence: str, judgement: str, plan_id: int | None = None
    ) -> PlanCompared:
        """Finish a plan (`plan_id`, or the student's latest begun one) and compare it with the model."""
        async with self.db.sessions.begin() as session:
            _, member = await self.members.find(session, actor)
            if member is None:
                raise NotFound(NO_PLAN)
            query = select(EssayPlan).where(EssayPlan.member_id == member.id, EssayPlan.finished_at.is_(None))
            if plan_id is not None:
                query = query.where(EssayPlan.id == plan_id)
            plan = (await session.scalars(query.order_by(desc(EssayPlan.started_at), desc(EssayPlan.id)))).first()
            if plan is None:
                raise NotFound(NO_PLAN)
            essay = self.catalogue.bank.essays.get(plan.essay_id)
            if essay is None:
                raise NotFound("That essay question is no longer in the bank. Start another with `essay`.")
            shown, pool = self.layout(essay)
            chosen = tuple(shown[index] for index in rules.read_factors(factors, len(shown)))
            pieces = [pool[index] for index in rules.read_evidence(evidence, POOL_LETTERS[: len(pool)], len(chosen))]
            picked = tuple(factor for factor, _ in pieces)
            written = rules.read_judgement(judgement)
            student_plan = rules.Plan(chosen, picked, written)
            comparison = rules.compare(student_plan, [factor.name for factor in essay.factors], essay.marks)
            await session.execute(
                update(EssayPlan)
                .where(EssayPlan.id == plan.id)
                .values(
                    finished_at=self.clock(),
                    factors=list(chosen),
                    evidence=list(picked),
                    judgement=written,
                    level=comparison.level,
                )
            )
        return self._compared(essay, student_plan, [text for _, text in pieces], comparison)

    @database_trouble()
    async def step(self, actor: Actor, plan_id: int, factors: str, evidence: str, tap: str) -> EssayStep:
        """One tap of a plan built by buttons: a factor's number (up to 4; `DONE` after 3), then an evidence
        letter for each chosen factor, then the judgement, written in the plan's form. `RESTART` clears it."""
        async with self.db.read_sessions() as session:
            _, member = await self.members.find(session, actor)
            plan = None
            if member is not None:
                plan = await session.scalar(
                    select(EssayPlan).where(
                        EssayPlan.id == plan_id, EssayPlan.member_id == member.id, EssayPlan.finished_at.is_(None)
                    )
                )
        essay = self.catalogue.bank.essays.get(plan.essay_id) if plan is not None else None
        if plan is None or essay is None:
            raise NotFound(NO_PLAN)
        asked = self._asked(plan.id, essay)
        count, letters = len(asked.factors), asked.letters
        numbers = [str(n) for n in range(1, count + 1)]
        if tap == RESTART:
            factors = evidence = ""
        elif tap.isdigit() and not evidence and len(factors) < rules.MAX_FACTORS:
            factors += tap  # a factor's number
        elif tap.isalpha() and len(factors) >= rules.MIN_FACTORS:
            evidence += tap  # an evidence letter, for the next factor without one
        elif tap != DONE or len(factors) < rules.MIN_FACTORS or evidence:
            raise InvalidInput(FORGED)
        if len(set(factors)) != len(factors) or set(factors) - set(numbers) or set(evidence) - set(letters):
            raise InvalidInput(FORGED)
        if len(evidence) > len(factors):
            raise InvalidInput(FORGED)
        choosing = not evidence and len(factors) < rules.MAX_FACTORS and tap != DONE
        stage = "factors" if choosing else "evidence" if len(evidence) < len(factors) else "judgement"
        return EssayStep(asked, factors, evidence, stage)

    @database_trouble()
    async def history(self, actor: Actor) -> EssayHistory:
        async with self.db.read_sessions() as session:
            community, member = await self.members.find(session, actor)
            if member is None or community is None:
                return EssayHistory(())
            rows = await session.execute(
                select(EssayPlan.finished_at, EssayPlan.essay_id, EssayPlan.level)
                .where(EssayPlan.member_id == member.id, EssayPlan.finished_at.is_not(None))
                .order_by(desc(EssayPlan.finished_at))
                .limit(HISTORY_SHOWN)
            )
            lines = []
            for finished_at, essay_id, level in rows:
                essay = self.catalogue.bank.essays.get(essay_id)
                question = essay.question if essay else "(a question no longer in the bank)"
                marks = essay.marks if essay else 0
                when = as_utc(finished_at).astimezone(zone(community.timezone))
                lines.append(EssayPlanLine(when, question, marks, level or 1))
        return EssayHistory(tuple(lines))

    def layout(self, essay: Essay) -> tuple[list[int], list[tuple[int, str]]]:
        """How a student sees an essay, the same every time: its factors' model indices in a shuffled
        order, and the evidence pool as (the factor it proves, its text) in a shuffled order."""
        indices = [str(index) for index in range(len(essay.factors))]
        factors = [int(index) for index in selection.arranged(essay.id, indices)]
        pool = [(index, text) for index, factor in enumerate(essay.factors) for text in factor.evidence]
        keys = [str(n) for n in range(len(pool))]
        return factors, [pool[int(key)] for key in selection.arranged(f"{essay.id}:evidence", keys)]

    def _compared(
        self, essay: Essay, plan: rules.Plan, evidence: list[str], comparison: rules.Comparison
    ) -> PlanCompared:
        names = [factor.name for factor in essay.factors]
        wrong = dict(comparison.misplaced)
        mine = tuple(
            PlannedFactor(
                names[factor],
                text,
                fits=factor not in wrong,
                better=essay.factors[factor].evidence[0] if factor in wrong else "",
            )
            for factor, text in zip(plan.factors, evidence, strict=True)
        )
        model = tuple(PlannedFactor(factor.name, factor.evidence[0]) for factor in essay.factors)
        marks, descriptor = rules.LEVELS[essay.marks][comparison.level - 1]
        return PlanCompared(
            essay.question,
            essay.marks,
            mine,
            model,
            tuple(factor.link for factor in essay.factors),
            tuple(names[index] for index in comparison.missed),
            comparison.same_first,
            plan.judgement,
            essay.judgement,
            comparison.gives_verdict,
            comparison.links_factors,
            comparison.level,
            marks,
            descriptor,
            comparison.lift,
        )
