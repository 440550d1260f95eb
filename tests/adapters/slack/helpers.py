"""What the Slack tests share: settings for the app, and how to read and answer the questions and
boards the fake Slack received. Fixtures live in conftest.py."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from pydantic import SecretStr

from bot.adapters.slack import ids
from bot.core.vocabulary import QuestionKind
from tests.adapters.slack.fake_slack import BOT_TOKEN, SIGNING_SECRET, all_text, button, buttons


def make_settings(**overrides: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "slack_bot_token": SecretStr(BOT_TOKEN),
        "slack_app_token": None,
        "slack_signing_secret": SecretStr(SIGNING_SECRET),
        "slack_client_id": None,
        "slack_client_secret": None,
        "slack_api_url": "https://slack.com/api/",
        "port": 3000,
    }
    values.update(overrides)
    return SimpleNamespace(**values)


def answer_buttons(message):
    return [b for b in buttons(message) if b["action_id"].startswith(ids.ANSWER_ACTION_PREFIX)]


def question_of(service, message):
    """The bank question a posted question message is about (read from its buttons)."""
    for b in buttons(message):
        if b["action_id"].startswith(ids.ANSWER_ACTION_PREFIX):
            ref, _ = ids.parse_answer_value(b["value"])
        elif b["action_id"] == ids.OPEN_MODAL_ACTION:
            ref, _ = ids.parse_modal_value(b["value"])
        else:
            continue
        return ref, service.bank.questions[ref.question_id]
    raise AssertionError("not a question message")


def right_and_wrong_buttons(service, message):
    _, question = question_of(service, message)
    right = str(question.answer)
    pairs = [(b, b["text"]["text"].split(". ", 1)[-1] == right) for b in answer_buttons(message)]
    return next(b for b, ok in pairs if ok), next(b for b, ok in pairs if not ok)


def correct_text(service, message) -> str:
    """What to type after `/study answer` to be right, whatever kind of question it is."""
    _, question = question_of(service, message)
    if question.kind is QuestionKind.SHORT_ANSWER:
        return question.answer_text
    right, _ = right_and_wrong_buttons(service, message)
    return right["action_id"].removeprefix(ids.ANSWER_ACTION_PREFIX)


async def daily_with_buttons(slack):
    """A workspace whose daily question today is answered with buttons (the choice is per workspace)."""
    for n in range(1, 40):
        team = f"TB{n}"
        message = await slack.ask("daily", team=team)
        if answer_buttons(message):
            return team, message
    raise AssertionError("no workspace got a multiple-choice or true/false daily question")


def board_rows(message) -> list[str]:
    return [
        line.replace("*", "").replace(" \u2190 you", "")
        for line in all_text(message).splitlines()
        if re.match(r"\*?\d+\. ", line)
    ]


async def answer_post(slack, fake_slack, service, post, channel, *, right: bool, user: str, name: str):
    """Answers a posted question as `user`, right or wrong, by its buttons or its modal; returns the feedback."""
    who = {"channel": channel, "user": user, "name": name, "message": post}
    if answer_buttons(post):
        good, bad = right_and_wrong_buttons(service, post)
        return await slack.press(good if right else bad, **who)
    _, question = question_of(service, post)
    before = len(fake_slack.api_calls("views.open"))
    url = await slack.click(button(post, ids.OPEN_MODAL_ACTION), **who)
    views = await fake_slack.wait_for(lambda: fake_slack.api_calls("views.open")[before:])
    status, _ = await slack.submit(
        views[0].body["view"], question.answer_text if right else "xyzzy", user=user, name=name
    )
    assert status == 200
    return await fake_slack.reply(url)
