"""The console's teacher's loop controls, on the console code a person types into, with a test clock:
`topics taught` and what practice then asks, and `schedule now` / `schedule skip` with the real scheduler
posting into the terminal; as plain text and as JSON lines for scripts."""

from __future__ import annotations

import datetime as dt
import io
import json

from bot.adapters import console
from bot.bootstrap import open_service
from bot.core.publishing import Publishers
from bot.scheduler import Scheduler
from tests.helpers import FIXTURE_CONTENT


async def test_topics_taught_narrows_practice_and_a_bad_name_changes_nothing(sqlite_url, clock):
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as service:

        async def say(*lines: str, json_output: bool = False) -> str | list[dict]:
            output = io.StringIO()
            source = io.StringIO("".join(f"{line}\n" for line in lines))
            await console.run(service, user="Ms Smith", input_stream=source, output=output, json_output=json_output)
            if json_output:
                return [json.loads(line) for line in output.getvalue().splitlines()[1:]]  # after the greeting
            return output.getvalue()

        listed = await say("topics")
        assert "Topics:" in listed and "nep" in listed and "NEP and the economy (2)" in listed
        shown = await say("topics taught")
        assert "Taught so far: every topic." in shown

        saved = await say("topics taught rise, The rivals")
        assert "Saved. The daily question, practice and review ask only the topics taught so far:" in saved
        assert "rivals" in saved and "Not taught yet: NEP and the economy." in saved
        refused = await say("quiz nep")
        assert "Your class hasn't been taught \u201cNEP and the economy\u201d yet" in refused
        assert "Stalin's rise to power, The rivals" in refused and "Traceback" not in refused

        unknown = await say("topics taught rise, astrology")
        assert "There is no topic \u201castrology\u201d" in unknown
        [still] = await say("topics taught", json_output=True)
        assert still["kind"] == "taught_topics" and [t["topic_id"] for t in still["taught"]] == ["rise", "rivals"]
        asked = await say(*["quiz"] * 6, json_output=True)
        assert {a["question_id"] for a in asked} <= {"t-mc-1", "t-tf-1", "t-sa-1"}

        hint = await say("topics nep")
        assert "Try `topics` for the list, or (teachers) `topics taught <topic, topic ...>`" in hint
        assert "Taught so far: every topic." in await say("topics taught all")
        help_text = await say("help")
        assert "topics taught [a, b | all]" in help_text and "schedule now | skip" in help_text


async def test_schedule_now_posts_once_and_skip_passes_over_the_next_post(sqlite_url, clock):
    clock.now = dt.datetime(2026, 11, 27, 7, 0, tzinfo=dt.UTC)  # Friday, before 08:30
    async with open_service(sqlite_url, FIXTURE_CONTENT, clock=clock) as service:
        terminal = io.StringIO()
        scheduler = Scheduler(
            service.posts, Publishers({"console": console.ConsolePublisher(console.PlainView(terminal))})
        )

        async def say(*lines: str) -> str:
            output = io.StringIO()
            source = io.StringIO("".join(f"{line}\n" for line in lines))
            await console.run(service, user="Ms Smith", input_stream=source, output=output)
            return output.getvalue()

        await say("schedule set 08:30")
        now = await say("schedule now")
        assert "Today's question is posted now (it is today's post: none later today)." in now
        await scheduler.tick()
        assert terminal.getvalue().count("[scheduled post in #console]") == 1
        assert "Today's question" in terminal.getvalue()

        again = await say("schedule now")
        assert "Today's question has already been posted in this channel" in again
        clock.now = dt.datetime(2026, 11, 27, 8, 31, tzinfo=dt.UTC)  # the slot itself: nothing more
        assert await scheduler.tick() == []

        skipped = await say("schedule skip")
        assert "Skipped: Monday 30 November (`schedule resume` brings skipped posts back)." in skipped
        assert "Next post: Tuesday 01 December, 08:30 (Europe/London)." in skipped
        clock.now = dt.datetime(2026, 11, 30, 8, 31, tzinfo=dt.UTC)
        assert await scheduler.tick() == []
        assert terminal.getvalue().count("[scheduled post in #console]") == 1
        resumed = await say("schedule resume")
        assert "Skipped" not in resumed and "today's question is posted now" in resumed
