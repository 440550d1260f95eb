"""A letter or true/false given to a question that wants a typed answer is refused with a clear message,
nothing is recorded, and the right answer afterwards still scores in full (issue 19): over the wire,
`/study answer` and the answer modal through bolt."""

from __future__ import annotations

import pytest

from bot.adapters.slack import ids
from bot.core.vocabulary import QuestionKind
from tests.adapters.slack.fake_slack import all_text, button
from tests.adapters.slack.helpers import question_of

REFUSED = "This question wants a typed answer"


async def short_answer_daily(slack, service, clock):  # noqa: ANN001, ANN201
    """Today's daily question as `/study daily` shows it, on the first day it wants a typed answer."""
    for _ in range(60):
        message = await slack.ask("daily")
        if question_of(service, message)[1].kind is QuestionKind.SHORT_ANSWER:
            return message
        clock.advance(days=1)
    raise AssertionError("no short-answer daily question in 60 days")


@pytest.mark.parametrize("choice", ["B", "true"])
async def test_a_letter_to_answer_is_refused_and_the_right_answer_still_scores(slack, service, clock, choice):
    _, question = question_of(service, await short_answer_daily(slack, service, clock))
    refused = all_text(await slack.ask(f"answer {choice}"))
    assert REFUSED in refused and "Nothing was recorded" in refused
    assert "0 answered" in all_text(await slack.ask("stats"))  # nothing recorded

    scored = all_text(await slack.ask(f"answer {question.answer_text}"))
    assert "Correct!" in scored and "+10 points" in scored and "already answered" not in scored


async def test_a_letter_in_the_answer_modal_is_refused_and_the_right_answer_still_scores(
    slack, fake_slack, service, clock
):
    message = await short_answer_daily(slack, service, clock)
    _, question = question_of(service, message)
    url = await slack.click(button(message, ids.OPEN_MODAL_ACTION))
    view = (await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open")))[0].body["view"]
    assert (await slack.submit(view, "B"))[0] == 200
    refused = all_text(await fake_slack.reply(url))
    assert REFUSED in refused and "Nothing was recorded" in refused

    assert (await slack.submit(view, question.answer_text))[0] == 200  # the same modal, now answered
    scored = all_text((await fake_slack.wait_for(lambda: fake_slack.replies_to(url)[1:]))[0])
    assert "Correct!" in scored and "+10 points" in scored and "already answered" not in scored
