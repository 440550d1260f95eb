"""The teacher's class report and CSV export, on a real database (SQLite, and PostgreSQL when configured):
a class whose answers the test makes, so every figure in the report can be checked."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from bot.core import reports as rules
from bot.core.actor import Actor, Platform
from bot.core.errors import InvalidInput, NotAllowed, UnknownTopic
from bot.core.replies import QuestionRef
from bot.core.reports import ChoiceShare, ClassReport, HardQuestion, ReportPeriod, StudentLine, TopicLine
from bot.core.vocabulary import Mode
from bot.store.models import Attempt
from tests.helpers import student

TEACHER = Actor(Platform.CONSOLE, "class-1", "teacher", "Ms T", is_admin=True)
PNG = b"\x89PNG\r\n\x1a\n"


def letter_of(service, question_id: str, text: str) -> str:  # noqa: ANN001
    options = service.catalogue.answer_key(service.bank.questions[question_id]).options
    return next(letter for letter, option in options if option == text)


async def answer(service, actor, question_id: str, given: str) -> None:  # noqa: ANN001
    await service.submit_answer(actor, given, QuestionRef(question_id, Mode.PRACTICE))


async def make_a_class(service, clock, member: Callable[[str], Actor] = student) -> dict[str, Actor]:  # noqa: ANN001
    """Eve answered 10 days ago and not since; this week Ann, Bob, Cat and Dan answered 12 times.
    `member` makes each student's Actor (a console student of class-1 unless told otherwise)."""
    people = {name: member(name) for name in ("Ann", "Bob", "Cat", "Dan", "Eve")}
    start = clock.now
    clock.now = start - dt.timedelta(days=10)
    await answer(service, people["Eve"], "t-tf-1", "true")
    clock.now = start - dt.timedelta(days=1)
    right = letter_of(service, "t-mc-1", "3 April 1922")
    wrong = letter_of(service, "t-mc-1", "21 January 1924")
    for name, given in (("Ann", right), ("Bob", wrong), ("Cat", wrong), ("Dan", wrong)):
        await answer(service, people[name], "t-mc-1", given)
    clock.now = start
    for name, given in (("Ann", "Zinoviev"), ("Bob", "Kamenev"), ("Cat", "kamenev "), ("Dan", "Grigory Zinoviev")):
        await answer(service, people[name], "t-sa-1", given)
    bukharin = letter_of(service, "t-mc-2", "Bukharin")
    for name in ("Ann", "Bob", "Cat", "Dan"):
        await answer(service, people[name], "t-mc-2", bukharin)
    return people


def a_big_class_report() -> ClassReport:
    """A report as big as a school's: long names and prompts, many topics, options and students."""
    long = "Ж" * 120
    period = ReportPeriod("this term (since 01 Sep 2026)", dt.date(2026, 9, 1), dt.date(2026, 11, 27))
    choices = tuple(ChoiceShare(f"{letter}) {long}", 3, 0.25, letter == "A") for letter in "ABCDE")
    hard = tuple(HardQuestion(f"q{n}", f"{long} {n}?", long, long, 12, 3, choices) for n in range(5))
    topics = tuple(TopicLine(f"t{n}", f"{long} {n}", 40, n, None) for n in range(30))
    students = tuple(StudentLine(f"{long}*_{n}", str(n), 20, n % 20, n, long) for n in range(2_000))
    return ClassReport(
        long, period, long, 2_500, 2_000, tuple((day, 100) for day in period.days), tuple(s.name for s in students),
        topics, hard, students, chart_png=PNG + b"0" * 10_000,
    )  # fmt: skip


async def test_a_report_shows_the_weakest_topic_the_hardest_question_and_who_is_missing(any_service, clock):
    people = await make_a_class(any_service, clock)
    report = await any_service.class_report(TEACHER, "week")

    assert (report.members, report.active, report.answers) == (5, 4, 12)
    assert report.period.last == dt.date(2026, 11, 27) and report.period.first == dt.date(2026, 11, 21)
    assert dict(report.answers_per_day)[dt.date(2026, 11, 26)] == 4
    assert dict(report.answers_per_day)[dt.date(2026, 11, 27)] == 8
    assert report.inactive == ("Eve",)  # nothing for 10 days; the rest answered this week

    assert [topic.topic_id for topic in report.topics] == ["rise", "rivals", "nep"]  # weakest first
    rise = report.weakest_topic
    assert (rise.answered, rise.right) == (4, 1) and rise.mastery is not None and 0 < rise.mastery <= 1

    hardest = report.hardest[0]
    assert (hardest.question_id, hardest.answered, hardest.right) == ("t-mc-1", 4, 1)
    chosen = {choice.answer: (choice.count, choice.correct) for choice in hardest.choices}
    assert chosen[f"{letter_of(any_service, 't-mc-1', '21 January 1924')}) 21 January 1924"] == (3, False)
    assert chosen[f"{letter_of(any_service, 't-mc-1', '3 April 1922')}) 3 April 1922"] == (1, True)
    assert len(chosen) == 4  # every option listed, chosen or not
    typed = next(q for q in report.hardest if q.question_id == "t-sa-1")
    assert [(c.answer, c.count) for c in typed.choices] == [("kamenev", 2)]  # wrong typed answers, folded

    students = {line.name: line for line in report.students}
    assert (students["Bob"].answered, students["Bob"].right, students["Bob"].weakest_topic) == (3, 1, None)
    assert students["Eve"].answered == 0 and report.students[-1].name == "Eve"  # no answers: listed last
    assert report.students[0].name in {"Bob", "Cat"}  # lowest accuracy first

    assert report.chart_png.startswith(PNG) and len(report.chart_png) > 5_000
    assert people  # the class the test made


