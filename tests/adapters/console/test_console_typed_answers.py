"""A letter or true/false given to a question that wants a typed answer is refused with a clear message
and nothing is recorded (issue 19): the console as a subprocess, on a bank of short-answer questions only,
so today's daily question is one whatever the date."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import FIXTURE_CONTENT

TOKENS = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")
REFUSED = "This question wants a typed answer"


def short_answers_only(root: Path) -> tuple[Path, dict[str, str]]:
    """The fixture bank without its choice questions; returns it and each prompt's right answer."""
    (root / "questions").mkdir(parents=True)
    for name in ("topics.yaml", "figures.yaml"):
        (root / name).write_text((FIXTURE_CONTENT / name).read_text(encoding="utf-8"), encoding="utf-8")
    bank = yaml.safe_load((FIXTURE_CONTENT / "questions" / "sample.yaml").read_text(encoding="utf-8"))
    bank["questions"] = [q for q in bank["questions"] if q["kind"] == "short_answer"]
    (root / "questions" / "sample.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    return root, {q["prompt"]: str(q["answer"]) for q in bank["questions"]}


def console(lines: list[str], *, db: Path, content: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in TOKENS}
    environment.update(DATABASE_URL=f"sqlite+aiosqlite:///{db}", STUDYBOT_CONTENT_DIR=str(content))
    return subprocess.run(
        [sys.executable, "-m", "bot", "console", "--user", "Ann"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_a_letter_or_true_false_on_a_typed_question_is_refused_and_the_right_answer_still_scores(tmp_path):
    content, answers = short_answers_only(tmp_path / "content")
    db = tmp_path / "class.db"
    asked = console(["daily", "answer B", "answer true", "stats"], db=db, content=content)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.count(REFUSED) == 2 and "Nothing was recorded" in asked.stdout
    assert "Answered 0 (0 daily, 0 practice, 0 review)" in asked.stdout  # nothing recorded
    assert "Traceback" not in asked.stdout + asked.stderr
    prompt = re.search(r"Today's question \u00b7 .*\n(.*)\n", asked.stdout).group(1)

    # The question is still waiting, and the right answer gets the day's full points (not a repeat).
    answered = console(["daily", f"answer {answers[prompt]}"], db=db, content=content)
    assert answered.returncode == 0, answered.stderr
    assert "Correct!" in answered.stdout and "+10 points" in answered.stdout
    assert "already answered" not in answered.stdout
