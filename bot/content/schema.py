"""The shape of the content files, as pydantic models. Unknown keys are errors, not ignored."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from bot.core.vocabulary import QuestionKind

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9:._-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

MAX_PROMPT = 300
MAX_EXTRACT = 900  # a source item's extract: a short paragraph
MAX_ITEM = 100  # an order item's event, a match item's left or right: one line on a phone
ARRANGED = range(3, 6)  # an order item's events, a match item's pairs: 3 to 5
TAGS = frozenset({"why-how", "chronology", "historians", "which-figure", "misconception", "judgement"})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(Strict):
    id: Slug
    title: Text


class Topic(Strict):
    id: Slug
    title: Text
    area: Slug
    description: str = ""


class Source(Strict):
    id: Slug
    title: Text


class Coverage(Strict):
    """Minimums `content check` enforces for the shipped bank (teachers' own banks may omit them)."""

    total: int = 0
    per_area: int = 0
    per_source_prefix: dict[str, int] = Field(default_factory=dict)
    per_kind: dict[QuestionKind, int] = Field(default_factory=dict)
    per_tag: dict[str, int] = Field(default_factory=dict)
    per_tag_share: dict[str, float] = Field(default_factory=dict)
    figures: list[Slug] = Field(default_factory=list)
    terms: int = 0
    essays: int = 0


class Event(Strict):
    """One event of an order item, with the date shown once the student has answered."""

    event: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ITEM)]
    date: Text


class Pair(Strict):
    """One pair of a match item: a numbered left-hand item and its lettered right-hand one."""

    left: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ITEM)]
    right: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ITEM)]


class Extract(Strict):
    """A source a question is about: a short extract (or a faithful paraphrase), and its provenance."""

    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_EXTRACT)]
    who: Text  # who wrote or said it, and their position then
    when: Text
    audience: str = ""  # for whom: it bears on how far the source can be trusted
    note: str = ""  # where it comes from, and whether it is a paraphrase


class Question(Strict):
    id: Slug
    topic: Slug
    kind: QuestionKind
    prompt: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PROMPT)]
    options: list[Text] = Field(default_factory=list)
    answer: str | bool | None = None  # order and match items have none: the order of `events`, the `pairs`
    events: list[Event] = Field(default_factory=list)  # an order item's, earliest first
    pairs: list[Pair] = Field(default_factory=list)  # a match item's
    # Multiple choice: why a wrong option is wrong, keyed by its text; shown to a student who picks it.
    why_wrong: dict[str, Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]] = (
        Field(default_factory=dict)
    )
    extract: Extract | None = None  # a source item's extract, shown above the prompt
    accept: list[Text] = Field(default_factory=list)
    wrong: list[Text] = Field(default_factory=list)
    explanation: Text
    source: Slug
    figures: list[Slug] = Field(default_factory=list)
    terms: list[Slug] = Field(default_factory=list)  # glossary cards a wrong answer points to
    tags: list[str] = Field(default_factory=list)

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: list[str]) -> list[str]:
        unknown = sorted(set(tags) - TAGS)
        if unknown:
            raise ValueError(f"unknown tag(s) {unknown}; use {sorted(TAGS)}")
        return tags

    @property
    def answer_text(self) -> str:
        if self.kind is QuestionKind.TRUE_FALSE:
            return "True" if self.answer is True else "False"
        if self.kind is QuestionKind.ORDER:
            return " \u2192 ".join(f"{event.event} ({event.date})" for event in self.events)
        if self.kind is QuestionKind.MATCH:
            return "; ".join(f"{pair.left}: {pair.right}" for pair in self.pairs)
        return str(self.answer)


Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Factor(Strict):
    """One factor an essay weighs: its name, the precise evidence for it, and how it bears on the question."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    evidence: Annotated[list[Short], Field(min_length=1, max_length=2)]
    link: Short


class Essay(Strict):
    """An exam-style essay question with its model plan: factors most important first, and a judgement."""

    id: Slug
    topic: Slug
    marks: Literal[12, 24]
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_PROMPT)]
    factors: Annotated[list[Factor], Field(min_length=4, max_length=6)]
    judgement: Text
    source: Slug


class Post(Strict):
    title: Text
    dates: Text


class Figure(Strict):
    id: Slug
    name: Text
    aliases: list[Text] = Field(default_factory=list)
    lifespan: str = ""
    summary: Text
    background: str = ""
    posts: list[Post] = Field(default_factory=list)
    faction: str = ""
    strengths: list[Text] = Field(default_factory=list)
    weaknesses: list[Text] = Field(default_factory=list)
    mistakes: list[Text] = Field(default_factory=list)
    fate: str = ""
    historians: list[Text] = Field(default_factory=list)
    mix_up: str = ""


class Term(Strict):
    id: Slug
    term: Text
    aliases: list[Text] = Field(default_factory=list)
    dates: str = ""
    definition: Text
    significance: str = ""
    related: list[Slug] = Field(default_factory=list)


class Allowance(Strict):
    """A `content check` warning a reviewer has read and kept on purpose, with the reason."""

    check: Literal["near-duplicate", "option-length"]
    questions: list[Slug]  # the pair for near-duplicate, the one question for option-length
    reason: Text


class Bank(BaseModel):
    """Everything loaded from one content directory, already cross-checked."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    areas: dict[str, Area]
    topics: dict[str, Topic]
    sources: dict[str, Source]
    questions: dict[str, Question]
    figures: dict[str, Figure]
    terms: dict[str, Term]
    essays: dict[str, Essay] = Field(default_factory=dict)
    coverage: Coverage | None = None
    allowed_warnings: tuple[Allowance, ...] = ()

    def questions_in(self, topic_ids: set[str] | None = None) -> list[Question]:
        return [q for q in self.questions.values() if topic_ids is None or q.topic in topic_ids]


FileKind = Literal["topics", "questions", "figures", "glossary"]
