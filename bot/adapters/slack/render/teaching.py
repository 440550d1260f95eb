"""The bank's topics (`topics`) and what the class has been taught so far (`topics taught`). Pure functions."""

from __future__ import annotations

from collections.abc import Sequence

from bot.adapters.slack.ids import COMMAND
from bot.adapters.slack.render.blocks import Message, context, escape, header, message, section
from bot.core.replies import TaughtTopics, TopicInfo

NOT_TEACHER = (
    "Only workspace admins and the teachers they name can choose the topics taught so far. "
    f"An admin can name you with `{COMMAND} schedule teachers add @you`."
)


def _rows(topics: Sequence[TopicInfo]) -> str:
    return "\n".join(f"`{escape(t.topic_id)}` {escape(t.title)} ({t.question_count})" for t in topics)


def topic_list(topics: Sequence[TopicInfo]) -> Message:
    text = f"{len(topics)} topics."
    blocks = [header("Topics"), section(_rows(topics) or "No topics yet.")]
    blocks.append(context(f"Practise one: `{COMMAND} quiz <topic>`. Teachers: `{COMMAND} topics taught <topic, ...>`."))
    return message(text, blocks)


def taught_topics(result: TaughtTopics) -> Message:
    saved = "*Saved.* " if result.changed else ""
    if result.whole_bank:
        lead = f"{saved}Taught so far: *every topic*. The daily question, practice and review ask all of them."
    else:
        lead = f"{saved}The daily question, practice and review ask only the topics taught so far."
    blocks = [header("Topics taught so far"), section(lead), section(_rows(result.taught))]
    if result.not_yet:
        blocks.append(section("*Not taught yet:* " + escape(", ".join(t.title for t in result.not_yet))))
    hints = [f"`{COMMAND} topics taught <topic, topic ...>` changes it; `{COMMAND} topics taught all`: every topic."]
    if result.changed and not result.whole_bank:
        hints.append("Today's question stays as it is; the change counts from the next one.")
    blocks.append(context(*hints))
    taught = ", ".join(t.title for t in result.taught)
    return message(f"{'Saved. ' if result.changed else ''}Topics taught so far: {taught}.", blocks)
