"""The teacher's class report and CSV export: which days a period covers, what counts as a hard question,
and how an attempt becomes a spreadsheet row. Pure rules; bot/service/reports.py reads the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.clock import as_utc, zone
from bot.core.errors import InvalidInput

INACTIVE_DAYS = 7  # a member with no answer for this many days is listed for the teacher
HARDEST_MIN_ANSWERS = 3  # a question needs this many answers in the period to count as hard
HARDEST_SHOWN = 5
# A class's mastery is the mean recall of its members' review cards; past this many members it is worked
# out from an even spread of them (a mean over 500 students' cards is within a point or two of the whole
# class's, and reading 10,000 students' 1.5 million cards takes seconds).
MASTERY_SAMPLE = 500
TERM_STARTS = ((9, 1), (1, 1), (4, 1))  # (month, day): autumn, spring and summer terms in English schools
PERIOD_WORDS = ("week", "month", "term")
PERIOD_HELP = "Periods: `week` (the last 7 days), `month` (the last 30), `term`, or `since YYYY-MM-DD`."
EXPORT_HEADER = (
    "date_time",
    "student",
    "user_id",
    "question_id",
    "topic",
    "kind",
    "mode",
    "answer",
    "correct",
    "points",
)
# Excel and Sheets run a cell that starts with one of these as a formula: a student's answer never should
# (export_rows puts an apostrophe in front, which shows the text as it is).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """The local days a report or export covers, both ends included."""

    label: str
    first: dt.date
    last: dt.date

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def slug(self) -> str:
        """For file names: `2026-11-27_2026-12-03`."""
        return f"{self.first.isoformat()}_{self.last.isoformat()}"


def term_start(today: dt.date) -> dt.date:
    starts = [dt.date(today.year - back, month, day) for back in (0, 1) for month, day in TERM_STARTS]
    return max(start for start in starts if start <= today)


def parse_period(text: str | None, today: dt.date) -> ReportPeriod:
    """`week` (default), `month`, `term` or `since YYYY-MM-DD`, ending today in the class's zone."""
    words = (text or "").strip().lower().split()
    if not words or words == ["week"]:
        return ReportPeriod("the last 7 days", today - dt.timedelta(days=6), today)
    if words == ["month"]:
        return ReportPeriod("the last 30 days", today - dt.timedelta(days=29), today)
    if words == ["term"]:
        start = term_start(today)
        return ReportPeriod(f"this term (since {start:%d %b %Y})", start, today)
    if words[0] == "since" and len(words) == 2:
        try:
            start = dt.date.fromisoformat(words[1])
        except ValueError:
            raise InvalidInput(f"“{words[1][:40]}” is not a date: write it as YYYY-MM-DD. {PERIOD_HELP}") from None
        if start > today:
            raise InvalidInput(f"{start:%d %b %Y} has not happened yet. {PERIOD_HELP}")
        return ReportPeriod(f"since {start:%d %b %Y}", start, today)
    raise InvalidInput(f"I don't know the period “{' '.join(words)[:60]}”. {PERIOD_HELP}")


def split_period_and_topic(text: str) -> tuple[str, str]:
    """`report month collectivisation` -> ("month", "collectivisation"); a period comes first if given."""
    words = text.split()
    if words and words[0].lower() in PERIOD_WORDS:
        return words[0], " ".join(words[1:])
    if len(words) >= 2 and words[0].lower() == "since":
        return " ".join(words[:2]), " ".join(words[2:])
    return "", " ".join(words)


def mastery_sample(member_ids: list[int], size: int = MASTERY_SAMPLE) -> list[int]:
    """The members whose cards a class's mastery is worked out from: all of them, or an even spread."""
    if len(member_ids) <= size:
        return member_ids
    step = len(member_ids) / size
    return [member_ids[int(n * step)] for n in range(size)]


def share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def hardest(per_question: dict[str, tuple[int, int]], limit: int = HARDEST_SHOWN) -> list[str]:
    """The question ids the class got right least often ((answered, right) each), among those with
    enough answers to judge; ties go to the more answered, then the id (a stable order)."""
    judged = [(q, answered, right) for q, (answered, right) in per_question.items() if answered >= HARDEST_MIN_ANSWERS]
    judged.sort(key=lambda item: (share(item[2], item[1]), -item[1], item[0]))
    return [q for q, _, _ in judged[:limit]]


def weakest(per_topic: dict[str, tuple[int, int]], minimum: int = 2) -> str | None:
    """The topic a student gets right least often ((answered, right) each), among those with `minimum` answers."""
    judged = [(share(right, answered), topic) for topic, (answered, right) in per_topic.items() if answered >= minimum]
    return min(judged)[1] if judged else None


