"""Rich rendering of the service's replies for a person at a terminal: colour, tables for boards and stats,
panels for cards. Pure functions from a reply to a rich renderable; every text that comes from content or
people is a `Text`, never markup, so a name like "[bold]Ann" prints as typed; bot/adapters/console/render.py is the
plain-text twin used when the output is not a terminal (pipes, tests) or NO_COLOR is set."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from bot.adapters.console import assignments, render
from bot.adapters.console.styled_reports import export_written, report_written  # noqa: F401 - RichView looks here
from bot.adapters.console.views import ScheduleList, TopicList
from bot.core.arrangement import example
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    ClassDeleted,
    DailyPost,
    EssayAsked,
    EssayHistory,
    Forgotten,
    GoalSetting,
    Leaderboard,
    PlanCompared,
    PrivacySettings,
    RatingNoted,
    ReferenceCard,
    RemindersSetting,
    ReviewsDone,
    ScheduleInfo,
    Stats,
    TaughtTopics,
    Timeline,
    TopicInfo,
    TopicSummary,
)
from bot.core.vocabulary import QuestionKind


def question(card: AskedQuestion) -> RenderableType:
    title = render.question_title(card)
    body = Text()
    if card.extract is not None:
        body.append(f"\u201c{card.extract.text}\u201d\n", style="italic")
        body.append(f"\u2014 {card.extract.attribution}\n", style="dim")
        if card.extract.note:
            body.append(f"({card.extract.note})\n", style="dim")
        body.append("\n")
    body.append(card.prompt, style="bold")
    if card.kind is QuestionKind.MULTIPLE_CHOICE:
        _listed(body, [(f"{o.letter}) ", o.text) for o in card.options], "bold cyan")
        hint = f"answer <{'/'.join(option.letter for option in card.options)}>  (or just the letter)"
    elif card.kind is QuestionKind.TRUE_FALSE:
        hint = "answer true  or  answer false"
    elif card.kind is QuestionKind.ORDER:
        _listed(body, [(f"{o.letter}. ", o.text) for o in card.options], "bold cyan")
        hint = f"answer {example(card.kind, len(card.options))}  (the numbers in time order, earliest first)"
    elif card.kind is QuestionKind.MATCH:
        _listed(body, [(f"{n}. ", left) for n, left in enumerate(card.lefts, start=1)], "bold cyan")
        _listed(body, [(f"   {o.letter}) ", o.text) for o in card.options], "bold magenta")
        hint = f"answer {example(card.kind, len(card.lefts))}  (a letter for each number, in turn)"
    else:
        hint = "answer <your answer>  (type it: a name, a date or a term)"
    if card.already_answered:
        hint = "You've already answered this one today (answer again to see your result)."
    return Panel(
        body, title=Text(f"{title} \u00b7 {card.topic}"), subtitle=Text(hint), border_style="cyan", expand=False
    )


def _listed(body: Text, items: list[tuple[str, str]], style: str) -> None:
    """Each item on a line of its own: its mark ("A) ", "1. ") in `style`, then its text."""
    for mark, text in items:
        body.append("\n")
        body.append(mark, style=style)
        body.append(text)


def feedback(result: AnswerFeedback) -> RenderableType:
    verdict = (
        Text("\u2714 Correct!", style="bold green") if result.correct else Text("\u2718 Not quite.", style="bold red")
    )
    if result.repeated:
        verdict.append(f" (your first answer: {result.given})", style="dim")
    lines: list[RenderableType] = [verdict]
    if not result.correct:
        if not result.repeated:
            lines.append(Text.assemble(("Your answer: ", "dim"), result.given))
        lines.append(Text.assemble(("The answer: ", "dim"), (result.correct_answer, "bold")))
        if result.why_wrong:
            lines.append(Text.assemble(("Why not yours: ", "dim"), result.why_wrong))
    lines.append(Text(result.explanation))
    if result.ref.mode.value == "daily":
        lines.append(
            Text(f"+{result.points} points \u00b7 streak {result.streak} \u00b7 total {result.total_points}", "yellow")
        )
    else:
        lines.append(Text(render.no_points(result), style="dim"))
    if result.note:
        lines.append(Text(result.note, style="italic"))
    if result.figure:
        lines.append(Text(f"More: rival {result.figure.name}", style="dim"))
    if result.term:
        lines.append(Text(f"More: explain {result.term.name}", style="dim"))
    lines += [Text(line, style="cyan") for line in render.review_footer(result)]
    lines += [Text(line, style="bold yellow") for line in assignments.footer(result)]
    return Group(*lines)


def assignment(reply: object) -> RenderableType:
    """Assignments' replies (the list, the announcement, a standing): their plain text in a panel."""
    return Panel(Text(assignments.TEXTS[type(reply)](reply)), title="Assignments", border_style="yellow", expand=False)


