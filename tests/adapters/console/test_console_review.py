"""Spaced review in the console: as a script drives it (`console --json`, a subprocess) and, where the
clock must move, in-process with a test clock on the same console code."""

from __future__ import annotations

import io
import json

from bot.adapters import console
from bot.bootstrap import open_service
from bot.content import load_bank
from tests.adapters.console.test_console_json import a_wrong_answer, session, the_right_answer  # noqa: F401
from tests.helpers import FIXTURE_CONTENT


def test_a_missed_question_comes_back_in_review_until_it_is_answered_right(session):  # noqa: F811
    bank = load_bank(FIXTURE_CONTENT)
    session.read()  # the greeting
    nothing = session.send("review")
    assert nothing["kind"] == "reviews_done" and nothing["next_due"] is None

    asked = session.send("quiz")
    missed = session.send(f"answer {a_wrong_answer(bank, asked)}")
    assert missed["kind"] == "feedback" and missed["correct"] is False

    review = session.send("review")
    assert review["kind"] == "question" and review["mode"] == "review"
    assert review["question_id"] == asked["question_id"] and review["reviews_due"] == 1
    right = session.send(f"answer {the_right_answer(bank, review)}")
    assert right["correct"] is True and right["points"] == 0 and right["reviews_due"] == 0

    done = session.send("review")
    assert done["kind"] == "reviews_done" and done["done_today"] == 1 and done["next_due"] is not None
    noted = session.send("review guessed")
    assert noted["kind"] == "rating_noted" and noted["question_id"] == asked["question_id"]
    again = session.send("review")  # a guess comes back the same day
    assert again["kind"] == "question" and again["question_id"] == asked["question_id"]

    stats = session.send("stats")
    assert stats["review_answered"] == 1 and [m["met"] for m in stats["mastery"]] == [1]
    assert session.send("review reminders on")["kind"] == "reminders_setting"
    assert session.send("review sometimes")["kind"] == "error"
    rest, errors = session.finish()
    assert "Traceback" not in errors


async def test_moving_the_clock_brings_a_right_answer_back_later(sqlite_url, clock):
    bank = load_bank(FIXTURE_CONTENT)
    output = io.StringIO()

    async def say(*lines: str) -> list[dict]:
        start = len(output.getvalue().splitlines())
        await console.run(
            service,
            user="Ann",
            input_stream=io.StringIO("".join(f"{line}\n" for line in lines)),
            output=output,
            json_output=True,
        )
        return [json.loads(line) for line in output.getvalue().splitlines()[start + 1 :]]  # after the greeting

    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as service:
        [asked] = await say("quiz")
        [answered] = await say(f"answer {the_right_answer(bank, asked)}")
        assert answered["correct"] is True
        [today] = await say("review")
        assert today["kind"] == "reviews_done" and today["done_today"] == 0  # a right answer is not due today
        clock.advance(days=4)
        [later] = await say("review")
        assert later["kind"] == "question" and later["question_id"] == asked["question_id"]
