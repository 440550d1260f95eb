"""The text-command grammar the text front ends share (Slack's `/study ...`, the console's lines).

`parse_command("quiz collectivisation")` -> `Quiz(topic="collectivisation")`; each front end then maps
the command to a service call and renders the reply. Platform details stay with the front end: a
Slack `<@U123>` mention in `stats` or `schedule teachers add` is passed on as text (`who`), and the
console's own words (`user`, `quit`) are handled before this grammar is asked. Bad input
raises InvalidInput with a usage hint; `prefix` ("/study " on Slack) goes in front of every example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from bot.core.assignments import AssignArgs, parse_assign
from bot.core.errors import InvalidInput
from bot.core.scoring import parse_period
from bot.core.vocabulary import Period

COMMANDS = (
    "daily",
    "review",
    "quiz",
    "answer",
    "leaderboard",
    "rival",
    "explain",
    "timeline",
    "summary",
    "essay",
    "plan",
    "stats",
    "forget-me",
    "my-data",
    "privacy",
    "goal",
    "class",
    "schedule",
    "topics",
    "assign",
    "assignments",
    "start",
    "report",
    "export",
    "help",
)
SCHEDULE_ACTIONS = ("set", "show", "now", "skip", "pause", "resume", "off", "list", "teachers")
_YEARS = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
SUGGEST_CUTOFF = 55  # rapidfuzz ratio: "leaderbord" -> leaderboard, "xyzzy" -> nothing


# ---------------------------------------------------------------- the commands


@dataclass(frozen=True, slots=True)
class Daily:
    pass


@dataclass(frozen=True, slots=True)
class Review:
    """`review`: the next question due for spaced review."""


@dataclass(frozen=True, slots=True)
class Rate:
    """`review guessed` / `review easy`: the last right answer was a guess, or too easy."""

    how: Literal["guessed", "easy"]


@dataclass(frozen=True, slots=True)
class ReviewReminders:
    """`review reminders on|off`: a direct message on days reviews are waiting."""

    on: bool


@dataclass(frozen=True, slots=True)
class SetGoal:
    """`goal 70%` / `goal off` (teachers): the class's weekly target of right daily answers."""

    text: str


@dataclass(frozen=True, slots=True)
class DeleteClass:
    """`class delete <confirmation>` (teachers): every answer, score and setting of the class."""

    confirmation: str = ""


@dataclass(frozen=True, slots=True)
class MyDataExport:
    """`my-data [--out FILE]`: everything stored about me here, as a JSON file."""

    out: str = ""


@dataclass(frozen=True, slots=True)
class Privacy:
    """`privacy` shows how the class sees me; `privacy named|pseudonym|hidden` changes it; `privacy new-name`
    draws a new pseudonym; `privacy default <choice>` (teachers) sets the class's default."""

    choice: str | None = None
    new_name: bool = False
    class_default: bool = False


@dataclass(frozen=True, slots=True)
class Quiz:
    topic: str | None = None
    figure: str | None = None  # `quiz --about trotsky`: a question about one card


@dataclass(frozen=True, slots=True)
class Answer:
    text: str


@dataclass(frozen=True, slots=True)
class ShowLeaderboard:
    period: Period = Period.WEEK


@dataclass(frozen=True, slots=True)
class Rival:
    name: str


@dataclass(frozen=True, slots=True)
class Explain:
    name: str


@dataclass(frozen=True, slots=True)
class ShowTimeline:
    """`timeline [from] [to]`: the unit's key dated events in that span of years (unset: the unit's own)."""

    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """`summary <topic>`: the topic's knowledge organiser."""

    topic: str


@dataclass(frozen=True, slots=True)
class StartEssay:
    """`essay [topic]`: an exam-style question to plan."""

    topic: str | None = None


@dataclass(frozen=True, slots=True)
class ShowEssayHistory:
    """`essay history`: the student's finished plans."""


@dataclass(frozen=True, slots=True)
class PlanEssay:
    """`plan 2 4 1 | B D A | judgement`: the plan for the essay last shown."""

    factors: str
    evidence: str
    judgement: str


@dataclass(frozen=True, slots=True)
class ShowStats:
    who: str = ""  # whose stats, as typed (a Slack mention, say); empty for the caller's own


@dataclass(frozen=True, slots=True)
class ForgetMe:
    """Only asks: the front end confirms before anything is deleted."""


@dataclass(frozen=True, slots=True)
class Help:
    pass


@dataclass(frozen=True, slots=True)
class Unknown:
    word: str
    suggestion: str | None = None  # the closest command, if any is close


