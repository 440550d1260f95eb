"""The teachers' /teacher replies: the topics taught so far, and the teachers' role. Pure functions."""

from __future__ import annotations

from bot.adapters.discord.render.base import BLUE, Reply, add_field, clip, fit, new_embed, set_footer
from bot.core.replies import TaughtTopics, TeacherRole

ROLE_NOTE = (
    "Discord shows the teachers' commands only to members who can manage the server: to let the role's "
    "members see them too, allow the role for Study Bot's commands in Server Settings \u2192 Integrations."
)


def taught_topics(result: TaughtTopics) -> Reply:
    """`/teacher topics`, for the teacher who asked (ephemeral)."""
    if result.whole_bank:
        lead = "Taught so far: **every topic**. The daily question, practice and review ask all of them."
    else:
        lead = "The daily question, practice and review ask only the topics taught so far."
    rows = "\n".join(f"\u2022 {t.title} (`{t.topic_id}`, {t.question_count})" for t in result.taught)
    embed = new_embed("Topics taught so far", clip(f"{lead}\n\n{rows}", 4000), BLUE)
    if result.not_yet:
        add_field(embed, "Not taught yet", clip(", ".join(t.title for t in result.not_yet), 1000))
    footer = ["/teacher topics taught:<topic, topic ...> changes it; taught:all asks every topic."]
    if result.changed and not result.whole_bank:
        footer.insert(0, "Today's question stays as it is; the change counts from the next one.")
    set_footer(embed, *footer)
    return Reply(content="Saved." if result.changed else None, embed=fit(embed))


def teacher_role(result: TeacherRole) -> Reply:
    """`/teacher role`, for the admin who asked (ephemeral). The role is a mention: no one is pinged (the
    reply allows no mentions, and it is ephemeral)."""
    if result.role_id is None:
        text = "No teachers' role: only members who can manage the server are teachers here."
        if not result.changed:
            text += " Name one with `/teacher role role:@Teachers`."
        return Reply(content=("Cleared. " if result.changed else "") + text)
    lead = "Saved. " if result.changed else ""
    return Reply(
        content=f"{lead}Members with <@&{result.role_id}> are teachers here, besides those who can manage the "
        f"server.\n-# {ROLE_NOTE} `/teacher role clear:True` removes it."
    )
