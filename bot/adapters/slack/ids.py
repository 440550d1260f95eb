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
REVIEW_ACTION = "study_review"  # "Start review" / "Next review"; value `REVIEW_VALUE`
PRACTISE_TOPIC_ACTION = "study_practise_topic"  # "Practise <topic>"; value: a topic id
RATE_ACTION_PREFIX = "study_rate_"  # + "guessed" | "easy"; value: the question id
REMINDERS_ACTION = "study_reminders"  # "Turn off reminders"; value "off" (or "on")
ASSIGNMENT_ACTION = "study_assignment"  # "Start" (announcement, own list), "Next question"; value: its number
CLOSE_ASSIGNMENT_ACTION = "study_assignment_close"  # a teacher's "Close #N"; value: its number
ANSWER_VIEW = "study_answer_view"  # the short-answer modal's callback_id
TAP_ACTION_PREFIX = "study_tap_"  # + the number or letter tapped; value `tap_value(ref, so_far)`
OPEN_ESSAY_ACTION = "study_open_essay_plan"  # "Write your plan"; value `essay_value(plan, factors, evidence)`
ESSAY_TAP_PREFIX = "study_essay_tap_"  # + the factor's number or evidence letter; value `essay_value(...)`
ESSAY_VIEW = "study_essay_view"  # the essay plan form's callback_id
ESSAY_BLOCKS = ("factors", "evidence", "judgement")  # its inputs' block ids (each input's action_id is "text")
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "text"


REVIEW_VALUE = "next"
RATINGS = ("guessed", "easy")
MAX_ID = 64  # a question or topic id in a button value: the bank's ids are far shorter


def answer_action(letter: str) -> str:
    return ANSWER_ACTION_PREFIX + letter


def answer_value(ref: QuestionRef, letter: str) -> str:
    return f"{ref.encode()}|{letter}"


def on_tapped_message(value: str) -> bool:
    """Whether a tap button (an order's, or an essay plan's) sits on the private message that shows the taps
    so far, which its reply then replaces: its taps so far start with "."."""
    return "|." in value


def tapped(body: dict, prefix: str) -> str:
    """The number or letter a tap button stands for: the end of its action_id."""
    return str(body["actions"][0]["action_id"]).removeprefix(prefix)


def tap_action(tap: str) -> str:
    return TAP_ACTION_PREFIX + tap


def tap_value(ref: QuestionRef, so_far: str) -> str:
    """A tap button's value: the question and the taps before it, with "." in front on the private message
    that shows the taps (each tap then replaces it)."""
    return f"{ref.encode()}|{so_far}"


def parse_tap_value(value: str) -> tuple[QuestionRef, bool, str]:
    """(the question, whether the button is on the taps' own message, the taps so far); ValueError if not ours."""
    ref_text, _, so_far = value.rpartition("|")
    if not ref_text or len(so_far) > 6:
        raise ValueError(f"not a tap value: {value[:40]!r}")
    return QuestionRef.decode(ref_text), so_far.startswith("."), so_far.removeprefix(".")


def essay_value(plan_id: int, factors: str = "", evidence: str = "") -> str:
    """A plan's buttons' value: the plan, and the factors and evidence tapped so far ("." in front of the
    factors on the private message that shows the plan, which each tap then replaces)."""
    return f"{plan_id}|{factors}|{evidence}"


def parse_essay_value(value: str) -> tuple[int, bool, str, str]:
    """(plan, on the plan's own message, factors, evidence); ValueError if the value is not ours."""
    plan, _, rest = value.partition("|")
    factors, _, evidence = rest.partition("|")
    if len(factors) > 5 or len(evidence) > 4:
        raise ValueError(f"not an essay value: {value[:40]!r}")
    return int(plan), factors.startswith("."), factors.removeprefix("."), evidence


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


def rate_action(how: str) -> str:
    """The "I guessed" / "Too easy" buttons' action_id; the value is the question id."""
    return RATE_ACTION_PREFIX + how


def parse_rate(action_id: str, value: str) -> tuple[str, str]:
    """(question id, "guessed" | "easy") from a rate button: ValueError when we did not make it."""
    how = action_id.removeprefix(RATE_ACTION_PREFIX)
    return _id(value, "question"), _one_of(how, RATINGS, "rating")


def parse_topic_value(value: str) -> str:
    """A "Practise <topic>" button's topic id: ValueError when it is not one we could have made."""
    return _id(value, "topic")


def parse_assignment_value(value: str) -> int:
    """An assignment button's number: ValueError when it is not one we could have made."""
    if not value.isdigit() or len(value) > 9:
        raise ValueError(f"not an assignment number: {value[:40]!r}")
    return int(value)


def parse_reminders_value(value: str) -> bool:
    """A reminders button's value -> on?"""
    return _one_of(value, ("on", "off"), "reminders value") == "on"


def _id(value: str, what: str) -> str:
    if not value or len(value) > MAX_ID or not value.isprintable() or value != value.strip():
        raise ValueError(f"not a {what} id: {value[:40]!r}")
    return value


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"not a {what}: {value[:40]!r}")
    return value
