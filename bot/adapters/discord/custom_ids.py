"""The custom_ids our buttons carry: everything a click needs, so buttons work after a restart.

Each kind has a builder (used by the renderers) and a regex template (used by the persistent
DynamicItems in views.py). Discord allows at most 100 characters.
"""

from __future__ import annotations

from bot.core.replies import QuestionRef

MAX_LENGTH = 100

# Templates are matched with re.fullmatch against the whole custom_id.
ANSWER = r"ans\|(?P<ref>[^|]+)\|(?P<answer>[^|]+)"  # a choice: "ans|d:2026-11-27:rise-001|B"
TYPED = r"typed\|(?P<ref>[^|]+)"  # opens the short-answer modal
TYPED_ANSWER = r"typed-answer\|(?P<ref>[^|]+)"  # the short-answer modal itself, submitted
CARD = r"card\|(?P<query>.+)"  # shows a figure card or glossary entry (card id or name)
QUIZ = r"quiz\|(?P<card>.+)"  # a practice question about a card
FORGET = r"forget\|(?P<choice>yes|no)"  # the /forgetme confirmation


def answer(ref: QuestionRef, choice: str) -> str:
    return _checked(f"ans|{_part(ref.encode())}|{_part(choice)}")


def typed(ref: QuestionRef) -> str:
    return _checked(f"typed|{_part(ref.encode())}")


def typed_answer(ref: QuestionRef) -> str:
    return _checked(f"typed-answer|{_part(ref.encode())}")


def card(query: str) -> str:
    return _checked(f"card|{query}")


def quiz(card_id: str) -> str:
    return _checked(f"quiz|{card_id}")


def forget(confirmed: bool) -> str:
    return f"forget|{'yes' if confirmed else 'no'}"


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
