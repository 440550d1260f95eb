"""Essay plans: reading a student's plan, and comparing it with the model plan, by rules.

A plan is the factors the student would use, most important first (3 or 4 of the numbered factors), a
piece of evidence for each (a letter from the shared pool), and a one-line judgement. The comparison
says which of the model's main factors were left out, which evidence fits another factor better, and
whether the judgement gives a verdict and links factors. It is honest about what it cannot do: it reads
a plan's choices and a few words, not the quality of an argument.

The levels are described in the style of the exam's mark schemes (four levels, from "describes" to
"sustained judgement, precisely selected evidence"); they are the bot's own wording, not an exam board's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.errors import InvalidInput
from bot.core.grading import normalise

MIN_FACTORS, MAX_FACTORS = 3, 4
MAX_JUDGEMENT = 400

LEVELS: dict[int, tuple[tuple[str, str], ...]] = {
    12: (
        ("1-3", "Describes: general points, little explanation, no clear answer to the question."),
        ("4-6", "Explains some factors with some accurate evidence; a judgement is asserted rather than shown."),
        ("7-9", "Explains several factors with accurate evidence and reaches a supported judgement."),
        ("10-12", "Analyses and links the factors, with precisely selected evidence and a sustained judgement."),
    ),
    24: (
        ("1-6", "Describes: general points, little explanation, no clear answer to the question."),
        ("7-12", "Explains some factors with some accurate evidence; a judgement is asserted rather than shown."),
        ("13-18", "Explains and weighs several factors with accurate evidence; a balanced, supported judgement."),
        ("19-24", "Weighs and links the factors, with extensive, precisely selected evidence; sustained judgement."),
    ),
}
# Words that give a verdict, and words that tie one point to another. A check of the words, not the thought.
_VERDICT = re.compile(
    r"\b(most|more|less|least|main(ly)?|chief(ly)?|key|largely|partly|mostly|limited|successful|unsuccessful|"
    r"important|decisive|crucial|significant|outweigh\w*|greater|far|extent|agree|disagree)\b"
)
_LINK = re.compile(r"\b(because|so|therefore|which|meant|allowed|enabled|without|while|whereas|but|led|thus|as)\b")
_NUMBERS = re.compile(r"\d+")
_LETTERS = re.compile(r"\b[a-z]\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Plan:
    """A student's plan: factor indices (the model's order: 0 is its most important), most important first;
    for each, the index of the factor whose evidence they picked; and their judgement."""

    factors: tuple[int, ...]
    evidence: tuple[int, ...]
    judgement: str


@dataclass(frozen=True, slots=True)
class Comparison:
    missed: tuple[int, ...]  # model factor indices among the model's main ones the plan left out
    misplaced: tuple[tuple[int, int], ...]  # (the plan's factor, the factor the picked evidence belongs to)
    same_first: bool  # the plan's most important factor is the model's
    gives_verdict: bool
    links_factors: bool
    level: int  # 1 to 4: the level a plan like this aims at
    lift: str  # what would lift it a level ("" at the top)


def read_factors(text: str, count: int) -> tuple[int, ...]:
    """3 or 4 different numbers from 1..count, most important first -> 0-based indices as shown."""
    numbers = [int(n) for n in _NUMBERS.findall(text)]
    if not MIN_FACTORS <= len(numbers) <= MAX_FACTORS or len(set(numbers)) != len(numbers):
        raise InvalidInput("Choose 3 or 4 different factors by number, most important first, e.g. `2 4 1`.")
    if any(not 1 <= n <= count for n in numbers) or re.sub(r"[\d\s,;>\-]", "", text):
        raise InvalidInput(f"The factors are numbered 1 to {count}: choose 3 or 4 of them, e.g. `2 4 1`.")
    return tuple(n - 1 for n in numbers)


def read_evidence(text: str, letters: Sequence[str], wanted: int) -> tuple[int, ...]:
    """One letter of the evidence pool for each chosen factor, in the same order -> 0-based pool indices."""
    typed = [letter.upper() for letter in _LETTERS.findall(text)] or [c.upper() for c in text if c.isalpha()]
    pool = [letter.upper() for letter in letters]
    if len(typed) != wanted or any(letter not in pool for letter in typed):
        example = " ".join(pool[:wanted])
        raise InvalidInput(
            f"Give one evidence letter for each of your {wanted} factors, in the same order, e.g. `{example}`."
        )
    return tuple(pool.index(letter) for letter in typed)


def read_judgement(text: str) -> str:
    judgement = " ".join(text.split())
    if len(judgement.split()) < 4:
        raise InvalidInput("Write your judgement as a sentence: your answer to the question, and why.")
    if len(judgement) > MAX_JUDGEMENT:
        raise InvalidInput(f"Keep the judgement to one line (at most {MAX_JUDGEMENT} characters).")
    return judgement


def compare(plan: Plan, factor_names: Sequence[str], marks: int) -> Comparison:
    """The plan against the model: the model's factors are `factor_names`, most important first."""
    main = range(min(MIN_FACTORS, len(factor_names)))
    missed = tuple(index for index in main if index not in plan.factors)
    misplaced = tuple(
        (factor, source) for factor, source in zip(plan.factors, plan.evidence, strict=True) if factor != source
    )
    words = normalise(plan.judgement)
    gives_verdict = bool(_VERDICT.search(words))
    named = sum(1 for index in plan.factors if _names(words, factor_names[index]))
    links_factors = bool(_LINK.search(words)) and (named >= 2 or (named >= 1 and len(words.split()) >= 12))
    level, lift = _level(len(plan.factors), len(misplaced), len(missed), gives_verdict, links_factors)
    return Comparison(missed, misplaced, plan.factors[:1] == (0,), gives_verdict, links_factors, level, lift)


def _names(words: str, factor: str) -> bool:
    """Does the judgement name the factor (any of its longer words)?"""
    return any(len(word) > 4 and word in words.split() for word in normalise(factor).split())


def _level(chosen: int, misplaced: int, missed: int, verdict: bool, linked: bool) -> tuple[int, str]:
    if not verdict:
        return (1 if misplaced >= chosen else 2), "Give a verdict: answer the question directly (most, largely...)."
    if misplaced > chosen // 2:
        return 2, "Match each factor with the evidence that proves it: precise evidence is what the levels reward."
    if misplaced or missed or not linked:
        how = "link the factors in your judgement (one led to, or mattered more than, another)"
        if misplaced:
            how = "fit every factor with its own evidence"
        elif missed:
            how = "weigh the main factors the model plan names"
        return 3, f"To aim higher, {how}."
    return 4, ""
