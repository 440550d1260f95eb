"""Assignments in the console, on the same console code a person types into, with a test clock: the
teacher's `assign` prints the announcement the class would see, a student's `start N` goes from the first
question to the goal with a retake of a wrong answer, and `assignments` shows who has finished; as plain
text and as JSON lines for scripts."""

from __future__ import annotations

import io
import json

from bot.adapters import console
from bot.bootstrap import open_service
from bot.content import load_bank
from tests.adapters.console.test_console_json import a_wrong_answer, the_right_answer
from tests.helpers import FIXTURE_CONTENT


async def test_an_assignment_runs_from_start_to_the_goal_with_a_retake_and_the_list_shows_who_finished(
    sqlite_url, clock
):
    bank = load_bank(FIXTURE_CONTENT)

    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as service:

        async def say(user: str, *lines: str, json_output: bool = True) -> list:
            output = io.StringIO()
            source = io.StringIO("".join(f"{line}\n" for line in lines))
            await console.run(service, user=user, input_stream=source, output=output, json_output=json_output)
            if not json_output:
                return [output.getvalue()]
            return [json.loads(line) for line in output.getvalue().splitlines()[1:]]  # after the greeting

        [text] = await say("Ms Smith", "assign rivals n=5 due:2026-12-04 goal=100%", json_output=False)
        assert "Assignment #1 set (the topic has 2, fewer than the 5 asked for)" in text
        assert (
            "[announcement in #console]\nNew assignment #1 The rivals: 2 questions, goal 100%, due Fri 04 Dec." in text
        )
        assert "Start: start 1" in text
        await say("Bob", "daily")  # Bob is in the class, and never starts it

        [mine] = await say("Anna", "assignments mine")
        assert mine["kind"] == "my_assignments" and mine["assignments"][0]["status"] == "not started"
        [first] = await say("Anna", "start 1")
        assert first["kind"] == "question" and first["mode"] == "assignment" and first["assignment_id"] == 1
        [missed] = await say("Anna", f"answer {a_wrong_answer(bank, first)}")
        assert missed["correct"] is False and missed["assignment"]["right"] == 0

        [second] = await say("Anna", "start 1")
        assert second["question_id"] != first["question_id"]  # the one not met yet comes first
        [right] = await say("Anna", f"answer {the_right_answer(bank, second)}")
        assert right["assignment"]["progress"] == "1/2 right, goal 100%" and not right["assignment"]["finished"]

        [retake] = await say("Anna", "start 1")
        assert retake["question_id"] == first["question_id"]  # the wrong one, again
        [text] = await say("Anna", f"answer {the_right_answer(bank, retake)}", "start 1", json_output=False)
        assert "Goal reached! 2/2 right, goal 100%." in text and "Next question" not in text
        assert "Assignment #1 The rivals: 2 questions, goal 100%, due Fri 04 Dec\nGoal reached!" in text

        [listed] = await say("Ms Smith", "assignments", json_output=False)
        assert "Finished (1): Anna" in listed and "In progress (0): -" in listed and "Not started (1): Bob" in listed
        assert "Close it early: assignments close 1" in listed
        [closed, late] = await say("Ms Smith", "assignments close 1", "start 1")
        assert closed["kind"] == "assignment_closed" and not closed["already"]
        assert late["kind"] == "error" and "is closed" in late["message"]


async def test_bad_assign_commands_get_a_usage_line_not_a_traceback(sqlite_url, clock):
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as service:
        output = io.StringIO()
        lines = ["assign", "assign rivals", "assign rivals due:soon", "assignments close x", "start", "start 7"]
        source = io.StringIO("".join(f"{line}\n" for line in lines))
        await console.run(service, user="Ms Smith", input_stream=source, output=output, json_output=True)
    replies = [json.loads(line) for line in output.getvalue().splitlines()[1:]]
    assert [r["kind"] for r in replies] == ["error"] * 6
    messages = [r["message"] for r in replies]
    assert "Name a topic" in messages[0] and "due:YYYY-MM-DD" in messages[1] and "not a date" in messages[2]
    assert "assignments close <N>" in messages[3] and "start <N>" in messages[4]
    assert "no assignment #7" in messages[5]