@dataclass(frozen=True, slots=True)
class ScheduleArgs:
    """What a teacher typed after `schedule set`."""

    time: str
    timezone: str | None = None
    days: str | None = None
    topics: str | None = None  # "rivals,terror", or "all"
    weekly_leaderboard: str | None = None  # a weekday, or "off"


@dataclass(frozen=True, slots=True)
class ScheduleSet:
    args: ScheduleArgs


@dataclass(frozen=True, slots=True)
class ScheduleShow:
    pass


@dataclass(frozen=True, slots=True)
class SchedulePause:
    period: str | None = None  # "2026-12-19..2027-01-04"; None pauses until resumed


@dataclass(frozen=True, slots=True)
class ScheduleResume:
    pass


@dataclass(frozen=True, slots=True)
class ScheduleOff:
    target: str | None = None  # another channel, as typed; None for the channel the command is used in


@dataclass(frozen=True, slots=True)
class ScheduleList:
    pass


@dataclass(frozen=True, slots=True)
class Teachers:
    verb: Literal["list", "add", "remove"]
    who: str = ""  # as typed (a Slack mention, say); empty for `list`


@dataclass(frozen=True, slots=True)
class ScheduleNow:
    """`schedule now`: post this channel's question at once (it is today's post)."""


@dataclass(frozen=True, slots=True)
class ScheduleSkip:
    """`schedule skip`: leave out the next post (`schedule resume` brings skipped posts back)."""


@dataclass(frozen=True, slots=True)
class ShowTopics:
    """`topics`: the bank's topics."""


@dataclass(frozen=True, slots=True)
class Taught:
    """`topics taught` shows what the class has been taught so far; `topics taught <topic, topic ...>` or
    `topics taught all` (teachers) changes it."""

    topics: str = ""


@dataclass(frozen=True, slots=True)
class Assign:
    """`assign <topic or all> [n=10] due:YYYY-MM-DD [goal=70%]` (teachers): a set of questions for the class."""

    args: AssignArgs


@dataclass(frozen=True, slots=True)
class ShowAssignments:
    """`assignments`: a teacher's list of the class's (who finished, who has not started), a student's to do;
    `assignments mine` a teacher's own to do; `assignments close <N>` (teachers) closes one early."""

    close: int | None = None
    mine: bool = False


@dataclass(frozen=True, slots=True)
class StartAssignment:
    """`start <N>` (or `assignment <N>`): the next question of assignment N, as its Start button gives it."""

    number: int


@dataclass(frozen=True, slots=True)
class Report:
    """`report [week|month|term|since YYYY-MM-DD] [topic] [--out FILE.png]` (teachers): the class report.
    `args` is the period and topic as typed (the service reads them); `out` is where the console puts the chart."""

    args: str = ""
    out: str = ""


@dataclass(frozen=True, slots=True)
class Export:
    """`export [period] [--out FILE.csv]` (teachers): every attempt of the class in the period, as CSV."""

    period: str = ""
    out: str = ""


@dataclass(frozen=True, slots=True)
class ScheduleHelp:
    """`schedule help`, or a word after `schedule` that is none of its actions."""

    unknown: str | None = None
    suggestion: str | None = None


Command = (
    Daily
    | Privacy
    | MyDataExport
    | SetGoal
    | DeleteClass
    | Review
    | Rate
    | ReviewReminders
    | Quiz
    | Answer
    | ShowLeaderboard
    | Rival
    | Explain
    | ShowTimeline
    | Summary
    | StartEssay
    | ShowEssayHistory
    | PlanEssay
    | ShowStats
    | ForgetMe
    | Help
    | Unknown
    | ScheduleSet
    | ScheduleShow
    | SchedulePause
    | ScheduleResume
    | ScheduleOff
    | ScheduleList
    | Teachers
    | ScheduleHelp
    | ScheduleNow
    | ScheduleSkip
    | ShowTopics
    | Taught
    | Report
    | Export
    | Assign
    | ShowAssignments
    | StartAssignment
)


# ---------------------------------------------------------------- parsing


