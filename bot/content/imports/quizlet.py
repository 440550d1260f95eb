"""A Quizlet set exported as text: term and definition separated by a tab (or a comma), one card a line
(or cards separated by semicolons, Quizlet's other row setting).

    Gosplan	The State Planning Committee that drew up the Five-Year Plans
    Stakhanov	Miner who cut 102 tonnes of coal in one shift in August 1935

Each card becomes a short answer. The side a student types is the shorter one across the set (usually the
term), so the longer side is asked: a note says which way round the set was read.
"""

from __future__ import annotations

from statistics import mean

from bot.content.imports.model import Draft, Parsed
from bot.core.grading import visible
from bot.core.vocabulary import QuestionKind


def parse(text: str, file: str) -> Parsed:
    parsed = Parsed(file, "quizlet")
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    separator = "\t" if any("\t" in line for _, line in lines) else ","
    cards: list[tuple[int, str, str]] = []
    for number, row in _rows(lines):
        term, found, definition = row.partition(separator)
        term, definition = visible(term), visible(definition)
        if not found:
            parsed.refuse(number, f"no {'tab' if separator == chr(9) else 'comma'} between the term and definition")
        elif not term or not definition:
            parsed.refuse(number, "the term or the definition is empty")
        else:
            cards.append((number, term, definition))
    if not cards:
        if not parsed.problems:
            parsed.refuse(1, "the file has no cards")
        return parsed
    ask_definition = mean(len(definition) for _, _, definition in cards) > mean(len(term) for _, term, _ in cards)
    first = cards[0][0]
    if ask_definition:
        parsed.note(first, "each definition is asked and its term is the answer")
    else:
        parsed.note(first, "each term is asked and its definition is the answer")
    for number, term, definition in cards:
        prompt, answer = (definition, term) if ask_definition else (term, definition)
        parsed.drafts.append(Draft(number, QuestionKind.SHORT_ANSWER, prompt, answer))
    return parsed


def _rows(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Cards by line, or by semicolon when the export put them all on one line or ended each with `;`."""
    by_semicolon = len(lines) == 1 or all(line.rstrip().endswith(";") for _, line in lines)
    if not by_semicolon:
        return lines
    return [(number, card) for number, line in lines for card in line.split(";") if card.strip()]
