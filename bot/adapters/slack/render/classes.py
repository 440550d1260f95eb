"""A class as a whole: the class goal (the teachers' `goal` and the line the weekly post starts with),
`class delete`, and `my-data` (the file goes to the student's DM; this is the note that says so)."""

from __future__ import annotations

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import Message, context, echo, message, section
from bot.core.replies import ClassDeleted, ClassGoal, GoalSetting, MyData

NOT_TEACHER = (
    "Only workspace admins and the teachers they name can set the class goal or delete the class. "
    f"An admin can name you with `{COMMAND} schedule teachers add @you`."
)


def class_goal_line(goal: ClassGoal) -> str:
    """The weekly post's first line, e.g. "Class goal: 64% of this week's 25 daily answers right · goal 70%"."""
    if goal.answered:
        share = f"{goal.percent_right}% of this week's {goal.answered} daily answers right"
    else:
        share = "no daily answers yet this week"
    if goal.goal_percent is None:
        return f"*This week:* {share}"
    status = f"goal {goal.goal_percent}% reached! :tada:" if goal.reached else f"goal {goal.goal_percent}%"
    return f"*Class goal:* {share} \u00b7 {status}"


def goal_setting(setting: GoalSetting) -> Message:
    if setting.goal_percent is None:
        text = "The class goal is off. The weekly post still shows the class's share of right answers."
    else:
        text = (
            f"The class goal is now *{setting.goal_percent}%* of the week's daily answers right. "
            "The weekly leaderboard post shows how the class is doing, first."
        )
    return message(text.replace("*", ""), [section(text), context(f"`{COMMAND} goal off` removes it.")])


def class_deleted(result: ClassDeleted) -> Message:
    text = (
        f"Done: this class's data is deleted: {result.members} member(s) and {result.answers} answer(s), "
        "with every score, setting and schedule."
    )
    return message(text, [section(text)])


def my_data_sent(data: MyData) -> Message:
    text = (
        f"I sent you `{echo(data.filename, 80)}` in a direct message from the app (its Messages tab): "
        "everything stored about you in this workspace, as JSON. Only you can see it."
    )
    return message(text.replace("`", ""), [section(text)])
