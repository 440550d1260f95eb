"""The custom_ids our buttons carry: everything a click needs, so buttons work after a restart.

Each kind has a builder (used by the renderers) and a regex template (used by the persistent
DynamicItems in views.py). Discord allows at most 100 characters.

A button in a direct message (a review reminder, and everything a review started there leads to) has
no server to act in, so its id starts with the server's: `g310000000000000001|rev`. Every template
accepts that optional `g<guild id>|` scope in front (`scoped` adds it); the click is then checked
against the server (is the bot there, is the student still a member) before anything runs.
"""

from __future__ import annotations

import re

from bot.core.replies import QuestionRef

MAX_LENGTH = 100

SCOPE = r"(?:g(?P<guild>[0-9]{1,20})\|)?"  # the server a button in a direct message acts in

# Templates are matched with re.fullmatch against the whole custom_id.
ANSWER = SCOPE + r"ans\|(?P<ref>[^|]+)\|(?P<answer>[^|]+)"  # a choice: "ans|d:2026-11-27:rise-001|B"
TYPED = SCOPE + r"typed\|(?P<ref>[^|]+)"  # opens the short-answer modal
TYPED_ANSWER = SCOPE + r"typed-answer\|(?P<ref>[^|]+)"  # the short-answer modal itself, submitted
CARD = SCOPE + r"card\|(?P<query>.+)"  # shows a figure card or glossary entry (card id or name)
QUIZ = SCOPE + r"quiz\|(?P<card>.+)"  # a practice question about a card
FORGET = SCOPE + r"forget\|(?P<choice>yes|no)"  # the /forgetme confirmation
# Spaced review. The parts after the keyword are checked by the button, not the template, so that a
# forged or outdated id gets a friendly answer instead of none.
REVIEW = SCOPE + r"rev"  # "Next review" / "Start review": the next question due
RATE = SCOPE + r"rate\|(?P<how>[^|]+)\|(?P<question>[^|]+)"  # "I guessed" (g) / "Too easy" (e) after a right answer
TOPIC = SCOPE + r"topic\|(?P<topic>[^|]+)"  # a practice question from a topic ("Practise <weakest topic>")
REMINDERS = SCOPE + r"remind\|(?P<choice>[^|]+)"  # turn review reminders on or off
# Assignments: "Start" (on the announcement) and "Next question" (under an answer); a teacher's "Close".
ASSIGNMENT = SCOPE + r"asg\|(?P<assignment>[^|]+)"
CLOSE_ASSIGNMENT = SCOPE + r"asg-close\|(?P<assignment>[^|]+)"
# An order or match item tapped in a button at a time: the taps so far, and this one ("0": start again).
# The taps start with "." on the private message that shows them, which each tap then updates.
ARRANGE = SCOPE + r"arr\|(?P<ref>[^|]+)\|(?P<shown>\.?)(?P<so_far>[0-9A-E]{0,5})\|(?P<tap>[0-9A-E])"
# Essay practice: "Write your plan" opens the form; the form itself, submitted.
ESSAY = SCOPE + r"essay\|(?P<plan>[0-9]{1,18})(?:\|(?P<factors>[1-6]{0,4})\|(?P<evidence>[A-L]{0,4}))?"
# A plan tapped in: the factors and evidence so far, and this tap ("." after 3 factors: enough; "0": start again).
ESSAY_TAP = (
    SCOPE
    + r"esp\|(?P<plan>[0-9]{1,18})\|(?P<shown>\.?)(?P<factors>[1-6]{0,4})\|(?P<evidence>[A-L]{0,4})\|(?P<tap>[0-9A-L.])"
)
ESSAY_FORM = SCOPE + r"essay-plan\|(?P<plan>[0-9]{1,18})"

RATINGS = {"g": "guessed", "e": "easy"}  # the letter in a rate id -> the service's word


def answer(ref: QuestionRef, choice: str) -> str:
    return _checked(f"ans|{_part(ref.encode())}|{_part(choice)}")


def typed(ref: QuestionRef) -> str:
    return _checked(f"typed|{_part(ref.encode())}")


def typed_answer(ref: QuestionRef) -> str:
    return _checked(f"typed-answer|{_part(ref.encode())}")


def arrange(ref: QuestionRef, so_far: str, tap: str) -> str:
    return _checked(f"arr|{_part(ref.encode())}|{so_far}|{_part(tap)}")


def essay(plan_id: int, factors: str = "", evidence: str = "") -> str:
    return _checked(f"essay|{plan_id}|{factors}|{evidence}" if factors else f"essay|{plan_id}")


def essay_tap(plan_id: int, so_far: str, evidence: str, tap: str) -> str:
    return _checked(f"esp|{plan_id}|{so_far}|{evidence}|{tap}")


def essay_form(plan_id: int) -> str:
    return _checked(f"essay-plan|{plan_id}")


def card(query: str) -> str:
    return _checked(f"card|{query}")


def quiz(card_id: str) -> str:
    return _checked(f"quiz|{card_id}")


def forget(confirmed: bool) -> str:
    return f"forget|{'yes' if confirmed else 'no'}"


def next_review() -> str:
    return "rev"


def rate(question_id: str, how: str) -> str:
    letter = next(letter for letter, word in RATINGS.items() if word == how)
    return _checked(f"rate|{letter}|{_part(question_id)}")


def topic(topic_id: str) -> str:
    return _checked(f"topic|{_part(topic_id)}")


def reminders(on: bool) -> str:
    return f"remind|{'on' if on else 'off'}"


def assignment(assignment_id: int) -> str:
    return f"asg|{int(assignment_id)}"


def close_assignment(assignment_id: int) -> str:
    return f"asg-close|{int(assignment_id)}"


def scoped(custom_id: str, guild_id: str | int) -> str | None:
    """The id as a button in a direct message carries it, acting in server `guild_id`; None when it
    would not fit in Discord's 100 characters (the caller leaves that button out)."""
    if re.match(r"g[0-9]{1,20}\|", custom_id):
        return custom_id  # already scoped
    text = f"g{int(guild_id)}|{custom_id}"
    return text if len(text) <= MAX_LENGTH else None


def fits(custom_id_text: str) -> bool:
    """Whether a free value (e.g. a suggested name) can ride in a custom_id at all."""
    return 0 < len(custom_id_text) <= MAX_LENGTH - len("card|")


def _part(text: str) -> str:
    if "|" in text or not text:
        raise ValueError(f"cannot put {text!r} in a custom_id part")
    return text


def _checked(custom_id: str) -> str:
    if len(custom_id) > MAX_LENGTH:
        raise ValueError(f"custom_id over {MAX_LENGTH} characters: {custom_id[:40]}...")
    return custom_id