async def test_a_report_on_one_topic_or_a_longer_period(any_service, clock):
    await make_a_class(any_service, clock)
    rivals = await any_service.class_report(TEACHER, "month rivals", chart=False)
    assert rivals.topic is not None and [t.topic_id for t in rivals.topics] == ["rivals"]
    assert rivals.answers == 5 and rivals.chart_png == b""  # Eve's true/false is a rivals question too
    since = await any_service.class_report(TEACHER, "since 2026-11-20", chart=False)
    assert since.answers == 12 and since.period.first == dt.date(2026, 11, 20)


async def test_a_report_counts_the_essay_plans_finished_in_its_period_and_topic(any_service, clock):
    from bot.core.report_text import markdown

    essay = any_service.catalogue.bank.essays["ess-f1"]  # the fixture bank's one essay, on `rise`
    plan = "The party machine mattered most because it turned his rivals' mistakes into votes"
    for name in ("Ann", "Ann", "Bob"):
        asked = await any_service.start_essay(student(name))
        await any_service.submit_essay_plan(student(name), "1 2 3", "A B C", plan, plan_id=asked.plan_id)
    await any_service.start_essay(student("Cat"))  # begun, not finished: not counted
    week = await any_service.class_report(TEACHER, "week", chart=False)
    assert (week.essay_plans, week.essay_planners) == (3, 2)
    assert "3 essay plans finished by 2 students." in markdown(week)
    other_topic = await any_service.class_report(TEACHER, "week rivals", chart=False)
    assert other_topic.essay_plans == 0 and other_topic.essay_line == ""
    assert (await any_service.class_report(TEACHER, f"week {essay.topic}", chart=False)).essay_plans == 3
    clock.advance(days=10)
    assert (await any_service.class_report(TEACHER, "week", chart=False)).essay_plans == 0


@pytest.mark.parametrize("args", ["fortnight", "since 27/11/2026", "since 2027-01-01", "week xyzzy-topic"])
async def test_a_bad_period_or_topic_gets_a_clear_message(any_service, clock, args):
    await make_a_class(any_service, clock)
    with pytest.raises((InvalidInput, UnknownTopic)) as raised:
        await any_service.class_report(TEACHER, args, chart=False)
    assert raised.value.message and "Traceback" not in raised.value.message
    if args == "fortnight":  # a lone word could be a mistyped period or topic: both lists are offered
        assert "Periods:" in raised.value.message and "Topics:" in raised.value.message


async def test_students_cannot_see_the_report_or_export(any_service, clock, tmp_path):
    people = await make_a_class(any_service, clock)
    with pytest.raises(NotAllowed):
        await any_service.class_report(people["Ann"], "week")
    with pytest.raises(NotAllowed):
        await any_service.export_answers(people["Ann"], "week", tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


async def test_the_export_has_one_row_per_attempt_in_local_time(any_service, clock, tmp_path):
    people = await make_a_class(any_service, clock)
    await answer(any_service, people["Ann"], "t-sa-2", "=1+1")  # a formula must arrive as text
    out = tmp_path / "answers.csv"
    done = await any_service.export_answers(TEACHER, "month", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the mark

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == rules.EXPORT_HEADER and done.rows == len(rows) == 14
    async with any_service.db.read_sessions() as session:
        stored = (await session.execute(select(func.count(), func.sum(Attempt.points)))).one()
    assert stored[0] == 14 and sum(int(row["points"]) for row in rows) == stored[1]
    eve = rows[0]
    assert (eve["student"], eve["question_id"], eve["topic"], eve["kind"], eve["mode"]) == (
        "Eve",
        "t-tf-1",
        "rivals",
        "true_false",
        "practice",
    )
    assert eve["date_time"] == "2026-11-17 09:00:00" and eve["correct"] == "TRUE"  # Europe/London, GMT
    assert rows[-1]["answer"] == "'=1+1" and rows[-1]["correct"] == "FALSE"
    # A reader that does not know the mark still sees the header (its first cell carries the mark).
    plain = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert plain[0].lstrip("\ufeff") == "date_time" and plain[1:] == list(rules.EXPORT_HEADER[1:])
    week = await any_service.export_answers(TEACHER, "week", tmp_path / "week.csv")
    assert week.rows == 13 and week.filename.startswith("class-answers_2026-11-21")
