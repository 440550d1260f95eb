"""The console's `report` and `export`: the files written and what is printed about them. The report's tables
are core's Markdown (bot/core/report_text.py, as `python -m bot report` writes them) in plain mode; styled.py
draws them as rich tables; json_view.py gives both as JSON without the chart's bytes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core import commands as grammar
from bot.core.actor import Actor
from bot.core.errors import InvalidInput
from bot.core.report_text import markdown, plural
from bot.core.reports import ClassReport, ExportDone

if TYPE_CHECKING:
    from bot.service import StudyService


@dataclass(frozen=True, slots=True)
class ReportWritten:
    """A class report printed, its chart written to `chart_file`."""

    report: ClassReport
    chart_file: str


@dataclass(frozen=True, slots=True)
class ExportWritten:
    """Every attempt of the period written to `file` as CSV."""

    export: ExportDone
    file: str


async def run(service: StudyService, actor: Actor, command: grammar.Report | grammar.Export) -> object:
    """`report [period] [topic] [--out FILE.png]` and `export [period] [--out FILE.csv]` (whoever sits at the
    console is its class's teacher): the files written, for the view to say where. Without --out (or with a
    folder) each file takes the name the service gives it, in this folder (or that one)."""
    out = Path(command.out).expanduser() if command.out else Path()
    named_here = out.is_dir()  # a folder (this one without --out): the file takes the service's name
    folder = out if named_here else out.parent
    if not folder.is_dir():  # said before the service is asked for anything
        raise InvalidInput(f"There is no folder {folder}: make it first, or give another --out.")
    if isinstance(command, grammar.Report):
        report = await service.class_report(actor, command.args)
        return write_chart(report, out / f"{report.file_stem}.png" if named_here else out)
    try:
        if not named_here:
            return ExportWritten(await service.export_answers(actor, command.period, out), str(out))
        # The default name says the period, which the service works out: written under a working name first.
        partial = out / ".studybot-export.csv.part"
        try:
            done = await service.export_answers(actor, command.period, partial)
            path = partial.replace(out / done.filename)
        finally:
            partial.unlink(missing_ok=True)
    except OSError as error:
        raise InvalidInput(f"Could not write the export: {error.strerror or error}.") from None
    return ExportWritten(done, str(path))


def write_chart(report: ClassReport, path: Path) -> ReportWritten:
    try:
        path.write_bytes(report.chart_png)
    except OSError as error:
        raise InvalidInput(f"Could not write {path}: {error.strerror or error}.") from None
    return ReportWritten(report, str(path))


def chart_line(shown: ReportWritten) -> str:
    return f"The chart (answers per day, topics weakest first) is in {shown.chart_file}."


def report_text(shown: ReportWritten) -> str:
    return markdown(shown.report).rstrip() + "\n\n" + chart_line(shown)


def export_text(shown: ExportWritten) -> str:
    done = shown.export
    return f"Wrote {plural(done.rows, 'row')} ({done.period.label}, one per attempt) to {shown.file}."
