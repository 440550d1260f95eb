"""Reference cards: "explain this rival" (Trotsky, Bukharin ...) and glossary entries (NEP, kulak ...)."""

from __future__ import annotations

import dataclasses
from collections import Counter

from bot.content.schema import Figure, Term
from bot.core import timeline
from bot.core.actor import Actor
from bot.core.errors import NotFound
from bot.core.grading import clean_input
from bot.core.replies import CardSection, FigureLink, ReferenceCard, Timeline, TopicInfo, TopicSummary
from bot.service.catalogue import Catalogue
from bot.service.review import Reviews

UNIT_ENDS = 1941
SUMMARY_DATES, SUMMARY_CARDS, SUMMARY_MISSED = 10, 6, 3  # one screen
TIMELINE_LINES = 40  # fits a Discord embed and a Slack message; a narrower span shows the rest


class ReferenceCards:
    def __init__(self, catalogue: Catalogue, reviews: Reviews) -> None:
        self.catalogue = catalogue
        self.reviews = reviews

    async def explain(self, query: str, *, kind: str | None = None, actor: Actor | None = None) -> ReferenceCard:
        """The card for a name or term; asked by `actor`, a figure's card carries their own record on it."""
        text = clean_input(query, what="The name", limit=100)
        entry = self.catalogue.names.find(text, kind=kind)
        bank = self.catalogue.bank
        if entry.kind != "figure":
            return self._term_card(bank.terms[entry.card_id])
        card = self._figure_card(bank.figures[entry.card_id])
        if actor is not None and card.has_questions:
            card = dataclasses.replace(card, record=await self.reviews.figure_record(actor, entry.card_id))
        return card

    async def timeline(self, start: int | None = None, end: int | None = None) -> Timeline:
        """The bank's dated events from `start` to `end` (years, both within); with neither, the unit's
        own years (to 1941: what came later belongs to the historians). A screen's worth at most."""
        if start is None and end is None:
            end = UNIT_ENDS
        events = timeline.between(self.catalogue.timeline, start, end)
        if not events:
            span = f"{start}" if start == end else f"{start or 'the start'} to {end or 'today'}"
            raise NotFound(f"The bank has no dated events for {span}. Try `timeline 1924 1941`.")
        return Timeline(start, end, events[:TIMELINE_LINES], max(0, len(events) - TIMELINE_LINES))

    async def summary(self, topic: str, actor: Actor | None = None) -> TopicSummary:
        """A topic's knowledge organiser: its key dates, the people and terms its questions are about, and
        (asked by `actor`) the student's questions in it whose last answer was wrong."""
        catalogue = self.catalogue
        topic_id = catalogue.resolve_topic(topic)
        found = catalogue.bank.topics[topic_id]
        info = next((t for t in catalogue.topics() if t.topic_id == topic_id), None)
        info = info or TopicInfo(found.id, found.title, found.area, 0)  # a topic with no questions yet
        questions = [q for q in catalogue.bank.questions.values() if q.topic == topic_id]
        people = Counter(figure for q in questions for figure in q.figures if figure in catalogue.bank.figures)
        terms = Counter(term for q in questions for term in q.terms if term in catalogue.bank.terms)
        dates = [event for event in catalogue.timeline if event.topic == info.title]
        missed: tuple[str, ...] = ()
        answered = 0
        if actor is not None:
            last = await self.reviews.last_answers(actor, [q.id for q in questions])
            answered = len(last)
            missed = tuple(q.prompt for q in questions if last.get(q.id) is False)[:SUMMARY_MISSED]
        return TopicSummary(
            info,
            found.description,
            tuple(dates[:SUMMARY_DATES]),
            tuple(FigureLink(f, catalogue.bank.figures[f].name) for f, _ in people.most_common(SUMMARY_CARDS)),
            tuple(FigureLink(t, catalogue.bank.terms[t].term) for t, _ in terms.most_common(SUMMARY_CARDS)),
            missed,
            answered,
        )

    def complete_name(self, prefix: str, *, kind: str | None = None, limit: int = 25) -> list[tuple[str, str]]:
        names = self.catalogue.names.complete(prefix[:100], kind=kind, limit=limit)
        return [(entry.card_id, entry.name) for entry in names]

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
            has_questions=bool(self.catalogue.questions_about.get(figure.id)),
        )

    def _term_card(self, term: Term) -> ReferenceCard:
        entries = self.catalogue.names.entries
        related = [entries[r].name for r in term.related if r in entries]
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
            has_questions=bool(self.catalogue.questions_about.get(term.id)),
        )


def _bullets(items: list[str]) -> str:
    return "\n".join(f"\u2022 {item}" for item in items)
