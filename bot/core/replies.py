"""Platform-neutral results of the use cases. Adapters render these; nothing here knows a platform."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.core.timeline import DatedEvent
from bot.core.vocabulary import AssignmentStatus, Mode, Period, QuestionKind


@dataclass(frozen=True, slots=True)
class Option:
    letter: str  # "A".."E", or "True"/"False" for true/false questions
    text: str


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """Everything needed to answer a question later, e.g. from a button after a restart."""

    question_id: str
    mode: Mode
    daily_date: dt.date | None = None
    assignment_id: int | None = None  # an assignment's question: which assignment (None: the one asked last)

    def encode(self) -> str:
        """Compact, stable form for button ids: `d:2026-11-27:ps-001`, `p::ps-001`, `r::ps-001`, or
        `a:17:ps-001` (assignment 17's question: the middle part is the assignment's id, not a day)."""
        if self.mode is Mode.ASSIGNMENT:
            return f"a:{self.assignment_id or ''}:{self.question_id}"
        day = self.daily_date.isoformat() if self.daily_date else ""
        return f"{self.mode.value[0]}:{day}:{self.question_id}"

    @classmethod
    def decode(cls, text: str) -> QuestionRef:
        mode_letter, middle, question_id = text.split(":", 2)
        if mode_letter == "a":
            if middle and not middle.isdigit():
                raise ValueError(f"not an assignment id: {middle[:20]!r}")
            return cls(question_id, Mode.ASSIGNMENT, assignment_id=int(middle) if middle else None)
        mode = {"d": Mode.DAILY, "r": Mode.REVIEW}.get(mode_letter, Mode.PRACTICE)
        return cls(question_id, mode, dt.date.fromisoformat(middle) if middle else None)


@dataclass(frozen=True, slots=True)
class FigureLink:
    card_id: str
    name: str


@dataclass(frozen=True, slots=True)
class SourceExtract:
    """The source a question asks about, as the student reads it: the extract and who, when and for whom."""

    text: str
    who: str
    when: str
    audience: str = ""
    note: str = ""  # e.g. "Paraphrase of ..."

    @property
    def attribution(self) -> str:
        """ "Nikita Khrushchev, 25 February 1956, to delegates of the 20th Party Congress"."""
        to = f", to {self.audience[0].lower()}{self.audience[1:]}" if self.audience else ""
        return f"{self.who}, {self.when}{to}"


@dataclass(frozen=True, slots=True)
class AskedQuestion:
    """A question as a student is asked it (the options in their order, the figures it names); "cards"
    are only the figure and glossary cards (ReferenceCard)."""

    ref: QuestionRef
    topic: str  # the topic's title
    kind: QuestionKind
    prompt: str
    # Multiple choice: lettered options; true/false: True and False; order: the events, numbered in a
    # shuffled order; match: the right-hand items, lettered, beside `lefts`.
    options: tuple[Option, ...] = ()
    figures: tuple[FigureLink, ...] = ()
    already_answered: bool = False  # the daily question this member has already answered
    reviews_due: int = 0  # asked by `review`: how many are due today, this one included
    assignment: AssignmentStanding | None = None  # an assignment's question: the student's way through it so far
    lefts: tuple[str, ...] = ()  # a match item's left-hand items, numbered 1, 2, 3 ... in this order
    extract: SourceExtract | None = None  # a source item's source, shown before the prompt

    @property
    def is_daily(self) -> bool:
        return self.ref.mode is Mode.DAILY


@dataclass(frozen=True, slots=True)
class AnswerFeedback:
    ref: QuestionRef
    correct: bool
    given: str
    correct_answer: str
    explanation: str
    points: int
    streak: int
    total_points: int
    repeated: bool = False  # a second answer to the same daily question: first result, no points
    figure: FigureLink | None = None
    term: FigureLink | None = None  # the glossary card the question names, if any
    note: str = ""  # e.g. "yesterday's question counts as practice"
    why_wrong: str = ""  # why the option the student picked is wrong, when the item says
    reviews_due: int | None = None  # after a review: how many more are due today
    assignment: AssignmentStanding | None = None  # after an assignment's question: the student's standing now


@dataclass(frozen=True, slots=True)
class ReviewsDone:
    """`review` with nothing due today: what was done, what comes next, and what to practise instead."""

    done_today: int
    next_due: dt.datetime | None  # in the community's local time; None: no cards at all yet
    due_this_week: int
    weakest_topic: TopicInfo | None = None


@dataclass(frozen=True, slots=True)
class RatingNoted:
    """A right answer re-graded by the student ("I guessed" or "Too easy"), and when it now comes back."""

    question_id: str
    rating: str  # "guessed" or "easy"
    next_due: dt.datetime  # local time


@dataclass(frozen=True, slots=True)
class RemindersSetting:
    """`review reminders on|off`: the student's choice, and when reminders would come."""

    on: bool
    when: str  # e.g. "at 08:30 (Europe/London) on the days the class's question is posted", or why never


