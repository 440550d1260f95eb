"""Assignments on Slack, over the wire through bolt and the fake Slack: a teacher's `/study assign` is
announced once in the channel (chat.postMessage, with a "Start" button) and confirmed to the teacher alone;
a student clicks Start on the channel message, gets a question wrong, meets it again after the other and
reaches the goal; the teacher's `/study assignments` shows who has finished, and "Close" stops it."""

from __future__ import annotations

import pytest

from bot.adapters.slack import ids
from bot.adapters.slack.render import assignments as render
from tests.adapters.slack.fake_slack import all_text, button, buttons
from tests.adapters.slack.helpers import answer_post, question_of

ADMIN = {"user": "UADMIN", "name": "mr_admin"}
ALICE = {"user": "U1", "name": "alice"}
BOB = {"user": "U2", "name": "bob"}


@pytest.fixture
def directory(fake_slack):
    fake_slack.users.update(
        {
            "UADMIN": {"is_admin": True, "profile": {"display_name": "Ms Smith"}},
            "U1": {"profile": {"display_name": "Alice"}},
            "U2": {"profile": {"display_name": "Bob"}},
        }
    )
    return fake_slack.users


def labels(message) -> list[str]:
    return [b["text"]["text"] for b in buttons(message)]


async def test_an_assignment_runs_from_start_to_the_goal_with_a_retake_and_the_teacher_sees_who_finished(
    slack, fake_slack, service, directory
):
    await slack.ask("daily", channel="C1", **BOB)  # Bob is in the class and never starts it
    confirmed = await slack.ask("assign rivals n=5 due:2026-12-04 goal=100%", channel="C1", **ADMIN)
    text = all_text(confirmed)
    assert "Assignment #1 set: The rivals, 2 questions \u00b7 goal 100% \u00b7 due Friday 4 December" in text
    assert "so that is all of them" in text and "Announced in this channel" in text

    [posted] = fake_slack.posted("C1")  # the one public message
    assert "New assignment \u00b7 The rivals" in all_text(posted)
    start = button(posted, "Start")
    assert (start["action_id"], start["value"]) == (ids.ASSIGNMENT_ACTION, "1")

    first = await slack.press(start, channel="C1", message=posted, **ALICE)
    ref, _ = question_of(service, first)
    assert ref.assignment_id == 1 and "*Assignment* \u00b7 The rivals \u00b7 #1: 0/2 right, goal 100%" in all_text(
        first
    )

    missed = await answer_post(slack, fake_slack, service, first, "C1", right=False, **ALICE)
    assert "Not quite" in all_text(missed) and "Assignment #1 \u00b7 0/2 right, goal 100% \u00b7 no points" in all_text(
        missed
    )
    second = await slack.press(button(missed, "Next question"), channel="C1", **ALICE)
    assert question_of(service, second)[0].question_id != ref.question_id  # the one not met yet first
    right = await answer_post(slack, fake_slack, service, second, "C1", right=True, **ALICE)
    assert "1/2 right, goal 100%" in all_text(right)

    retake = await slack.press(button(right, "Next question"), channel="C1", **ALICE)
    assert question_of(service, retake)[0] == ref  # the wrong one, again
    done = await answer_post(slack, fake_slack, service, retake, "C1", right=True, **ALICE)
    assert "Assignment #1 \u00b7 Goal reached! 2/2 right, goal 100%" in all_text(done)
    assert "Next question" not in labels(done)
    again = await slack.press(start, channel="C1", message=posted, **ALICE)  # Start again: the standing
    assert "Goal reached \u00b7 The rivals" in all_text(again) and not buttons(again)

    listed = await slack.ask("assignments", channel="C1", **ADMIN)
    text = all_text(listed)
    assert "*Finished (1):* Alice" in text and "*Not started (1):* Bob" in text and "*In progress (0):* \u2014" in text
    mine = await slack.ask("assignments", channel="C1", **BOB)
    assert "Not started" in all_text(mine) and labels(mine) == ["Start"]

    closed = await slack.press(button(listed, "Close #1"), channel="C1", **ADMIN)
    assert "Closed assignment #1" in all_text(closed)
    late = await slack.press(start, channel="C1", message=posted, **BOB)
    assert "is closed" in all_text(late)
    assert len(fake_slack.posted("C1")) == 1  # announced once
    assert not [c for c in fake_slack.api_calls("chat.postMessage") if c.body.get("channel") != "C1"]


async def test_students_are_refused_in_slack_s_words_and_a_channel_without_the_bot_is_reported(
    slack, fake_slack, service, directory
):
    refused = await slack.ask("assign rivals due:2026-12-04", channel="C1", **ALICE)
    assert render.NOT_TEACHER in all_text(refused)
    assert "Give a deadline" in all_text(await slack.ask("assign rivals", channel="C1", **ADMIN))
    assert "has passed" in all_text(await slack.ask("assign rivals due:2026-01-01", channel="C1", **ADMIN))
    assert fake_slack.posted("C1") == []

    fake_slack.fail("chat.postMessage", "not_in_channel", channel="C9")
    confirmed = all_text(await slack.ask("assign rise due:2026-12-04", channel="C9", **ADMIN))
    assert "couldn't post the announcement" in confirmed and "/invite" in confirmed
    mine = await slack.ask("start 1", channel="C9", **ALICE)  # it is there all the same
    assert question_of(service, mine)[0].assignment_id == 1
    assert render.NOT_TEACHER in all_text(await slack.ask("assignments close 1", channel="C9", **ALICE))
    assert "Your assignments" in all_text(await slack.ask("assignments", channel="C9", **ALICE))
