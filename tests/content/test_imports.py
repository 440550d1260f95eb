"""Each import format read from the sample files in tests/fixtures/imports: what was converted (kinds,
answers, explanations), what was refused and why, at which line, and how the format is told."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.imports import parse
from bot.core.vocabulary import QuestionKind

SAMPLES = Path(__file__).parent.parent / "fixtures" / "imports"
MC, TF, SHORT = QuestionKind.MULTIPLE_CHOICE, QuestionKind.TRUE_FALSE, QuestionKind.SHORT_ANSWER


def sample(name: str, format: str | None = None):  # noqa: ANN201 - a Parsed
    return parse(name, (SAMPLES / name).read_bytes(), format)


def refused(parsed) -> dict[int, str]:  # noqa: ANN001
    return {problem.line: problem.message for problem in parsed.problems}


def by_line(parsed) -> dict:  # noqa: ANN001
    return {draft.line: draft for draft in parsed.drafts}


def test_gift_converts_choice_true_false_and_short_answers_and_says_why_it_refuses_the_rest():
    parsed = sample("power-struggle.gift")
    drafts = by_line(parsed)
    assert [drafts[line].kind for line in sorted(drafts)] == [MC, TF, TF, SHORT, SHORT, MC, TF, TF]
    secretary = drafts[6]
    assert secretary.answer == "General Secretary of the party" and len(secretary.options) == 4
    assert secretary.explanation == "He controlled appointments through the Secretariat."  # the right answer's #
    assert drafts[13].answer is True and drafts[13].explanation.startswith("About 241,600 workers")  # ####
    assert drafts[15].answer is False and drafts[15].explanation == "Right: it attacked Zinoviev and Kamenev."
    assert drafts[29].answer is False and drafts[31].answer is False  # {FALSE} and {F}
    leningrad = drafts[18]
    assert leningrad.prompt.startswith("Who chaired the Leningrad Soviet until 1926: the rival")  # \:
    assert (leningrad.answer, leningrad.accept) == ("Zinoviev", ("Grigory Zinoviev", "Zinovyev"))
    blank = drafts[20]
    assert blank.prompt == "Trotsky lost the post of War Commissar in _____ after attacks on him."
    assert (blank.answer, blank.accept) == ("January 1925", ("1925",))
    escapes = drafts[22]
    assert '"New Opposition" {Zinoviev and Kamenev}?' in escapes.prompt
    assert escapes.answer == "14th Congress" and "=16th Congress" in escapes.options
    assert refused(parsed) == {
        34: "a numeric question ({#...}) cannot be converted; write it as a short answer, e.g. {=1934}",
        36: "a matching question (a -> b) cannot be converted",
        42: "an essay question has no answer to check",
        44: "partial credit (%50%) has no equivalent here: mark the one right answer with =",
        50: "2 right answers (=); a multiple-choice question needs exactly one",
    }
    assert [note.line for note in parsed.notes] == [4, 52]  # $CATEGORY, and a description


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Who? {=Stalin ~Trotsky", "the answer has no closing '}' (write a literal brace as \\})"),
        ("::Untitled Who? {=Stalin}", "the title has no closing '::'"),
        (
            "In {=1924} and {=1929}?",
            "more than one answer in braces (an embedded-answers question) cannot be converted",
        ),
        ("{=Stalin ~Trotsky}", "the question has no text"),
        ("Who? {=Stalin ~}", "an answer is empty"),
        ("Who? {~Stalin ~Trotsky}", "0 right answers (=); a multiple-choice question needs exactly one"),
    ],
)
def test_gift_questions_that_are_broken_are_refused_with_the_reason(text, why):
    parsed = parse("broken.gift", f"// first line\n\n{text}\n".encode())
    assert parsed.drafts == [] and refused(parsed) == {3: why}


def test_aiken_with_crlf_lines_both_option_styles_and_a_true_false_pair():
    assert b"\r\n" in (SAMPLES / "economy-aiken.txt").read_bytes()
    parsed = sample("economy-aiken.txt")
    drafts = by_line(parsed)
    assert sorted(drafts) == [1, 8, 14, 32]
    assert drafts[1].answer == "The liquidation of the kulaks as a class" and len(drafts[1].options) == 4
    assert drafts[8].answer == "About 57%" and drafts[8].options == ("About 22%", "About 57%", "About 90%")  # A.
    assert drafts[14].kind is TF and drafts[14].answer is True
    assert refused(parsed) == {
        20: "no ANSWER: line after the options",
        26: "ANSWER: D is not one of the options (A, B, C)",
    }


def test_csv_with_a_bom_quotes_a_multiline_cell_letters_and_a_topic_column():
    parsed = sample("terror.csv")
    drafts = by_line(parsed)
    assert sorted(drafts) == [2, 3, 5, 6, 7, 9, 10, 13, 14]
    kirov = drafts[2]
    assert (kirov.kind, kirov.answer, kirov.accept, kirov.topic) == (
        SHORT,
        "Kirov",
        ("Sergei Kirov", "S. M. Kirov"),
        "terror",
    )
    assert drafts[3].answer == "Order 00447"  # the answer given as the letter B
    assert 'called the "Yezhovshchina" after him' in drafts[5].explanation  # doubled quotes in a quoted cell
    assert drafts[6].kind is TF and drafts[6].answer is True
    assert drafts[7].answer == "The Trial of the Twenty-One" and "15 March 1938" in drafts[7].explanation
    assert drafts[9].prompt == 'Which congress of 1934 was called the "Congress of Victors"?'
    assert drafts[10].topic == "Foreign policy"  # a topic's title; the writer resolves it
    assert refused(parsed) == {11: "the answer 'Beria' is not one of the options", 12: "the row has no answer"}
    assert [note.message for note in parsed.notes] == ["column 'difficulty' is ignored"]


def test_csv_from_excel_in_windows_1252_with_semicolons_and_wrong_answer_columns():
    parsed = sample("society-excel.csv")
    assert parsed.format == "csv" and parsed.problems == []
    union, *_, constitution = parsed.drafts
    assert union.answer == "The Writers\u2019 Union" and union.options[0] == union.answer
    assert constitution.answer == "5 December 1936" and len(constitution.options) == 4
    assert "drafting \u2013 months" in constitution.explanation
    assert "read as Windows-1252 text (it is not UTF-8)" in [note.message for note in parsed.notes]


def test_ten_thousand_csv_rows_parse_with_their_own_lines(tmp_path):
    rows = ["question,answer,wrong 1,wrong 2"]
    rows += [f'"Question {n}, about the plan?",{n} tonnes,{n + 1} tonnes,{n + 2} tonnes' for n in range(10_000)]
    parsed = parse("big.csv", "\n".join(rows).encode())
    assert len(parsed.drafts) == 10_000 and parsed.problems == []
    assert parsed.drafts[-1].line == 10_001 and parsed.drafts[-1].answer == "9999 tonnes"


def test_quizlet_tabs_with_empty_lines_asks_the_definition_and_takes_the_term():
    parsed = sample("quizlet-economy.txt")
    drafts = by_line(parsed)
    assert sorted(drafts) == [1, 3, 4, 6, 8]
    assert drafts[1].prompt == "The State Planning Committee that drew up the Five-Year Plans"
    assert drafts[1].answer == "Gosplan" and drafts[1].kind is SHORT
    assert drafts[8].answer == '"Enrich yourselves"'
    assert refused(parsed) == {7: "no tab between the term and definition"}
    assert parsed.notes[0].message == "each definition is asked and its term is the answer"


def test_quizlet_commas_and_semicolon_rows():
    parsed = sample("quizlet-rivals.txt")
    assert [draft.answer for draft in parsed.drafts] == [
        "Lenin Enrolment",
        "Socialism in One Country",
        "Permanent revolution",
        "Triumvirate",
    ]
    assert parsed.drafts[3].prompt == "Stalin, Zinoviev and Kamenev against Trotsky in 1923-24"  # first comma only


def test_red_trivia_answers_as_written_and_its_settings_noted():
    parsed = sample("red-trivia.yaml")
    drafts = by_line(parsed)
    assert drafts[5].answer == "Kirov" and drafts[5].accept == ("Sergei Kirov",)
    assert drafts[8].answer == "1928"  # a YAML number stays the text the teacher wrote
    assert drafts[15].answer == "Beria"  # a lone answer, not a list
    assert len(drafts[16].accept) == 2 and all(draft.kind is SHORT for draft in parsed.drafts)
    assert refused(parsed) == {20: "the answers should be a list of text", 22: "the question has no answers"}
    assert [note.message for note in parsed.notes] == [
        "AUTHOR is a Red-DiscordBot setting and is ignored",
        "CONFIG is a Red-DiscordBot setting and is ignored",
    ]


def test_kahoot_template_rows_by_their_spreadsheet_row():
    parsed = sample("kahoot-foreign.xlsx")
    drafts = by_line(parsed)
    assert sorted(drafts) == [9, 10, 11, 13, 15]
    assert drafts[9].answer == "Nazi-Soviet Pact" and len(drafts[9].options) == 4
    assert drafts[10].kind is TF and drafts[10].answer is True
    assert drafts[11].answer == "Molotov"  # "2" as text
    assert drafts[15].options == ("Spain", "France", "Italy")  # 1.0 as a number; empty answers left out
    assert refused(parsed) == {12: "2 right answers (1, 2); one is needed here", 14: "no correct answer is given"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("power-struggle.gift", "gift"),
        ("economy-aiken.txt", "aiken"),
        ("terror.csv", "csv"),
        ("society-excel.csv", "csv"),
        ("quizlet-economy.txt", "quizlet"),
        ("quizlet-rivals.txt", "quizlet"),
        ("red-trivia.yaml", "red"),
        ("kahoot-foreign.xlsx", "kahoot"),
    ],
)
def test_the_format_is_told_by_the_content_when_the_name_does_not_say(name, expected):
    data = (SAMPLES / name).read_bytes()
    assert parse(name, data).format == expected
    if expected != "red":  # a trivia list is told by its .yaml name only
        assert parse("upload", data).format == expected


def test_a_named_format_wins_over_the_guess():
    parsed = parse("cards.txt", b"Gosplan,The State Planning Committee\n", "csv")
    assert parsed.format == "csv" and "the header needs 'question' and 'answer' columns" in parsed.problems[0].message


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        ("notes.txt", b"Stalin became General Secretary in 1922.\n", "could not tell which format this file is in"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "the file is not text (it has NUL bytes)"),
        ("quiz.xlsx", b"not a spreadsheet", "not a readable .xlsx spreadsheet"),
        ("empty.csv", b"\xef\xbb\xbf\r\n\r\n", "the file is empty"),
        ("header.csv", b"question,answer\n", "there are no rows under the header"),
        ("trivia.yaml", b"Who?: [Stalin\n", "not valid YAML"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_converts_nothing(name, data, why):
    parsed = parse(name, data)
    assert parsed.drafts == [] and why in parsed.problems[0].message


def test_the_examples_in_content_readme_convert_as_it_says():
    readme = (Path(__file__).parent.parent.parent / "content" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Importing questions from other formats")[1].split("\n## ")[0]
    examples = re.findall(r"```(?:yaml)?\n(.*?)```", section, re.DOTALL)
    kinds = {
        "gift": [MC, TF, SHORT],
        "aiken": [MC],
        "csv": [MC, SHORT],
        "quizlet": [SHORT, SHORT],
        "red": [SHORT],
    }
    for (format, expected), example in zip(kinds.items(), examples, strict=True):
        parsed = parse("example", example.encode(), format)
        assert parsed.problems == [] and [draft.kind for draft in parsed.drafts] == expected, format
