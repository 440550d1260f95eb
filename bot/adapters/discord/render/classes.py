"""A class as a whole: the teachers' /goal and /class delete replies, the weekly post's class goal, and a
student's /mydata file."""

from __future__ import annotations

import discord

from bot.adapters.discord.render.base import GOLD, GREEN, Attachment, Reply, bar, new_embed, plural
from bot.core.replies import ClassDeleted, ClassGoal, GoalSetting, MyData

GOAL_OFF = "No class goal now. Set one with `/goal percent:70`."


def goal_setting(setting: GoalSetting) -> Reply:
    """The teacher's `/goal` reply (ephemeral)."""
    if setting.goal_percent is None:
        return Reply(content=GOAL_OFF)
    return Reply(
        content=f"Saved: the class's goal is {setting.goal_percent}% of the week's daily answers right. "
        "The weekly leaderboard post shows how close the class is (`/goal percent:off` removes it)."
    )


def class_deleted(deleted: ClassDeleted) -> Reply:
    """The teacher's `/class delete` reply, once everything is gone."""
    return Reply(
        content=f"Deleted: this server's class, with its {plural(deleted.members, 'member')}, "
        f"{plural(deleted.answers, 'answer')}, scores, settings and schedules. It cannot be undone."
    )


def class_goal_line(goal: ClassGoal) -> str:
    """The class's week in words, the same sentence on every platform's post."""
    share = f"{goal.percent_right}% of this week's {plural(goal.answered, 'daily answer')} right"
    if goal.goal_percent is None:
        return f"Class: {share}."
    verdict = "goal reached! \U0001f389" if goal.reached else f"goal {goal.goal_percent}%"
    return f"Class goal: {share} \u00b7 {verdict}"


def class_goal(goal: ClassGoal) -> discord.Embed | None:
    """The weekly post's first embed: the class's share of right answers, against its goal (None when
    there is neither a goal nor an answer to show)."""
    if goal.goal_percent is None and not goal.answered:
        return None
    lines = [class_goal_line(goal)]
    if goal.goal_percent is not None:
        lines.append(f"`{bar(goal.percent_right / 100)}` {goal.percent_right}% of {goal.goal_percent}%")
    title = "Class goal reached!" if goal.reached else "This week as a class"
    return new_embed(title, "\n".join(lines), GREEN if goal.reached else GOLD)


def my_data(data: MyData) -> Reply:
    """A student's `/mydata`: the JSON file, for them alone."""
    return Reply(
        content="Here is everything stored about you in this server, as a JSON file. "
        "Only you can see this. `/forgetme` deletes it.",
        files=(Attachment(data.filename, data.json_text.encode("utf-8")),),
    )