@dataclass(frozen=True, slots=True)
class ReviewReminder:
    """A direct message to one student who turned reminders on, on a day reviews wait for them."""

    community_id: str  # the platform's id of the community (guild, team)
    user_id: str  # the platform's user id
    due: int  # how many reviews are due


@dataclass(frozen=True, slots=True)
class PrivacySettings:
    """`privacy`: how the class sees a student on public boards and posts (bot.core.privacy.BoardName)."""

    choice: str  # "named", "pseudonym" or "hidden": what applies now
    chosen: bool  # the student's own choice (else the class's default applies)
    class_default: str
    pseudonym: str
    shown_as: str | None  # the name the class sees; None: not on public boards at all
    next_pseudonym_change: dt.datetime | None = None  # when a new pseudonym may be asked for (UTC)


@dataclass(frozen=True, slots=True)
class MyData:
    """`my-data`: everything stored about a student in their class, as a JSON file to hand them."""

    filename: str
    json_text: str


@dataclass(frozen=True, slots=True)
class TopicMastery:
    """How much of a topic a student still knows now: the questions met, and their mean recall (0..1)."""

    topic_id: str
    topic: str
    met: int
    total: int
    recall: float


@dataclass(frozen=True, slots=True)
class FigureRecord:
    """A student's own answers to the questions about one figure."""

    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    rank: int
    name: str
    points: int
    is_caller: bool = False


@dataclass(frozen=True, slots=True)
class Leaderboard:
    period: Period
    period_label: str  # "week of 23 Nov 2026", "November 2026", "all time"
    entries: tuple[LeaderboardEntry, ...]
    caller: LeaderboardEntry | None  # None when the caller has no points in this period
    total_ranked: int


@dataclass(frozen=True, slots=True)
class CardSection:
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class ReferenceCard:
    """A figure card (Trotsky, Bukharin, ...) or a glossary entry (NEP, kulak, ...)."""

    card_id: str
    kind: str  # "figure" or "term"
    name: str
    summary: str
    sections: tuple[CardSection, ...] = ()
    aliases: tuple[str, ...] = ()
    has_questions: bool = False  # a "Quiz me on this" button makes sense
    record: FigureRecord | None = None  # the asker's answers on this figure's questions, when asked by someone


@dataclass(frozen=True, slots=True)
class TopicStats:
    topic: str
    answered: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass(frozen=True, slots=True)
class Stats:
    name: str
    answered: int
    correct: int
    daily_answered: int
    practice_answered: int
    points: int
    current_streak: int
    best_streak: int
    per_topic: tuple[TopicStats, ...] = field(default_factory=tuple)
    review_answered: int = 0
    mastery: tuple[TopicMastery, ...] = ()
    due_now: int = 0
    due_this_week: int = 0
    # The half-term's streak freeze: the day it was used (this half-term), and whether one is left.
    streak_freeze_used_on: dt.date | None = None
    streak_freeze_available: bool = True
    assignment_answered: int = 0  # answers to assignments' questions (retakes included)

    @property
    def accuracy(self) -> float:
        return self.correct / self.answered if self.answered else 0.0

    @property
    def assignment_note(self) -> str:
        """The answered line's end, such as ", 4 assignment", when there are assignment answers; else empty."""
        return f", {self.assignment_answered} assignment" if self.assignment_answered else ""

    @property
    def freeze_note(self) -> str:
        """The half-term's streak freeze in words, the same on every platform."""
        if self.streak_freeze_used_on is not None:
            return f"streak freeze used {self.streak_freeze_used_on:%a %d %b} (one a half-term)"
        return "1 streak freeze left this half-term (one missed school day forgiven)"


@dataclass(frozen=True, slots=True)
class TopicInfo:
    topic_id: str
    title: str
    area: str
    question_count: int


