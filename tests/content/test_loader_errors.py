"""A bad content file is reported with file, line and what is wrong, and nothing loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content import ContentError, load_bank
from tests.helpers import FIXTURE_CONTENT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def problems_for(content: Path, text: str) -> list[str]:
    (content / "questions" / "extra.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_bank(content)
    return [str(problem) for problem in raised.value.problems]


def test_the_fixture_bank_loads(content):
    assert len(load_bank(content).questions) == 5


QUESTION = """questions:
  - id: x-1
    topic: rise
    kind: multiple_choice
    prompt: Which came first?
    options: [A thing, Another thing, A third thing]
    answer: A thing
    explanation: Because it did.
    source: "facts:power-struggle"
"""


def test_unknown_key_and_its_line(content):
    problems = problems_for(content, QUESTION + "    colour: red\n")
    assert problems == ["content/questions/extra.yaml:10: x-1: unknown key 'colour'"]


def test_duplicate_id_names_both_places(content):
    problems = problems_for(content, QUESTION.replace("x-1", "t-mc-1"))
    assert len(problems) == 1
    assert problems[0].startswith(
        "content/questions/sample.yaml:2: duplicate id 't-mc-1' (first at content/questions/extra.yaml:2)"
    )


def test_answer_not_among_the_options(content):
    problems = problems_for(content, QUESTION.replace("answer: A thing", "answer: A fourth thing"))
    assert problems == ["content/questions/extra.yaml:7: x-1: answer 'A fourth thing' is not among the options"]


def test_why_wrong_must_name_a_wrong_option(content):
    reasons = '    why_wrong:\n      "A thing": "It is the answer."\n      "A fifth thing": "Not an option."\n'
    problems = problems_for(content, QUESTION + reasons)
    assert problems == [
        "content/questions/extra.yaml:10: x-1: why_wrong names 'A thing', which is not one of the wrong options",
        "content/questions/extra.yaml:10: x-1: why_wrong names 'A fifth thing', which is not one of the wrong options",
    ]
    assert load_bank_with(content, QUESTION + '    why_wrong:\n      "Another thing": "It came second."\n')


def load_bank_with(content: Path, text: str):  # noqa: ANN201
    (content / "questions" / "extra.yaml").write_text(text, encoding="utf-8")
    return load_bank(content)


def test_short_answer_alias_that_matches_a_wrong_answer(content):
    text = """questions:
  - id: x-2
    topic: rivals
    kind: short_answer
    prompt: Who chaired the Leningrad Soviet?
    answer: Zinoviev
    accept: [Kamenev]
    wrong: [Kamenev]
    explanation: Zinoviev ran Leningrad until 1926.
    source: "facts:power-struggle"
"""
    problems = problems_for(content, text)
    assert (
        "content/questions/extra.yaml:8: x-2: the wrong answer 'Kamenev' would be accepted by the answer or an alias"
        in problems
    )
    assert "content/questions/extra.yaml:7: x-2: alias 'Kamenev' also matches a wrong answer" in problems


def test_unknown_references_and_bad_kinds(content):
    text = QUESTION.replace("topic: rise", "topic: cold-war").replace("facts:power-struggle", "facts:nowhere")
    text = text.replace("kind: multiple_choice", "kind: essay")
    problems = problems_for(content, text)
    assert any(":4: x-1: kind:" in p for p in problems)


def test_references_are_checked(content):
    text = QUESTION.replace("topic: rise", "topic: cold-war").replace("facts:power-struggle", "facts:nowhere")
    text += "    figures: [lenin]\n    tags: [which-figure, trivia]\n"
    problems = problems_for(content, text)
    assert any(
        p.endswith(
            "tags: Value error, unknown tag(s) ['trivia']; "
            "use ['chronology', 'historians', 'judgement', 'misconception', 'which-figure', 'why-how']"
        )
        for p in problems
    )
    problems = problems_for(content, text.replace("which-figure, trivia", "which-figure"))
    assert "content/questions/extra.yaml:3: x-1: unknown topic 'cold-war'" in problems
    assert "content/questions/extra.yaml:9: x-1: unknown source 'facts:nowhere'" in problems
    assert "content/questions/extra.yaml:10: x-1: unknown figure 'lenin'" in problems


def test_all_of_the_above_and_option_counts(content):
    text = QUESTION.replace("[A thing, Another thing, A third thing]", "[A thing, All of the above]")
    problems = problems_for(content, text)
    assert any("needs 3 to 5 options, has 2" in p for p in problems)
    assert any("no 'all/none of the above' options" in p for p in problems)


def test_broken_yaml_and_not_utf8(content):
    problems = problems_for(content, "questions:\n  - id: [unclosed\n")
    assert problems[0].startswith("content/questions/extra.yaml:3: not valid YAML")
    (content / "questions" / "extra.yaml").write_bytes(b"questions: \xff\xfe")
    with pytest.raises(ContentError) as raised:
        load_bank(content)
    assert str(raised.value.problems[0]) == "content/questions/extra.yaml:1: the file is not UTF-8 text"


def test_a_name_shared_by_two_cards(content):
    text = "terms:\n  - id: trot\n    term: Trotskyism\n    aliases: [Trotsky]\n    definition: A label of abuse.\n"
    problems = problems_for(content, text)
    assert problems == ["content/questions/extra.yaml:4: trot: name 'Trotsky' is also used by 'trotsky'"]


def test_missing_directory(tmp_path):
    with pytest.raises(ContentError, match="problem"):
        load_bank(tmp_path / "nowhere")