def parse_command(text: str | None, *, prefix: str = "", also: tuple[str, ...] = ()) -> Command:
    """One line of text -> a command. Empty text is `Help`. `also` are words the front end handles
    itself (the console's `user`, `topics`), offered as suggestions for a misspelt word."""
    word, rest = split_word(text)
    if not word:
        return Help()
    match word:
        case "daily":
            return Daily()
        case "review":
            return parse_review(rest, prefix)
        case "privacy":
            return parse_privacy(rest)
        case "goal":
            return SetGoal(_required(rest, prefix, "goal 70%  (or goal off)"))
        case "class":
            action, confirmation = split_word(rest)
            if action != "delete":
                raise InvalidInput(f"Try `{prefix}class delete` (teachers: deletes all of this class's data).")
            return DeleteClass(confirmation)
        case "my-data":
            return MyDataExport(rest.removeprefix("--out").strip())
        case "quiz":
            if rest.startswith("--about"):
                return Quiz(figure=_required(rest.removeprefix("--about"), prefix, "quiz --about <card>"))
            return Quiz(topic=rest or None)
        case "answer":
            return Answer(_required(rest, prefix, "answer <your answer>"))
        case "leaderboard":
            return ShowLeaderboard(_period(rest, prefix))
        case "rival":
            return Rival(_required(rest, prefix, "rival <name>, e.g. rival Trotsky"))
        case "explain":
            return Explain(_required(rest, prefix, "explain <name or term>"))
        case "timeline":
            return parse_timeline(rest, prefix)
        case "essay":
            return ShowEssayHistory() if rest.lower() == "history" else StartEssay(rest or None)
        case "plan":
            return parse_plan(rest, prefix)
        case "summary":
            return Summary(_required(rest, prefix, "summary <topic>, e.g. summary collectivisation"))
        case "stats":
            return ShowStats(rest)
        case "forget-me":
            return ForgetMe()
        case "schedule":
            return parse_schedule(rest, prefix=prefix)
        case "topics":
            return parse_topics(rest, prefix)
        case "report":
            args, out = _out_option(rest, prefix, "report week --out report.png")
            return Report(args, out)
        case "export":
            period, out = _out_option(rest, prefix, "export month --out answers.csv")
            return Export(period, out)
        case "assign":
            return Assign(parse_assign(rest, prefix))
        case "assignments":
            return parse_assignments(rest, prefix)
        case "start" | "assignment":
            return StartAssignment(_number(rest, "start <N>", prefix))
        case "help":
            return Help()
    return Unknown(word, closest(word, COMMANDS + also))


def parse_timeline(text: str, prefix: str = "") -> ShowTimeline:
    """`timeline`, `timeline 1928`, `timeline 1928 1932` or `timeline 1928-1932`: years, in either order."""
    years = _YEARS.findall(text)
    if _YEARS.sub("", text).strip(" -\u2013to,") or len(years) > 2:
        raise InvalidInput(f"Give one or two years, e.g. `{prefix}timeline 1928 1932` (or `{prefix}timeline` for all).")
    if not years:
        return ShowTimeline()
    first, last = int(years[0]), int(years[-1])
    return ShowTimeline(min(first, last), max(first, last))


def parse_plan(text: str, prefix: str = "") -> PlanEssay:
    """`plan <factors> | <evidence> | <judgement>`: the three parts of an essay plan, split at `|`."""
    parts = [part.strip() for part in text.split("|", 2)]
    if len(parts) != 3 or not all(parts):
        raise InvalidInput(
            f"Send the whole plan in one line: `{prefix}plan 2 4 1 | B D A | your one-line judgement` "
            "(your factors most important first, an evidence letter for each, then your answer to the question)."
        )
    return PlanEssay(*parts)


def parse_privacy(text: str) -> Privacy:
    action, rest = split_word(text)
    if not action:
        return Privacy()
    if action in {"new-name", "new-pseudonym", "rename"}:
        return Privacy(new_name=True)
    if action == "default":
        return Privacy(choice=rest or None, class_default=True)
    return Privacy(choice=action)


def parse_review(text: str, prefix: str = "") -> Command:
    """What follows `review`: nothing (the next review), `guessed`, `easy`, or `reminders on|off`."""
    action, rest = split_word(text)
    if not action:
        return Review()
    if action in {"guessed", "guess"}:
        return Rate("guessed")
    if action in {"easy", "too-easy"}:
        return Rate("easy")
    if action in {"reminders", "reminder"} and rest.lower() in {"on", "off"}:
        return ReviewReminders(rest.lower() == "on")
    raise InvalidInput(
        f"Try `{prefix}review` for your next review, `{prefix}review guessed` or `{prefix}review easy` after a "
        f"right answer, or `{prefix}review reminders on|off`."
    )


def parse_schedule(text: str, *, prefix: str = "") -> Command:
    """What follows `schedule`: `set|show|now|skip|pause|resume|off|list|teachers ...` (nothing is `show`)."""
    action, rest = split_word(text)
    match action:
        case "" | "show":
            return ScheduleShow()
        case "set":
            return ScheduleSet(parse_schedule_text(rest, f"{prefix}schedule set 08:30 Europe/London mon-fri"))
        case "pause":
            return SchedulePause(rest or None)
        case "resume":
            return ScheduleResume()
        case "now":
            return ScheduleNow()
        case "skip":
            return ScheduleSkip()
        case "off":
            return ScheduleOff(rest or None)
        case "list":
            return ScheduleList()
        case "teachers" | "teacher":
            return _teachers(rest, prefix)
        case "help":
            return ScheduleHelp()
    return ScheduleHelp(action, closest(action, SCHEDULE_ACTIONS))


