"""`content check` warnings: the same fact asked twice, options far shorter or longer than the answer,
and the allowances a reviewer keeps on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import check_content
from bot.content import ContentError, load_bank
from bot.content.lint import lint
from tests.helpers import SHIPPED_CONTENT

FIXTURES = Path(__file__).parent.parent / "fixtures" / "lint"


@pytest.fixture(scope="module")
def shipped_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("bank") / "content"
    shutil.copytree(SHIPPED_CONTENT, target)
    return target


@pytest.fixture
def content(shipped_copy: Path, tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(shipped_copy, target)
    return target


def warned(content: Path) -> dict[frozenset[str], str]:
    return {frozenset(warning.questions): warning.check for warning in lint(load_bank(content))}


def test_the_shipped_bank_has_no_warnings_left():
    assert [str(warning) for warning in lint(load_bank(SHIPPED_CONTENT))] == []


def test_the_pairs_the_bank_once_repeated_are_each_found(content):
    shutil.copy(FIXTURES / "near-duplicates.yaml", content / "questions" / "zz-duplicates.yaml")
    found = warned(content)
    for n in range(1, 12):
        pair = frozenset({f"x-{n:02d}a", f"x-{n:02d}b"})
        assert found.get(pair) == "near-duplicate", sorted(pair)


EXTRA = """questions:
  - id: x-len
    topic: terror
    kind: multiple_choice
    prompt: Which event came between the 17th Party Congress and the first Moscow show trial?
    options:
      - The murder of Kirov in Leningrad
      - The Ryutin Platform
      - The circulation of a long platform calling for Stalin's removal by a party official
      - The issue of NKVD Order 00447
    answer: The murder of Kirov in Leningrad
    explanation: Kirov was killed in December 1934, between the congress (early 1934) and the trial (August 1936).
    source: "facts:terror"
"""


def test_an_option_far_shorter_or_longer_than_the_answer_is_named(content):
    (content / "questions" / "zz-extra.yaml").write_text(EXTRA, encoding="utf-8")
    warning = next(w for w in lint(load_bank(content)) if w.questions == ("x-len",))
    assert warning.check == "option-length"
    assert "The Ryutin Platform" in warning.message and "a long platform" in warning.message
    assert "Order 00447" not in warning.message  # 29 characters against 32: no odd one out


ALLOWED = """allowed_warnings:
  - check: option-length
    questions: [x-len]
    reason: The long option is the trap on purpose.
  - check: near-duplicate
    questions: [ps-101, ps-102]
    reason: Once a pair; kept to show that a stale allowance is reported.
"""


def test_an_allowance_keeps_a_warning_and_a_stale_one_is_reported(content):
    (content / "questions" / "zz-extra.yaml").write_text(EXTRA, encoding="utf-8")
    (content / "allowed.yaml").write_text(ALLOWED, encoding="utf-8")
    found = warned(content)
    assert frozenset({"x-len"}) not in found
    assert found[frozenset({"ps-101", "ps-102"})] == "allowance"


@pytest.mark.parametrize(
    ("allowance", "message"),
    [
        ("  - {check: near-duplicate, questions: [ps-101], reason: r}", "a near-duplicate names two questions"),
        ("  - {check: option-length, questions: [no-such], reason: r}", "unknown question 'no-such'"),
        ("  - {check: spelling, questions: [ps-101], reason: r}", "check: Input should be"),
        ("  - {check: option-length, questions: [ps-101]}", "missing key 'reason'"),
    ],
)
def test_a_bad_allowance_is_a_problem_with_its_file_and_line(content, allowance, message):
    (content / "allowed.yaml").write_text(f"allowed_warnings:\n{allowance}\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_bank(content)
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == ("content/allowed.yaml", 2)
    assert message in problem.message


def test_content_check_prints_warnings_but_passes(content, capsys):
    (content / "questions" / "zz-extra.yaml").write_text(EXTRA, encoding="utf-8")
    assert check_content(content) == 0
    out = capsys.readouterr().out
    assert "warning(s) to review" in out and "option-length: x-len:" in out
    assert "Content OK" in out
