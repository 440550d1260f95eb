"""`privacy` in the console, as a script drives it (`console --json`): the choice shows on the board."""

from __future__ import annotations

from bot.content import load_bank
from tests.adapters.console.test_console_json import session, the_right_answer  # noqa: F401
from tests.helpers import FIXTURE_CONTENT


def test_a_student_chooses_a_pseudonym_and_the_board_shows_it(session):  # noqa: F811
    bank = load_bank(FIXTURE_CONTENT)
    session.read()  # the greeting
    shown = session.send("privacy")
    assert shown["kind"] == "privacy_settings" and shown["choice"] == "named"  # this test class chose names
    daily = session.send("daily")
    assert session.send(f"answer {the_right_answer(bank, daily)}")["correct"] is True
    assert [e["name"] for e in session.send("leaderboard")["entries"]] == ["Ann"]

    chosen = session.send("privacy pseudonym")
    assert chosen["shown_as"] == chosen["pseudonym"] and chosen["chosen"] is True
    assert [e["name"] for e in session.send("leaderboard")["entries"]] == [chosen["pseudonym"]]
    hidden = session.send("privacy hidden")
    assert hidden["shown_as"] is None
    board = session.send("leaderboard")
    assert board["entries"] == [] and board["caller"]["rank"] == 1  # off the board, still told the rank
    assert session.send("privacy famous")["kind"] == "error"
    session.finish()


def test_my_data_writes_the_students_file(session, tmp_path):  # noqa: F811
    import json

    session.read()
    session.send("daily")
    out = tmp_path / "ann.json"
    said = session.send(f"my-data --out {out}")
    assert said["kind"] == "message" and str(out) in said["text"]
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["you"]["display_name"] == "Ann"
    assert session.send("my-data --out /no/such/folder/x.json")["kind"] == "error"
    session.finish()
