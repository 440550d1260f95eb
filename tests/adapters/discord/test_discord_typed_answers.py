"""A letter or true/false typed into the answer modal of a question that wants a typed answer is refused
with a clear message, nothing is recorded, and the right answer afterwards still scores in full (issue 19):
the real discord.py against the fake Discord."""

from __future__ import annotations

import pytest

from bot.core.vocabulary import QuestionKind
from tests.adapters.discord.fake_discord import Exchange
from tests.adapters.discord.helpers import ANNA, SCHOOL_A, assert_private, question_of

REFUSED = "This question wants a typed answer"


async def short_answer_daily(fake, service, clock) -> Exchange:  # noqa: ANN001
    """Today's daily question as /daily shows it, on the first day it wants a typed answer."""
    for _ in range(60):
        shown = await fake.slash("daily", ANNA, SCHOOL_A)
        if question_of(shown, service)[1].kind is QuestionKind.SHORT_ANSWER:
            return shown
        clock.advance(days=1)
    raise AssertionError("no short-answer daily question in 60 days")


@pytest.mark.parametrize("choice", ["B", "true"])
async def test_a_letter_in_the_answer_modal_is_refused_and_the_right_answer_still_scores(
    fake, bot, service, clock, choice
):
    shown = await short_answer_daily(fake, service, clock)
    ref, question = question_of(shown, service)
    opened = await fake.click(shown.message, f"typed|{ref.encode()}", ANNA, SCHOOL_A)
    assert opened.callback["type"] == 9, opened.callback  # the modal
    modal = opened.callback["data"]

    refused = await fake.submit(modal, choice, ANNA, SCHOOL_A)
    assert_private(refused)
    assert REFUSED in refused.text and "Nothing was recorded" in refused.text
    stats = await fake.slash("stats", ANNA, SCHOOL_A)
    assert "No answers yet" in stats.text  # nothing recorded

    scored = await fake.submit(modal, question.answer_text, ANNA, SCHOOL_A)  # the same modal, answered
    assert_private(scored)
    assert "Correct" in scored.text and "+10 (total 10)" in scored.text and "already answered" not in scored.text
