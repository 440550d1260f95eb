"""`python -m bot content import`: every sample file becomes a bank file the real loader accepts, with the
same ids each time; a file with problems writes nothing unless --skip-bad, which writes the good ones."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.content import load_bank
from bot.content.imports import default_out, import_file, question_id
from tests.helpers import FIXTURE_CONTENT, SHIPPED_CONTENT

SAMPLES = Path(__file__).parent.parent / "fixtures" / "imports"
ROOT = Path(__file__).parent.parent.parent


@pytest.fixture(scope="module")
def shipped_questions() -> int:
    return len(load_bank(SHIPPED_CONTENT).questions)


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A copy of the shipped bank, which has a topic for every part of the unit."""
    target = tmp_path / "content"
    shutil.copytree(SHIPPED_CONTENT, target)
    return target


def imported(bank: Path, file: str) -> Path:
    return default_out(bank) / f"{file.replace('.', '-')}.yaml"


@pytest.mark.parametrize(
    ("file", "topic", "written", "refused"),
    [
        ("power-struggle.gift", "rise", 8, [34, 36, 42, 44, 50]),
        ("economy-aiken.txt", "collectivisation", 4, [20, 26]),
        ("terror.csv", "", 7, [11, 12, 13, 14]),
        ("society-excel.csv", "Society and culture", 4, []),
        ("quizlet-economy.txt", "industry", 5, [7]),
        ("quizlet-rivals.txt", "rivals", 4, []),
        ("red-trivia.yaml", "terror", 6, [20, 22]),
        ("kahoot-foreign.xlsx", "foreign", 4, [12, 13, 14]),
    ],
)
def test_each_sample_imports_and_the_bank_loads_with_it(bank, shipped_questions, file, topic, written, refused):
    outcome = import_file(SAMPLES / file, bank, topic=topic, skip_bad=True)
    assert [problem.line for problem in outcome.problems] == refused
    assert outcome.written == imported(bank, file) and outcome.count == written
    loaded = load_bank(bank)  # the loader the bot starts with
    assert len(loaded.questions) == shipped_questions + written
    source = f"import:{file.replace('.', '-')}"
    assert loaded.sources[source].title == f"Imported from {file}"
    ours = [question for question in loaded.questions.values() if question.source == source]
    assert len(ours) == written and all(question.explanation for question in ours)


def test_topics_come_from_the_column_by_id_or_title_and_unknown_ones_are_refused(bank):
    outcome = import_file(SAMPLES / "terror.csv", bank, skip_bad=True)
    topics = {
        question.topic for question in load_bank(bank).questions.values() if question.source == "import:terror-csv"
    }
    assert topics == {"terror", "foreign"}  # "Foreign policy" is the title of `foreign`
    assert "unknown topic 'the purges' (the bank's topics: rise, rivals," in outcome.problems[2].message
    assert outcome.problems[3].message == "the question is 329 characters long; questions stay under 300"


def test_the_loaders_own_checks_are_reported_at_the_source_files_line(bank):
    outcome = import_file(SAMPLES / "kahoot-foreign.xlsx", bank, topic="foreign")
    assert str(outcome.problems[1]) == "kahoot-foreign.xlsx:13: multiple choice needs 3 to 5 options, has 2"


def test_a_question_without_a_topic_is_refused(bank):
    outcome = import_file(SAMPLES / "red-trivia.yaml", bank, skip_bad=True)
    assert outcome.written is None
    assert outcome.problems[0].message == "no topic: give --topic, or fill the file's topic column"


def test_ids_are_stable_across_two_imports_and_make_no_duplicates(bank, tmp_path):
    first = import_file(SAMPLES / "power-struggle.gift", bank, topic="rise", skip_bad=True)
    ids = set(load_bank(bank).questions)
    copy = tmp_path / "elsewhere" / "power-struggle.gift"  # the same file, from another folder
    copy.parent.mkdir()
    shutil.copy(SAMPLES / "power-struggle.gift", copy)
    second = import_file(copy, bank, topic="rise", skip_bad=True)
    assert second.written == first.written and second.count == first.count == 8
    assert set(load_bank(bank).questions) == ids
    assert question_id("power-struggle.gift", "Which post did Stalin hold from 3 April  1922?") in ids


