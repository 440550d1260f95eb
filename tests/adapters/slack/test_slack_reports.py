"""The teachers' `/study report` and `/study export` over the wire, through bolt against the fake Slack: the report
and its chart (files_upload_v2: files.getUploadURLExternal, the upload, files.completeUploadExternal) and the
export's CSV go to the teacher's DM, the channel gets an ephemeral note; a student is refused and nothing of
the class is sent anywhere; an unsigned or forged request is still turned away before bolt."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.listeners.files import NOT_SENT
from bot.adapters.slack.render import reports as render
from bot.adapters.slack.render.blocks import SECTION_TEXT
from bot.core.actor import Actor, Platform
from bot.store.models import Attempt, Member
from tests.adapters.slack.fake_slack import (
    all_text,
    check_message,
    command_form,
    dm_channel,
    form_body,
    signed_headers,
)
from tests.adapters.slack.helpers import correct_text
from tests.service.test_reports import PNG, a_big_class_report, make_a_class

TEACHER = {"user": "UADMIN", "name": "ms_t"}
STUDENT = {"user": "USTUD", "name": "sam"}
HARDEST_PROMPT = "From what date was Stalin General Secretary?"


def in_team(name: str) -> Actor:
    """A student of workspace T1 who answered through the service."""
    return Actor(Platform.SLACK, "T1", f"U{name.upper()}", name)


async def a_class(service, clock, fake_slack):  # noqa: ANN001
    fake_slack.users.update({"UADMIN": {"is_admin": True}, "USTUD": {}})
    return await make_a_class(service, clock, in_team)


def nothing_sent_anywhere(fake_slack) -> bool:  # noqa: ANN001
    return not fake_slack.api_calls("chat.postMessage") and not fake_slack.files


async def test_the_report_goes_to_the_teachers_dm_with_its_chart(slack, fake_slack, service, clock):
    await a_class(service, clock, fake_slack)
    asked = await slack.ask("quiz nep", **STUDENT)  # one answer over the wire too
    await slack.ask(f"answer {correct_text(service, asked)}", **STUDENT)

    note = await slack.ask("report week", **TEACHER)
    assert note["response_type"] == "ephemeral"
    assert all_text(note).startswith("Sent the report to your DMs")
    (chart,) = await fake_slack.wait_for(lambda: fake_slack.files_in(dm_channel("UADMIN")))
    assert chart["content"].startswith(PNG) and len(chart["content"]) > 5_000
    assert chart["name"] == "class-report_2026-11-21_2026-11-27.png" and chart["comment"] == render.CHART_COMMENT
    assert [call.body["length"] for call in fake_slack.api_calls("files.getUploadURLExternal")] == [
        str(len(chart["content"]))
    ]

    (report,) = fake_slack.dms("UADMIN")  # the tables, as text; the chart follows it
    shown = all_text(report)
    assert "5 of 6 members answered; 13 answers" in shown
    assert "Weakest topic: *Stalin's rise to power* (25% right of 4, mastery" in shown
    assert f"*Hardest question 1:* {HARDEST_PROMPT}" in shown and "*25% right* of 4" in shown
    assert "21 January 1924: 3 (75%)" in shown and "3 April 1922: 1 (25%) \u2713" in shown
    table = next(b["text"]["text"] for b in report["blocks"] if "Students, needing help first" in str(b))
    assert "Student" in table and "sam" in table and "Weakest topic" in table
    assert "*No answers for 7 days or more (1):* Eve" in shown
    assert fake_slack.files_in(dm_channel("USTUD")) == [] and fake_slack.dms("USTUD") == []


async def test_a_student_is_refused_and_nothing_of_the_class_is_sent(slack, fake_slack, service, clock):
    await a_class(service, clock, fake_slack)
    for command in ("report", "report month rivals", "export month"):
        refused = all_text(await slack.ask(command, **STUDENT))
        assert render.NOT_TEACHER in refused
        assert "Eve" not in refused and HARDEST_PROMPT not in refused
    assert nothing_sent_anywhere(fake_slack)


async def test_bad_input_is_explained_in_the_channel_and_nothing_is_sent(slack, fake_slack, service, clock):
    await a_class(service, clock, fake_slack)
    assert "There is no topic \u201cfortnight\u201d" in all_text(await slack.ask("report fortnight", **TEACHER))
    assert "There is no topic" in all_text(await slack.ask("report week xyzzy", **TEACHER))
    assert "is not a date" in all_text(await slack.ask("export since 27/11/2026", **TEACHER))
    assert nothing_sent_anywhere(fake_slack)


async def test_the_export_arrives_as_a_csv_in_the_dm_with_a_row_per_attempt(slack, fake_slack, service, clock):
    people = await a_class(service, clock, fake_slack)
    note = all_text(await slack.ask("export month", **TEACHER))
    assert "Sent the export to your DMs" in note and "13 rows" in note
    (file,) = await fake_slack.wait_for(lambda: fake_slack.files_in(dm_channel("UADMIN")))
    assert file["name"] == "class-answers_2026-10-29_2026-11-27.csv"
    assert file["content"].startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(file["content"].decode("utf-8-sig"))))
    async with service.db.read_sessions() as session:
        stored = (
            await session.execute(
                select(Member.external_id, Attempt.question_id, Attempt.answer_given)
                .join(Member, Member.id == Attempt.member_id)
                .order_by(Attempt.id)
            )
        ).all()
    assert [(r["user_id"], r["question_id"], r["answer"]) for r in rows] == [tuple(s) for s in stored]
    assert {r["student"] for r in rows} == set(people)
    assert "13 rows" in all_text(fake_slack.dms("UADMIN")[0])


async def test_slack_refusing_the_upload_is_told_to_the_teacher(slack, fake_slack, service, clock):
    await a_class(service, clock, fake_slack)
    fake_slack.fail("files.completeUploadExternal", "missing_scope")
    refused = all_text(await slack.ask("report", **TEACHER))
    assert NOT_SENT.format(error="missing_scope") in refused
    assert fake_slack.files == []


async def test_an_unsigned_or_forged_report_request_is_refused_before_bolt(slack, fake_slack, service, clock):
    await a_class(service, clock, fake_slack)
    body = form_body(command_form("report month", response_url=fake_slack.response_url(), user="UADMIN"))
    unsigned = {"Content-Type": "application/x-www-form-urlencoded"}
    forged = signed_headers(body, secret="not-the-signing-secret")
    for headers in (unsigned, forged):
        status, _, _ = await slack.post(body, headers)
        assert status == 401
    stale = signed_headers(body, timestamp=1_600_000_000)  # signed, but long ago: a replay
    assert (await slack.post(body, stale))[0] == 401
    assert nothing_sent_anywhere(fake_slack)
    assert fake_slack.api_calls("files.getUploadURLExternal") == []


def test_a_big_classs_report_stays_within_block_kits_limits():
    report = a_big_class_report()
    note = render.class_report(report)
    assert check_message(note) == []
    table = next(b["text"]["text"] for b in note["blocks"] if "Students, needing help first" in str(b))
    assert table.endswith(f"more in `{COMMAND} export`") and len(table) <= SECTION_TEXT
    assert check_message(render.report_sent(report)) == []
