"""The teachers' /report and /export over the wire: the real discord.py against the fake Discord, on a class
whose answers the test made (tests/service/test_reports.py's, plus one over the wire). The reply is private,
its chart a real PNG uploaded with it, and a student asking gets a refusal and nothing of the class."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.adapters.discord import StudyBot
from bot.adapters.discord.render.reports import class_report
from bot.core.actor import Actor, Platform
from bot.service import StudyService
from bot.store.models import Attempt, Member
from tests.adapters.discord.discord_limits import message_problems
from tests.adapters.discord.fake_discord import Exchange, FakeDiscord
from tests.adapters.discord.helpers import (
    ANNA,
    BORIS,
    MANAGE_SERVER,
    SCHOOL_A,
    TEACHER,
    answer,
    assert_private,
)
from tests.helpers import FakeClock
from tests.service.test_reports import PNG, a_big_class_report, make_a_class

STUDENT_NAMES = ("Ann", "Bob", "Cat", "Dan", "Eve")
HARDEST_PROMPT = "From what date was Stalin General Secretary?"  # t-mc-1: 1 of 4 right


STUDENT_IDS = {name: f"35000000000000000{number}" for number, name in enumerate(STUDENT_NAMES, 1)}


def in_school_a(name: str) -> Actor:
    """A student of School A who answered through the service."""
    return Actor(Platform.DISCORD, SCHOOL_A.id, STUDENT_IDS[name], name)


def embed_of(shown: Exchange) -> dict:
    [embed] = shown.data["embeds"]
    return embed


def assert_nothing_of_the_class(shown: Exchange) -> None:
    assert shown.files == {} and not shown.data.get("attachments")
    for leaked in (*STUDENT_NAMES, "Stalin's rise", HARDEST_PROMPT, "School A: class report"):
        assert leaked not in shown.text


async def test_a_teacher_gets_the_report_privately_with_its_chart_attached(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    await make_a_class(service, clock, in_school_a)
    quiz = await fake.slash("quiz", ANNA, SCHOOL_A, topic="nep")  # one answer over the wire too
    await answer(fake, service, quiz, ANNA, SCHOOL_A)

    shown = await fake.slash("report", TEACHER, SCHOOL_A, period="week")
    assert_private(shown)
    assert shown.callback["type"] == 5  # deferred at once: the chart and the upload take their time
    [(filename, png)] = shown.files.items()
    assert png.startswith(PNG) and len(png) > 5_000
    assert filename.startswith("class-report_2026-11-21_2026-11-27") and filename.endswith(".png")
    embed = embed_of(shown)
    assert embed["image"]["url"] == f"attachment://{filename}"
    assert [a["filename"] for a in shown.data["attachments"]] == [filename]

    assert embed["title"] == "School A: class report"
    assert "5 of 6 members answered; 13 answers" in embed["description"]
    assert "Weakest topic: **Stalin's rise to power** (" in embed["description"]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    weakest_first = fields["Topics, weakest first"].splitlines()
    assert "**Stalin's rise to power**: 25% right of 4, mastery" in weakest_first[0] and len(weakest_first) == 3
    first_hardest = next(value for name, value in fields.items() if name.startswith("Hardest question"))
    assert first_hardest.startswith(HARDEST_PROMPT) and "**25% right** of 4" in first_hardest
    assert "21 January 1924: 3 (75%)" in first_hardest and "3 April 1922: 1 (25%) \u2713" in first_hardest
    students = fields["Students needing help first"].splitlines()
    assert students[0].split(":")[0] in {"Bob", "Cat"} and any(line.startswith("Anna: 100%") for line in students)
    assert fields["No answers for 7 days or more (1)"] == "Eve"
    assert len(shown.text) < 6000  # within the embed limit (the fake checks each limit too)


async def test_a_report_on_one_topic_and_bad_input_are_answered_privately(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    await make_a_class(service, clock, in_school_a)
    rivals = await fake.slash("report", TEACHER, SCHOOL_A, period="month", topic="rivals")
    assert_private(rivals)
    assert embed_of(rivals)["title"] == "School A: class report \u00b7 The rivals"
    assert [f["value"].count("\n") for f in embed_of(rivals)["fields"] if f["name"].startswith("Topics")] == [0]

    for options, says in (
        ({"period": "fortnight"}, "I don't know the period \u201cfortnight\u201d"),
        ({"period": "since 27/11/2026"}, "is not a date: write it as YYYY-MM-DD"),
        ({"topic": "xyzzy"}, "There is no topic \u201cxyzzy\u201d"),
    ):
        refused = await fake.slash("report", TEACHER, SCHOOL_A, **options)
        assert refused.ephemeral and says in refused.text and refused.files == {}

    suggested = await fake.autocomplete("report", "topic", "riv", TEACHER, SCHOOL_A)
    assert suggested[0] == {"name": "The rivals", "value": "rivals"}
    periods = await fake.autocomplete("report", "period", "since 2026-11-02", TEACHER, SCHOOL_A)
    assert periods == [{"name": "since 2026-11-02", "value": "since 2026-11-02"}]


async def test_a_student_is_refused_the_report_and_the_export_and_sees_nothing_of_the_class(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    await make_a_class(service, clock, in_school_a)
    synced = {c["name"]: c for c in fake.commands["global"]}
    for name in ("report", "export"):  # hidden from students; the service checks again
        assert int(synced[name]["default_member_permissions"]) == MANAGE_SERVER
        assert synced[name]["contexts"] == [0]

    for command in ("report", "export"):
        refused = await fake.slash(command, BORIS, SCHOOL_A)
        assert_private(refused)
        assert "Class reports and exports are for teachers only" in refused.text
        assert_nothing_of_the_class(refused)


async def test_the_export_attaches_a_csv_whose_rows_are_the_attempts_made(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    people = await make_a_class(service, clock, in_school_a)
    quiz = await fake.slash("quiz", ANNA, SCHOOL_A)
    await answer(fake, service, quiz, ANNA, SCHOOL_A, correct=False)

    shown = await fake.slash("export", TEACHER, SCHOOL_A, period="month")
    assert_private(shown)
    [(filename, data)] = shown.files.items()
    assert filename == "class-answers_2026-10-29_2026-11-27.csv" and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert "14 rows, one per attempt" in shown.text

    async with service.db.read_sessions() as session:
        stored = (
            await session.execute(
                select(Member.external_id, Attempt.question_id, Attempt.correct)
                .join(Member, Member.id == Attempt.member_id)
                .order_by(Attempt.id)
            )
        ).all()
    assert [(r["user_id"], r["question_id"], r["correct"] == "TRUE") for r in rows] == [tuple(s) for s in stored]
    assert rows[-1]["student"] == "Anna" and rows[-1]["correct"] == "FALSE" and rows[-1]["mode"] == "practice"
    assert {r["student"] for r in rows} == {*people, "Anna"}

    week = await fake.slash("export", TEACHER, SCHOOL_A)  # the default: the last 7 days, without Eve's
    [(_, data)] = week.files.items()
    assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))) == 13


async def test_an_export_over_the_upload_limit_says_so_instead_of_failing(
    fake: FakeDiscord, bot: StudyBot, service: StudyService, clock: FakeClock
) -> None:
    await make_a_class(service, clock, in_school_a)
    fake.attachment_size_limit = 500  # this server's limit, as each interaction tells the bot
    shown = await fake.slash("export", TEACHER, SCHOOL_A, period="month")
    assert_private(shown)
    assert shown.files == {}
    assert "more than the 500 bytes Discord lets me attach here" in shown.text
    assert "shorter period" in shown.text and "python -m bot report" in shown.text

    report = await fake.slash("report", TEACHER, SCHOOL_A)  # the chart is left out, and the report says so
    assert report.files == {} and "image" not in embed_of(report)
    assert "The chart is over this server's upload limit" in embed_of(report)["footer"]["text"]
    assert "Stalin's rise to power" in report.text


def test_a_big_classs_report_stays_within_discords_limits():
    reply = class_report(a_big_class_report())
    payload = reply.embed.to_dict()
    assert message_problems({"embeds": [payload]}) == []
    assert "Students needing help first" in {field["name"] for field in payload["fields"]}
    assert [file.filename for file in reply.files] == ["class-report_2026-09-01_2026-11-27.png"]
