"""The names Slack sends back to us: the slash command, action_ids, the modal's callback and block
ids, and the codecs of the values our buttons and modals carry (everything a click needs, so buttons
keep working after a restart). Renderers build with these; listeners register and parse with them.
"""

from __future__ import annotations

import json

from bot.core.replies import QuestionRef

COMMAND = "/study"

ANSWER_ACTION_PREFIX = "study_answer_"  # + letter; value `answer_value(ref, letter)`
OPEN_MODAL_ACTION = "study_open_answer"  # value `modal_value(ref, prompt)` (the modal repeats the prompt)
SHOW_CARD_ACTION = "study_card"  # value: a card id or a name
QUIZ_FIGURE_ACTION = "study_quiz_figure"  # value: a card id
FORGET_CONFIRM_ACTION = "study_forget_confirm"
FORGET_CANCEL_ACTION = "study_forget_cancel"
ANSWER_VIEW = "study_answer_view"  # the short-answer modal's callback_id
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "text"


def answer_action(letter: str) -> str:
    return ANSWER_ACTION_PREFIX + letter


def answer_value(ref: QuestionRef, letter: str) -> str:
    return f"{ref.encode()}|{letter}"


def parse_answer_value(value: str) -> tuple[QuestionRef, str]:
    """The inverse of `answer_value`: ValueError when the value was not made by us."""
    ref_text, _, letter = value.rpartition("|")
    if not ref_text or not letter:
        raise ValueError(f"not an answer value: {value[:40]!r}")
    return QuestionRef.decode(ref_text), letter


def modal_value(ref: QuestionRef, prompt: str) -> str:
    """The "Type your answer" button's value (the renderer cuts it to Slack's value limit)."""
    return f"{ref.encode()}|{prompt}"


def parse_modal_value(value: str) -> tuple[QuestionRef, str]:
    """The "Type your answer" button's value -> (ref, prompt)."""
    ref_text, _, prompt = value.partition("|")
    return QuestionRef.decode(ref_text), prompt


def modal_metadata(ref: QuestionRef, response_url: str | None, channel_id: str | None) -> str:
    """The modal's `private_metadata`: which question, and where to reply. A ref (~80 characters) and
    a response_url (~100) stay far below the 3,000 allowed."""
    return json.dumps({"ref": ref.encode(), "url": response_url or "", "channel": channel_id or ""})


def parse_modal_metadata(text: str) -> tuple[QuestionRef, str | None, str | None]:
    data = json.loads(text or "{}")
    return QuestionRef.decode(data["ref"]), data.get("url") or None, data.get("channel") or None
