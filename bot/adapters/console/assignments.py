"""Assignments in the console: `assign ...`, `assignments [mine | close N]` and `start N`, and their replies as
plain text (pure functions; styled.py puts the same text in a panel). The console is one channel, and
whoever sits at it is its teacher, so `assign` prints the announcement the class would see in it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import commands as grammar
from bot.core.actor import Actor
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    AssignmentClosed,
    AssignmentCreated,
    AssignmentInfo,
    AssignmentStanding,
    ClassAssignments,
    MyAssignments,
)
from bot.core.vocabulary import AssignmentStatus

if TYPE_CHECKING:
    from bot.service import StudyService

AssignmentCommand = grammar.Assign | grammar.ShowAssignments | grammar.StartAssignment


async def run(service: StudyService, actor: Actor, command: AssignmentCommand, channel: str) -> object:
    assignments = service.assignments
    match command:
        case grammar.Assign(args=args):
            return await assignments.create(
                actor, channel, args.topic, args.due or "", count=args.count, goal=args.goal
            )
        case grammar.ShowAssignments(close=int(number)):
            return await assignments.close(actor, number)
        case grammar.ShowAssignments(mine=True):
            return await assignments.my_list(actor)
        case grammar.ShowAssignments():
            return await assignments.class_list(actor)  # everyone at the console is its teacher
        case grammar.StartAssignment(number=number):
            return await assignments.start(actor, number)


# ---------------------------------------------------------------- replies as text


def describe(info: AssignmentInfo) -> str:
    """`#3 The rivals: 10 questions, goal 70%, due Fri 04 Dec` (and why it is closed, when it is)."""
    text = f"#{info.assignment_id} {info.title}: {info.questions} questions, goal {info.goal_percent}%"
    text += f", due {info.due_date:%a %d %b}"
    if info.why_shut:
        text += f" ({info.why_shut})"
    return text


def announcement(info: AssignmentInfo) -> str:
    return (
        f"New assignment {describe(info)}.\n"
        "Work through it at your own pace: wrong answers come back until you reach the goal.\n"
        f"Start: start {info.assignment_id}"
    )


def created(reply: AssignmentCreated) -> str:
    fewer = (
        f" (the topic has {reply.assignment.questions}, fewer than the {reply.asked_for} asked for)"
        if reply.asked_for > reply.assignment.questions
        else ""
    )
    return (
        f"Assignment #{reply.assignment.assignment_id} set{fewer}. `assignments` shows who has finished.\n\n"
        f"[announcement in #{reply.channel_id}]\n{announcement(reply.assignment)}"
    )


def _names(label: str, names: tuple[str, ...], count: int) -> str:
    more = f" and {count - len(names)} more" if count > len(names) else ""
    return f"  {label} ({count}): {', '.join(names) + more if names else '-'}"


def class_list(reply: ClassAssignments) -> str:
    if not reply.assignments:
        return "No assignments yet. Set one: assign <topic or all> [n=10] due:YYYY-MM-DD [goal=70%]"
    parts = []
    for item in reply.assignments:
        lines = [describe(item.assignment)]
        lines.append(_names("Finished", item.finished, item.finished_count))
        lines.append(_names("In progress", item.in_progress, item.in_progress_count))
        lines.append(_names("Not started", item.not_started, item.not_started_count))
        if item.assignment.is_open:
            lines.append(f"  Close it early: assignments close {item.assignment.assignment_id}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def standing_line(standing: AssignmentStanding) -> str:
    if standing.finished:
        return f"Goal reached! {standing.progress}."
    return f"{standing.progress}."


def my_list(reply: MyAssignments) -> str:
    if not reply.assignments:
        return "No assignments to do right now."
    lines = ["Your assignments:"]
    for standing in reply.assignments:
        info = standing.assignment
        state = {
            AssignmentStatus.FINISHED: f"done: {standing.progress}",
            AssignmentStatus.IN_PROGRESS: f"{standing.progress} \u00b7 go on: start {info.assignment_id}",
            AssignmentStatus.NOT_STARTED: f"not started \u00b7 start {info.assignment_id}",
        }[standing.status]
        lines.append(f"  {describe(info)} \u2014 {state}")
    return "\n".join(lines)


def closed(reply: AssignmentClosed) -> str:
    if reply.already:
        return f"Assignment {describe(reply.assignment)} was already closed."
    return f"Closed assignment {describe(reply.assignment)}: it takes no more answers; what was done stays."


def standing(reply: AssignmentStanding) -> str:
    return f"Assignment {describe(reply.assignment)}\n{standing_line(reply)}"


def question_title(card: AskedQuestion) -> str:
    """An assignment's question: which assignment, and how far the student is."""
    assert card.assignment is not None
    return f"Assignment #{card.assignment.assignment.assignment_id} ({card.assignment.progress})"


def footer(result: AnswerFeedback) -> list[str]:
    """After an assignment's answer: the standing, and the next question or the goal reached."""
    if result.assignment is None:
        return []
    if result.assignment.finished:
        return [standing_line(result.assignment)]
    return [f"{standing_line(result.assignment)} Next question: start {result.assignment.assignment.assignment_id}"]


TEXTS = {
    AssignmentCreated: created,
    ClassAssignments: class_list,
    MyAssignments: my_list,
    AssignmentClosed: closed,
    AssignmentStanding: standing,
}