def parse_topics(text: str, prefix: str = "") -> ShowTopics | Taught:
    """What follows `topics`: nothing (the list), or `taught [<topic, topic ...> | all]`."""
    action, rest = split_word(text)
    if not action:
        return ShowTopics()
    if action == "taught":
        return Taught(rest)
    raise InvalidInput(
        f"Try `{prefix}topics` for the list, or (teachers) `{prefix}topics taught <topic, topic ...>`, "
        f"`{prefix}topics taught all` or `{prefix}topics taught` to see what the class has been taught so far."
    )


def parse_assignments(text: str, prefix: str = "") -> ShowAssignments:
    """What follows `assignments`: nothing, `mine`, or `close <N>`."""
    action, rest = split_word(text)
    if not action:
        return ShowAssignments()
    if action == "mine":
        return ShowAssignments(mine=True)
    if action == "close":
        return ShowAssignments(close=_number(rest, "assignments close <N>", prefix))
    raise InvalidInput(
        f"Try `{prefix}assignments` for the list, `{prefix}assignments mine` for yours, or (teachers) "
        f"`{prefix}assignments close <N>`."
    )


def _number(text: str, usage: str, prefix: str) -> int:
    """An assignment's number as typed (`3` or `#3`)."""
    word = text.strip().lstrip("#")
    if not word.isdigit() or len(word) > 9:
        raise InvalidInput(f"Try `{prefix}{usage}` with the assignment's number (`{prefix}assignments` lists them).")
    return int(word)


def teachers_usage(prefix: str = "") -> str:
    return f"Try `{prefix}schedule teachers add @name` (or `remove @name`)."


def _teachers(text: str, prefix: str) -> Teachers:
    """`schedule teachers` lists them; `schedule teachers add|remove <who>` names them."""
    verb, who = split_word(text)
    if verb in {"", "list", "help"} and not who:
        return Teachers("list")
    if verb == "add" and who:
        return Teachers("add", who)
    if verb == "remove" and who:
        return Teachers("remove", who)
    raise InvalidInput(teachers_usage(prefix))


_DAYS_WORD = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun|weekday|weekend|daily|every|all|school)", re.IGNORECASE)
_OPTIONS = {"topics": "topics", "topic": "topics", "board": "board", "leaderboard": "board"}


def parse_schedule_text(text: str, usage: str) -> ScheduleArgs:
    """`"08:30 Europe/London mon-fri topics=rivals,terror board=off"`: the time zone, the days and
    the `topics=` / `board=` options are optional (a days word such as `mon` or `every` after the
    time means no zone was given). `usage` is the example shown when the time is missing."""
    options: dict[str, str] = {}
    words = []
    for word in text.split():
        key, sep, value = word.partition("=")
        if sep and key.lower() in _OPTIONS:
            options[_OPTIONS[key.lower()]] = value
        else:
            words.append(word)
    if not words:
        raise InvalidInput(f"Give a time: `{usage}`.")
    time, rest = words[0], words[1:]
    if rest and rest[0].lower() in {"am", "pm"}:
        time += rest.pop(0)
    zone = rest.pop(0) if rest and not _DAYS_WORD.match(rest[0]) else None
    return ScheduleArgs(time, zone, " ".join(rest) or None, options.get("topics"), options.get("board"))


def split_word(text: str | None) -> tuple[str, str]:
    """`"Quiz  collectivisation "` -> `("quiz", "collectivisation")`: the first word, lower-cased, and the rest."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return "", ""
    return words[0].lower(), words[1].strip() if len(words) > 1 else ""


def closest(word: str, known: tuple[str, ...]) -> str | None:
    found = process.extractOne(word[:40], known, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
    return found[0] if found else None


_OUT = re.compile(r"(?:^|\s)--out(?:=|\s+|$)")


def _out_option(text: str, prefix: str, usage: str) -> tuple[str, str]:
    """`"week rise --out my report.png"` -> `("week rise", "my report.png")`: the file is all after `--out`."""
    found = _OUT.search(text)
    if found is None:
        return text.strip(), ""
    out = text[found.end() :].strip()
    if not out:
        raise InvalidInput(f"Give a file after --out, as in `{prefix}{usage}`.")
    return text[: found.start()].strip(), out


def _required(text: str, prefix: str, usage: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(f"Try `{prefix}{usage}`.")
    return text


def _period(text: str, prefix: str) -> Period:
    try:
        return parse_period(text)
    except InvalidInput as error:
        raise InvalidInput(f"{error.message} For example: `{prefix}leaderboard month`.") from None
