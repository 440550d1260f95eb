"""Rich rendering of the console's `report` and `export` for a person at a terminal: the report's tables as rich
tables. Every text from content or people is a `Text`, never markup; report_views.py has the plain twin."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from bot.adapters.console.report_views import ExportWritten, ReportWritten, chart_line, export_text
from bot.core.report_text import NO_HARD_QUESTION, bar, hard_questions, percent, plural


def report_written(shown: ReportWritten) -> RenderableType:
    report = shown.report
    scope = f" \u00b7 topic: {report.topic}" if report.topic else ""
    parts: list[RenderableType] = [
        Text(f"{report.class_name}: class report, {report.period.label}{scope}", style="bold"),
        Text(f"{report.active} of {report.members} members answered; {plural(report.answers, 'answer')} in all."),
        *([Text(report.essay_line)] if report.essay_line else []),
    ]
    topics = Table(title="Topics, weakest first", box=box.SIMPLE, title_justify="left")
    topics.add_column("")
    topics.add_column("Topic")
    for name in ("Right", "Of", "Mastery"):
        topics.add_column(name, justify="right")
    for topic in report.topics:
        mastery = percent(topic.mastery) if topic.mastery is not None else "-"
        colour = "red" if topic.strength < 0.5 else "yellow" if topic.strength < 0.75 else "green"
        shares = (percent(topic.accuracy), str(topic.answered), mastery)
        topics.add_row(Text(bar(topic.strength), style=colour), Text(topic.title), *shares)
    parts.append(topics if report.topics else Text("No answers in this period."))
    parts.append(Text("Hardest questions", style="bold"))
    for number, question in enumerate(hard_questions(report), 1):
        line = Text.assemble(
            (f"{number}. ", "bold"),
            question.prompt,
            (f" ({question.topic}, {question.question_id})", "dim"),
            (f"  {percent(question.share_right)} right of {question.answered}", "red"),
            f"; answer: {question.correct_answer}",
        )
        for choice in question.choices:
            tick = " \u2713" if choice.correct else ""
            line.append(f"\n   {bar(choice.share)} {choice.answer}: {choice.count} ({percent(choice.share)}){tick}")
        parts.append(line)
    if not hard_questions(report):
        parts.append(Text(NO_HARD_QUESTION))
    students = Table(title="Students, needing help first", box=box.SIMPLE, title_justify="left")
    students.add_column("Student")
    for name in ("Answered", "Right", "Streak"):
        students.add_column(name, justify="right")
    students.add_column("Weakest topic")
    for student in report.students:
        right = percent(student.accuracy) if student.answered else "-"
        students.add_row(
            Text(student.name), str(student.answered), right, str(student.streak), Text(student.weakest_topic or "-")
        )
    parts.append(students)
    if report.inactive:
        parts.append(
            Text.assemble(
                (f"No answers for 7 days or more ({len(report.inactive)}): ", "bold yellow"), ", ".join(report.inactive)
            )
        )
    parts.append(Text(chart_line(shown), style="cyan"))
    return Group(*parts)


def export_written(shown: ExportWritten) -> RenderableType:
    return Text(export_text(shown), style="green")
