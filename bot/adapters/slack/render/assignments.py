"""Assignments in Block Kit: the announcement in the channel (with its "Start" button), the teacher's
confirmation and class list (with "Close" buttons), a student's own list, and a standing once the goal is
reached. An assignment's questions and feedback are the ordinary renderers' (messages.py), with the line
and the "Next question" button from here."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack import ids
from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import (
    ECHO_NAME,
    Message,
    actions,
    button,
    context,
    echo,
    header,
    message,
    section,
)
from bot.core.replies import (
    AskedQuestion,
    AssignmentClosed,
    AssignmentCreated,
    AssignmentInfo,
    AssignmentStanding,
    ClassAssignments,
    MyAssignments,
)
from bot.core.vocabulary import AssignmentStatus

NOT_TEACHER = (
    "Only workspace admins and the teachers they name can set, list and close the class's assignments. "
    f"An admin can name you with `{COMMAND} schedule teachers add @you`."
)
NOT_POSTED = "I couldn't post the announcement in this channel ({reason}), so the class hasn't seen it yet."


def terms(info: AssignmentInfo) -> str:
    """`2 questions · goal 70% · due Friday 4 December` (and why it takes no answers, when it doesn't)."""
    count = f"{info.questions} question" + ("" if info.questions == 1 else "s")
    text = (
        f"{count} \u00b7 goal {info.goal_percent}% \u00b7 due {info.due_date:%A} {info.due_date.day} {info.due_date:%B}"
    )
    if info.why_shut:
        text += f" \u00b7 {info.why_shut}"
    return text


def _start(info: AssignmentInfo, label: str = "Start") -> dict[str, Any]:
    return button(label, ids.ASSIGNMENT_ACTION, str(info.assignment_id), style="primary")


def announcement(info: AssignmentInfo) -> Message:
    """The one message in the channel: what the assignment is, and "Start" (each student's questions come
    to them alone)."""
    title = f"New assignment \u00b7 {info.title}"
    blocks = [
        header(title),
        section(
            f"*{terms(info)}*\nWork through it at your own pace: only you see your questions and answers. "
            "Questions you get wrong come back until you reach the goal."
        ),
        *actions([_start(info)]),
        context(
            f"Assignment #{info.assignment_id} \u00b7 no leaderboard points",
            f"or `{COMMAND} start {info.assignment_id}`",
        ),
    ]
    return message(f"{title}: {terms(info)}", blocks)


def created(result: AssignmentCreated, *, not_posted: str | None = None) -> Message:
    """The teacher's own confirmation; `not_posted` says why the announcement could not go to the channel."""
    info = result.assignment
    text = f"Assignment #{info.assignment_id} set: {info.title}, {terms(info)}."
    if result.asked_for > info.questions:
        text += f" The topic has {info.questions}, so that is all of them."
    blocks = [section(echo(text, 2000))]
    if not_posted:
        blocks.append(context(NOT_POSTED.format(reason=echo(not_posted, 200)), f"`{COMMAND} assignments` lists it"))
    else:
        blocks.append(context(f"Announced in this channel \u00b7 `{COMMAND} assignments` shows who has finished"))
    return message(text, blocks)


def _names(names: tuple[str, ...], count: int) -> str:
    shown = ", ".join(echo(name, ECHO_NAME) for name in names) or "\u2014"
    return shown + (f" and {count - len(names)} more" if count > len(names) else "")


def class_list(result: ClassAssignments) -> Message:
    """A teacher's list: each assignment with who has finished, who is working on it, who hasn't started."""
    if not result.assignments:
        text = "No assignments yet."
        return message(text, [section(f"{text} Set one: `{COMMAND} assign <topic or all> due:YYYY-MM-DD`")])
    blocks: list[dict[str, Any]] = [header("Assignments")]
    for item in result.assignments:
        info = item.assignment
        blocks.append(
            section(
                f"*#{info.assignment_id} {echo(info.title, 100)}* \u00b7 {terms(info)}\n"
                f"*Finished ({item.finished_count}):* {_names(item.finished, item.finished_count)}\n"
                f"*In progress ({item.in_progress_count}):* {_names(item.in_progress, item.in_progress_count)}\n"
                f"*Not started ({item.not_started_count}):* {_names(item.not_started, item.not_started_count)}"
            )
        )
        if info.is_open:
            blocks += actions(
                [button(f"Close #{info.assignment_id}", ids.CLOSE_ASSIGNMENT_ACTION, str(info.assignment_id))]
            )
    blocks.append(context("Only you see this \u00b7 closing one early keeps what was done"))
    summary = "; ".join(
        f"#{i.assignment.assignment_id} {i.assignment.title}: {i.finished_count} finished" for i in result.assignments
    )
    return message(f"Assignments: {summary}", blocks)


def my_list(result: MyAssignments) -> Message:
    """A student's own: what is still to do (with "Start" or "Continue"), then what is done."""
    if not result.assignments:
        return message(
            "You have no assignments to do right now.", [section("You have no assignments to do right now.")]
        )
    blocks: list[dict[str, Any]] = [header("Your assignments")]
    for standing in result.assignments:
        info = standing.assignment
        state = {
            AssignmentStatus.FINISHED: f":white_check_mark: Goal reached: {standing.progress}",
            AssignmentStatus.IN_PROGRESS: f"In progress: {standing.progress}",
            AssignmentStatus.NOT_STARTED: "Not started",
        }[standing.status]
        blocks.append(section(f"*#{info.assignment_id} {echo(info.title, 100)}* \u00b7 {terms(info)}\n{state}"))
        if not standing.finished:
            blocks += actions([_start(info, "Continue" if standing.started else "Start")])
    left = len(result.to_do)
    return message(f"Your assignments: {left} to do", blocks)


def closed(result: AssignmentClosed) -> Message:
    info = result.assignment
    if result.already:
        text = f"Assignment #{info.assignment_id} ({info.title}) was already closed."
    else:
        text = f"Closed assignment #{info.assignment_id} ({info.title}): it takes no more answers; what was done stays."
    return message(text, [section(echo(text, 2000))])


def standing(result: AssignmentStanding) -> Message:
    """Start or "Next question" once the goal is reached."""
    info = result.assignment
    title = f"Goal reached \u00b7 {info.title}"
    blocks = [
        header(f"\u2705 {title}"),
        section(f"*{result.progress}*\n{terms(info)}"),
        context("Nothing more to do here."),
    ]
    return message(f"{title}: {result.progress}", blocks)


def note(result: AssignmentStanding) -> str:
    """The context line under an assignment's answer, instead of points."""
    reached = "Goal reached! " if result.finished else ""
    return f"Assignment #{result.assignment.assignment_id} \u00b7 {reached}{result.progress} \u00b7 no points"


def next_button(result: AssignmentStanding) -> list[dict[str, Any]]:
    """The "Next question" button under an answer, until the goal is reached."""
    return [] if result.finished else [_start(result.assignment, "Next question")]


def step(result: AskedQuestion | AssignmentStanding) -> Message:
    from bot.adapters.slack.render.messages import question  # messages uses this module's note and button

    return standing(result) if isinstance(result, AssignmentStanding) else question(result)


def overview(result: ClassAssignments | MyAssignments) -> Message:
    return class_list(result) if isinstance(result, ClassAssignments) else my_list(result)