def test_a_file_with_problems_writes_nothing_and_leaves_an_earlier_import_alone(bank, tmp_path):
    good = import_file(SAMPLES / "quizlet-rivals.txt", bank, topic="rivals")
    assert good.problems == [] and good.count == 4
    text = good.written.read_text(encoding="utf-8")
    assert import_file(SAMPLES / "power-struggle.gift", bank, topic="rise").written is None
    assert not imported(bank, "power-struggle.gift").exists()
    broken = tmp_path / "edited" / "quizlet-rivals.txt"  # the same set, edited, with a card missing its comma
    broken.parent.mkdir()
    broken.write_text("Lenin Enrolment,Mass recruitment of 1924;Triumvirate\n", encoding="utf-8")
    outcome = import_file(broken, bank, topic="rivals")
    assert [str(problem) for problem in outcome.problems] == [
        "quizlet-rivals.txt:1: no comma between the term and definition"
    ]
    assert outcome.written is None and good.written.read_text(encoding="utf-8") == text
    assert not [path for path in default_out(bank).iterdir() if path.name.startswith(".")]  # no scratch left


def test_a_hand_written_file_of_the_same_name_is_never_overwritten(bank):
    mine = imported(bank, "quizlet-rivals.txt")
    mine.parent.mkdir(parents=True)
    mine.write_text("questions: []\n", encoding="utf-8")
    outcome = import_file(SAMPLES / "quizlet-rivals.txt", bank, topic="rivals")
    assert outcome.written is None and "not written by an import" in outcome.problems[0].message
    assert mine.read_text(encoding="utf-8") == "questions: []\n"


def test_ten_thousand_rows_import_in_one_file(tmp_path):
    small = tmp_path / "content"  # the small fixture bank: the 10,000 questions are the cost here
    shutil.copytree(FIXTURE_CONTENT, small)
    big = tmp_path / "big.csv"
    with big.open("w", newline="", encoding="utf-8") as stream:
        rows = csv.writer(stream)
        rows.writerow(["question", "answer", "wrong 1", "wrong 2", "topic"])
        for n in range(10_000):
            rows.writerow(
                [f'Question {n}: how many "new members" joined?', f"{n} members", f"{n + 1}", f"{n + 2}", "rise"]
            )
    outcome = import_file(big, small)  # checked with the real loader before it is written
    assert outcome.problems == [] and outcome.count == 10_000
    assert outcome.written.read_text(encoding="utf-8").count("\n- id: rise-") == 0
    assert outcome.written.read_text(encoding="utf-8").count("\n- id: big-csv-") == 10_000


def studybot(*args: str, content: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["STUDYBOT_CONTENT_DIR"] = str(content)
    return subprocess.run(
        [sys.executable, "-m", "bot", "content", "import", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=60,
    )  # fmt: skip


def test_the_command_reports_each_line_then_writes_with_skip_bad(bank, shipped_questions):
    failed = studybot(str(SAMPLES / "economy-aiken.txt"), "--topic", "collectivisation", content=bank)
    assert failed.returncode == 1, failed.stderr
    assert "not converted: economy-aiken.txt:20: no ANSWER: line after the options" in failed.stdout
    assert "Nothing written: 2 problem(s)" in failed.stdout and not default_out(bank).exists()
    written = studybot(str(SAMPLES / "economy-aiken.txt"), "--topic", "collectivisation", "--skip-bad", content=bank)
    assert written.returncode == 0, written.stderr
    assert f"Wrote 4 question(s) to {imported(bank, 'economy-aiken.txt')}" in written.stdout
    assert "Traceback" not in failed.stderr + written.stderr
    assert len(load_bank(bank).questions) == shipped_questions + 4


def test_the_command_without_a_file_says_so(bank):
    missing = studybot(content=bank)
    assert missing.returncode == 2 and "Name the file to import" in missing.stderr


def test_an_unknown_format_is_refused_with_the_ones_there_are(capsys):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["content", "import", "quiz.docx", "--format", "docx"])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'docx'" in error and "kahoot" in error