@dataclass(frozen=True, slots=True)
class Forgotten:
    attempts_deleted: int
    existed: bool


@dataclass(frozen=True, slots=True)
class StreakHolder:
    name: str
    streak: int


@dataclass(frozen=True, slots=True)
class Reveal:
    """Yesterday's (the previous) daily question, its answer and how the class did, naming no one who got it wrong."""

    day: dt.date
    prompt: str
    correct_answer: str
    explanation: str
    answered: int
    correct: int
    top_streaks: tuple[StreakHolder, ...] = ()

    @property
    def percent_correct(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


@dataclass(frozen=True, slots=True)
class ClassGoal:
    """The class's week so far against its goal: the share of right answers to the week's daily questions."""

    goal_percent: int | None  # None: no goal set (the share is still shown)
    answered: int
    right: int

    @property
    def percent_right(self) -> int:
        return round(100 * self.right / self.answered) if self.answered else 0

    @property
    def reached(self) -> bool:
        return self.goal_percent is not None and self.answered > 0 and self.percent_right >= self.goal_percent


@dataclass(frozen=True, slots=True)
class GoalSetting:
    goal_percent: int | None


@dataclass(frozen=True, slots=True)
class ClassDeleted:
    members: int
    answers: int


@dataclass(frozen=True, slots=True)
class DailyPost:
    """What a scheduled post puts in a class channel."""

    question: AskedQuestion
    reveal: Reveal | None = None
    leaderboard: Leaderboard | None = None
    reviews_waiting: int = 0  # how many of the class have reviews due (a count; never names)
    goal: ClassGoal | None = None  # on the weekly board's day: the class goal, shown before the board
    community_id: str = ""  # the platform's id of the class (guild, team): whose token posts it


@dataclass(frozen=True, slots=True)
class ScheduleInfo:
    channel_id: str
    channel_name: str
    time_of_day: dt.time
    timezone: str  # the community's: one zone for its schedules, daily question and leaderboards
    days: str  # "Monday to Friday"
    pauses: tuple[tuple[dt.date, dt.date], ...]
    paused: bool
    topics: tuple[str, ...]
    weekly_leaderboard: str | None  # the weekday name, or None
    next_post: dt.datetime | None  # in the channel's local time
    last_error: str | None = None
    exists: bool = True
    # Other channels of this community whose posts keep failing (a deleted channel cannot be asked itself).
    failing_elsewhere: tuple[str, ...] = ()
    # The time zone is the community's: setting it here moved these other channels' schedules to it too.
    moved_to_timezone: tuple[str, ...] = ()
    # Today's post is not made yet and goes out at once: its slot has passed, or a teacher asked (`schedule now`).
    posting_now: bool = False
    skipped: tuple[dt.date, ...] = ()  # coming posting days a teacher skipped (`schedule skip`; resume undoes)
    # The titles in `topics` the class has not been taught yet (`topics taught`): not asked. When that is all
    # of them, the posts draw from every taught topic instead.
    untaught_topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TaughtTopics:
    """`topics taught`: what the class has been taught so far, which the daily question, practice, review and
    assignments draw from (`whole_bank`: nothing was chosen, so every topic)."""

    taught: tuple[TopicInfo, ...]
    not_yet: tuple[TopicInfo, ...]
    whole_bank: bool
    changed: bool = False


@dataclass(frozen=True, slots=True)
class TeacherRole:
    """`/teacher role`: the Discord role whose members count as teachers besides Manage Server (None: none)."""

    role_id: str | None
    changed: bool = False


# ---------------------------------------------------------------- assignments


@dataclass(frozen=True, slots=True)
class AssignmentInfo:
    """An assignment as the class sees it: a set of questions to do by a date, with a goal (share right)."""

    assignment_id: int
    title: str  # the topic's title, or "All taught topics"
    questions: int
    goal_percent: int
    due_date: dt.date  # the last local day it can be done
    closed_early: bool = False  # a teacher closed it before its date
    past_due: bool = False

    @property
    def is_open(self) -> bool:
        return not self.closed_early and not self.past_due

    @property
    def why_shut(self) -> str | None:
        """Why it takes no answers ("closed", "past its date"), the same words on every platform; None if open."""
        return "closed" if self.closed_early else "past its date" if self.past_due else None


@dataclass(frozen=True, slots=True)
class AssignmentStanding:
    """One student's way through an assignment: `right` questions whose latest answer is right, of
    `assignment.questions`; `answered` met at least once."""

    assignment: AssignmentInfo
    answered: int = 0
    right: int = 0
    finished: bool = False  # the goal reached
    started: bool = False

    @property
    def status(self) -> AssignmentStatus:
        if self.finished:
            return AssignmentStatus.FINISHED
        return AssignmentStatus.IN_PROGRESS if self.started else AssignmentStatus.NOT_STARTED

    @property
    def progress(self) -> str:
        """The same words on every platform: "3/10 right, goal 70%"."""
        return f"{self.right}/{self.assignment.questions} right, goal {self.assignment.goal_percent}%"


@dataclass(frozen=True, slots=True)
class AssignmentCreated:
    """`assign ...` (teachers): the assignment, to announce once in `channel_id` with a "Start" button."""

    assignment: AssignmentInfo
    channel_id: str
    asked_for: int  # the number of questions asked for: more than `assignment.questions` when the topic has fewer


@dataclass(frozen=True, slots=True)
class ClassAssignment:
    """One assignment in a teacher's list: who has finished, who is working on it, who has not started
    (names, up to a limit each; the counts are whole)."""

    assignment: AssignmentInfo
    finished: tuple[str, ...] = ()
    in_progress: tuple[str, ...] = ()
    not_started: tuple[str, ...] = ()
    finished_count: int = 0
    in_progress_count: int = 0
    not_started_count: int = 0


@dataclass(frozen=True, slots=True)
class ClassAssignments:
    """`assignments` for a teacher: the class's assignments, the open ones first."""

    assignments: tuple[ClassAssignment, ...]


@dataclass(frozen=True, slots=True)
class MyAssignments:
    """`assignments` for a student: the open assignments, what is still to do first."""

    assignments: tuple[AssignmentStanding, ...]

    @property
    def to_do(self) -> tuple[AssignmentStanding, ...]:
        return tuple(standing for standing in self.assignments if not standing.finished)


@dataclass(frozen=True, slots=True)
class AssignmentClosed:
    """A teacher closed an assignment early (`already`: it was closed, or past its date, before)."""

    assignment: AssignmentInfo
    already: bool = False


@dataclass(frozen=True, slots=True)
class Timeline:
    """`timeline [from] [to]`: the bank's dated events in that span, earliest first (at most a screen's
    worth: `more` were left out), each with its topic's title."""

    start: int | None
    end: int | None
    events: tuple[DatedEvent, ...]
    more: int = 0

    @property
    def title(self) -> str:
        if self.start is None:
            return f"Timeline to {self.end}"
        return f"Timeline, {self.start}" if self.start == self.end else f"Timeline, {self.start}-{self.end}"

    @property
    def more_note(self) -> str:
        """What was left out, and how to see it; "" when nothing was."""
        if not self.more:
            return ""
        return f"{self.more} more events after these: ask for fewer years, e.g. `timeline 1928 1932`."


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """`summary <topic>`: a one-screen knowledge organiser, from the bank and the student's own answers."""

    topic: TopicInfo
    description: str
    dates: tuple[DatedEvent, ...]  # the topic's key dated events, in order
    people: tuple[FigureLink, ...]  # the figures its questions are most about
    terms: tuple[FigureLink, ...]  # the glossary cards its questions name
    missed: tuple[str, ...] = ()  # prompts of the student's questions in it whose last answer was wrong
    answered: int = 0  # how many of its questions the student has answered

    @property
    def record(self) -> str:
        """The student's own line: how much of the topic they have met, and whether anything was missed."""
        count = self.topic.question_count
        if not self.answered:
            return f"You haven't answered any of its {count} questions yet."
        met = f"You've answered {self.answered} of its {count} questions"
        return f"{met}; last time you missed:" if self.missed else f"{met}, and got your last go at each right."


@dataclass(frozen=True, slots=True)
class EssayAsked:
    """`essay [topic]`: an exam-style question to plan, with its factors numbered and a lettered pool of
    evidence (both in a shuffled order); the plan is sent with `plan` (or the form) to plan `plan_id`."""

    plan_id: int
    essay_id: str
    topic: str  # the topic's title
    question: str
    marks: int
    factors: tuple[str, ...]  # numbered 1, 2, 3 ... in this order
    evidence: tuple[str, ...]  # lettered A, B, C ... in this order
    letters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedFactor:
    name: str
    evidence: str  # the evidence the student (or the model) put with it
    fits: bool = True  # the evidence is this factor's own
    better: str = ""  # when it is not: the factor's own evidence


@dataclass(frozen=True, slots=True)
class PlanCompared:
    """A finished plan beside the model's, compared by rules (bot.core.essays): what was missed, evidence
    that fits better, whether the judgement gives a verdict and links factors, and the level it aims at."""

    question: str
    marks: int
    mine: tuple[PlannedFactor, ...]
    model: tuple[PlannedFactor, ...]  # most important first, each with its evidence and how it links
    links: tuple[str, ...]  # for each model factor, how it bears on the question
    missed: tuple[str, ...]
    same_first: bool
    judgement: str
    model_judgement: str
    gives_verdict: bool
    links_factors: bool
    level: int
    level_marks: str  # e.g. "13-18"
    level_descriptor: str
    lift: str
    honest_note: str = (
        "Compared by rules from the plan's choices and a few words of the judgement: it cannot mark your "
        "writing, only point to what the model plan does."
    )


@dataclass(frozen=True, slots=True)
class EssayPlanLine:
    finished_at: dt.datetime  # local time
    question: str
    marks: int
    level: int


@dataclass(frozen=True, slots=True)
class EssayHistory:
    """`essay history`: the student's finished plans, newest first."""

    plans: tuple[EssayPlanLine, ...]


def judgement_notes(compared: PlanCompared) -> tuple[str, ...]:
    """What the rules saw in the student's judgement, and the ranking, in plain words."""
    return (
        "Your judgement gives a verdict." if compared.gives_verdict else "Your judgement gives no clear verdict.",
        "It links factors." if compared.links_factors else "It does not yet link the factors to each other.",
        "You put first the factor the model plan puts first."
        if compared.same_first
        else f"The model plan puts first: {compared.model[0].name}.",
    )


@dataclass(frozen=True, slots=True)
class ArrangementStep:
    """An order or match item answered a tap at a time: the question, what was tapped so far ("31" for
    events 3 then 1; "CA" for 1C 2A), and what may be tapped next."""

    card: AskedQuestion
    so_far: str
    left: tuple[str, ...]

    @property
    def progress(self) -> str:
        """ "3 \u2192 1" for an order; "1C 2A" for a match."""
        if self.card.kind is QuestionKind.ORDER:
            return " \u2192 ".join(self.so_far)
        return " ".join(f"{n}{letter}" for n, letter in enumerate(self.so_far, start=1))

    @property
    def next_step(self) -> str:
        if self.card.kind is QuestionKind.ORDER:
            return "Tap the event that came next."
        return f"Tap the letter for {len(self.so_far) + 1}. {self.card.lefts[len(self.so_far)]}."


@dataclass(frozen=True, slots=True)
class EssayStep:
    """An essay plan built by tapping: the question as `essay` showed it, the factors chosen so far (their
    numbers as shown, most important first), the evidence letters chosen so far (one per chosen factor,
    in the same order), and what comes next: "factors", "evidence" or "judgement"."""

    asked: EssayAsked
    factors: str
    evidence: str
    stage: str

    @property
    def factors_left(self) -> tuple[str, ...]:
        """The numbers of the factors not chosen yet."""
        return tuple(str(n) for n in range(1, len(self.asked.factors) + 1) if str(n) not in self.factors)

    @property
    def can_stop_choosing(self) -> bool:
        return self.stage == "factors" and len(self.factors) >= 3

    @property
    def chosen(self) -> tuple[tuple[str, str], ...]:
        """(factor, its evidence or "") for each factor chosen so far."""
        pool = dict(zip(self.asked.letters, self.asked.evidence, strict=True))
        return tuple(
            (self.asked.factors[int(number) - 1], pool.get(self.evidence[i], "") if i < len(self.evidence) else "")
            for i, number in enumerate(self.factors)
        )

    @property
    def next_step(self) -> str:
        if self.stage == "factors":
            more = " (or stop at 3)" if len(self.factors) == 3 else ""
            return f"Tap the factor you rank {ORDINALS[len(self.factors)]}{more}."
        if self.stage == "evidence":
            return f"Tap the evidence for {self.asked.factors[int(self.factors[len(self.evidence)]) - 1]}."
        return "Now write your judgement: your answer to the question, in one line."


ORDINALS = ("first", "second", "third", "fourth")