def reviews_done(done: ReviewsDone) -> RenderableType:
    return Panel(Text(render.reviews_done(done)), title="Review", border_style="cyan", expand=False)


def rating_noted(noted: RatingNoted) -> RenderableType:
    return Text(render.rating_noted(noted), style="cyan")


def privacy_settings(settings: PrivacySettings) -> RenderableType:
    return Panel(Text(render.privacy_settings(settings)), title="Privacy", expand=False)


def goal_setting(setting: GoalSetting) -> RenderableType:
    return Text(render.goal_setting(setting))


def class_deleted(deleted: ClassDeleted) -> RenderableType:
    return Text(render.class_deleted(deleted), style="bold")


def reminders_setting(setting: RemindersSetting) -> RenderableType:
    return Text(render.reminders_setting(setting))


def leaderboard(board: Leaderboard, *, personal: bool = True) -> RenderableType:
    if not board.entries:
        return Panel(
            "No points yet in this period. Answer `daily` to get on the board!",
            title=Text(f"Leaderboard \u00b7 {board.period_label}"),
            expand=False,
        )
    table = Table(title=Text(f"Leaderboard \u00b7 {board.period_label}"), box=box.SIMPLE_HEAVY, title_justify="left")
    table.add_column("#", justify="right", style="bold")
    table.add_column("Name")
    table.add_column("Points", justify="right", style="yellow")
    for entry in board.entries:
        table.add_row(
            str(entry.rank),
            Text(entry.name + ("  \u2190 you" if entry.is_caller else "")),
            str(entry.points),
            style="bold green" if entry.is_caller else None,
        )
    if board.caller and not any(entry.is_caller for entry in board.entries):
        table.add_row(f"\u2026 {board.caller.rank}", Text(f"{board.caller.name} (you)"), str(board.caller.points))
    elif board.caller is None and personal:
        table.caption = "You're not on this board yet."
    return table


def card(reference: ReferenceCard) -> RenderableType:
    parts: list[RenderableType] = [Text(reference.summary, style="italic")]
    if reference.aliases:
        parts.append(Text(f"Also: {', '.join(reference.aliases)}", style="dim"))
    for section in reference.sections:
        parts += [Text(""), Text(section.heading, style="bold magenta"), Text(section.text)]
    if reference.record and reference.record.answered:
        parts += [
            Text(""),
            Text(f"Your record: {reference.record.correct} of {reference.record.answered} right", "bold"),
        ]
    subtitle = f"quiz --about {reference.card_id}" if reference.has_questions else None
    style = "magenta" if reference.kind == "figure" else "blue"
    return Panel(Group(*parts), title=Text(reference.name), subtitle=subtitle, border_style=style, expand=False)


def stats(result: Stats) -> RenderableType:
    summary = Text.assemble(
        (f"Answered {result.answered}", "bold"),
        f" ({result.daily_answered} daily, {result.practice_answered} practice, {result.review_answered} review"
        f"{result.assignment_note}), ",
        (f"{result.accuracy:.0%} correct", "green"),
        f"\nPoints {result.points} \u00b7 streak {result.current_streak} (best {result.best_streak})"
        f" \u00b7 {result.freeze_note}",
    )
    table = Table(box=box.SIMPLE, show_header=True)
    table.add_column("Topic")
    table.add_column("Right", justify="right")
    table.add_column("%", justify="right")
    for topic in result.per_topic:
        table.add_row(Text(topic.topic), f"{topic.correct}/{topic.answered}", f"{topic.accuracy:.0%}")
    parts: list[RenderableType] = [summary]
    if result.per_topic:
        parts.append(table)
    if result.mastery:
        parts.append(Text("\n".join(render.mastery_lines(result))))
    return Panel(Group(*parts), title=Text(f"Stats for {result.name}"), expand=False)


