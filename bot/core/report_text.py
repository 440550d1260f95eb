"""A class report as Markdown: what `python -m bot report` writes beside its chart and CSV, and what the
console prints. The chat front ends render the same ClassReport in their own way."""

from __future__ import annotations

from bot.core.reports import HARDEST_MIN_ANSWERS, ClassReport, HardQuestion, TopicLine

NAMES_SHOWN = 40  # inactive members named before "and N more" (a big class's file lists them all)
NO_HARD_QUESTION = f"No question with {HARDEST_MIN_ANSWERS} or more answers was got wrong in this period."


def percent(value: float) -> str:
    return f"{round(100 * value)}%"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def bar(value: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, value)) * width)
    return "█" * filled + "░" * (width - filled)


def hard_questions(report: ClassReport) -> tuple[HardQuestion, ...]:
    """The hardest questions someone got wrong: one that everybody got right is not hard, only answered."""
    return tuple(question for question in report.hardest if question.right < question.answered)


def topic_figures(topic: TopicLine) -> str:
    """`25% right of 4, mastery 81%` (mastery only where review cards know it)."""
    mastery = f", mastery {percent(topic.mastery)}" if topic.mastery is not None else ""
    return f"{percent(topic.accuracy)} right of {topic.answered}{mastery}"


def choice_lines(question: HardQuestion) -> list[str]:
    if not question.choices:
        return ["  (no wrong answers to show)"]
    return [
        f"  - {choice.answer}: {choice.count} ({percent(choice.share)}){' ✓' if choice.correct else ''}"
        for choice in question.choices
    ]


def markdown(report: ClassReport, *, every_name: bool = False, students_shown: int | None = None) -> str:
    scope = f" · topic: {report.topic}" if report.topic else ""
    lines = [
        f"# {report.class_name}: class report, {report.period.label}{scope}",
        "",
        f"{report.active} of {report.members} members answered; {plural(report.answers, 'answer')} in all.",
        *filter(None, [report.essay_line]),
        "",
        "## Answers per day",
        "",
        *[f"- {day:%a %d %b}: {count}" for day, count in report.answers_per_day],
        "",
    ]
    if report.inactive:
        shown = report.inactive if every_name else report.inactive[:NAMES_SHOWN]
        more = len(report.inactive) - len(shown)
        lines += [
            f"**No answers for 7 days or more ({len(report.inactive)}):** {', '.join(shown)}"
            + (f" and {more} more" if more else ""),
            "",
        ]
    lines += ["## Topics, weakest first", ""]
    if report.mastery_sampled:
        lines += [f"(Mastery from the review cards of {report.mastery_from} of the {report.members} members.)", ""]
    if not report.topics:
        lines.append("No answers in this period.")
    for topic in report.topics:
        lines.append(f"- {bar(topic.strength)} **{topic.title}**: {topic_figures(topic)}")
    lines += ["", "## Hardest questions", ""]
    if not hard_questions(report):
        lines.append(NO_HARD_QUESTION)
    for number, question in enumerate(hard_questions(report), 1):
        lines += [
            f"{number}. {question.prompt} ({question.topic}, `{question.question_id}`): "
            f"{percent(question.share_right)} right of {question.answered}; answer: {question.correct_answer}",
            *choice_lines(question),
        ]
    students = report.students if students_shown is None else report.students[:students_shown]
    lines += ["", "## Students", "", "| Student | Answered | Right | Streak | Weakest topic |", "|---|---|---|---|---|"]
    for line in students:
        lines.append(
            f"| {line.name.replace('|', '/')} | {line.answered} | {percent(line.accuracy) if line.answered else '-'} "
            f"| {line.streak} | {line.weakest_topic or '-'} |"
        )
    if len(students) < len(report.students):
        lines.append(f"\n…and {len(report.students) - len(students)} more in the CSV export.")
    return "\n".join(lines) + "\n"
