"""The bank in memory: questions (retired ones too, for old buttons), topics, answer keys and grading.

No database: everything here is worked out from the loaded content, once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.content.schema import Bank, Question
from bot.core import selection
from bot.core.arrangement import in_place, read_match, read_order
from bot.core.dates import parse_date
from bot.core.errors import InvalidInput, NoQuestionsAvailable, NotFound, UnknownTopic
from bot.core.grading import (
    ShortAnswer,
    clean_input,
    is_choice_not_text,
    normalise,
    parse_true_false,
    pick_option,
    with_other_names,
)
from bot.core.lookup import Entry, NameIndex
from bot.core.replies import AskedQuestion, FigureLink, Option, QuestionRef, SourceExtract, TopicInfo
from bot.core.timeline import DatedEvent
from bot.core.timeline import build as build_timeline
from bot.core.vocabulary import QuestionKind
from bot.store.members import CommunityRow

TYPED_ANSWER_WANTED = (
    "This question wants a typed answer (a name, a date or a term), not a letter or true/false. "
    "Nothing was recorded: try again with `answer <your answer>`."
)


@dataclass(frozen=True, slots=True)
class AnswerKey:
    """What grading and display need of one question."""

    options: tuple[tuple[str, str], ...]  # (letter or number, text) in display order: choices, events, rights
    answer_letter: str | None
    correct_display: str
    short_answer: ShortAnswer
    arrangement: tuple[str, ...] = ()  # order: the numbers in time order; match: each left's letter in turn


class Catalogue:
    def __init__(self, bank: Bank, retired: dict[str, Question] | None = None) -> None:
        self.bank = bank
        self.retired = retired or {}  # left the bank, still answerable from old buttons
        self._answer_keys: dict[str, AnswerKey] = {}
        self._daily_candidates: dict[frozenset[str], tuple[str, ...]] = {}
        self._figure_forms = [
            ((figure.name, *figure.aliases), {normalise(form) for form in (figure.name, *figure.aliases)})
            for figure in bank.figures.values()
        ]
        self.questions_about: dict[str, list[str]] = {}  # figure or term id -> question ids
        for question in bank.questions.values():
            for card in (*question.figures, *question.terms):
                self.questions_about.setdefault(card, []).append(question.id)
        entries = [Entry(figure.id, "figure", figure.name, tuple(figure.aliases)) for figure in bank.figures.values()]
        entries += [Entry(term.id, "term", term.term, tuple(term.aliases)) for term in bank.terms.values()]
        self.names = NameIndex(entries)

    # ----------------------------------------------------------------- questions

    @functools.cached_property
    def timeline(self) -> tuple[DatedEvent, ...]:
        """Every dated event in the bank once, earliest first: order items' events, and match items'
        date-and-event pairs; each labelled with its topic's title."""
        found = []
        for question in self.bank.questions.values():
            topic = self.topic_title(question.topic)
            found += [DatedEvent(event.date, event.event, topic) for event in question.events]
            found += [DatedEvent(p.left, p.right, topic) for p in question.pairs if parse_date(normalise(p.left))]
        return build_timeline(found)

    def question(self, question_id: str) -> Question:
        question = self.bank.questions.get(question_id) or self.retired.get(question_id)
        if question is None:
            raise NotFound("That question is no longer in the bank. Ask for a new one with `daily` or `quiz`.")
        return question

    def asked(self, ref: QuestionRef, *, already_answered: bool = False, reviews_due: int = 0) -> AskedQuestion:
        """The question as a student is shown it."""
        question = self.question(ref.question_id)
        if question.kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.ORDER, QuestionKind.MATCH):
            options = tuple(Option(letter, text) for letter, text in self.answer_key(question).options)
        elif question.kind is QuestionKind.TRUE_FALSE:
            options = (Option("True", "True"), Option("False", "False"))
        else:
            options = ()
        return AskedQuestion(
            ref,
            self.topic_title(question.topic),
            question.kind,
            question.prompt,
            options,
            self.figure_links(question),
            already_answered,
            reviews_due,
            lefts=tuple(pair.left for pair in question.pairs),
            extract=_extract(question),
        )

    def figure_links(self, question: Question) -> tuple[FigureLink, ...]:
        return tuple(FigureLink(f, self.bank.figures[f].name) for f in question.figures if f in self.bank.figures)

    def term_link(self, question: Question) -> FigureLink | None:
        """The first glossary card the question names, for the feedback's "explain" link."""
        terms = [FigureLink(t, self.bank.terms[t].term) for t in question.terms if t in self.bank.terms]
        return terms[0] if terms else None

    def correct_answer(self, question: Question) -> str:
        """The answer as students saw it: 'C) 3 April 1922' for multiple choice."""
        return self.answer_key(question).correct_display

    def why_wrong(self, question: Question, shown: str) -> str:
        """Why the option shown back ("B) ...") is wrong, if the item says; "" otherwise."""
        if not question.why_wrong or question.kind is not QuestionKind.MULTIPLE_CHOICE:
            return ""
        letter, _, _ = shown.partition(")")
        picked = dict(self.answer_key(question).options).get(letter.strip())
        reasons = {normalise(option): reason for option, reason in question.why_wrong.items()}
        return reasons.get(normalise(picked), "") if picked else ""

    def answer_forms(self, question: Question) -> list[str]:
        """Every answer a multiple-choice or true/false question can be given, as `grade` shows it back."""
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            return [f"{letter}) {text}" for letter, text in self.answer_key(question).options]
        return ["True", "False"] if question.kind is QuestionKind.TRUE_FALSE else []

    def grade(self, question: Question, given: str) -> tuple[bool, str]:
        """(correct?, the answer as it should be shown back)."""
        key = self.answer_key(question)
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            letter = pick_option(given, key.options)
            if letter is None:
                letters = ", ".join(letter for letter, _ in key.options)
                raise InvalidInput(f"Answer with one of the letters {letters}.")
            return letter == key.answer_letter, f"{letter}) {dict(key.options)[letter]}"
        if question.kind is QuestionKind.TRUE_FALSE:
            verdict = parse_true_false(given)
            if verdict is None:
                raise InvalidInput("Answer True or False.")
            return verdict is question.answer, "True" if verdict else "False"
        if question.kind is QuestionKind.ORDER:
            numbers = tuple(str(n) for n in read_order(given, len(key.arrangement)))
            return _arranged(numbers, key.arrangement, "in the right place")
        if question.kind is QuestionKind.MATCH:
            letters = read_match(given, [letter for letter, _ in key.options])
            pairs = tuple(f"{n}{letter}" for n, letter in enumerate(letters, start=1))
            right = tuple(f"{n}{letter}" for n, letter in enumerate(key.arrangement, start=1))
            return _arranged(pairs, right, "paired right")
        if is_choice_not_text(given):
            raise InvalidInput(TYPED_ANSWER_WANTED)
        return key.short_answer.match(given).matched, given

    def answer_key(self, question: Question) -> AnswerKey:
        """Worked out once per question: option order, the right letter, and for short answers the right
        forms (its own plus every name on the card of a figure it is, so 'Bronstein' passes for 'Trotsky')
        and the wrong ones (its own plus every figure name not accepted, so 'Kamenev' never passes for
        'Zinoviev')."""
        key = self._answer_keys.get(question.id)
        if key is None and question.kind in (QuestionKind.ORDER, QuestionKind.MATCH):
            key = self._answer_keys[question.id] = arrangement_key(question)
        if key is None:
            options = tuple(selection.option_order(question.id, question.options))
            answer = normalise(str(question.answer))
            letter = next((letter for letter, text in options if normalise(text) == answer), None)
            figure_names = [forms for forms, _ in self._figure_forms]
            accepted = with_other_names((str(question.answer), *question.accept), question.prompt, figure_names)
            right = {normalise(form) for form in accepted}
            rejected = [*question.wrong]
            for forms, folded in self._figure_forms:
                if not right & folded:
                    rejected.extend(forms)
            display = f"{letter}) {dict(options)[letter]}" if letter else question.answer_text
            key = AnswerKey(options, letter, display, ShortAnswer(accepted, rejected, prompt=question.prompt))
            self._answer_keys[question.id] = key
        return key

    # ----------------------------------------------------------------- what to ask

    def practice_candidates(
        self, topic: str | None, figure: str | None, taught: frozenset[str] | None = None
    ) -> list[str]:
        """The questions practice draws from: a topic's, a figure's, or any, within the `taught` topics."""
        if figure:
            card_id = self.names.find(figure).card_id
            about = self.questions_about.get(card_id, [])
            candidates = [q for q in about if taught is None or self.bank.questions[q].topic in taught]
            if not candidates:
                yet = " in the topics taught so far" if about else " yet"
                raise NoQuestionsAvailable(f" about {self.names.entries[card_id].name}{yet}")
            return candidates
        if topic is not None and topic.strip():
            topic_id = self.resolve_topic(topic)
            if taught is not None and topic_id not in taught:
                raise InvalidInput(self.not_taught(topic_id, taught))
            return [question.id for question in self.bank.questions.values() if question.topic == topic_id]
        return [q.id for q in self.bank.questions.values() if taught is None or q.topic in taught]

    def not_taught(self, topic_id: str, taught: frozenset[str]) -> str:
        titles = ", ".join(self.topic_title(t) for t in self.bank.topics if t in taught)
        return (
            f"Your class hasn't been taught \u201c{self.topic_title(topic_id)}\u201d yet, so there are no questions "
            f"on it for now. Practise a topic taught so far: {titles}."
        )

    def daily_candidates(self, topics: frozenset[str]) -> tuple[str, ...]:
        """The questions a daily question is drawn from (a topic filter, or the whole bank), in a fixed order."""
        if topics not in self._daily_candidates:
            chosen = [question.id for question in self.bank.questions_in(set(topics) or None)]
            self._daily_candidates[topics] = tuple(sorted(chosen or self.bank.questions))
            if not self._daily_candidates[topics]:
                raise NoQuestionsAvailable()
        return self._daily_candidates[topics]

    # ----------------------------------------------------------------- topics

    def taught(self, community: CommunityRow) -> frozenset[str] | None:
        """The ids of the topics a class has been taught so far (`topics taught`), or None for the whole bank.
        What the daily question, practice, review and assignments draw from. Topics that have left the bank
        are dropped; when none is left, the whole bank (rather than nothing to ask)."""
        return self.taught_of(community.taught_topics)

    def taught_of(self, stored: list | None) -> frozenset[str] | None:
        """`taught` from the stored column (a JSON list of topic ids, or NULL)."""
        if stored is None:
            return None
        known = frozenset(t for t in stored if self.topic_sizes.get(t))
        return known or None

    def daily_topics(self, community: CommunityRow) -> frozenset[str]:
        """The topics the daily question is drawn from (empty: the whole bank): the schedule's `topics=` that
        have been taught, or every taught topic when none of those has."""
        chosen = frozenset(community.daily_topics or ())
        taught = self.taught(community)
        if taught is None:
            return chosen
        return (chosen & taught) or taught

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

    def topic_title(self, topic_id: str) -> str:
        topic = self.bank.topics.get(topic_id)
        return topic.title if topic else topic_id

    @functools.cached_property
    def topic_sizes(self) -> dict[str, int]:
        """Questions per topic in the bank (which does not change while the bot runs)."""
        return {topic.topic_id: topic.question_count for topic in self.topics()}

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


