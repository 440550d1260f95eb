"""The teacher's /report (an embed with the chart attached) and /export (the CSV attached), both ephemeral.

The embed keeps within Discord's limits by giving each part a share of it: a field's lines stop before
1,024 characters with "…and N more", and `fit` drops trailing fields should the whole pass 6,000.
"""

from __future__ import annotations

from bot.adapters.discord.render.base import (
    BLUE,
    FIELD_VALUE,
    Attachment,
    Reply,
    add_field,
    clip,
    fit,
    new_embed,
    plural,
    set_footer,
    user_text,
)
from bot.core.report_text import NO_HARD_QUESTION, bar, hard_questions, percent, topic_figures
from bot.core.reports import ClassReport, ExportDone, HardQuestion

HARDEST_SHOWN = 3  # questions with a field each
STUDENTS_SHOWN = 10
CHART_TOO_BIG = "The chart is over this server's upload limit: `python -m bot report` on the host draws it"
TOO_BIG = (
    "The export is {size}, more than the {limit} Discord lets me attach here. Ask for a shorter period "
    "(such as `/export period:week`), or ask whoever hosts the bot to run `python -m bot report` on its machine."
)


def class_report(report: ClassReport, *, chart_limit: int | None = None) -> Reply:
    """The report as one embed, the chart attached (unless it is over `chart_limit` bytes) and shown in it."""
    scope = f" \u00b7 {report.topic}" if report.topic else ""
    embed = new_embed(f"{report.class_name}: class report{scope}", _summary(report), BLUE)
    add_field(embed, "Topics, weakest first", _lines(_topic_lines(report)) or "No answers in this period.")
    hardest = hard_questions(report)[:HARDEST_SHOWN]
    for number, question in enumerate(hardest, 1):
        name = f"Hardest question {number} of {len(hardest)}" if len(hardest) > 1 else "Hardest question"
        add_field(embed, name, _hard(question))
    if not hardest:
        add_field(embed, "Hardest questions", NO_HARD_QUESTION)
    add_field(embed, "Students needing help first", _lines(_student_lines(report)) or "Nobody answered yet.")
    if report.inactive:
        names = _names(report.inactive)
        add_field(embed, f"No answers for 7 days or more ({len(report.inactive)})", names)
    files: tuple[Attachment, ...] = ()
    if report.chart_png and (chart_limit is None or len(report.chart_png) <= chart_limit):
        chart = Attachment(f"{report.file_stem}.png", report.chart_png)
        embed.set_image(url=f"attachment://{chart.filename}")
        files = (chart,)
    left_out = CHART_TOO_BIG if report.chart_png and not files else ""
    set_footer(embed, "Only you can see this", "/export gives every answer as a spreadsheet", left_out)
    return Reply(embed=fit(embed), files=files)


def export_file(done: ExportDone, data: bytes) -> Reply:
    """The CSV attached, with a line saying what it holds."""
    return Reply(
        content=f"Every answer of the class for {done.period.label}: {plural(done.rows, 'row')}, one per attempt "
        "(opens in Excel and Google Sheets). Only you can see this.",
        files=(Attachment(done.filename, data),),
    )


def export_too_big(done: ExportDone, size: int, limit: int) -> Reply:
    return Reply(content=TOO_BIG.format(size=_megabytes(size), limit=_megabytes(limit)))


def _summary(report: ClassReport) -> str:
    lines = [
        f"**{report.period.label.capitalize()}** ({report.period.first:%d %b} to {report.period.last:%d %b %Y})",
        f"{report.active} of {plural(report.members, 'member')} answered; {plural(report.answers, 'answer')}"
        + (f", {percent(report.right / report.answers)} right." if report.answers else "."),
        *filter(None, [report.essay_line]),
    ]
    weakest = report.weakest_topic
    if weakest is not None:
        lines.append(f"Weakest topic: **{clip(weakest.title, 100)}** ({topic_figures(weakest)})")
    hardest = hard_questions(report)
    if hardest:
        lines.append(f"Hardest question: {clip(hardest[0].prompt, 200)} ({percent(hardest[0].share_right)} right)")
    return "\n".join(lines)


def _topic_lines(report: ClassReport) -> list[str]:
    return [f"`{bar(topic.strength)}` **{clip(topic.title, 80)}**: {topic_figures(topic)}" for topic in report.topics]


def _hard(question: HardQuestion) -> str:
    head = (
        f"{clip(question.prompt, 300)} ({clip(question.topic, 60)}, `{question.question_id}`)\n"
        f"**{percent(question.share_right)} right** of {question.answered}; "
        f"answer: {clip(question.correct_answer, 100)}"
    )
    if not question.choices:
        return head
    chosen = [
        f"`{bar(choice.share)}` {user_text(choice.answer, 80)}: {choice.count} ({percent(choice.share)})"
        + (" \u2713" if choice.correct else "")
        for choice in question.choices
    ]
    return _lines([head, *chosen])


def _student_lines(report: ClassReport) -> list[str]:
    answered = [line for line in report.students if line.answered]
    lines = [
        f"{user_text(line.name, 60)}: {percent(line.accuracy)} of {line.answered} \u00b7 streak {line.streak}"
        + (f" \u00b7 weakest: {clip(line.weakest_topic, 60)}" if line.weakest_topic else "")
        for line in answered[:STUDENTS_SHOWN]
    ]
    if len(answered) > STUDENTS_SHOWN:
        lines.append(f"\u2026and {len(answered) - STUDENTS_SHOWN} more in /export")
    return lines


def _lines(lines: list[str], limit: int = FIELD_VALUE) -> str:
    """As many whole lines as fit in `limit`, then "…and N more"."""
    shown: list[str] = []
    for number, line in enumerate(lines):
        more = f"\u2026and {len(lines) - number} more"
        if len("\n".join([*shown, line])) + len(more) + 1 > limit and number < len(lines) - 1:
            return "\n".join([*shown, more])
        shown.append(line)
    return clip("\n".join(shown), limit)


def _names(names: tuple[str, ...], limit: int = FIELD_VALUE) -> str:
    shown: list[str] = []
    for number, name in enumerate(names):
        more = f" and {len(names) - number} more"
        if len(", ".join([*shown, user_text(name, 60)])) + len(more) > limit:
            return ", ".join(shown) + more
        shown.append(user_text(name, 60))
    return ", ".join(shown)


def _megabytes(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB"
    return f"{size // 1024} kB" if size >= 1024 else f"{size} bytes"