class LocalTimes:
    """Stored UTC instants (SQLite's text or a datetime) as the class's local "YYYY-MM-DD HH:MM:SS". The
    zone's offset is looked up once per UTC hour: an export turns millions of instants, in time order."""

    def __init__(self, timezone: str) -> None:
        self.place = zone(timezone)
        self._offsets: dict[str, dt.timedelta] = {}

    def offset(self, hour: str) -> dt.timedelta:
        """The zone's offset from UTC in the UTC hour "YYYY-MM-DD HH"."""
        found = self._offsets.get(hour)
        if found is None:
            moment = dt.datetime.fromisoformat(f"{hour}:00").replace(tzinfo=dt.UTC)
            found = self._offsets[hour] = moment.astimezone(self.place).utcoffset() or dt.timedelta()
        return found

    def __call__(self, instant: str | dt.datetime) -> str:
        if isinstance(instant, dt.datetime):
            instant = as_utc(instant).replace(tzinfo=None).isoformat(" ")
        return (dt.datetime.fromisoformat(instant[:19]) + self.offset(instant[:13])).isoformat(" ")


def export_rows(
    attempts: Iterable[tuple],
    students: dict[int, tuple[str, str]],
    questions: dict[str, tuple[str, str]],
    local: LocalTimes,
) -> list[tuple]:
    """Attempts (created UTC, member id, question id, mode, answer, correct, points) as the export's rows
    (EXPORT_HEADER): `students` gives each member's (name, platform id), `questions` each question's (topic,
    kind). Written as one loop (no call per row or per cell): an export turns millions of rows."""
    rows = []
    parse, starts, unknown = dt.datetime.fromisoformat, FORMULA_STARTS, ("", "")
    hour, offset = "", dt.timedelta()
    for created, member, question_id, mode, answer, correct, points in attempts:
        if not isinstance(created, str):
            created = as_utc(created).replace(tzinfo=None).isoformat(" ")
        if created[:13] != hour:
            hour = created[:13]
            offset = local.offset(hour)
        name, user_id = students.get(member, unknown)
        topic, kind = questions.get(question_id, unknown)
        rows.append(
            (
                (parse(created[:19]) + offset).isoformat(" "),
                f"'{name}" if name.startswith(starts) else name,
                user_id,
                question_id,
                topic,
                kind,
                mode,
                f"'{answer}" if answer.startswith(starts) else answer,
                "TRUE" if correct else "FALSE",
                points,
            )
        )
    return rows


# ---------------------------------------------------------------- what a report holds (rendered by the adapters)


@dataclass(frozen=True, slots=True)
class ChoiceShare:
    """How many in the class gave one answer to a question: an option, or a typed wrong answer."""

    answer: str
    count: int
    share: float
    correct: bool = False


@dataclass(frozen=True, slots=True)
class HardQuestion:
    question_id: str
    prompt: str
    topic: str
    correct_answer: str
    answered: int
    right: int
    choices: tuple[ChoiceShare, ...]  # every option (multiple choice, true/false) or the commonest wrong answers

    @property
    def share_right(self) -> float:
        return share(self.right, self.answered)


@dataclass(frozen=True, slots=True)
class TopicLine:
    topic_id: str
    title: str
    answered: int
    right: int
    mastery: float | None  # the class's mean recall now (review cards); None when no card was reviewed

    @property
    def accuracy(self) -> float:
        return share(self.right, self.answered)

    @property
    def strength(self) -> float:
        """What "weakest first" sorts by: mastery where the cards know it, else accuracy."""
        return self.mastery if self.mastery is not None else self.accuracy


@dataclass(frozen=True, slots=True)
class StudentLine:
    name: str
    user_id: str
    answered: int
    right: int
    streak: int
    weakest_topic: str | None

    @property
    def accuracy(self) -> float:
        return share(self.right, self.answered)


@dataclass(frozen=True, slots=True)
class ClassReport:
    """A class at a glance for its teacher. `chart_png` shows answers per day and the topics weakest first."""

    class_name: str
    period: ReportPeriod
    topic: str | None  # the one topic reported on, or None for all
    members: int
    active: int  # members who answered in the period
    answers_per_day: tuple[tuple[dt.date, int], ...]
    inactive: tuple[str, ...]  # names of members with no answer for INACTIVE_DAYS days or more
    topics: tuple[TopicLine, ...]  # weakest first
    hardest: tuple[HardQuestion, ...]
    students: tuple[StudentLine, ...]  # lowest accuracy first
    mastery_from: int = 0  # how many members' cards mastery was worked out from (all of them, or a spread)
    essay_plans: int = 0  # essay plans finished in the period (of the topic's essays, with a topic)
    essay_planners: int = 0  # members who finished one
    chart_png: bytes = b""

    @property
    def essay_line(self) -> str:
        """ "5 essay plans finished by 3 students." ("" with none)."""
        if not self.essay_plans:
            return ""
        plans = f"{self.essay_plans} essay plan{'' if self.essay_plans == 1 else 's'}"
        return f"{plans} finished by {self.essay_planners} student{'' if self.essay_planners == 1 else 's'}."

    @property
    def answers(self) -> int:
        return sum(count for _, count in self.answers_per_day)

    @property
    def right(self) -> int:
        return sum(topic.right for topic in self.topics)

    @property
    def weakest_topic(self) -> TopicLine | None:
        return self.topics[0] if self.topics else None

    @property
    def mastery_sampled(self) -> bool:
        return 0 < self.mastery_from < self.members

    @property
    def file_stem(self) -> str:
        return f"class-report_{self.period.slug}"


@dataclass(frozen=True, slots=True)
class ExportDone:
    """A CSV export written: how many attempts, and the file name to give it."""

    rows: int
    filename: str
    period: ReportPeriod
