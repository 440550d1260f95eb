"""Assignments: the announcement in the channel (with its "Start" button), the teacher's confirmation and
class list (with "Close" buttons), a student's own list, and a student's standing once the goal is reached.
An assignment's questions and the feedback with its "Next question" button are the ordinary question
renderers (messages.py)."""

from __future__ import annotations

import discord

from bot.adapters.discord import custom_ids
from bot.adapters.discord.render.base import (
    BLUE,
    BUTTONS,
    GOLD,
    GREEN,
    Button,
    Reply,
    add_field,
    fit,
    new_embed,
    plural,
    set_footer,
    user_text,
)
from bot.adapters.discord.render.messages import question
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

NOT_POSTED = (
    "I couldn't post the announcement here, so the class hasn't seen it yet. {reason} "
    "Students find it with `/assignments` meanwhile."
)
NO_ASSIGNMENTS = "No assignments yet. Set one with `/assign`."
NOTHING_TO_DO = "You have no assignments to do right now."


def terms(info: AssignmentInfo) -> str:
    """`10 questions · goal 70% · due Friday 4 December` (and why it takes no answers, when it doesn't)."""
    text = f"{plural(info.questions, 'question')} \u00b7 goal {info.goal_percent}% \u00b7 due {info.due_date:%A} "
    text += f"{info.due_date.day} {info.due_date:%B}"
    if info.why_shut:
        text += f" \u00b7 {info.why_shut}"
    return text


def announcement(info: AssignmentInfo) -> Reply:
    """The one public message: what the assignment is, and "Start" (each student's questions come privately)."""
    embed = new_embed(
        f"New assignment \u00b7 {info.title}",
        f"{terms(info)}\n\nWork through it at your own pace: only you see your questions and answers. "
        "Questions you get wrong come back until you reach the goal.",
        GOLD,
    )
    set_footer(embed, f"Assignment #{info.assignment_id}", "No leaderboard points.")
    return Reply(
        embed=fit(embed),
        buttons=(Button("Start", custom_ids.assignment(info.assignment_id), discord.ButtonStyle.success),),
    )


def created(result: AssignmentCreated) -> Reply:
    """The teacher's private confirmation (the announcement goes to the channel beside it)."""
    info = result.assignment
    fewer = ""
    if result.asked_for > info.questions:
        fewer = f" The topic has {plural(info.questions, 'question')}, so that is all of them."
    return Reply(
        content=f"Assignment #{info.assignment_id} set: **{user_text(info.title, 100)}**, {terms(info)}.{fewer} "
        "I'm announcing it in this channel. `/assignments` shows who has finished."
    )


def not_posted(reason: str) -> Reply:
    return Reply(content=NOT_POSTED.format(reason=reason))


def _names(names: tuple[str, ...], count: int) -> str:
    shown = ", ".join(user_text(name, 60) for name in names) or "\u2014"
    return shown + (f" and {count - len(names)} more" if count > len(names) else "")


def class_list(result: ClassAssignments) -> Reply:
    """A teacher's list: each assignment with who has finished, who is working on it, who hasn't started."""
    if not result.assignments:
        return Reply(content=NO_ASSIGNMENTS)
    embed = new_embed("Assignments", "Only you can see this.")
    buttons = []
    for item in result.assignments:
        info = item.assignment
        lines = [
            f"**Finished ({item.finished_count}):** {_names(item.finished, item.finished_count)}",
            f"**In progress ({item.in_progress_count}):** {_names(item.in_progress, item.in_progress_count)}",
            f"**Not started ({item.not_started_count}):** {_names(item.not_started, item.not_started_count)}",
        ]
        add_field(embed, f"#{info.assignment_id} {info.title} \u00b7 {terms(info)}", "\n".join(lines))
        if info.is_open and len(buttons) < BUTTONS:
            buttons.append(Button(f"Close #{info.assignment_id}", custom_ids.close_assignment(info.assignment_id)))
    set_footer(embed, "Closing one early keeps what was done; it takes no more answers.")
    return Reply(embed=fit(embed), buttons=tuple(buttons))


def my_list(result: MyAssignments) -> Reply:
    """A student's own: what is still to do (with "Start" or "Continue"), then what is done."""
    if not result.assignments:
        return Reply(content=NOTHING_TO_DO)
    embed = new_embed(
        "Your assignments", "" if result.to_do else "All done. Well done!", BLUE if result.to_do else GREEN
    )
    buttons = []
    for standing in result.assignments:
        info = standing.assignment
        state = {
            AssignmentStatus.FINISHED: f"\u2705 Goal reached: {standing.progress}",
            AssignmentStatus.IN_PROGRESS: f"In progress: {standing.progress}",
            AssignmentStatus.NOT_STARTED: "Not started",
        }[standing.status]
        add_field(embed, f"#{info.assignment_id} {info.title}", f"{terms(info)}\n{state}")
        if not standing.finished and len(buttons) < BUTTONS:
            label = "Continue" if standing.started else "Start"
            buttons.append(
                Button(
                    f"{label} #{info.assignment_id}",
                    custom_ids.assignment(info.assignment_id),
                    discord.ButtonStyle.primary,
                )
            )
    return Reply(embed=fit(embed), buttons=tuple(buttons))


def closed(result: AssignmentClosed) -> Reply:
    info = result.assignment
    if result.already:
        return Reply(content=f"Assignment #{info.assignment_id} ({user_text(info.title, 100)}) was already closed.")
    return Reply(
        content=f"Closed assignment #{info.assignment_id} ({user_text(info.title, 100)}): it takes no more answers; "
        "what was done stays."
    )


def standing(result: AssignmentStanding) -> Reply:
    """Start or "Next question" once the goal is reached."""
    info = result.assignment
    embed = new_embed(f"\u2705 Goal reached \u00b7 {info.title}", f"{result.progress}.\n{terms(info)}", GREEN)
    set_footer(embed, "Nothing more to do on this one.")
    return Reply(embed=fit(embed))


def overview(result: ClassAssignments | MyAssignments) -> Reply:
    """/assignments: a teacher's list of the class's, or a student's own."""
    return class_list(result) if isinstance(result, ClassAssignments) else my_list(result)


def step(result: AskedQuestion | AssignmentStanding) -> Reply:
    """What "Start" and "Next question" show: the next question, or the goal reached."""
    return standing(result) if isinstance(result, AssignmentStanding) else question(result)
