"""`python -m bot console --json`: every reply and every error is one JSON object a line (JSON Lines), so a
script drives the bot as a person would, without scraping text. Driven as a subprocess, a command at a
time; and the serialiser on its own, on replies of the service's and on a reply type it has never seen."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.adapters import console
from bot.adapters.console.json_view import JsonView, kind_of, to_json
from bot.adapters.console.views import ScheduleList, TopicList
from bot.content import load_bank
from bot.core.replies import (
    AnswerFeedback,
    AskedQuestion,
    DailyPost,
    Option,
    QuestionRef,
    ReferenceCard,
    ScheduleInfo,
    Stats,
    TopicStats,
)
from bot.core.vocabulary import Mode, QuestionKind
from tests.helpers import FIXTURE_CONTENT, correct_answer, wrong_answer

TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


def environment(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in TOKENS and k != "LOG_LEVEL"}
    env.update(DATABASE_URL=f"sqlite:///{db}", STUDYBOT_CONTENT_DIR=str(FIXTURE_CONTENT), **extra)
    return env


def objects(stdout: bytes) -> list[dict]:
    """Every line of the output as JSON: fails on any line that is not one JSON object with a kind."""
    found = []
    for line in stdout.decode("utf-8").splitlines():
        obj = json.loads(line)
        assert isinstance(obj, dict) and isinstance(obj.get("kind"), str), line
        found.append(obj)
    return found


def run_json(script: bytes, db: Path, *, cwd: Path, **env: str) -> tuple[list[dict], str]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json", "--user", "Ann"],
        input=script,
        capture_output=True,
        env=environment(db, **env),
        cwd=cwd,
        timeout=120,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    return objects(result.stdout), stderr


class Session:
    """The console as a script drives it: a command in, one JSON object out."""

    def __init__(self, db: Path, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json", "--user", "Ann"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(db),
            cwd=cwd,
        )

    def read(self) -> dict:
        line = self.process.stdout.readline()
        assert line, "the console ended early"
        [obj] = objects(line)
        return obj

    def send(self, command: str) -> dict:
        self.process.stdin.write(command.encode("utf-8") + b"\n")
        self.process.stdin.flush()
        return self.read()

    def finish(self) -> tuple[list[dict], str]:
        rest, err = self.process.communicate(b"quit\n", timeout=60)
        assert self.process.returncode == 0, err
        return objects(rest), err.decode("utf-8", "replace")


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    bot = Session(tmp_path / "x.db", tmp_path)
    yield bot
    if bot.process.poll() is None:
        bot.process.kill()
        bot.process.communicate()


def the_right_answer(bank, question: dict) -> str:  # noqa: ANN001 - a content Bank
    return correct_answer(SimpleNamespace(bank=bank), _card(question))


def a_wrong_answer(bank, question: dict) -> str:  # noqa: ANN001
    return wrong_answer(SimpleNamespace(bank=bank), _card(question))


def _card(question: dict) -> SimpleNamespace:
    """A question object back in the shape tests/helpers.py reads (matching option texts to the bank)."""
    return SimpleNamespace(
        ref=SimpleNamespace(question_id=question["question_id"]),
        kind=QuestionKind(question["question_kind"]),
        options=[Option(o["letter"], o["text"]) for o in question["options"]],
    )


def test_a_script_asks_answers_and_reads_its_stats(session):
    bank = load_bank(FIXTURE_CONTENT)
    greeting = session.read()
    assert greeting == {
        "kind": "message",
        "text": "Studying as Ann. Type `help` for commands, `daily` for today's question.",
    }

    daily = session.send("daily")
    assert daily["kind"] == "question" and daily["mode"] == "daily" and daily["is_daily"] is True
    assert daily["question_id"] in bank.questions and daily["prompt"] == bank.questions[daily["question_id"]].prompt
    assert all(set(option) == {"letter", "text"} for option in daily["options"])
    assert daily["daily_date"] == daily["ref"]["daily_date"] and dt.date.fromisoformat(daily["daily_date"])

    right = session.send(f"answer {the_right_answer(bank, daily)}")
    assert right["kind"] == "feedback" and right["question_id"] == daily["question_id"]
    assert right["correct"] is True and right["points"] > 0 and right["streak"] == 1
    assert right["correct_answer"] and isinstance(right["total_points"], int)

    practice = session.send("quiz")
    assert practice["kind"] == "question" and practice["mode"] == "practice" and practice["daily_date"] is None
    wrong = session.send(f"answer {a_wrong_answer(bank, practice)}")
    assert wrong["kind"] == "feedback" and wrong["question_id"] == practice["question_id"]
    assert wrong["correct"] is False and wrong["points"] == 0 and wrong["correct_answer"]

    stats = session.send("stats")
    assert stats["kind"] == "stats" and stats["name"] == "Ann"
    assert stats["streak"] == stats["current_streak"] == 1 and stats["best_streak"] == 1
    assert stats["answered"] == 2 and stats["correct"] == 1 and stats["accuracy"] == 0.5

    board = session.send("leaderboard all")
    assert board["kind"] == "leaderboard" and board["entries"][0]["name"] == "Ann"
    assert board["caller"]["points"] == right["points"]

    rest, err = session.finish()
    assert rest == [] and "Traceback" not in err


def test_errors_are_error_objects_and_other_replies_have_their_kinds(tmp_path):
    script = (
        "dialy\nquiz the cold war\nanswer\nrival Napoleon\nschedule nonsense\nleaderboard fortnight\n"
        "topics\nexplain NEP\nschedule set 08:30 Europe/Paris mon,wed\nschedule list\nhelp\nforget-me\nyes\n"
    )
    found, _ = run_json(script.encode(), tmp_path / "x.db", cwd=tmp_path)
    kinds = [obj["kind"] for obj in found]
    assert kinds == [
        "message",  # the greeting
        *["error"] * 6,
        "topics",
        "card",
        "schedule",
        "schedules",
        "message",  # help
        "message",  # forget-me asks first
        "forgotten",
    ]
    errors = [obj for obj in found if obj["kind"] == "error"]
    assert all(set(error) == {"kind", "message"} for error in errors)
    assert errors[0]["message"].startswith("I don't know the command \u201cdialy\u201d. Did you mean `daily`?")
    assert errors[1]["message"].startswith("There is no topic \u201cthe cold war\u201d")
    assert "I don't have a card for \u201cNapoleon\u201d" in errors[3]["message"]
    assert errors[4]["message"].startswith("Use: schedule set")
    topics, card, schedule, schedules = found[7:11]
    assert {"topic_id", "title", "area", "question_count"} <= set(topics["topics"][0])
    assert card["card_kind"] == "term" and "NEP" in card["aliases"]
    assert schedule["time_of_day"] == "08:30:00" and schedule["timezone"] == "Europe/Paris"
    assert dt.datetime.fromisoformat(schedule["next_post"]).tzinfo is not None
    assert schedules["schedules"] == [{k: v for k, v in schedule.items() if k != "kind"}]
    assert found[-1]["existed"] is False


def test_logs_go_to_stderr_and_the_default_level_stays_warning(tmp_path):
    # A database in a temporary directory is warned about: on stderr, never among the JSON lines.
    found, stderr = run_json(b"stats\n", tmp_path / "x.db", cwd=tmp_path)
    assert [obj["kind"] for obj in found] == ["message", "stats"]
    assert "WARNING" in stderr and "temporary directory" in stderr and "level=INFO" not in stderr
    found, stderr = run_json(b"stats\n", tmp_path / "x.db", cwd=tmp_path, LOG_LEVEL="DEBUG")
    assert [obj["kind"] for obj in found] == ["message", "stats"] and "level=DEBUG" in stderr


@pytest.mark.parametrize("seed", [1, 2])
def test_random_and_invalid_utf8_input_gets_only_json_lines(tmp_path, seed):
    rng = random.Random(seed)
    noise = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).replace(b"\n", b"") for _ in range(40)]
    lines = [
        *noise,
        b"daily \xff\xfe\xc3",
        b"answer \xed\xa0\x80",  # an encoded surrogate
        "\u0411\u0443\u0445\u0430\u0440\u0438\u043d \U0001f600".encode(),
        b"answer " + b"x" * 3000,
        b"\x1b[31mdaily\x07",
        b"stats",
    ]
    found, stderr = run_json(
        b"\n".join(lines) + b"\n", tmp_path / "x.db", cwd=tmp_path, LANG="C", LC_ALL="C", PYTHONIOENCODING=""
    )
    assert found[-1]["kind"] == "stats"  # it got to the end and still worked
    assert not any(obj.get("message") == console.UNEXPECTED_ERROR for obj in found)
    unknown = next(obj for obj in found if "\u0431\u0443\u0445\u0430\u0440\u0438\u043d" in obj.get("message", ""))
    assert unknown["kind"] == "error"  # the (lower-cased) Cyrillic came back as itself: UTF-8, not \u escapes


class TtyText(io.StringIO):
    def isatty(self) -> bool:
        return True


async def test_json_mode_at_a_terminal_still_reads_lines_and_prints_json(service):
    output = TtyText()
    await console.run(service, user="Ann", input_stream=TtyText("daily\nstats\n"), output=output, json_output=True)
    assert [json.loads(line)["kind"] for line in output.getvalue().splitlines()] == ["message", "question", "stats"]


# ---------------------------------------------------------------- the serialiser on its own

DAILY = QuestionRef("t-mc-1", Mode.DAILY, dt.date(2026, 11, 27))


def test_a_question_is_flattened_with_its_options_and_properties():
    question = AskedQuestion(
        DAILY, "Stalin's rise", QuestionKind.MULTIPLE_CHOICE, "When?", (Option("A", "1922"), Option("B", "1924"))
    )
    obj = to_json(question)
    assert obj["kind"] == "question" and obj["question_kind"] == "multiple_choice"
    assert obj["question_id"] == "t-mc-1" and obj["mode"] == "daily" and obj["daily_date"] == "2026-11-27"
    assert obj["ref"] == {"question_id": "t-mc-1", "mode": "daily", "daily_date": "2026-11-27", "assignment_id": None}
    assert obj["options"] == [{"letter": "A", "text": "1922"}, {"letter": "B", "text": "1924"}]
    assert obj["is_daily"] is True and obj["prompt"] == "When?"
    nested = to_json(DailyPost(question))  # a question inside a post has the same shape, less its kind
    assert nested["kind"] == "daily_post" and nested["question"] == {k: v for k, v in obj.items() if k != "kind"}
    assert nested["reveal"] is None


def test_feedback_and_stats_carry_the_fields_scripts_read():
    feedback = to_json(AnswerFeedback(DAILY, True, "A) 1922", "A) 1922", "Because.", 10, 3, 40))
    assert feedback["kind"] == "feedback"
    assert (feedback["question_id"], feedback["correct"], feedback["points"]) == ("t-mc-1", True, 10)
    assert feedback["streak"] == 3
    assert feedback["correct_answer"] == "A) 1922" and feedback["figure"] is None
    stats = to_json(Stats("Ann", 4, 3, 2, 2, 20, 2, 5, (TopicStats("rise", 2, 1),)))
    assert stats["kind"] == "stats" and stats["streak"] == stats["current_streak"] == 2 and stats["best_streak"] == 5
    assert stats["accuracy"] == 0.75 and stats["per_topic"] == [
        {"topic": "rise", "answered": 2, "correct": 1, "accuracy": 0.5}
    ]
    assert json.loads(json.dumps(stats)) == stats


def test_times_tuples_and_the_console_lists():
    info = ScheduleInfo(
        "console",
        "console",
        dt.time(8, 30),
        "Europe/London",
        "Monday to Friday",
        ((dt.date(2026, 12, 19), dt.date(2027, 1, 4)),),
        False,
        ("rise",),
        None,
        dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC),
    )
    obj = to_json(info)
    assert obj["kind"] == "schedule" and obj["time_of_day"] == "08:30:00"
    assert obj["pauses"] == [["2026-12-19", "2027-01-04"]] and obj["next_post"] == "2026-11-30T08:30:00+00:00"
    assert to_json(ScheduleList((info,)))["schedules"] == [{k: v for k, v in obj.items() if k != "kind"}]
    assert to_json(TopicList([]))["kind"] == "topics"
    card = to_json(ReferenceCard("nep", "term", "New Economic Policy", "A mixed economy."))
    assert card["kind"] == "card" and card["card_kind"] == "term"


class Grade(Enum):
    AGAIN = 1
    GOOD = 3


@dataclasses.dataclass(frozen=True, slots=True)
class ReviewDue:
    """A reply type the serialiser has never seen: it needs no registering."""

    ref: QuestionRef
    grade: Grade
    due: dt.datetime
    intervals: tuple[int, ...]
    kind: str = "spaced"
    ratio: float = float("nan")

    @property
    def overdue(self) -> bool:
        return self.intervals[-1] > 3

    @property
    def broken(self) -> int:
        raise RuntimeError("a property that fails is left out")

    @property
    def helper(self) -> object:
        return object()  # not plain data: left out


def test_any_new_dataclass_gets_a_snake_case_kind_and_its_fields():
    due = ReviewDue(DAILY, Grade.GOOD, dt.datetime(2026, 12, 1, 9, 0), (1, 4))
    obj = to_json(due)
    assert kind_of(ReviewDue) == "review_due" and kind_of(type("HTTPReply", (), {})) == "http_reply"
    assert obj == {
        "kind": "review_due",
        "ref": {"question_id": "t-mc-1", "mode": "daily", "daily_date": "2026-11-27", "assignment_id": None},
        "question_id": "t-mc-1",
        "mode": "daily",
        "daily_date": "2026-11-27",
        "assignment_id": None,
        "grade": 3,
        "due": "2026-12-01T09:00:00",
        "intervals": [1, 4],
        "review_due_kind": "spaced",
        "ratio": None,  # NaN is not JSON
        "overdue": True,
    }


def test_texts_and_errors_and_one_flushed_line_each():
    assert to_json("Kept everything.") == {"kind": "message", "text": "Kept everything."}
    text = io.StringIO()
    view = JsonView(text)
    view.show("\u0411\u0443\u0445\u0430\u0440\u0438\u043d\nsecond line")
    view.show_error("There is no topic \u201cx\u201d.")
    assert text.getvalue() == (
        '{"kind": "message", "text": "\u0411\u0443\u0445\u0430\u0440\u0438\u043d\\nsecond line"}\n'
        '{"kind": "error", "message": "There is no topic \u201cx\u201d."}\n'
    )
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")  # a locale that cannot encode the reply: still UTF-8
    JsonView(stream).show("\u00e9 \udcff")
    assert json.loads(raw.getvalue().decode("utf-8")) == {"kind": "message", "text": "\u00e9 \udcff"}
