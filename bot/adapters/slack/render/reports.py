"""The teacher's `report` and `export` in Block Kit. Ephemeral messages carry no files, so the report goes to the
teacher's DM as a message (these blocks: the tables as text), its chart uploaded beside it; the export's CSV
goes there too. In the channel the teacher sees only the note that says so. Pure functions."""

from __future__ import annotations

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import SECTION_TEXT, Message, context, echo, escape, header, message, section
from bot.core.report_text import NO_HARD_QUESTION, bar, hard_questions, percent, plural, topic_figures
from bot.core.reports import ClassReport, ExportDone, HardQuestion, StudentLine

NOT_TEACHER = (
    "Class reports and exports are for workspace admins and the teachers they name. "
    f"An admin can name you with `{COMMAND} schedule teachers add @you`."
)
HARDEST_SHOWN = 3
CHART_COMMENT = "The chart: answers per day, and each topic's share right, weakest first."
_TABLE_HEAD = ("Student", "Answered", "Right", "Streak", "Weakest topic")


def class_report(report: ClassReport) -> Message:
    """The report for the teacher's DM: a summary, the topics, the hardest questions, the students, who is missing."""
    scope = f" \u00b7 {report.topic}" if report.topic else ""
    blocks = [header(f"{report.class_name}: class report{scope}"), section(_summary(report))]
    topics = [f"`{bar(topic.strength)}` *{escape(topic.title)}*: {topic_figures(topic)}" for topic in report.topics]
    blocks.append(section(_fitted("*Topics, weakest first*", topics or ["No answers in this period."])))
    hardest = hard_questions(report)[:HARDEST_SHOWN]
    blocks += [section(_hard(number, question)) for number, question in enumerate(hardest, 1)]
    if not hardest:
        blocks.append(section(f"*Hardest questions*\n{NO_HARD_QUESTION}"))
    blocks.append(section(_students(report.students)))
    if report.inactive:
        names = ", ".join(echo(name, 60) for name in report.inactive)
        blocks.append(section(f"*No answers for 7 days or more ({len(report.inactive)}):* {names}"))
    blocks.append(context(f"Only you can see this. `{COMMAND} export` sends every answer as a spreadsheet (CSV)."))
    summary = f"Class report for {report.period.label}: {report.active} of {report.members} members answered."
    return message(summary, blocks)


def report_sent(report: ClassReport) -> Message:
    """The ephemeral note in the channel."""
    text = (
        f"Sent the report to your DMs (the app's Messages tab): {escape(report.period.label)}"
        + (f", {escape(report.topic)}" if report.topic else "")
        + ", with its chart."
    )
    return message(text, [section(text)])


def export_note(done: ExportDone) -> Message:
    """The DM message the CSV follows."""
    text = (
        f"Every answer of the class for {escape(done.period.label)}: {plural(done.rows, 'row')}, one per attempt. "
        "It opens in Excel and Google Sheets."
    )
    return message(text, [section(text)])


def export_sent(done: ExportDone) -> Message:
    text = (
        f"Sent the export to your DMs (the app's Messages tab): `{echo(done.filename, 80)}`, "
        f"{plural(done.rows, 'row')}."
    )
    return message(text.replace("`", ""), [section(text)])


def _summary(report: ClassReport) -> str:
    right = f", {percent(report.right / report.answers)} right" if report.answers else ""
    lines = [
        f"*{escape(report.period.label.capitalize())}* ({report.period.first:%d %b} to {report.period.last:%d %b %Y})",
        f"{report.active} of {plural(report.members, 'member')} answered; {plural(report.answers, 'answer')}{right}.",
        *filter(None, [report.essay_line]),
    ]
    if report.weakest_topic is not None:
        weakest = report.weakest_topic
        lines.append(f"Weakest topic: *{escape(weakest.title)}* ({topic_figures(weakest)})")
    return "\n".join(lines)


def _hard(number: int, question: HardQuestion) -> str:
    head = (
        f"*Hardest question {number}:* {escape(question.prompt)} "
        f"({escape(question.topic)}, `{escape(question.question_id)}`)\n"
        f"*{percent(question.share_right)} right* of {question.answered}; answer: {escape(question.correct_answer)}"
    )
    chosen = [
        f"`{bar(choice.share)}` {echo(choice.answer, 80)}: {choice.count} ({percent(choice.share)})"
        + (" \u2713" if choice.correct else "")
        for choice in question.choices
    ]
    return _fitted(head, chosen)


def _students(students: tuple[StudentLine, ...]) -> str:
    """A fixed-width table in a code block, lowest accuracy first, cut to fit one section."""
    rows = [
        (
            echo(line.name, 24),
            str(line.answered),
            percent(line.accuracy) if line.answered else "-",
            str(line.streak),
            echo(line.weakest_topic or "-", 30),
        )
        for line in students
    ]
    widths = [max(len(row[column]) for row in [_TABLE_HEAD, *rows]) for column in range(len(_TABLE_HEAD))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    head = "  ".join(cell.ljust(width) for cell, width in zip(_TABLE_HEAD, widths, strict=True)).rstrip()
    title = "*Students, needing help first*"
    shown: list[str] = []
    for number, line in enumerate(lines):
        more = f"\u2026and {len(lines) - number} more in `{COMMAND} export`"
        if len("\n".join([title, "```", head, *shown, line, "```", more])) > SECTION_TEXT:
            return "\n".join([title, "```", head, *shown, "```", more])
        shown.append(line)
    return "\n".join([title, "```", head, *shown, "```"]) if shown else f"{title}\nNobody in the class yet."


def _fitted(title: str, lines: list[str]) -> str:
    """`title` and as many whole lines as fit one section, then "…and N more"."""
    shown: list[str] = []
    for number, line in enumerate(lines):
        more = f"\u2026and {len(lines) - number} more"
        if len("\n".join([title, *shown, line, more])) > SECTION_TEXT:
            return "\n".join([title, *shown, more])
        shown.append(line)
    return "\n".join([title, *shown])