def topics(items: list[TopicInfo]) -> RenderableType:
    table = Table(title="Topics", box=box.SIMPLE, title_justify="left")
    table.add_column("quiz ...", style="cyan")
    table.add_column("Topic")
    table.add_column("Questions", justify="right")
    for topic in items:
        table.add_row(topic.topic_id, Text(topic.title), str(topic.question_count))
    return table


def daily_post(post: DailyPost) -> RenderableType:
    parts: list[RenderableType] = []
    if post.reveal:
        reveal = post.reveal
        text = Text.assemble((reveal.correct_answer, "bold"), "\n", reveal.explanation, "\n")
        text.append(f"{reveal.answered} answered, {reveal.percent_correct}% correct.", style="yellow")
        if reveal.top_streaks:
            text.append(" Top streaks: " + ", ".join(f"{h.name} ({h.streak} days)" for h in reveal.top_streaks))
        parts.append(Panel(text, title=f"Yesterday's answer ({reveal.day:%a %d %b})", border_style="dim", expand=False))
    if post.goal:
        parts.append(Text(render.class_goal(post.goal), style="bold yellow"))
    parts.append(question(post.question))
    if post.reviews_waiting:
        parts.append(Text(render.waiting(post.reviews_waiting), style="cyan"))
    if post.leaderboard:
        parts.append(leaderboard(post.leaderboard, personal=False))
    return Group(*parts)


def schedule(info: ScheduleInfo) -> RenderableType:
    return Panel(Text(render.schedule(info)), title="Daily-question schedule", expand=False)


def forgotten(result: Forgotten) -> RenderableType:
    return Text(render.forgotten(result))


def taught_topics(result: TaughtTopics) -> RenderableType:
    return Panel(Text(render.taught_topics(result)), title="Topics taught so far", expand=False)


def topic_list(replies: TopicList) -> RenderableType:
    return topics(replies.topics)


def schedule_list(replies: ScheduleList) -> RenderableType:
    if not replies.schedules:
        return Text("No daily-question schedule yet.")
    return Group(*(schedule(info) for info in replies.schedules))


def timeline(reply: Timeline) -> RenderableType:
    table = Table(title=reply.title, box=box.SIMPLE, show_header=False, title_justify="left")
    table.add_column(style="bold cyan", justify="right", no_wrap=True)
    table.add_column()
    for event in reply.events:
        table.add_row(event.when, event.event)
    return Group(table, Text(reply.more_note, style="dim")) if reply.more_note else table


def summary(reply: TopicSummary) -> RenderableType:
    body = Text()
    if reply.description:
        body.append(reply.description + "\n")
    if reply.dates:
        body.append("\nKey dates\n", style="bold")
        for event in reply.dates:
            body.append(f"  {event.when}", style="cyan")
            body.append(f"  {event.event}\n")
    if reply.people:
        body.append("\nPeople ", style="bold")
        body.append(", ".join(person.name for person in reply.people))
        body.append("  (rival <name>)\n", style="dim")
    if reply.terms:
        body.append("Terms ", style="bold")
        body.append(", ".join(term.name for term in reply.terms))
        body.append("  (explain <term>)\n", style="dim")
    body.append("\n" + reply.record + "\n", style="italic")
    for prompt in reply.missed:
        body.append(f"  - {prompt}\n")
    return Panel(
        body,
        title=Text(f"Summary \u00b7 {reply.topic.title}"),
        subtitle=Text(f"quiz {reply.topic.topic_id}"),
        border_style="cyan",
        expand=False,
    )


def essay_asked(asked: EssayAsked) -> RenderableType:
    return Panel(Text(render.essay_asked(asked)), border_style="cyan", expand=False)


def plan_compared(compared: PlanCompared) -> RenderableType:
    return Panel(Text(render.plan_compared(compared)), border_style="green", expand=False)


def essay_history(history: EssayHistory) -> RenderableType:
    return Text(render.essay_history(history))
