"""`report` and `export` in the console, in-process on the console's own code with a test clock, on a class whose
answers the test made (tests/service/test_reports.py's): the plain text, `--json`, the rich tables, and the
files written (the chart where --out says or under its own name here; the CSV likewise)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from rich.console import Console

from bot.adapters import console
from bot.adapters.console import styled
from bot.adapters.console.report_views import ReportWritten
from bot.bootstrap import open_service
from bot.service import StudyService
from tests.helpers import FIXTURE_CONTENT, FakeClock, student
from tests.service.test_reports import PNG, answer, make_a_class

HARDEST_PROMPT = "From what date was Stalin General Secretary?"
WEEK = "2026-11-21_2026-11-27"


def in_the_console_class(name: str):  # noqa: ANN201
    return student(name, community=console.COMMUNITY)


@pytest.fixture
async def local_class(sqlite_url: str, clock: FakeClock, tmp_path: Path, monkeypatch) -> AsyncIterator[StudyService]:
    monkeypatch.chdir(tmp_path)  # where files without --out go
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock, new_class_board="named") as service:
        await make_a_class(service, clock, in_the_console_class)
        yield service


async def typed(service: StudyService, *lines: str, json_output: bool = False) -> str:
    """What the console prints for these lines, after its greeting, as the teacher at it."""
    output = io.StringIO()
    script = io.StringIO("".join(f"{line}\n" for line in lines))
    await console.run(service, user="Ms T", input_stream=script, output=output, json_output=json_output)
    return output.getvalue().split("\n", 1 if json_output else 2)[-1]


async def test_report_prints_the_tables_and_writes_the_chart_here(local_class, tmp_path):
    shown = await typed(local_class, "report")
    assert shown.startswith("# Local class: class report, the last 7 days")
    assert "4 of 5 members answered; 12 answers in all." in shown
    topics = shown.split("## Topics, weakest first")[1].strip().splitlines()
    assert "**Stalin's rise to power**: 25% right of 4, mastery" in topics[0]
    assert f"1. {HARDEST_PROMPT} (Stalin's rise to power, `t-mc-1`): 25% right of 4" in shown
    assert "21 January 1924: 3 (75%)" in shown and "3 April 1922: 1 (25%) \u2713" in shown
    assert "**No answers for 7 days or more (1):** Eve" in shown
    assert "| Eve | 0 | - | 0 | - |" in shown
    chart = tmp_path / f"class-report_{WEEK}.png"
    assert shown.rstrip().endswith(f"The chart (answers per day, topics weakest first) is in {chart.name}.")
    assert chart.read_bytes().startswith(PNG) and chart.stat().st_size > 5_000


async def test_report_and_export_write_where_out_says_and_refuse_a_missing_folder(local_class, tmp_path):
    shown = await typed(
        local_class,
        "report month rivals --out charts/rivals.png",
        "export month --out charts/answers.csv",
    )
    assert shown.count("There is no folder charts: make it first, or give another --out.") == 2
    assert not (tmp_path / "charts").exists()

    (tmp_path / "charts").mkdir()
    shown = await typed(local_class, "report month rivals --out charts/rivals.png", "export week --out charts")
    assert "# Local class: class report, the last 30 days \u00b7 topic: The rivals" in shown
    assert (tmp_path / "charts" / "rivals.png").read_bytes().startswith(PNG)
    csv_file = Path("charts") / f"class-answers_{WEEK}.csv"
    assert f"Wrote 12 rows (the last 7 days, one per attempt) to {csv_file}." in shown
    written = sorted(path.name for path in (tmp_path / "charts").iterdir())
    assert written == sorted(["rivals.png", csv_file.name])  # no working file left behind


async def test_json_gives_the_reports_figures_and_the_exports_file(local_class, tmp_path):
    out = tmp_path / "month.csv"
    lines = await typed(local_class, "report", f"export month --out {out}", "report fortnight", json_output=True)
    report, export, refused = (json.loads(line) for line in lines.splitlines())

    assert report["kind"] == "report" and "chart_png" not in report
    assert (report["members"], report["active"], report["answers"]) == (5, 4, 12)
    assert report["weakest_topic"]["topic_id"] == "rise" and report["topics"][0]["topic_id"] == "rise"
    hardest = report["hardest"][0]
    assert (hardest["question_id"], hardest["answered"], hardest["right"]) == ("t-mc-1", 4, 1)
    assert hardest["share_right"] == 0.25 and hardest["choices"][0]["answer"].endswith("3 April 1922")
    assert report["inactive"] == ["Eve"] and report["period"]["slug"] == WEEK
    assert {"date": "2026-11-27", "answers": 8} in report["answers_per_day"]
    assert {s["name"] for s in report["students"]} == {"Ann", "Bob", "Cat", "Dan", "Eve"}
    chart = Path(report["chart_file"])
    assert chart.name == f"class-report_{WEEK}.png" and report["chart_bytes"] == chart.stat().st_size

    assert export["kind"] == "export" and export["file"] == str(out) and export["rows"] == 13
    assert export["filename"] == "class-answers_2026-10-29_2026-11-27.csv"
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 13 and rows[0]["student"] == "Eve" and rows[0]["question_id"] == "t-tf-1"
    assert refused == {"kind": "error", "message": refused["message"]} and "fortnight" in refused["message"]


async def test_the_rich_report_shows_names_as_typed(local_class, clock):
    await answer(local_class, in_the_console_class("[red]Zed"), "t-mc-1", "A")
    report = await local_class.class_report(console.actor_for("Ms T"), "week")
    recorder = Console(record=True, width=120, force_terminal=False)
    recorder.print(styled.report_written(ReportWritten(report, "class-report.png")))
    shown = recorder.export_text()
    assert "[red]Zed" in shown and "Students, needing help first" in shown
    assert "Stalin's rise to power" in shown and HARDEST_PROMPT in shown
    assert "No answers for 7 days or more (1): Eve" in shown and "class-report.png" in shown