def arrangement_key(question: Question) -> AnswerKey:
    """An order item's events numbered in a shuffled order, and the numbers in time order; or a match
    item's right-hand items lettered in a shuffled order, and each left's letter in turn."""
    no_text = ShortAnswer(())
    if question.kind is QuestionKind.ORDER:
        shown = selection.arranged(question.id, [event.event for event in question.events])
        number = {event: str(n) for n, event in enumerate(shown, start=1)}
        order = tuple(number[event.event] for event in question.events)
        display = f"{' '.join(order)}: {question.answer_text}"
        return AnswerKey(tuple((number[event], event) for event in shown), None, display, no_text, order)
    rights = selection.arranged(question.id, [pair.right for pair in question.pairs])
    letter = dict(zip(rights, selection.LETTERS, strict=False))
    answer = tuple(letter[pair.right] for pair in question.pairs)
    display = "; ".join(
        f"{n}{letter[pair.right]} {pair.left}: {pair.right}" for n, pair in enumerate(question.pairs, 1)
    )
    return AnswerKey(tuple((letter[right], right) for right in rights), None, display, no_text, answer)


def _arranged(given: tuple[str, ...], right: tuple[str, ...], placed: str) -> tuple[bool, str]:
    """(right?, the answer as shown back: with how many were right when not all were)."""
    shown = " ".join(given)
    if given == right:
        return True, shown
    return False, f"{shown} ({in_place(given, right)} of {len(right)} {placed})"


def _extract(question: Question) -> SourceExtract | None:
    source = question.extract
    return source and SourceExtract(source.text, source.who, source.when, source.audience, source.note)
